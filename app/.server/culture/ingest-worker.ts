// The loop that runs ingestion jobs (ADR 038): claim a job, process its document under a lease
// renewed by a heartbeat, delete the job when the document is ready or failed. Hosted by the
// server's job process (server/ingestion-worker.ts), so parsing, splitting and embedding never run
// on a web process's event loop; a process without one (the CLI, seeding, tests) runs it in-process.
//   - A lease that is lost (the job was re-claimed, or its document removed) stops the work.
//   - The database going away mid-job gives the job back (or leaves its lease to run out): it
//     resumes later, storing only the passages still missing, instead of failing the document.
//   - Stopping the worker gives back what it holds, so the next start resumes at once.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { isDatabaseUnavailable } from '~/.server/db/errors';
import { IngestionStopped, processDocument } from './ingest';
import {
  claimIngestionJob,
  finishIngestionJob,
  INGEST_JOB_DEFAULTS,
  loadJobFile,
  releaseIngestionJob,
  renewIngestionLease,
  type ClaimedJob,
} from './ingest-jobs';

export interface IngestionWorkerOptions {
  /** Documents processed at once. */
  concurrency?: number;
  leaseMs?: number;
  /** How often an idle worker looks for a job (kick() wakes it sooner). */
  pollMs?: number;
  maxAttempts?: number;
  /** Only these documents' jobs (ingestFilesNow); with `untilIdle`, the worker stops once none is claimable. */
  documentIds?: string[];
  untilIdle?: boolean;
  workerId?: string;
  log?: (line: string) => void;
}

export interface IngestionWorker {
  readonly workerId: string;
  /** Looks for a job now instead of at the next poll. */
  kick(): void;
  /** Resolves once no job was claimable and nothing is running (for untilIdle workers: when stopped). */
  idle(): Promise<void>;
  /** Stops claiming, stops the jobs in hand at their next step and gives them back. */
  stop(): Promise<void>;
  /** Resolves when the loop has ended. */
  readonly done: Promise<void>;
}

export function startIngestionWorker(opts: IngestionWorkerOptions = {}): IngestionWorker {
  const concurrency = opts.concurrency ?? 1;
  const leaseMs = opts.leaseMs ?? INGEST_JOB_DEFAULTS.leaseMs;
  const pollMs = opts.pollMs ?? 1000;
  const log = opts.log ?? ((line: string) => console.warn(line));
  const workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let stopping = false;
  let wake: (() => void) | undefined;
  const running = new Map<string, { controller: AbortController; promise: Promise<void> }>();
  let idleWaiters: Array<() => void> = [];
  let unavailableSince = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const runJob = async (job: ClaimedJob, controller: AbortController) => {
    let lost = false;
    const heartbeat = setInterval(() => {
      renewIngestionLease(job, workerId, leaseMs)
        .then((mine) => {
          if (!mine) {
            lost = true;
            controller.abort();
          }
        })
        .catch(() => {}); // the database is away: the work itself will notice
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref?.();
    try {
      const file = await loadJobFile(job);
      if (!file) return; // removed since it was claimed
      await processDocument({ tenantId: job.tenantId, userId: file.uploadedBy, documentId: job.documentId, fileName: file.fileName, declaredType: file.declaredType, bytes: file.bytes }, { signal: controller.signal });
      if (!controller.signal.aborted) await finishIngestionJob(job, workerId);
      else if (!lost) await releaseIngestionJob(job, workerId, 'the worker stopped');
    } catch (err) {
      if (lost) return; // someone else has it now
      if (err instanceof IngestionStopped || controller.signal.aborted) {
        await releaseIngestionJob(job, workerId, 'the worker stopped').catch(() => {});
      } else if (isDatabaseUnavailable(err)) {
        log(`[ingest] the database went away while processing document ${job.documentId}; it will resume`);
        // If this fails too, the lease runs out and the job is claimed again.
        await releaseIngestionJob(job, workerId, 'the database was unavailable').catch(() => {});
      } else {
        log(`[ingest] job for document ${job.documentId} failed: ${(err as Error).message}`);
        await finishIngestionJob(job, workerId).catch(() => {});
      }
    } finally {
      clearInterval(heartbeat);
    }
  };

  const loop = async () => {
    while (!stopping) {
      if (running.size >= concurrency) {
        await Promise.race([...running.values()].map((r) => r.promise));
        continue;
      }
      let job: ClaimedJob | null;
      try {
        job = await claimIngestionJob({ workerId, leaseMs, maxAttempts: opts.maxAttempts, documentIds: opts.documentIds });
        if (unavailableSince) log('[ingest] the database is reachable again');
        unavailableSince = 0;
      } catch (err) {
        if (!isDatabaseUnavailable(err) && !stopping) log(`[ingest] could not claim a job: ${(err as Error).message}`);
        else if (!unavailableSince) log('[ingest] the database is unreachable; retrying');
        unavailableSince ||= Date.now();
        if (opts.untilIdle && !isDatabaseUnavailable(err)) break;
        await sleep(Math.min(5000, pollMs * 2));
        continue;
      }
      if (!job) {
        if (running.size === 0) {
          for (const resolve of idleWaiters.splice(0)) resolve();
          if (opts.untilIdle) break;
        }
        if (opts.untilIdle) await Promise.race([...running.values()].map((r) => r.promise));
        else await sleep(pollMs);
        continue;
      }
      const controller = new AbortController();
      const key = `${job.tenantId}/${job.jobId}`;
      const promise = runJob(job, controller).finally(() => running.delete(key));
      running.set(key, { controller, promise });
    }
    await Promise.all([...running.values()].map((r) => r.promise));
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const done = loop();
  return {
    workerId,
    done,
    kick: () => wake?.(),
    idle: () => new Promise<void>((resolve) => idleWaiters.push(resolve)),
    async stop() {
      stopping = true;
      for (const r of running.values()) r.controller.abort();
      wake?.();
      await done;
      idleWaiters = [];
    },
  };
}
