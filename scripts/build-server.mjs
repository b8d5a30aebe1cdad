// Compiles the web server (server/*.ts and the few app/.server modules it imports) into one
// plain-JavaScript file, build/web-server.mjs, and the ingestion job process into build/ingestion-worker.mjs, so production runs `node build/web-server.mjs`
// without tsx: its loader thread and transpile cache cost a web process ≈ 33 MB of resident memory
// at idle (docs/decisions/039). Packages stay external (read from node_modules as before).
//   node scripts/build-server.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_SERVER_BUNDLE = path.join(root, 'build/web-server.mjs');
/** The ingestion job process (ADR 038), compiled the same way: the server forks it with plain `node` (ADR 041). */
export const INGESTION_WORKER_BUNDLE = path.join(root, 'build/ingestion-worker.mjs');

export async function buildServer() {
  await Promise.all([bundle('server/index.ts', WEB_SERVER_BUNDLE), bundle('server/ingestion-worker.ts', INGESTION_WORKER_BUNDLE)]);
}

const appAlias = {
  name: 'app-alias',
  setup(b) {
    b.onResolve({ filter: /^~\// }, (args) => b.resolve(`./${args.path.slice(2)}`, { kind: args.kind, resolveDir: path.join(root, 'app') }));
  },
};

async function bundle(entry, outfile) {
  await build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.json'),
    // The app's `~/…` imports (tsconfig paths) are the app's own files, not packages to leave external.
    plugins: [appAlias],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
