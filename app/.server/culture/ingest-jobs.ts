// The ingestion job table (migration 026, ADR 038). An upload inserts a job beside its document in
// the tenant's transaction (RLS); a worker claims the oldest claimable job of any tenant with
// FOR UPDATE SKIP LOCKED (so several workers never take the same one), holds it under a lease its
// heartbeat renews, and deletes it when the document is ready or failed. A job whose lease ran out
// is claimed again; after MAX_ATTEMPTS claims its document fails instead (a file that kills its
// worker every time). Claims are cross-tenant by nature, so they run as the owner (withSystem);
// the job's file is read back, and everything else done, inside withTenant.
import { withSystem, withTenant } from '~/.server/db/tenant';
import type { Tx } from '~/.server/db/client';

export const INGEST_JOB_DEFAULTS = {
  /** How long a claim holds without a heartbeat; a killed worker's job is re-claimed after this. */
  leaseMs: 60_000,
  /** Claims before a job that never finishes fails its document. */
  maxAttempts: 3,
} as const;

export const ATTEMPTS_EXHAUSTED_MESSAGE =
  'Processing this file stopped several times before it finished. Remove it and upload it again; if it keeps failing, export a fresh copy.';

export interface ClaimedJob {
  tenantId: string;
  jobId: string;
  documentId: string;
  attempts: number;
}

export interface JobFile {
  documentId: string;
  fileName: string;
  declaredType: string | undefined;
  bytes: Uint8Array;
  uploadedBy: string | null;
}

export async function enqueueIngestionJob(
  tx: Tx,
  job: { tenantId: string; documentId: string; fileName: string; declaredType?: string; bytes: Uint8Array },
): Promise<void> {
  await tx`
    insert into ingest_job (tenant_id, document_id, file_name, declared_type, bytes)
    values (${job.tenantId}, ${job.documentId}, ${job.fileName}, ${job.declaredType ?? null}, ${Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength)})`;
}

/**
 * Claims the oldest job that is queued or whose lease has run out (optionally only among
 * `documentIds`), or returns null. Jobs out of attempts are failed on the way.
 */
export async function claimIngestionJob(opts: {
  workerId: string;
  leaseMs?: number;
  maxAttempts?: number;
  documentIds?: string[];
}): Promise<ClaimedJob | null> {
  const leaseMs = opts.leaseMs ?? INGEST_JOB_DEFAULTS.leaseMs;
  const maxAttempts = opts.maxAttempts ?? INGEST_JOB_DEFAULTS.maxAttempts;
  const only = opts.documentIds ?? null;
  return withSystem(async (tx) => {
    const exhausted = await tx<{ tenantId: string; documentId: string }[]>`
      delete from ingest_job j using (
        select tenant_id, id from ingest_job
        where status = 'running' and lease_until < now() and attempts >= ${maxAttempts}
          and (${only}::uuid[] is null or document_id = any(${only}::uuid[]))
        for update skip locked) gone
      where j.tenant_id = gone.tenant_id and j.id = gone.id
      returning j.tenant_id as "tenantId", j.document_id as "documentId"`;
    for (const job of exhausted) {
      await tx`
        delete from pack_chunk where tenant_id = ${job.tenantId} and document_id = ${job.documentId}`;
      await tx`
        update pack_document set status = 'failed', progress = 100, error_code = 'interrupted', error = ${ATTEMPTS_EXHAUSTED_MESSAGE},
          chunk_count = 0, updated_at = now()
        where tenant_id = ${job.tenantId} and id = ${job.documentId}`;
    }
    // The oldest claimable job, chosen ONCE: as a subquery joined to the update, the planner may rescan it for every
    // row of ingest_job (a nested loop), and each rescan skips the rows the last one locked, so one claim took every
    // job of an upload (they share created_at) while the worker ran only the first; the others sat 'running' under a
    // lease nobody renewed until they failed as "stopped several times" (ADR 054). A materialized CTE runs once.
    const [claimed] = await tx<ClaimedJob[]>`
      with next as materialized (
        select tenant_id, id from ingest_job
        where (status = 'queued' or lease_until < now())
          and (${only}::uuid[] is null or document_id = any(${only}::uuid[]))
        order by created_at, id
        limit 1
        for update skip locked)
      update ingest_job j set status = 'running', claimed_by = ${opts.workerId}, attempts = j.attempts + 1,
        lease_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
      from next
      where j.tenant_id = next.tenant_id and j.id = next.id
      returning j.tenant_id as "tenantId", j.id as "jobId", j.document_id as "documentId", j.attempts`;
    return claimed ?? null;
  });
}

/** The claimed job's file, read in the tenant's own unit of work. */
export async function loadJobFile(job: ClaimedJob): Promise<JobFile | null> {
  const [row] = await withTenant(job.tenantId, (tx) => tx<Array<Omit<JobFile, 'bytes' | 'declaredType'> & { bytes: Buffer; declaredType: string | null }>>`
    select j.document_id as "documentId", j.file_name as "fileName", j.declared_type as "declaredType", j.bytes, d.uploaded_by as "uploadedBy"
    from ingest_job j join pack_document d on d.tenant_id = j.tenant_id and d.id = j.document_id
    where j.tenant_id = ${job.tenantId} and j.id = ${job.jobId}`);
  if (!row) return null;
  return { ...row, declaredType: row.declaredType ?? undefined, bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) };
}

/** Extends the lease; false when the job is no longer this worker's (re-claimed, or its document removed). */
export async function renewIngestionLease(job: ClaimedJob, workerId: string, leaseMs: number = INGEST_JOB_DEFAULTS.leaseMs): Promise<boolean> {
  const rows = await withSystem((tx) => tx`
    update ingest_job set lease_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
    where tenant_id = ${job.tenantId} and id = ${job.jobId} and claimed_by = ${workerId} and status = 'running'
    returning id`);
  return rows.length > 0;
}

/** The document is ready or failed: the job (and its copy of the file) goes. */
export async function finishIngestionJob(job: ClaimedJob, workerId: string): Promise<void> {
  await withSystem((tx) => tx`delete from ingest_job where tenant_id = ${job.tenantId} and id = ${job.jobId} and claimed_by = ${workerId}`);
}

/**
 * Gives a job back unfinished (the worker is stopping, or the database went away mid-job): queued
 * again at once, and the interrupted claim does not count against its attempts.
 */
export async function releaseIngestionJob(job: ClaimedJob, workerId: string, reason: string): Promise<void> {
  await withSystem((tx) => tx`
    update ingest_job set status = 'queued', claimed_by = null, lease_until = null, attempts = greatest(attempts - 1, 0),
      last_error = ${reason}, updated_at = now()
    where tenant_id = ${job.tenantId} and id = ${job.jobId} and claimed_by = ${workerId}`);
}

/** Documents (of those given) that still have a job, queued or running. */
export async function documentsWithJobs(tenantId: string, documentIds: string[]): Promise<Set<string>> {
  if (documentIds.length === 0) return new Set();
  const rows = await withTenant(tenantId, (tx) => tx<{ documentId: string }[]>`
    select document_id as "documentId" from ingest_job where tenant_id = ${tenantId} and document_id = any(${documentIds}::uuid[])`);
  return new Set(rows.map((r) => r.documentId));
}
