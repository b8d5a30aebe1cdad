// Plain SQL migrations from app/.server/db/migrations, applied in name order, each in its
// own transaction, recorded in schema_migrations with a checksum. Re-running is a no-op.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '~/.server/env';
import type { Sql } from './client';
import { transaction } from './transaction';

export type MigrationFile = { name: string; sql: string; checksum: string };

export function migrationsDir() {
  return projectPath('app', '.server', 'db', 'migrations');
}

export function readMigrations(dir = migrationsDir()): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex').slice(0, 16) };
    });
}

export async function migrate(sql: Sql, opts: { log?: (line: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? (() => {});
  await sql`create table if not exists schema_migrations (
    name text primary key, checksum text not null, applied_at timestamptz not null default now())`;
  const applied = new Map(
    (await sql<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations`).map((r) => [
      r.name,
      r.checksum,
    ]),
  );
  const done: string[] = [];
  for (const m of readMigrations()) {
    const previous = applied.get(m.name);
    if (previous) {
      if (previous !== m.checksum) log(`warning: migration ${m.name} changed after it was applied (kept as applied)`);
      continue;
    }
    await transaction(sql, async (tx) => {
      await tx.unsafe(m.sql);
      await tx`insert into schema_migrations (name, checksum) values (${m.name}, ${m.checksum})`;
    });
    log(`applied ${m.name}`);
    done.push(m.name);
  }
  return done;
}
