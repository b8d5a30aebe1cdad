// Ingestion of uploaded files into the tenant's draft: accept (checks, duplicate detection, a row
// per file and a job holding its bytes, in one transaction) → parse → split → lint → embed
// (batched) → index (batched multi-row inserts). Each stage writes the document's status and
// progress so the page can poll it; a failure marks only that file, with the parser's message.
// The stages run in an ingestion worker (ingest-worker.ts, ADR 038): in the server's job process,
// never on a web process's event loop; in-process for the CLI, seeding and tests. Nothing holds a
// transaction across parsing or embedding. A job interrupted by a restart resumes where its
// stored passages end.
import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import { resolveEmbedder, embedForTenant, embeddingTextOf, ensureEmbeddingIndex } from './embed';
import { lintChunk } from './lint';
import { DocumentRejected, PARSE_LIMITS, parseDocument } from './parse';
import { splitDocument } from './split';
import { isDatabaseUnavailable } from '~/.server/db/errors';
import { enqueueIngestionJob } from './ingest-jobs';
import {
  countDocuments,
  failDocument,
  findDocumentByHash,
  insertChunks,
  insertDocument,
  insertFailedDocument,
  getDocuments,
  markDocumentReady,
  PROCESSING_STATUSES,
  storedChunkOrdinals,
  updateDocumentProgress,
  type ChunkRow,
} from './store';
import { draftIn } from './versions';
import { withTenant } from '~/.server/db/tenant';
import { getTenant } from '~/.server/tenants/tenants';
import { modelPolicyOf } from '~/lib/culture';

export const UPLOAD_LIMITS = {
  maxBytes: PARSE_LIMITS.maxBytes,
  /** Files in one upload request (or one folder import batch). */
  maxFilesPerUpload: 50,
  /** Documents a draft may hold. */
  maxDocumentsPerDraft: 500,
} as const;

export const TOO_MANY_FILES_MESSAGE = `Upload at most ${UPLOAD_LIMITS.maxFilesPerUpload} files at a time. Combine small policies into fewer documents, or upload them in batches.`;

export interface IncomingFile {
  fileName: string;
  declaredType?: string;
  /** Absent when the upload was refused while reading (e.g. over the size limit). */
  bytes?: Uint8Array;
  sizeBytes: number;
  rejection?: DocumentRejected;
}

export interface UploadOutcome {
  fileName: string;
  documentId: string | null;
  status: 'queued' | 'failed' | 'duplicate';
  message?: string;
}

type Who = { tenantId: string; userId: string | null };

/** Checks each file and queues the good ones; returns one outcome per file, in order. */
export async function acceptUploads(opts: Who & { files: IncomingFile[] }): Promise<UploadOutcome[]> {
  const outcomes = await queueFiles(opts);
  if (outcomes.some((o) => o.status === 'queued')) announceQueuedJobs();
  return outcomes;
}

async function queueFiles(opts: Who & { files: IncomingFile[] }): Promise<UploadOutcome[]> {
  const { tenantId, userId } = opts;
  if (opts.files.length > UPLOAD_LIMITS.maxFilesPerUpload) {
    return opts.files.map((f) => ({ fileName: f.fileName, documentId: null, status: 'failed', message: TOO_MANY_FILES_MESSAGE }));
  }
  const outcomes: UploadOutcome[] = [];
  await withTenant(tenantId, async (tx) => {
    const draft = await draftIn(tx, tenantId);
    let count = await countDocuments(tx, tenantId, draft.id);
    const seen = new Map<string, string>();
    for (const file of opts.files) {
      const name = cleanFileName(file.fileName);
      const contentHash = file.bytes ? sha256(file.bytes) : '';
      const fail = async (code: string, message: string) => {
        const documentId = await insertFailedDocument(tx, { tenantId, versionId: draft.id, name, contentHash, sizeBytes: file.sizeBytes, uploadedBy: userId, code, message });
        outcomes.push({ fileName: name, documentId, status: 'failed', message });
      };
      if (file.rejection || !file.bytes) {
        await fail(file.rejection?.code ?? 'unreadable', file.rejection?.message ?? 'This file could not be read.');
        continue;
      }
      if (file.bytes.byteLength === 0) {
        await fail('empty', new DocumentRejected('empty').message);
        continue;
      }
      const earlier = seen.get(contentHash) ?? (await findDocumentByHash(tx, tenantId, draft.id, contentHash))?.name;
      if (earlier) {
        outcomes.push({ fileName: name, documentId: null, status: 'duplicate', message: `Already in the draft as “${earlier}” (identical content); skipped.` });
        continue;
      }
      if (count >= UPLOAD_LIMITS.maxDocumentsPerDraft) {
        await fail('too_many_documents', `The draft already holds ${UPLOAD_LIMITS.maxDocumentsPerDraft} documents, the most a pack can have. Remove some first.`);
        continue;
      }
      const documentId = await insertDocument(tx, { tenantId, versionId: draft.id, name, contentHash, sizeBytes: file.bytes.byteLength, uploadedBy: userId });
      await enqueueIngestionJob(tx, { tenantId, documentId, fileName: name, declaredType: file.declaredType, bytes: file.bytes });
      seen.set(contentHash, name);
      count += 1;
      outcomes.push({ fileName: name, documentId, status: 'queued' });
    }
  });
  return outcomes;
}

/** Accepts files and processes them in this process, waiting until each is ready or failed (seed, CLI, tests). */
export async function ingestFilesNow(opts: Who & { files: IncomingFile[] }): Promise<UploadOutcome[]> {
  const outcomes = await queueFiles(opts);
  const ids = outcomes.flatMap((o) => (o.status === 'queued' && o.documentId ? [o.documentId] : []));
  if (ids.length === 0) return outcomes;
  const { startIngestionWorker } = await import('./ingest-worker');
  await startIngestionWorker({ documentIds: ids, untilIdle: true, concurrency: 2 }).done;
  // A job process may have taken some of them first: wait for those too.
  await whenDocumentsSettled(opts.tenantId, ids);
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// Who runs the jobs. The server sets RAPPORT_INGESTION_WORKER=process and starts its job process
// (server/ingestion-process.ts); web processes then only announce new jobs to it. Anywhere else an
// in-process worker runs them and stops when none is left.

const IN_PROCESS_CONCURRENCY = 2;
let localWorker: import('./ingest-worker').IngestionWorker | undefined;
let localWorkerStarting: Promise<void> | undefined;

export function ingestionRunsElsewhere(): boolean {
  return process.env.RAPPORT_INGESTION_WORKER === 'process';
}

/** Tells whoever runs the jobs that there is work (the job process also polls, so this only saves a second). */
function announceQueuedJobs() {
  if (ingestionRunsElsewhere()) {
    // A cluster web process tells the primary; a single web process its own server code.
    if (cluster.isWorker) process.send?.({ type: 'rapport-ingest-queued' });
    (process as NodeJS.EventEmitter).emit('rapport-ingest-queued');
    return;
  }
  if (localWorker) return localWorker.kick();
  localWorkerStarting ??= import('./ingest-worker').then(({ startIngestionWorker }) => {
    const worker = startIngestionWorker({ concurrency: IN_PROCESS_CONCURRENCY, untilIdle: true });
    localWorker = worker;
    void worker.done.finally(() => {
      if (localWorker === worker) localWorker = undefined;
    });
    localWorkerStarting = undefined;
  });
}

/** Resolves when the document is ready or failed, wherever it is processed. */
export async function whenProcessed(documentId: string, tenantId: string): Promise<void> {
  await whenDocumentsSettled(tenantId, [documentId]);
}

async function whenDocumentsSettled(tenantId: string, documentIds: string[], timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const docs = await getDocuments({ tenantId, ids: documentIds });
    if (!docs.some((d) => PROCESSING_STATUSES.includes(d.status))) return;
    if (Date.now() > deadline) throw new Error(`documents still processing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves when this process's in-process worker has nothing left (tests, shutdown). */
export async function whenIngestionIdle(): Promise<void> {
  for (;;) {
    await localWorkerStarting;
    const worker = localWorker;
    if (!worker) return;
    await worker.done;
  }
}

/** Thrown inside a job when its worker stops or loses the lease; the job is resumed later. */
export class IngestionStopped extends Error {
  constructor() {
    super('ingestion stopped');
  }
}

let warming: Promise<void> | undefined;
/**
 * Loads what the first ingestion in a process would otherwise load mid-upload: LangChain's
 * splitters, the cl100k token ranks (building them blocks the event loop for most of a second,
 * during which the page's status polls cannot be answered), the parser and the lint rules.
 * Called when the documents page is opened, so choosing a file finds them loaded; once per process.
 */
export function warmIngestion(): Promise<void> {
  warming ??= new Promise<void>((resolve) => setTimeout(resolve, 250))
    .then(async () => {
      const [{ countTokens, splitDocument }, { lintChunk }, { parseDocument }] = await Promise.all([import('./split'), import('./lint'), import('./parse')]);
      countTokens('warm');
      await splitDocument({ title: 'Warm', markdown: '# Warm\n\nWarm.' });
      lintChunk('Warm.');
      await parseDocument({ fileName: 'warm.md', bytes: new TextEncoder().encode('# Warm\n\nWarm.') });
    })
    .catch((err) => console.warn('[culture] warming ingestion failed:', err));
  return warming;
}


const PROGRESS_EVERY_MS = 150;

type DocumentJob = Who & { documentId: string; fileName: string; declaredType?: string; bytes: Uint8Array };

// Progress bands: upload 0–10 (the browser), parse –25, split –35, embed –75, index –100.
/**
 * Processes one document to ready or failed. Passages a previous, interrupted run already stored
 * are neither embedded nor stored again. Throws (without failing the document) when the worker
 * stops (IngestionStopped) or the database is unreachable, so the job can resume.
 */
export async function processDocument(job: DocumentJob, opts: { signal?: AbortSignal } = {}): Promise<void> {
  const { tenantId, documentId } = job;
  const check = () => {
    if (opts.signal?.aborted) throw new IngestionStopped();
  };
  // Every stage change and embedding batch (64 passages) is written; indexing progress (batches
  // sized to a few tens of milliseconds) at most every PROGRESS_EVERY_MS, since each write is a
  // query other users' queries wait behind on the embedded database.
  let lastStatus = '';
  let lastWrite = 0;
  const progress = async (status: Parameters<typeof updateDocumentProgress>[0]['status'], value: number, extra: Partial<Parameters<typeof updateDocumentProgress>[0]> = {}) => {
    check();
    if (status === 'indexing' && status === lastStatus && Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
    lastStatus = status;
    lastWrite = Date.now();
    await updateDocumentProgress({ tenantId, documentId, status, progress: value, ...extra });
  };
  try {
    await progress('parsing', 12);
    const parsed = await parseDocument({ fileName: job.fileName, bytes: job.bytes, declaredType: job.declaredType });
    await progress('splitting', 25, { title: parsed.title, format: parsed.format, pageCount: parsed.pageCount });
    const chunks = await splitDocument({ title: parsed.title, markdown: parsed.markdown, format: parsed.format });
    if (chunks.length === 0) throw new DocumentRejected('no_text', 'This file contains no readable text.');
    // A resumed job: what an earlier run stored stays; only the rest is embedded and stored.
    const stored = await storedChunkOrdinals({ tenantId, documentId });
    const missing = chunks.filter((c) => !stored.has(c.ordinal));
    const already = chunks.length - missing.length;
    await progress('embedding', 35 + (40 * already) / chunks.length, { chunkCount: chunks.length, chunksEmbedded: already });

    // The same route as questions take, so a zero-retention-only tenant's packs use an allowed embedder.
    const embedder = resolveEmbedder(undefined, modelPolicyOf((await getTenant({ tenantId })).settings));
    await ensureEmbeddingIndex(embedder.modelId, embedder.dimensions);
    const vectors = await embedForTenant(embedder, missing.map(embeddingTextOf), job, (done) =>
      progress('embedding', 35 + (40 * (already + done)) / chunks.length, { chunksEmbedded: already + done }),
    );
    const rows: ChunkRow[] = missing.map((chunk, i) => ({
      documentId,
      ordinal: chunk.ordinal,
      title: chunk.title,
      headingPath: chunk.headingPath,
      text: chunk.text,
      tokenCount: chunk.tokenCount,
      contentHash: chunk.contentHash,
      lint: lintChunk(chunk.text),
      embedding: vectors[i],
    }));
    await progress('indexing', 75 + (25 * already) / chunks.length);
    await insertChunks({
      tenantId,
      embeddingModel: embedder.modelId,
      rows,
      onBatch: (done) => progress('indexing', 75 + (25 * (already + done)) / chunks.length),
    });
    check();
    await markDocumentReady({ tenantId, documentId, chunkCount: chunks.length });
  } catch (err) {
    if (err instanceof IngestionStopped || isDatabaseUnavailable(err)) throw err;
    const rejected = err instanceof DocumentRejected;
    if (!rejected) console.warn(`[culture] ingestion of ${job.fileName} failed:`, err);
    await failDocument({
      tenantId,
      documentId,
      code: rejected ? err.code : 'processing_error',
      message: rejected ? err.message : 'This file could not be processed. Try again; if it keeps failing, export a fresh copy.',
    }).catch((e) => console.warn('[culture] could not record the failure:', e));
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file name as shown and stored: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned || 'unnamed file';
}
