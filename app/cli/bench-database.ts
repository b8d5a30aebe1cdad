// A throwaway database for a benchmark: with DATABASE_URL, a fresh database created on that server
// (and dropped afterwards), so a bench never touches the app's data; otherwise an embedded PGlite
// in a temporary DATA_DIR. Either way the process client points at it and it is migrated.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export interface BenchDatabase {
  /** "embedded (PGlite)" or "PostgreSQL 15.x at host:port". */
  label: string;
  kind: 'embedded' | 'server';
  dataDir: string;
  close(opts?: { keep?: boolean }): Promise<void>;
}

/**
 * `reuse`: a database kept by an earlier run (`--keep` prints it) — a database name on the DATABASE_URL server or
 * an embedded data directory — opened and migrated instead of a fresh one, and never dropped.
 */
export async function openBenchDatabase(opts: { prefix: string; owner: string; sharedBuffers?: string; reuse?: string }): Promise<BenchDatabase> {
  const reuse = opts.reuse;
  const dataDir = reuse && !process.env.DATABASE_URL ? path.resolve(reuse) : fs.mkdtempSync(path.join(os.tmpdir(), `${opts.prefix}-`));
  process.env.DATA_DIR = dataDir;
  const { createSql, setDb, closeDb, db } = await import('~/.server/db/client');
  const { migrate } = await import('~/.server/db/migrate');
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = reuse ?? `${opts.prefix.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${process.pid}`;
    if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a bench database name: ${name}`);
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    if (!reuse) await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    process.env.RAPPORT_DATABASE_URL = url.toString();
    setDb(createSql(url.toString(), 4));
    await migrate(db());
    const [{ version }] = await db()<{ version: string }[]>`select current_setting('server_version') as version`;
    const [{ buffers }] = await db()<{ buffers: string }[]>`select current_setting('shared_buffers') as buffers`;
    return {
      label: `PostgreSQL ${version} at ${url.host} (DATABASE_URL), shared_buffers ${buffers}`,
      kind: 'server',
      dataDir,
      async close({ keep } = {}) {
        await closeDb();
        if (keep || reuse) console.log(`kept the database ${name}`);
        else await admin.unsafe(`drop database if exists ${name}`);
        await admin.end({ timeout: 5 });
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const { startEmbeddedDatabase } = await import('~/.server/db/embedded');
  const embedded = await startEmbeddedDatabase({ dataDir, owner: opts.owner, sharedBuffers: opts.sharedBuffers });
  process.env.RAPPORT_DATABASE_URL = embedded.url;
  setDb(createSql(embedded.url, 4));
  await migrate(db());
  return {
    label: `embedded database (PGlite)${opts.sharedBuffers ? `, shared_buffers ${opts.sharedBuffers}` : ''}`,
    kind: 'embedded',
    dataDir,
    async close({ keep } = {}) {
      await closeDb();
      await embedded.close();
      if (keep || reuse) console.log(`kept the database in ${dataDir}`);
      else fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A throwaway database on the server at `url` for one bench run (dropped by `drop`). */
export async function freshBenchDatabase(url: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `rapport_bench_${label}_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  // BENCH_PG_SETTINGS="log_min_duration_statement=0,log_statement_stats=on": settings of every session on this database
  // (an experiment: what each statement costs the server, in its log).
  for (const setting of (process.env.BENCH_PG_SETTINGS ?? '').split(',').filter(Boolean)) {
    const [key, value] = setting.split('=');
    if (!/^[a-z_]+$/.test(key) || !/^[\w.-]+$/.test(value ?? '')) throw new Error(`BENCH_PG_SETTINGS: not a setting: ${setting}`);
    await admin.unsafe(`alter database "${name}" set ${key} = '${value}'`);
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
