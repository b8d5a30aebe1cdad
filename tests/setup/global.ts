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
  project.provide('templateDataDir', templateDir);
}
