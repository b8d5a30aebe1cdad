// `npm start` under a process manager: SIGTERM to the top process stops the whole tree and frees
// DATA_DIR (issue 13, item 14). Runs the real `npm start` on the built app with an embedded database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../helpers/db';
import { until } from '../helpers/processes';

/** Pids of the processes started with this DATA_DIR in their environment (the npm tree). */
function processesUsing(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`DATA_DIR=${dataDir}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

// The embedded project only: one build and one app, whichever database the other project uses.
describe.skipIf(testDatabaseKind() !== 'embedded' || process.platform !== 'linux')('npm start', () => {
  // Built in a child process: a synchronous build would block this worker's test runner for a minute.
  beforeAll(async () => {
    const build = spawn(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    build.stdout.on('data', (d) => (out += d));
    build.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => build.on('exit', resolve));
    if (code !== 0) throw new Error(`the build failed:\n${out}`);
  }, 300_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('stops the server and exits with it on %s', async (signal) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-start-'));
    const env: Record<string, string | undefined> = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'RAPPORT_DATABASE_URL' && k !== 'DATABASE_URL'),
    );
    const npm = spawn('npm', ['start', '--silent'], {
      env: { ...env, NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout!.on('data', (d) => (output += d));
    npm.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.on('exit', (code, sig) => resolve({ code, signal: sig })));
    try {
      const url = await until('the app to start', () => /running at (http:\/\/localhost:\d+)/.exec(output)?.[1], 90_000).catch((e) => {
        throw new Error(`${(e as Error).message}:\n${output}`);
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const tree = processesUsing(dataDir);
      expect(tree.length).toBeGreaterThanOrEqual(2); // npm's script process and the server

      npm.kill(signal);
      const { code } = await exited;
      expect(code).toBe(0);
      // Every process of the tree is gone and the port is closed: nothing keeps holding DATA_DIR.
      await until('the whole process tree to exit', () => processesUsing(dataDir).length === 0, 15_000);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(output).toContain(`${signal}: shutting down`);
    } finally {
      for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
