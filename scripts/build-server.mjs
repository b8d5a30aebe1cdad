// Compiles the web server (server/*.ts and the few app/.server modules it imports) into one
// plain-JavaScript file, build/web-server.mjs, so production runs `node build/web-server.mjs`
// without tsx: its loader thread and transpile cache cost a web process ≈ 33 MB of resident memory
// at idle (docs/decisions/039). Packages stay external (read from node_modules as before).
//   node scripts/build-server.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_SERVER_BUNDLE = path.join(root, 'build/web-server.mjs');

export async function buildServer() {
  await build({
    entryPoints: [path.join(root, 'server/index.ts')],
    outfile: WEB_SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.json'),
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
