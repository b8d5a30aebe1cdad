// Builds one migrated template database per set of migrations (cached in .cache/), which
// every test file copies: PGlite's first creation costs seconds, a copy costs milliseconds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createSql } from '../../app/.server/db/client';
import { startEmbeddedDatabase } from '../../app/.server/db/embedded';
import { migrate, readMigrations } from '../../app/.server/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const key = crypto
    .createHash('sha256')
    .update(readMigrations().map((m) => `${m.name}:${m.checksum}`).join('\n'))
    .digest('hex');
  const cacheRoot = path.resolve('.cache/test-db');
  const templateDir = path.join(cacheRoot, `template-${key.slice(0, 16)}`);
  if (!fs.existsSync(path.join(templateDir, 'ready'))) {
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    fs.mkdirSync(templateDir, { recursive: true });
    const db = await startEmbeddedDatabase({ dataDir: templateDir, owner: 'test template' });
    const sql = createSql(db.url, 1);
    await migrate(sql);
    await sql.end();
    await db.close();
    fs.writeFileSync(path.join(templateDir, 'ready'), new Date().toISOString());
  }
  project.provide('templateDataDir', templateDir);
}
