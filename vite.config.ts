import { fileURLToPath } from 'node:url';
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';
import remixOptions from './remix.config.js';

const appDir = fileURLToPath(new URL('./app', import.meta.url));

export default defineConfig({
  resolve: { alias: { '~': appDir } },
  // The Remix plugin is for the app build only; vitest runs plain modules.
  plugins: [!process.env.VITEST && remix(remixOptions)],
  server: { port: 3000 },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/setup/global.ts'],
    setupFiles: ['tests/setup/each-file.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
