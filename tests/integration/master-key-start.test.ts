// Issue 12, bad input at start: the served app (server/index.ts, as `npm start` runs it) with a wrong or a
// missing master key prints a clear message, exits without serving, and overwrites nothing — the key file stays
// as it was, no new key is generated over encrypted data, and the app starts again once the right key is back.
// The process runs its own embedded database in its own DATA_DIR, so this runs in the embedded project only.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppIfStale } from '../helpers/built-app';
import { testDatabaseKind } from '../helpers/db';

interface Outcome {
  served: boolean;
  code: number | null;
  output: string;
}

/** Start the server on `dataDir`; stop it as soon as it serves (SIGTERM), or wait for it to give up. */
async function startOnce(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Outcome> {
  const env: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !['NODE_ENV', 'DATABASE_URL', 'RAPPORT_DATABASE_URL', 'RAPPORT_MASTER_KEY'].includes(k)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...env, NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', WEB_CONCURRENCY: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let served = false;
  const onData = (d: Buffer) => {
    output += d;
    if (!served && /running at http:\/\/localhost:\d+/.test(output)) {
      served = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { served, code, output };
}

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe.skipIf(testDatabaseKind() !== 'embedded')('the served app with a wrong or missing master key', () => {
  let dataDir: string;
  beforeAll(async () => {
    await buildAppIfStale();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-master-key-'));
  }, 240_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start with a clear message and changes nothing; starts again with the right key', async () => {
    // First start: the embedded default generates DATA_DIR/master.key (mode 600) and records its check.
    const first = await startOnce(dataDir);
    expect(first.served, first.output).toBe(true);
    const keyFile = path.join(dataDir, 'master.key');
    const keyDigest = digest(keyFile);

    // A wrong key from the environment: refused, nothing served, the key file untouched.
    const wrong = await startOnce(dataDir, { RAPPORT_MASTER_KEY: crypto.randomBytes(32).toString('hex') });
    expect(wrong.served).toBe(false);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/Rapport could not start:/);
    expect(wrong.output).toMatch(/The master key from RAPPORT_MASTER_KEY is not the one this database was encrypted with\. Refusing to start; nothing was changed\./);
    expect(digest(keyFile)).toBe(keyDigest);

    // A malformed key: refused with what a key must look like.
    const malformed = await startOnce(dataDir, { RAPPORT_MASTER_KEY: 'not-a-key' });
    expect(malformed.served).toBe(false);
    expect(malformed.code).toBe(1);
    expect(malformed.output).toMatch(/64 hex digits/);

    // The key file gone (a restore without it): refused, and no new key generated over the encrypted data.
    fs.renameSync(keyFile, `${keyFile}.aside`);
    const missing = await startOnce(dataDir);
    expect(missing.served).toBe(false);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/none is configured: set RAPPORT_MASTER_KEY or restore .*master\.key\. Refusing to start; nothing was changed\./);
    expect(fs.existsSync(keyFile)).toBe(false);

    // The right key back: the app starts on the same data.
    fs.renameSync(`${keyFile}.aside`, keyFile);
    const again = await startOnce(dataDir);
    expect(again.served, again.output).toBe(true);
    expect(digest(keyFile)).toBe(keyDigest);
  }, 300_000);
});
