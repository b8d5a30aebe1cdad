// The master key that wraps every tenant's data key (ADR 029). From RAPPORT_MASTER_KEY, or — for the
// embedded default only — a key generated once into DATA_DIR/master.key (mode 600). The database
// keeps a check value (HMAC of a constant under the key) in app_meta, so a wrong or missing key is
// refused at start with a clear message before anything is read or written with it.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Sql, Tx } from '~/.server/db/client';
import { getEnv } from '~/.server/env';
import { masterKeyCheck, parseMasterKey } from './envelope';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

const CHECK_KEY = 'master_key_check';
export const MASTER_KEY_FILE = 'master.key';

let cached: Buffer | undefined;

type Query = Sql | Tx;

function keyFilePath() {
  return path.join(getEnv().dataDir, MASTER_KEY_FILE);
}

/** The configured key, if any: the environment, else DATA_DIR/master.key (embedded default only). */
function configuredKey(): { key: Buffer; source: string } | { key: null; mayGenerate: boolean } {
  const env = getEnv();
  if (env.RAPPORT_MASTER_KEY) {
    try {
      return { key: parseMasterKey(env.RAPPORT_MASTER_KEY), source: 'RAPPORT_MASTER_KEY' };
    } catch (e) {
      throw new MasterKeyError((e as Error).message);
    }
  }
  const external = Boolean(env.DATABASE_URL);
  if (external && env.NODE_ENV === 'production') {
    throw new MasterKeyError(
      'RAPPORT_MASTER_KEY is required in production with DATABASE_URL (conversation text is encrypted at rest). ' +
        'Generate one with `openssl rand -hex 32`, keep it apart from database backups, and set it in the environment.',
    );
  }
  const file = keyFilePath();
  if (fs.existsSync(file)) {
    try {
      return { key: parseMasterKey(fs.readFileSync(file, 'utf8')), source: file };
    } catch (e) {
      throw new MasterKeyError(`${file}: ${(e as Error).message}`);
    }
  }
  return { key: null, mayGenerate: true };
}

function generateKeyFile(): Buffer {
  const file = keyFilePath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = crypto.randomBytes(32);
  try {
    // 'wx': never overwrite a key file another process has just written.
    fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return parseMasterKey(fs.readFileSync(file, 'utf8'));
    throw e;
  }
}

/**
 * The master key, checked against the database (through `query`: the tx when called inside a unit
 * of work, since the embedded database deadlocks on a second connection there). Throws MasterKeyError.
 */
export async function getMasterKey(query: Query): Promise<Buffer> {
  if (cached) return cached;
  const configured = configuredKey();
  const [stored] = await query<{ value: string }[]>`select value from app_meta where key = ${CHECK_KEY}`;
  if (stored) {
    if (!configured.key) {
      throw new MasterKeyError(
        `This database holds text encrypted with a master key, but none is configured: set RAPPORT_MASTER_KEY ` +
          `or restore ${keyFilePath()}. Refusing to start; nothing was changed.`,
      );
    }
    if (masterKeyCheck(configured.key) !== stored.value) {
      throw new MasterKeyError(
        `The master key from ${configured.source} is not the one this database was encrypted with. ` +
          'Refusing to start; nothing was changed.',
      );
    }
    cached = configured.key;
    return cached;
  }
  // First use: no key recorded yet. Keys wrapped under an unknown master key would be unreadable.
  const [orphan] = await query<{ n: number }[]>`select count(*)::int as n from tenant_data_key`;
  if (orphan && orphan.n > 0) {
    throw new MasterKeyError('Data keys exist but the master key check is missing from app_meta. Refusing to start; nothing was changed.');
  }
  const key = configured.key ?? generateKeyFile();
  await query`insert into app_meta (key, value) values (${CHECK_KEY}, ${masterKeyCheck(key)}) on conflict (key) do nothing`;
  const [now] = await query<{ value: string }[]>`select value from app_meta where key = ${CHECK_KEY}`;
  if (now?.value !== masterKeyCheck(key)) throw new MasterKeyError('Another process recorded a different master key. Refusing to start; nothing was changed.');
  cached = key;
  return cached;
}

/** For tests that switch keys or databases within one process. */
export function resetMasterKeyForTests() {
  cached = undefined;
}
