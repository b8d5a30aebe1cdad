// Where this process's database is: DATABASE_URL, or the embedded one in DATA_DIR.
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';

export type ProcessDatabase = { url: string; embedded: EmbeddedDatabase | null; describe: string };

export async function openProcessDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  port?: number;
  /** The CLI joins a running app's embedded server instead of failing. */
  join?: boolean;
  owner: string;
  sharedBuffers?: string;
  /** Connections the embedded server accepts (every web process's pool, the CLI, psql). */
  maxConnections?: number;
}): Promise<ProcessDatabase> {
  if (opts.databaseUrl) {
    return { url: opts.databaseUrl, embedded: null, describe: `Postgres at ${redact(opts.databaseUrl)}` };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: opts.dataDir, port: opts.port, join: opts.join, owner: opts.owner, sharedBuffers: opts.sharedBuffers, maxConnections: opts.maxConnections });
  // Read by boot.ts: the process that has just opened the embedded database knows that no other
  // process can have a chat answer streaming (answer-checkpoint.ts sweeps them all).
  if (embedded.owned) process.env.RAPPORT_OWNS_EMBEDDED_DB = '1';
  const how = embedded.owned ? 'embedded Postgres (PGlite + pgvector)' : 'the running app\'s embedded Postgres';
  return { url: embedded.url, embedded, describe: `${how} in ${opts.dataDir}, listening on 127.0.0.1:${embedded.port}` };
}

function redact(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
