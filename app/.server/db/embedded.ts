// The embedded default database: PGlite (Postgres + pgvector, in-process) persisted in
// DATA_DIR and served on loopback by pglite-socket, so the app, the `rapport` command and
// psql all speak the ordinary Postgres protocol to it. See docs/decisions/002.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
// PGlite (and its WebAssembly build) is loaded only by the process that opens the database: a web
// process on DATABASE_URL or on a cluster primary's loopback server never loads it.
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export class DataDirError extends Error {}

export type EmbeddedDatabase = {
  url: string;
  port: number;
  /** True when this process owns the database; false when it joined a running instance. */
  owned: boolean;
  close(): Promise<void>;
};

type LockFile = { pid: number; port: number; startedAt: string; owner: string };

const LOCK_NAME = 'rapport.lock';
const PG_SUBDIR = 'pgdata';

export function embeddedUrl(port: number) {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

function pidAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The running instance that holds DATA_DIR, if any (stale lock files are ignored). */
export async function findRunningInstance(dataDir: string): Promise<LockFile | null> {
  const lockPath = path.join(dataDir, LOCK_NAME);
  let lock: LockFile;
  try {
    lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockFile;
  } catch {
    return null;
  }
  if (!lock.pid || !pidAlive(lock.pid) || lock.pid === process.pid) return null;
  return (await portAccepts(lock.port)) ? lock : null;
}

/** Refuses, without touching anything, a DATA_DIR that is not ours to open. */
function checkDataDir(dataDir: string) {
  if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory()) {
    throw new DataDirError(`DATA_DIR ${dataDir} is a file, not a directory. Point DATA_DIR at a directory.`);
  }
  const pgDir = path.join(dataDir, PG_SUBDIR);
  if (fs.existsSync(pgDir)) {
    const entries = fs.readdirSync(pgDir);
    if (entries.length > 0 && !entries.includes('PG_VERSION')) {
      throw new DataDirError(
        `DATA_DIR ${dataDir} holds a "${PG_SUBDIR}" folder that is not a Postgres data directory (no PG_VERSION). ` +
          'Nothing was changed. Move it away or choose another DATA_DIR.',
      );
    }
  }
}

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
};
type QueryQueue = {
  queue: QueuedMessage[];
  processing: boolean;
  db: PGlite;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
};

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'

/**
 * pglite-socket queues each protocol message separately, so with several connections the
 * Parse/Bind/Execute of one client could run between another client's Parse and Sync on
 * PGlite's single session, and their replies got mixed (seen here as corrupt results under
 * concurrent queries). This keeps one client's exchange whole: once a client starts, only its
 * messages run until PGlite answers ReadyForQuery with status idle — which also covers
 * explicit transactions (status T/E). See docs/decisions/002.
 */
function keepProtocolExchangesWhole(server: PGLiteSocketServer) {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let holder: number | null = null;
  q.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = holder === null ? 0 : this.queue.findIndex((m) => m.handlerId === holder);
        if (index === -1) break; // wait for the holder's next message
        const [item] = this.queue.splice(index, 1);
        const tail: number[] = [];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                for (let i = Math.max(0, data.length - 6); i < data.length; i++) tail.push(data[i]);
                if (tail.length > 6) tail.splice(0, tail.length - 6);
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          holder = null;
          item.reject(err);
          continue;
        }
        const idle = tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[5] === IDLE;
        holder = idle ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = q.clearTransactionIfNeeded.bind(q);
  q.clearTransactionIfNeeded = async (handlerId: number) => {
    // A client that leaves mid-exchange or mid-transaction must not block everyone else.
    if (holder === handlerId) {
      holder = null;
      if (q.db.isInTransaction()) await q.db.exec('ROLLBACK');
    }
    await clear(handlerId);
    await q.processQueue();
  };
}

/**
 * Opens DATA_DIR and serves it on loopback. With `join: true` (the CLI), connects to the
 * instance that already serves it instead; without it (the app), such an instance is an error.
 */
export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  port?: number;
  maxConnections?: number;
  join?: boolean;
  owner?: string;
  /** Postgres shared_buffers inside PGlite's WASM memory; the stock 128MB dominates idle RSS. */
  sharedBuffers?: string;
}): Promise<EmbeddedDatabase> {
  const { dataDir } = opts;
  const running = await findRunningInstance(dataDir);
  if (running) {
    if (opts.join) {
      return { url: embeddedUrl(running.port), port: running.port, owned: false, close: async () => {} };
    }
    throw new DataDirError(
      `DATA_DIR ${dataDir} is in use by another running instance (${running.owner}, pid ${running.pid}, ` +
        `database port ${running.port}). Stop it first, or set DATA_DIR to another directory.`,
    );
  }
  checkDataDir(dataDir);
  fs.mkdirSync(path.join(dataDir, PG_SUBDIR), { recursive: true });

  const [{ PGlite }, { vector }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
    import('@electric-sql/pglite-socket'),
  ]);
  let db: PGlite;
  try {
    db = await PGlite.create({
      dataDir: path.join(dataDir, PG_SUBDIR),
      extensions: { vector },
      postgresqlconf: [`shared_buffers = ${opts.sharedBuffers ?? '16MB'}`, 'wal_buffers = 1MB'],
    });
  } catch (err) {
    throw new DataDirError(
      `Could not open the database in ${dataDir}: ${(err as Error).message}. Nothing was deleted; ` +
        'if the folder was copied from another version or is damaged, restore it from a backup or choose another DATA_DIR.',
    );
  }
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: opts.port ?? 0,
    maxConnections: opts.maxConnections ?? 32,
  });
  keepProtocolExchangesWhole(server);
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  const lockPath = path.join(dataDir, LOCK_NAME);
  const lock: LockFile = { pid: process.pid, port, startedAt: new Date().toISOString(), owner: opts.owner ?? 'rapport' };
  fs.writeFileSync(lockPath, JSON.stringify(lock));

  let closed = false;
  return {
    url: embeddedUrl(port),
    port,
    owned: true,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      await db.close();
      try {
        const current = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockFile;
        if (current.pid === process.pid) fs.rmSync(lockPath);
      } catch {
        /* lock already gone */
      }
    },
  };
}
