// Culture-pack ingestion as jobs in Postgres (ADR 038): tenant-scoped job rows, claims that never
// hand one job to two workers (FOR UPDATE SKIP LOCKED), the job process killed mid-ingestion and
// the job resumed by the next one without storing a passage twice, a stopped worker giving its job
// back, a job out of attempts failing its document, and the server's web processes leaving the
// work to the job process.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAppIfStale } from '../helpers/built-app';
import { acceptUploads, whenIngestionIdle, type IncomingFile } from '~/.server/culture/ingest';
import { ATTEMPTS_EXHAUSTED_MESSAGE, claimIngestionJob } from '~/.server/culture/ingest-jobs';
import { startIngestionWorker } from '~/.server/culture/ingest-worker';
import { deleteDraftDocument, getDocuments, storedChunkOrdinals } from '~/.server/culture/store';
import { db } from '~/.server/db/client';
import { withSystem, withTenant } from '~/.server/db/tenant';
import { useTestDatabase } from '../helpers/db';
import { makeTenant } from '../helpers/factories';
import { until } from '../helpers/processes';

const database = useTestDatabase();

const file = (fileName: string, content: string): IncomingFile => {
  const bytes = new TextEncoder().encode(content);
  return { fileName, bytes, sizeBytes: bytes.byteLength };
};

function handbook(sections: number, seed = ''): string {
  const sentence = (i: number, j: number) => `Rule ${seed}${i}.${j}: associates in store ${i} record shift ${j} changes in the rota book before the manager signs the week off.`;
  return `# Handbook ${seed}\n\n` + Array.from({ length: sections }, (_, i) => `## Section ${i}\n\n${Array.from({ length: 14 }, (_, j) => sentence(i, j)).join(' ')}`).join('\n\n');
}

/** Queues files without anyone processing them (as a web process of the server does). */
async function queueOnly(tenantId: string, files: IncomingFile[]) {
  process.env.RAPPORT_INGESTION_WORKER = 'process';
  try {
    return await acceptUploads({ tenantId, userId: null, files });
  } finally {
    delete process.env.RAPPORT_INGESTION_WORKER;
  }
}

const jobsOf = (tenantId: string) =>
  withSystem((tx) => tx<{ documentId: string; status: string; attempts: number; claimedBy: string | null }[]>`
    select document_id as "documentId", status, attempts, claimed_by as "claimedBy" from ingest_job where tenant_id = ${tenantId}`);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** The server's job process (server/ingestion-worker.ts) on this file's database. */
function startJobProcess(leaseMs: number, { compiled = false } = {}) {
  // Compiled: build/ingestion-worker.mjs with plain node, as the production server forks it (ADR 041).
  const child = spawn(process.execPath, compiled ? ['build/ingestion-worker.mjs'] : ['--import', 'tsx', 'server/ingestion-worker.ts'], {
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))),
      NODE_ENV: 'production',
      RAPPORT_DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      INGEST_LEASE_MS: String(leaseMs),
      RAPPORT_INGEST_POLL_MS: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  children.push(child);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, exited, output: () => output };
}

describe('ingestion jobs', () => {
  it('are tenant-scoped: a tenant sees and writes only its own jobs', async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const [queuedA] = await queueOnly(a.id, [file('a.md', '# A\n\nAlpha policy text.')]);
    await queueOnly(b.id, [file('b.md', '# B\n\nBeta policy text.')]);
    const seenByA = await withTenant(a.id, (tx) => tx<{ documentId: string }[]>`select document_id as "documentId" from ingest_job`);
    expect(seenByA.map((r) => r.documentId)).toEqual([queuedA.documentId]);
    await expect(
      withTenant(a.id, (tx) => tx`insert into ingest_job (tenant_id, document_id, file_name, bytes) values (${b.id}, ${queuedA.documentId}, 'x.md', '\\x00'::bytea)`),
    ).rejects.toThrow(/row-level security|violates/);
    // Removing a queued document takes its job with it.
    expect(await deleteDraftDocument({ tenantId: a.id, documentId: queuedA.documentId! })).toBe(true);
    expect(await jobsOf(a.id)).toEqual([]);
  });

  it('hands each job to one worker only, however many claim at once', async () => {
    const tenant = await makeTenant();
    const outcomes = await queueOnly(tenant.id, Array.from({ length: 8 }, (_, i) => file(`doc-${i}.md`, `# Doc ${i}\n\nPolicy number ${i}.`)));
    const ids = outcomes.map((o) => o.documentId!);
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => claimIngestionJob({ workerId: `w${i % 3}`, documentIds: ids })));
    const claimed = claims.filter((c) => c !== null).map((c) => c!.documentId);
    expect(claimed.sort()).toEqual([...ids].sort());
    expect(claims.filter((c) => c === null)).toHaveLength(4);
    expect((await jobsOf(tenant.id)).every((j) => j.status === 'running' && j.attempts === 1)).toBe(true);
  });

  it('one claim takes one job of an upload of several files, also with statistics taken while the queue was empty', async () => {
    // With statistics the planner joined the claimable-job subquery to the update as a rescanned nested loop, and one
    // claim marked every job of an upload running (they share created_at): the rest then failed as "stopped several times".
    // Statistics taken while the queue was empty (autovacuum after the last upload finished), then an upload of six.
    const earlier = await makeTenant();
    await queueOnly(earlier.id, Array.from({ length: 6 }, (_, i) => file(`e-${i}.md`, `# E ${i}\n\nPolicy number ${i}.`)));
    await db().unsafe('delete from ingest_job'); // that upload done (and earlier tests' leftovers; each test has its own tenant)
    await db().unsafe('analyze ingest_job');
    const tenant = await makeTenant();
    const outcomes = await queueOnly(tenant.id, Array.from({ length: 6 }, (_, i) => file(`s-${i}.md`, `# S ${i}\n\nPolicy number ${i}.`)));
    const ids = outcomes.map((o) => o.documentId!);
    // As the job process claims: any tenant's job (no document filter).
    const claim = await claimIngestionJob({ workerId: 'only' });
    expect(ids).toContain(claim?.documentId);
    expect(claim).not.toBeNull();
    const jobs = await jobsOf(tenant.id);
    expect(jobs.filter((j) => j.status === 'running').map((j) => j.documentId)).toEqual([claim!.documentId]);
    expect(jobs.filter((j) => j.status === 'queued')).toHaveLength(5);
  });

  it('resumes after the job process is killed mid-ingestion, storing no passage twice', async () => {
    const tenant = await makeTenant();
    const [outcome] = await queueOnly(tenant.id, [file('handbook.md', handbook(200))]);
    const documentId = outcome.documentId!;
    const first = startJobProcess(1000);
    // Killed while indexing, with some passages stored and others not.
    const before = await until('passages stored', async () => {
      const stored = await storedChunkOrdinals({ tenantId: tenant.id, documentId });
      return stored.size > 0 && stored;
    }, 60_000, 5);
    first.child.kill('SIGKILL');
    await first.exited;
    const [mid] = await getDocuments({ tenantId: tenant.id, ids: [documentId] });
    expect(mid.status).toBe('indexing');
    const keptIds = await withTenant(tenant.id, (tx) => tx<{ id: string }[]>`select id from pack_chunk where tenant_id = ${tenant.id} and document_id = ${documentId}`);
    expect(keptIds.length).toBeGreaterThanOrEqual(before.size);
    expect(keptIds.length).toBeLessThan(mid.chunkCount);
    expect((await jobsOf(tenant.id))[0]).toMatchObject({ status: 'running', attempts: 1 });

    // Still "processing" to the page (it has a job), not failed; the next job process takes it up.
    const second = startJobProcess(1000);
    const done = await until('the document to be ready', async () => {
      const [doc] = await getDocuments({ tenantId: tenant.id, ids: [documentId] });
      return doc.status === 'ready' && doc;
    }, 60_000, 50);
    const [counts] = await withTenant(tenant.id, (tx) => tx<{ n: number; distinct: number }[]>`
      select count(*)::int as n, count(distinct ordinal)::int as distinct from pack_chunk where tenant_id = ${tenant.id} and document_id = ${documentId}`);
    expect(counts.n).toBe(done.chunkCount);
    expect(counts.distinct).toBe(done.chunkCount);
    // The passages stored before the kill were kept, not stored again.
    const after = new Set((await withTenant(tenant.id, (tx) => tx<{ id: string }[]>`select id from pack_chunk where document_id = ${documentId}`)).map((r) => r.id));
    expect(keptIds.every((r) => after.has(r.id))).toBe(true);
    expect(await jobsOf(tenant.id)).toEqual([]);
    // The second run embedded only the passages still missing.
    const usage = await withTenant(tenant.id, (tx) => tx<{ tokens: number }[]>`
      select input_tokens::int as tokens from usage_event where tenant_id = ${tenant.id} and purpose = 'embedding' order by at, id`);
    expect(usage).toHaveLength(2);
    expect(usage[1].tokens).toBeLessThan(usage[0].tokens);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 120_000);

  it('a stopped worker gives its job back at once, and the next one finishes it', async () => {
    const tenant = await makeTenant();
    const [outcome] = await queueOnly(tenant.id, [file('handbook.md', handbook(60, 's'))]);
    const worker = startIngestionWorker({ leaseMs: 60_000, pollMs: 20 });
    await until('the job to start', async () => (await getDocuments({ tenantId: tenant.id, ids: [outcome.documentId!] }))[0].status !== 'uploaded');
    await worker.stop();
    const [job] = await jobsOf(tenant.id);
    expect(job).toMatchObject({ status: 'queued', attempts: 0, claimedBy: null });
    // Queued again (not waiting out a 60 s lease): a new worker takes it straight away.
    const next = startIngestionWorker({ leaseMs: 60_000, pollMs: 20, untilIdle: true });
    await next.done;
    const [doc] = await getDocuments({ tenantId: tenant.id, ids: [outcome.documentId!] });
    expect(doc.status).toBe('ready');
    expect(await jobsOf(tenant.id)).toEqual([]);
  }, 60_000);

  it('fails a document whose job ran out of attempts, with a clear message', async () => {
    const tenant = await makeTenant();
    const [outcome] = await queueOnly(tenant.id, [file('crashes.md', '# Crashes\n\nText.')]);
    await db()`update ingest_job set status = 'running', attempts = 3, claimed_by = 'dead', lease_until = now() - interval '1 second' where tenant_id = ${tenant.id}`;
    expect(await claimIngestionJob({ workerId: 'w', documentIds: [outcome.documentId!] })).toBeNull();
    const [doc] = await getDocuments({ tenantId: tenant.id, ids: [outcome.documentId!] });
    expect(doc).toMatchObject({ status: 'failed', errorCode: 'interrupted', error: ATTEMPTS_EXHAUSTED_MESSAGE });
    expect(await jobsOf(tenant.id)).toEqual([]);
  });

  it('in the server, uploads are left to the job process: nothing is parsed in the web process', async () => {
    const tenant = await makeTenant();
    const [outcome] = await queueOnly(tenant.id, [file('later.md', '# Later\n\nProcessed by the job process.')]);
    await whenIngestionIdle();
    await new Promise((r) => setTimeout(r, 100));
    const [doc] = await getDocuments({ tenantId: tenant.id, ids: [outcome.documentId!] });
    expect(doc).toMatchObject({ status: 'uploaded', hasJob: true });
    const job = startJobProcess(5000);
    await until('the job process to ingest it', async () => (await getDocuments({ tenantId: tenant.id, ids: [outcome.documentId!] }))[0].status === 'ready', 30_000, 50);
    job.child.kill('SIGTERM');
    await job.exited;
    expect(job.output()).not.toMatch(/Error/);
  }, 60_000);

  it('the compiled job process (build/ingestion-worker.mjs, what `npm start` forks) ingests a queued upload', async () => {
    await buildAppIfStale();
    const tenant = await makeTenant();
    const [outcome] = await queueOnly(tenant.id, [file('compiled.md', handbook(3))]);
    const job = startJobProcess(5000, { compiled: true });
    const done = await until('the compiled job process to ingest it', async () => {
      const [doc] = await getDocuments({ tenantId: tenant.id, ids: [outcome.documentId!] });
      return doc.status === 'ready' && doc;
    }, 30_000, 50);
    expect(done.chunkCount).toBeGreaterThan(0);
    // The finished job is deleted just after the document is marked ready.
    await until('the finished job to be deleted', async () => (await jobsOf(tenant.id)).length === 0, 10_000, 50);
    job.child.kill('SIGTERM');
    await job.exited;
    expect(job.child.exitCode).toBe(0);
    expect(job.output()).not.toMatch(/Error/);
  }, 60_000);
});
