// The ingestion job process (ADR 038): started by the server (server/ingestion-process.ts) beside
// its web processes, it claims culture-pack ingestion jobs from Postgres and runs them, so parsing,
// splitting and embedding never take a web process's event loop. It runs at a lower CPU priority,
// so on a busy machine chat turns come first. SIGTERM (or its server going away) gives back the
// jobs in hand, which the next start resumes. The same file runs as a worker thread for
// `npm run bench -- ingest-isolation --host thread`.
import os from 'node:os';
import { isMainThread, parentPort } from 'node:worker_threads';
import { startIngestionWorker } from '../app/.server/culture/ingest-worker';
import { closeDb, createSql, databaseUrl, setDb } from '../app/.server/db/client';
import { isDatabaseUnavailable } from '../app/.server/db/errors';
import { getEnv } from '../app/.server/env';

const env = getEnv();
// A small pool: a claim, a heartbeat and the documents in hand (the connection budget is the web processes').
setDb(createSql(databaseUrl(), Math.min(env.DB_POOL_SIZE, env.INGEST_CONCURRENCY + 2)));
// Below-normal priority: for a process always; for a thread only on Linux, where it is per thread.
if (isMainThread || process.platform === 'linux') {
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    /* not permitted here: run at normal priority */
  }
}

const worker = startIngestionWorker({
  concurrency: env.INGEST_CONCURRENCY,
  leaseMs: env.INGEST_LEASE_MS,
  pollMs: Number(process.env.RAPPORT_INGEST_POLL_MS ?? 1000),
  log: (line) => console.warn(line),
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 8000);
  force.unref();
  await worker.stop().catch(() => {});
  await closeDb().catch(() => {});
  if (isMainThread) process.exit(0);
  else parentPort?.close();
}

type Message = { type?: string };
const onMessage = (message: Message) => {
  if (message?.type === 'rapport-ingest-queued') worker.kick();
  if (message?.type === 'stop') void stop();
};
if (isMainThread) {
  // A database request left failing when its connection was cut (read ECONNRESET, seen on a real server under load
  // with the TCP-proxy fault test; which request leaves it unawaited is not found yet) must not take the job process
  // down: the claim loop already notices the outage and retries, and leases resume the jobs. Any other unhandled
  // rejection still ends the process, as Node does by default (ADR 067).
  process.on('unhandledRejection', (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    console.warn(`[ingest] a database request failed after its connection was lost (${(reason as Error)?.message ?? reason}); the job loop retries`);
  });
  process.on('message', onMessage);
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The server went away without stopping us (killed outright): stop too.
  process.on('disconnect', () => void stop());
  process.send?.({ type: 'rapport-ingest-ready', workerId: worker.workerId });
} else {
  parentPort?.on('message', onMessage);
  parentPort?.postMessage({ type: 'rapport-ingest-ready', workerId: worker.workerId });
}
