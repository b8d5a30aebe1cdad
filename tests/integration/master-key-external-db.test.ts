// Issue 12, bad input at start, on an external database (production with DATABASE_URL, as a deployment runs it):
// the served app with a wrong or a missing RAPPORT_MASTER_KEY prints a clear message, exits without serving and
// changes nothing — the key check, the wrapped data keys and the encrypted messages stay as they were — and serves
// again with the right key. master-key-start.test.ts covers the embedded default (its key file); this runs on
// both database projects (ADR 062).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '~/.server/coach/run-turn';
import { db } from '~/.server/db/client';
import { resetEnvForTests } from '~/.server/env';
import { resetMasterKeyForTests } from '~/.server/privacy/master-key';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';
import { cleanEnv, start, stop, until } from '../helpers/processes';

const database = useTestDatabase();
const MASTER_KEY = crypto.randomBytes(32).toString('hex');

beforeAll(async () => {
  process.env.RAPPORT_MASTER_KEY = MASTER_KEY;
  resetEnvForTests();
  resetMasterKeyForTests();
  const build = start(['scripts/build-if-stale.mjs'], process.env);
  const code = await new Promise<number | null>((resolve) => build.child.on('exit', resolve));
  if (code !== 0) throw new Error(`the build failed:\n${build.output()}`);
}, 300_000);
afterAll(() => {
  delete process.env.RAPPORT_MASTER_KEY;
  resetEnvForTests();
  resetMasterKeyForTests();
});

interface Outcome {
  served: boolean;
  code: number | null;
  output: string;
}

/** Starts the production server on this file's database; stops it as soon as it serves, or waits for it to exit. */
async function startOnce(key: string | undefined): Promise<Outcome> {
  const env: Record<string, string | undefined> = {
    ...cleanEnv(),
    NODE_ENV: 'production',
    WEB_CONCURRENCY: '1',
    PORT: '0',
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
  };
  delete env.RAPPORT_MASTER_KEY;
  if (key !== undefined) env.RAPPORT_MASTER_KEY = key;
  const web = start(['--import', 'tsx', 'server/index.ts'], env);
  const exited = new Promise<number | null>((resolve) => web.child.on('exit', (c) => resolve(c)));
  const served = await Promise.race([
    until('the server', () => /running at http:\/\/localhost:\d+/.test(web.output()), 120_000).then(() => true),
    exited.then(() => false),
  ]);
  if (served) await stop(web.child);
  const code = served ? null : await exited;
  return { served, code, output: web.output() };
}

/** What the key decides: the check value, the wrapped data keys and the stored (encrypted) messages. */
async function keyedState() {
  const meta = await db()`select key, value from app_meta where key = 'master_key_check'`;
  const keys = await db()`select tenant_id, version, wrapped_key, status from tenant_data_key order by 1, 2`;
  const messages = await db()`select id, content from message order by id`;
  const migrations = await db().unsafe(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
  return JSON.stringify({ meta, keys, messages, migrations });
}

describe('the served app on an external database with a wrong or missing master key', () => {
  it('refuses to start with a clear message and changes nothing; serves again with the right key', async () => {
    // Data written with the right key: a tenant's data key, an encrypted conversation.
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    await (await runTurn({ tenantId: tenant.id, userId: user.id, text: 'Marcus keeps arriving late, how do I raise it?' }, { env: {} })).result;
    const first = await startOnce(MASTER_KEY);
    expect(first.served, first.output).toBe(true);
    const before = await keyedState();
    expect(before).toContain('rpe1.');

    const wrong = await startOnce(crypto.randomBytes(32).toString('hex'));
    expect(wrong.served, wrong.output).toBe(false);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/The master key from RAPPORT_MASTER_KEY is not the one this database was encrypted with\. Refusing to start; nothing was changed\./);
    expect(await keyedState()).toBe(before);

    const missing = await startOnce(undefined);
    expect(missing.served, missing.output).toBe(false);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/RAPPORT_MASTER_KEY is required in production with DATABASE_URL/);
    expect(await keyedState()).toBe(before);

    const malformed = await startOnce('not-a-key');
    expect(malformed.served).toBe(false);
    expect(malformed.code).toBe(1);
    expect(malformed.output).toMatch(/64 hex digits/);
    expect(await keyedState()).toBe(before);

    const again = await startOnce(MASTER_KEY);
    expect(again.served, again.output).toBe(true);
    expect(await keyedState()).toBe(before);
  }, 600_000);
});
