// Each test file gets its own copy of the migrated template database, served over the
// Postgres protocol like in production, and the app's client pointed at it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { resetLuciaForTests } from '~/.server/auth/lucia';
import { closeDb, createSql, db, setDb } from '~/.server/db/client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '~/.server/db/embedded';

export type TestDatabase = { url: string; dataDir: string };

export function useTestDatabase(): TestDatabase {
  const handle: TestDatabase = { url: '', dataDir: '' };
  let embedded: EmbeddedDatabase | undefined;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-test-'));
    fs.cpSync(inject('templateDataDir'), dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, 'rapport.lock'), { force: true });
    embedded = await startEmbeddedDatabase({ dataDir, owner: 'test' });
    process.env.RAPPORT_DATABASE_URL = embedded.url;
    process.env.DATA_DIR = dataDir;
    setDb(createSql(embedded.url, 4));
    resetLuciaForTests();
    handle.url = embedded.url;
    handle.dataDir = dataDir;
  });
  afterAll(async () => {
    await closeDb();
    await embedded?.close();
    if (handle.dataDir) fs.rmSync(handle.dataDir, { recursive: true, force: true });
  });
  return handle;
}

export { db };
