// Ingestion of uploaded files into the tenant's draft: accept (checks, duplicate detection, a row
// per file) → parse → split → lint → embed (batched) → index (batched multi-row inserts). Each
// stage writes the document's status and progress so the page can poll it; a failure marks only
// that file, with the parser's message. Accepted files are processed in the background by a
// small in-process queue; nothing holds a transaction across parsing or embedding, and the
// pipeline yields to the event loop between batches, so other users are not blocked.
import { createHash } from 'node:crypto';
import { resolveEmbedder, embedForTenant, embeddingTextOf, ensureEmbeddingIndex } from './embed';
import { lintChunk } from './lint';
import { DocumentRejected, PARSE_LIMITS, parseDocument } from './parse';
import { splitDocument } from './split';
import {
  countDocuments,
  failDocument,
  findDocumentByHash,
  insertChunks,
  insertDocument,
  insertFailedDocument,
  markDocumentReady,
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
  const { tenantId, userId } = opts;
  if (opts.files.length > UPLOAD_LIMITS.maxFilesPerUpload) {
    return opts.files.map((f) => ({ fileName: f.fileName, documentId: null, status: 'failed', message: TOO_MANY_FILES_MESSAGE }));
  }
  const outcomes: UploadOutcome[] = [];
  const queued: Array<{ documentId: string; versionId: string; file: IncomingFile & { bytes: Uint8Array } }> = [];
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
      seen.set(contentHash, name);
      count += 1;
      queued.push({ documentId, versionId: draft.id, file: { ...file, fileName: name, bytes: file.bytes } });
      outcomes.push({ fileName: name, documentId, status: 'queued' });
    }
  });
  for (const job of queued) enqueue({ tenantId, userId, documentId: job.documentId, versionId: job.versionId, ...job.file });
  return outcomes;
}

/** Accepts files and waits until each is ready or failed (seed, CLI, tests). */
export async function ingestFilesNow(opts: Who & { files: IncomingFile[] }): Promise<UploadOutcome[]> {
  const outcomes = await acceptUploads(opts);
  await Promise.all(outcomes.map((o) => (o.documentId ? whenProcessed(o.documentId) : undefined)));
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// The background queue: two documents at a time per process.

type Job = Who & { documentId: string; versionId: string; fileName: string; declaredType?: string; bytes: Uint8Array };

const CONCURRENCY = 2;
const waiting: Job[] = [];
const inFlight = new Map<string, { promise: Promise<void>; resolve: () => void }>();
let running = 0;

function enqueue(job: Job) {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  inFlight.set(job.documentId, { promise, resolve });
  waiting.push(job);
  pump();
}

function pump() {
  while (running < CONCURRENCY && waiting.length > 0) {
    const job = waiting.shift()!;
    running += 1;
    void processDocument(job).finally(() => {
      running -= 1;
      inFlight.get(job.documentId)?.resolve();
      inFlight.delete(job.documentId);
      pump();
    });
  }
}

/** Resolves when the document has finished processing in this process (ready or failed). */
export function whenProcessed(documentId: string): Promise<void> {
  return inFlight.get(documentId)?.promise ?? Promise.resolve();
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

/** Resolves when nothing is queued or processing (tests, shutdown). */
export async function whenIngestionIdle(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((e) => e.promise));
}

// Progress bands: upload 0–10 (the browser), parse –25, split –35, embed –75, index –100.
async function processDocument(job: Job): Promise<void> {
  const { tenantId, documentId } = job;
  const progress = (status: Parameters<typeof updateDocumentProgress>[0]['status'], value: number, extra: Partial<Parameters<typeof updateDocumentProgress>[0]> = {}) =>
    updateDocumentProgress({ tenantId, documentId, status, progress: value, ...extra });
  try {
    await progress('parsing', 12);
    const parsed = await parseDocument({ fileName: job.fileName, bytes: job.bytes, declaredType: job.declaredType });
    await progress('splitting', 25, { title: parsed.title, format: parsed.format, pageCount: parsed.pageCount });
    const chunks = await splitDocument({ title: parsed.title, markdown: parsed.markdown, format: parsed.format });
    if (chunks.length === 0) throw new DocumentRejected('no_text', 'This file contains no readable text.');
    await progress('embedding', 35, { chunkCount: chunks.length, chunksEmbedded: 0 });

    // The same route as questions take, so a zero-retention-only tenant's packs use an allowed embedder.
    const embedder = resolveEmbedder(undefined, modelPolicyOf((await getTenant({ tenantId })).settings));
    await ensureEmbeddingIndex(embedder.modelId, embedder.dimensions);
    const vectors = await embedForTenant(embedder, chunks.map(embeddingTextOf), job, (done) =>
      progress('embedding', 35 + (40 * done) / chunks.length, { chunksEmbedded: done }),
    );
    const rows: ChunkRow[] = chunks.map((chunk, i) => ({
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
    await progress('indexing', 75);
    await insertChunks({
      tenantId,
      embeddingModel: embedder.modelId,
      rows,
      onBatch: (done) => progress('indexing', 75 + (25 * done) / rows.length),
    });
    await markDocumentReady({ tenantId, documentId, chunkCount: rows.length });
  } catch (err) {
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
