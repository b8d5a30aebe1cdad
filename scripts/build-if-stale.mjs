// Builds the app when build/ is missing or older than the sources. Used by `npm start` and the
// browser tests, so neither rebuilds needlessly nor serves a stale build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function buildIfStale({ quiet = false } = {}) {
  const buildFile = path.join(root, 'build/server/index.js');
  const sources = Math.max(
    newestMtime(path.join(root, 'app')),
    newestMtime(path.join(root, 'public')),
    ...['vite.config.ts', 'remix.config.js', 'package-lock.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs),
  );
  if (fs.existsSync(buildFile) && fs.statSync(buildFile).mtimeMs >= sources) return buildWebServerIfStale(quiet);
  if (!quiet) console.log('Building the app (first start or sources changed)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
    cwd: root,
    stdio: quiet ? 'pipe' : 'inherit',
    // Under vitest, VITEST is set and vite.config.ts would leave out the Remix plugin.
    // NODE_ENV=test (set by vitest) would give a development React build.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))), NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(String(result.stdout) + String(result.stderr));
    throw new Error('The app build failed.');
  }
  // After the Remix build, which empties build/ (the compiled server lives there too).
  buildWebServerIfStale(quiet);
}

/** build/web-server.mjs (scripts/build-server.mjs): the server compiled, so production runs it without tsx. */
function buildWebServerIfStale(quiet) {
  const bundles = ['build/web-server.mjs', 'build/ingestion-worker.mjs'].map((f) => path.join(root, f));
  const sources = Math.max(newestMtime(path.join(root, 'server')), newestMtime(path.join(root, 'app')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  if (bundles.every((bundle) => fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= sources)) return;
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/build-server.mjs')], { cwd: root, stdio: quiet ? 'pipe' : 'inherit' });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(String(result.stdout) + String(result.stderr));
    throw new Error('The web server build failed.');
  }
}

/**
 * Trains the input safety model (ADR 008) when its artifact is missing or older than the corpus, so
 * the first chat turn after a fresh checkout does not train it in the server's event loop.
 */
export function trainSafetyModelIfStale({ quiet = false } = {}) {
  const artifact = path.join(root, '.cache/safety-model.bin');
  const corpus = path.join(root, 'tests/fixtures/safety-corpus');
  if (!fs.existsSync(corpus)) return;
  // The artifact's digest covers the corpus, the old fixture and the lexicon/model code (ADR 008).
  const inputs = Math.max(
    newestMtime(corpus),
    newestMtime(path.join(root, 'app/.server/safety')),
    fs.statSync(path.join(root, 'tests/fixtures/safety-messages.jsonl')).mtimeMs,
  );
  if (fs.existsSync(artifact) && fs.statSync(artifact).mtimeMs >= inputs) return;
  if (!quiet) console.log('Training the safety model (first start or corpus changed)…');
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/train-safety-model.ts')], {
    cwd: root,
    stdio: quiet ? 'pipe' : 'inherit',
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(String(result.stdout) + String(result.stderr));
    throw new Error('Training the safety model failed.');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildIfStale();
  trainSafetyModelIfStale();
}
