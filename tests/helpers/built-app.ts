// The built app served by server/index.ts as in production, on an embedded database of its own,
// for tests of what the HTTP layer answers (status codes, pages, headers).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Builds the app in a child process when build/ is stale (a synchronous build would block the runner). */
export async function buildAppIfStale() {
  const build = spawn(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  build.stdout.on('data', (d) => (out += d));
  build.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => build.on('exit', resolve));
  if (code !== 0) throw new Error(`the build failed:\n${out}`);
}

export interface BuiltApp {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startBuiltApp(extraEnv: Record<string, string> = {}): Promise<BuiltApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-app-'));
  const env: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'RAPPORT_DATABASE_URL' && k !== 'DATABASE_URL'),
  );
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...env, NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  let url: string | undefined;
  while (!url) {
    url = /running at (http:\/\/localhost:\d+)/.exec(output)?.[1];
    if (url) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the app did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
