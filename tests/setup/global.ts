// One migrated template database per run, which every integration test file copies.
// - embedded project: a PGlite data directory per set of migrations (cached in .cache/): PGlite's
//   first creation costs seconds, a copy costs milliseconds.
// - postgres project (TEST_POSTGRES_URL set): a template database on that real server, migrated
//   once per run and cloned per test file with CREATE DATABASE … TEMPLATE (see tests/helpers/db.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createSql } from '../../app/.server/db/client';
import { startEmbeddedDatabase } from '../../app/.server/db/embedded';
import { migrate, readMigrations } from '../../app/.server/db/migrate';
import { databaseUrlFor, dropStaleTestDatabases, TEST_DB_PREFIX } from './postgres-server';

export type TestDatabaseTarget =
  | { kind: 'embedded'; templateDataDir: string }
  | { kind: 'postgres'; adminUrl: string; template: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseTarget;
  }
}

function migrationsKey() {
  return crypto
    .createHash('sha256')
    .update(readMigrations().map((m) => `${m.name}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
}

export default async function setup(project: TestProject) {
  if (project.name === 'postgres') return setupPostgres(project);
  const cacheRoot = path.resolve('.cache/test-db');
  const templateDir = path.join(cacheRoot, `template-${migrationsKey()}`);
  if (!fs.existsSync(path.join(templateDir, 'ready'))) {
    // Built aside and renamed into place, so a parallel run never copies a half-built template.
    const building = `${templateDir}.building-${process.pid}`;
    fs.rmSync(building, { recursive: true, force: true });
    fs.mkdirSync(building, { recursive: true });
    const db = await startEmbeddedDatabase({ dataDir: building, owner: 'test template' });
    const sql = createSql(db.url, 1);
    await migrate(sql);
    await sql.end();
    await db.close();
    fs.writeFileSync(path.join(building, 'ready'), new Date().toISOString());
    try {
      fs.renameSync(building, templateDir);
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another run won the race
    }
    // Templates of older migration sets go once they are no longer fresh (a parallel run may still copy one).
    for (const entry of fs.readdirSync(cacheRoot)) {
      const p = path.join(cacheRoot, entry);
      if (p !== templateDir && Date.now() - fs.statSync(p).mtimeMs > 10 * 60_000) fs.rmSync(p, { recursive: true, force: true });
    }
  }
  project.provide('testDatabase', { kind: 'embedded', templateDataDir: templateDir });
}

async function setupPostgres(project: TestProject) {
  const adminUrl = process.env.TEST_POSTGRES_URL!;
  const admin = createSql(adminUrl, 1);
  let template = '';
  try {
    await dropStaleTestDatabases(admin);
    // The run's pid in the name: databases of a run that died are recognised and dropped by the next one.
    template = `${TEST_DB_PREFIX}tpl_${process.pid}_${migrationsKey()}`;
    await admin.unsafe(`drop database if exists "${template}"`);
    await admin.unsafe(`create database "${template}"`);
    const sql = createSql(databaseUrlFor(adminUrl, template), 1);
    try {
      await migrate(sql);
    } finally {
      await sql.end();
    }
    await admin.unsafe(`alter database "${template}" is_template true allow_connections false`);
  } catch (e) {
    await admin.end();
    throw new Error(`TEST_POSTGRES_URL=${adminUrl}: could not prepare the template database: ${(e as Error).message}`);
  }
  project.provide('testDatabase', { kind: 'postgres', adminUrl, template });
  return async () => {
    await admin.unsafe(`alter database "${template}" is_template false`);
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    await admin.end();
  };
}
