// `npm start`: build the app if the build is missing or older than the sources, then serve it.
// This process stays as the server's parent and lives exactly as long as it: SIGINT, SIGTERM and
// SIGHUP are forwarded to the server, and this process exits with the server's status. (The npm
// script execs this file, so a process manager's SIGTERM to `npm start` reaches it; should the
// parent go away without a signal, e.g. killed outright, the server is stopped as well.)
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale, trainSafetyModelIfStale } from './build-if-stale.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
try {
  buildIfStale();
  trainSafetyModelIfStale();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

// The compiled server (scripts/build-server.mjs): no tsx loader in production (≈ 190 MB less resident memory).
const server = spawn(process.execPath, [path.join(root, 'build/web-server.mjs')], {
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});

let stopping = false;
const stop = (signal) => {
  stopping = true;
  if (server.exitCode === null && server.signalCode === null) server.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));

// Orphaned (npm or the shell died without passing the signal on): stop the server too.
const parent = process.ppid;
const watchParent = setInterval(() => {
  if (process.ppid !== parent && !stopping) stop('SIGTERM');
}, 500);
watchParent.unref();

server.on('exit', (code, signal) => {
  clearInterval(watchParent);
  // Exit like the server did: its code, or 128 + the signal's number when a signal ended it.
  process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
});
