// Each test file gets its own copy of the migrated template database and the app's client
// pointed at it: on the embedded project a copy of the PGlite data directory served over the
// Postgres protocol like in production; on the postgres project (TEST_POSTGRES_URL) a database
// cloned from the run's template with CREATE DATABASE … TEMPLATE on the real server.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { resetLuciaForTests } from '~/.server/auth/lucia';
import { closeDb, createSql, db, setDb } from '~/.server/db/client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '~/.server/db/embedded';
import { databaseUrlFor, TEST_DB_PREFIX } from '../setup/postgres-server';

export type TestDatabase = {
  url: string;
  /** The file's own directory for local state (DATA_DIR); on the embedded project it holds the database. */
  dataDir: string;
  kind: 'embedded' | 'postgres';
};

/** Which database this test file runs on. */
export function testDatabaseKind(): 'embedded' | 'postgres' {
  return inject('testDatabase').kind;
}

export function useTestDatabase(): TestDatabase {
  const target = inject('testDatabase');
  const handle: TestDatabase = { url: '', dataDir: '', kind: target.kind };
  let embedded: EmbeddedDatabase | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-test-'));
    handle.dataDir = dataDir;
    process.env.DATA_DIR = dataDir;
    if (target.kind === 'embedded') {
      fs.cpSync(target.templateDataDir, dataDir, { recursive: true });
      fs.rmSync(path.join(dataDir, 'rapport.lock'), { force: true });
      embedded = await startEmbeddedDatabase({ dataDir, owner: 'test' });
      handle.url = embedded.url;
    } else {
      const name = `${TEST_DB_PREFIX}f_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
      const admin = createSql(target.adminUrl, 1);
      try {
        await admin.unsafe(`create database "${name}" template "${target.template}"`);
      } finally {
        await admin.end();
      }
      handle.url = databaseUrlFor(target.adminUrl, name);
      dropDatabase = async () => {
        const sql = createSql(target.adminUrl, 1);
        try {
          await sql.unsafe(`drop database if exists "${name}" with (force)`);
        } finally {
          await sql.end();
        }
      };
    }
    process.env.RAPPORT_DATABASE_URL = handle.url;
    setDb(createSql(handle.url, 4));
    resetLuciaForTests();
  });
  afterAll(async () => {
    await closeDb();
    await embedded?.close();
    await dropDatabase?.();
    if (handle.dataDir) fs.rmSync(handle.dataDir, { recursive: true, force: true });
  });
  return handle;
}

export { db };
