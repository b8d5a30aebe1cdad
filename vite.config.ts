import { fileURLToPath } from 'node:url';
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';
import remixOptions from './remix.config.js';

const appDir = fileURLToPath(new URL('./app', import.meta.url));

const realPostgres = process.env.TEST_POSTGRES_URL?.trim();
if (process.env.VITEST && !realPostgres && !process.env.RAPPORT_PG_NOTICE_SHOWN) {
  process.env.RAPPORT_PG_NOTICE_SHOWN = '1';
  console.log(
    'notice: integration tests on a real PostgreSQL server skipped (TEST_POSTGRES_URL is unset; .ci/run starts one). ' +
      'Running them on the embedded database only.',
  );
}

export default defineConfig({
  resolve: { alias: { '~': appDir } },
  // The Remix plugin is for the app build only; vitest runs plain modules.
  plugins: [!process.env.VITEST && remix(remixOptions)],
  server: { port: 3000 },
  test: {
    globalSetup: ['tests/setup/global.ts'],
    setupFiles: ['tests/setup/each-file.ts'],
    // Generous: the CI machine is shared, and seeding or eval tests take seconds each on an idle one.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Unit and integration tests on the embedded database; the integration tests once more on a
    // real PostgreSQL server when TEST_POSTGRES_URL names one (.ci/run starts one).
    projects: [
      { extends: true as const, test: { name: 'embedded', include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'] } },
      ...(realPostgres ? [{ extends: true as const, test: { name: 'postgres', include: ['tests/integration/**/*.test.ts'] } }] : []),
    ],
  },
});
