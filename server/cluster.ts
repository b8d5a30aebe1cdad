// WEB_CONCURRENCY web processes (node:cluster): this primary opens the database — the embedded
// one is owned and served on loopback here, so every web process reaches it the same way as an
// external DATABASE_URL — starts the first web process (which migrates, seeds and sweeps), then
// the others, prints one "running at" line, restarts a web process that dies, and on SIGINT /
// SIGTERM stops them all before closing the database. See docs/decisions/016.
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { openProcessDatabase } from '../app/.server/db/connect';
import { DataDirError } from '../app/.server/db/embedded';
import type { Env } from '../app/.server/env';
import { startIngestionProcess, type IngestionProcess } from './ingestion-process';

type ReadyMessage = { type: 'rapport-web-ready'; port: number };

/** WEB_CONCURRENCY, else the number of cores in production and 1 in development. */
export function webConcurrency(env: Env, dev: boolean): number {
  if (dev) {
    if ((env.WEB_CONCURRENCY ?? 1) > 1) console.warn('WEB_CONCURRENCY is ignored with --dev: the Vite dev server runs in one process.');
    return 1;
  }
  return env.WEB_CONCURRENCY ?? (env.NODE_ENV === 'production' ? os.availableParallelism() : 1);
}

/** Called by a web process of a cluster once it listens. */
export function webProcessReady(port: number) {
  process.send?.({ type: 'rapport-web-ready', port } satisfies ReadyMessage);
}

export async function runPrimary(opts: { env: Env; concurrency: number; started: number; fail: (message: string) => never }) {
  const { env, concurrency, fail } = opts;
  let database;
  try {
    database = await openProcessDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.dataDir,
      port: env.EMBEDDED_DB_PORT,
      sharedBuffers: env.EMBEDDED_DB_SHARED_BUFFERS,
      owner: `rapport web server (${concurrency} web processes) on port ${env.PORT}`,
      // Every web process has a pool of its own, plus room for the `rapport` command and psql.
      maxConnections: concurrency * (env.DB_POOL_SIZE + 1) + 16,
    });
  } catch (err) {
    if (err instanceof DataDirError) fail(err.message);
    throw err;
  }

  let stopping = false;
  let allReady = false;
  // One ingestion job process for the whole server, started once the first web process has migrated.
  let ingestion: IngestionProcess | undefined;
  let port = 0;
  const ready = new Set<number>();
  // Only the first web process of a fresh start may sweep every answer still marked streaming:
  // with the embedded database nobody else can be streaming then (boot.ts).
  const fork = (first: boolean) => {
    const worker = cluster.fork({
      RAPPORT_DATABASE_URL: database.url,
      RAPPORT_FIRST_WEB_PROCESS: first ? '1' : '0',
      RAPPORT_OWNS_EMBEDDED_DB: first && database.embedded?.owned ? '1' : '0',
    });
    console.log(`web process ${worker.id} starting (pid ${worker.process.pid})`);
  };

  const stopAll = async (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 12_000);
    force.unref();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await ingestion?.stop();
    await database.embedded?.close();
    process.exit(code);
  };

  cluster.on('message', (worker, message: ReadyMessage | { type: 'rapport-ingest-queued' }) => {
    if (message?.type === 'rapport-ingest-queued') return ingestion?.kick();
    if (message?.type !== 'rapport-web-ready') return;
    ingestion ??= startIngestionProcess({ databaseUrl: database.url });
    port = message.port;
    ready.add(worker.id);
    if (!allReady && ready.size === 1) for (let i = 1; i < concurrency; i++) fork(false);
    if (!allReady && ready.size === concurrency) {
      allReady = true;
      const ms = Math.round(performance.now() - opts.started);
      console.log(`Rapport is running at http://localhost:${port} (${concurrency} web processes, ready in ${ms} ms)`);
      console.log(`Database: ${database.describe}`);
      if (database.embedded?.owned) console.log(`  psql: psql "postgres://postgres@127.0.0.1:${database.embedded.port}/postgres"`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) return;
    if (!allReady) {
      // A web process that cannot start (bad build, migration failure) would fail again: stop.
      console.error(`A web process exited during start (${signal ?? `code ${code}`}).`);
      void stopAll('start failed', 1);
      return;
    }
    // The others keep serving; a replacement takes the dead one's place.
    console.error(`Web process ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting a replacement.`);
    setTimeout(() => !stopping && fork(false), 500).unref();
  });

  process.on('SIGINT', () => void stopAll('SIGINT', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
  fork(true);
}
