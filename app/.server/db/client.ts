// The one postgres.js client of the process. Its URL is resolved at start (DATABASE_URL, or
// the embedded server's loopback URL) and handed over through RAPPORT_DATABASE_URL.
import postgres from 'postgres';
import { getEnv } from '~/.server/env';

export type Sql = postgres.Sql<Record<string, unknown>>;
export type Tx = postgres.TransactionSql<Record<string, unknown>>;

let client: Sql | undefined;

export function databaseUrl(): string {
  const url = process.env.RAPPORT_DATABASE_URL ?? getEnv().DATABASE_URL;
  if (!url) {
    throw new Error('No database: set DATABASE_URL, or start the app/command so it opens the embedded database.');
  }
  return url;
}

export function createSql(url: string, max = getEnv().DB_POOL_SIZE): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 10,
    // The embedded server multiplexes every connection onto one PGlite session, where named
    // prepared statements would pile up for the life of the process; unnamed ones do not.
    prepare: false,
    // Turn numeric/bigint columns into JS numbers only where safe: we read cost sums as strings.
    types: { bigint: postgres.BigInt },
  }) as unknown as Sql;
}

export function db(): Sql {
  if (!client) client = createSql(databaseUrl());
  return client;
}

let readClient: Sql | undefined;

/**
 * Where dashboards read: DATABASE_READ_URL (a replica) when set, else the main client. A replica
 * lags the primary by its replication delay, so nothing that a write depends on reads here.
 */
export function readDb(): Sql {
  const url = getEnv().DATABASE_READ_URL;
  if (!url) return db();
  readClient ??= createSql(url);
  return readClient;
}

/** Replaces the process client (tests, CLI). */
export function setDb(sql: Sql | undefined) {
  client = sql;
}

export async function closeDb() {
  const c = client;
  const p = pingClient;
  const r = readClient;
  client = undefined;
  pingClient = undefined;
  readClient = undefined;
  await Promise.all([c?.end({ timeout: 5 }), p?.end({ timeout: 1 }), r?.end({ timeout: 5 })]);
}

let pingClient: Sql | undefined;
let pingInFlight: Promise<boolean> | undefined;

/**
 * True when the database answers within the timeout. The ping has a connection of its own, so a
 * busy pool (every connection serving queued chat queries) does not read as an unreachable
 * database, and concurrent callers share one ping in flight (under load, one ping per request
 * used to time out behind the queue and answer 503 to requests that would have succeeded).
 */
export function pingDb(timeoutMs = 5000): Promise<boolean> {
  pingInFlight ??= pingOnce(timeoutMs).finally(() => (pingInFlight = undefined));
  return pingInFlight;
}

async function pingOnce(timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    pingClient ??= createSql(databaseUrl(), 1);
    const query = pingClient`select 1 as ok`;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)));
    await Promise.race([query, timeout]);
    return true;
  } catch {
    // A broken connection is not reused: the next ping starts a fresh one.
    const broken = pingClient;
    pingClient = undefined;
    void broken?.end({ timeout: 0 }).catch(() => {});
    return false;
  } finally {
    clearTimeout(timer);
  }
}
