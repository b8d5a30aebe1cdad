// Culture-pack documents and chunks in the database. Every function takes tenantId and runs in
// its own short withTenant unit of work (RLS), so ingestion never holds a transaction across
// parsing or embedding. Chunk inserts are multi-row (unnest of column arrays), one batch each.
import { toSql as vectorToSql } from 'pgvector';
import { withTenant } from '~/.server/db/tenant';
import type { Tx } from '~/.server/db/client';
import type { LintFinding } from './lint';

export type DocumentStatus = 'uploaded' | 'parsing' | 'splitting' | 'embedding' | 'indexing' | 'ready' | 'failed';
export const PROCESSING_STATUSES: DocumentStatus[] = ['uploaded', 'parsing', 'splitting', 'embedding', 'indexing'];

/**
 * A document still "processing" with no job and no progress for this long was interrupted before
 * ingestion jobs existed (migration 026); one with a job is resumed by the worker instead.
 */
export const STALLED_AFTER_MS = 5 * 60 * 1000;
export const INTERRUPTED_MESSAGE = 'Processing was interrupted (the server restarted). Remove this file and upload it again.';

export interface PackDocument {
  id: string;
  name: string;
  title: string;
  format: string | null;
  contentHash: string;
  sizeBytes: number;
  status: DocumentStatus;
  progress: number;
  errorCode: string | null;
  error: string | null;
  chunkCount: number;
  /** Passages embedded so far (the "n" of "Embedding n/m"; m is chunkCount). */
  chunksEmbedded: number;
  pageCount: number | null;
  createdAt: Date;
  updatedAt: Date;
  /** An ingestion job is queued or running for it (it resumes after a restart). */
  hasJob?: boolean;
}

const DOCUMENT_COLUMNS = `id, name, title, format, content_hash as "contentHash", size_bytes as "sizeBytes",
  status, progress, error_code as "errorCode", error, chunk_count as "chunkCount", chunks_embedded as "chunksEmbedded", page_count as "pageCount",
  created_at as "createdAt", updated_at as "updatedAt",
  exists (select 1 from ingest_job j where j.tenant_id = pack_document.tenant_id and j.document_id = pack_document.id) as "hasJob"`;

export async function insertDocument(
  tx: Tx,
  doc: { tenantId: string; versionId: string; name: string; contentHash: string; sizeBytes: number; uploadedBy: string | null },
): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into pack_document (tenant_id, name, title, content_hash, size_bytes, status, progress, uploaded_by)
    values (${doc.tenantId}, ${doc.name}, ${doc.name}, ${doc.contentHash}, ${doc.sizeBytes}, 'uploaded', 10, ${doc.uploadedBy})
    returning id`;
  await tx`insert into pack_version_document (tenant_id, version_id, document_id) values (${doc.tenantId}, ${doc.versionId}, ${row.id})`;
  return row.id;
}

/** A failed upload still gets a row, so the admin sees why next to the other files. */
export async function insertFailedDocument(
  tx: Tx,
  doc: { tenantId: string; versionId: string; name: string; contentHash: string; sizeBytes: number; uploadedBy: string | null; code: string; message: string },
): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into pack_document (tenant_id, name, title, content_hash, size_bytes, status, progress, error_code, error, uploaded_by)
    values (${doc.tenantId}, ${doc.name}, ${doc.name}, ${doc.contentHash}, ${doc.sizeBytes}, 'failed', 100,
            ${doc.code}, ${doc.message}, ${doc.uploadedBy})
    returning id`;
  await tx`insert into pack_version_document (tenant_id, version_id, document_id) values (${doc.tenantId}, ${doc.versionId}, ${row.id})`;
  return row.id;
}

export async function findDocumentByHash(tx: Tx, tenantId: string, versionId: string, contentHash: string) {
  const [row] = await tx<{ id: string; name: string }[]>`
    select d.id, d.name from pack_document d join pack_version_document m on m.tenant_id = d.tenant_id and m.document_id = d.id
    where d.tenant_id = ${tenantId} and m.version_id = ${versionId} and d.content_hash = ${contentHash} and d.status <> 'failed'
    limit 1`;
  return row ?? null;
}

export async function countDocuments(tx: Tx, tenantId: string, versionId: string): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from pack_document d join pack_version_document m on m.tenant_id = d.tenant_id and m.document_id = d.id
    where d.tenant_id = ${tenantId} and m.version_id = ${versionId} and d.status <> 'failed'`;
  return row.n;
}

export async function updateDocumentProgress(opts: {
  tenantId: string;
  documentId: string;
  status: DocumentStatus;
  progress: number;
  title?: string;
  format?: string;
  pageCount?: number;
  chunkCount?: number;
  chunksEmbedded?: number;
}): Promise<void> {
  await withTenant(opts.tenantId, (tx) => tx`
    update pack_document set status = ${opts.status}, progress = ${Math.round(Math.min(100, Math.max(0, opts.progress)))},
      title = coalesce(${opts.title ?? null}, title), format = coalesce(${opts.format ?? null}, format),
      page_count = coalesce(${opts.pageCount ?? null}::int, page_count), chunk_count = coalesce(${opts.chunkCount ?? null}::int, chunk_count),
      chunks_embedded = coalesce(${opts.chunksEmbedded ?? null}::int, chunks_embedded),
      updated_at = now()
    where tenant_id = ${opts.tenantId} and id = ${opts.documentId}`);
}

/** Marks a document failed and drops any chunks it had already indexed. */
export async function failDocument(opts: { tenantId: string; documentId: string; code: string; message: string }): Promise<void> {
  await withTenant(opts.tenantId, async (tx) => {
    await tx`delete from pack_chunk where tenant_id = ${opts.tenantId} and document_id = ${opts.documentId}`;
    await tx`update pack_document set status = 'failed', progress = 100, error_code = ${opts.code}, error = ${opts.message},
      chunk_count = 0, updated_at = now()
      where tenant_id = ${opts.tenantId} and id = ${opts.documentId}`;
  });
}

/**
 * Makes an indexed document searchable and takes older documents of the same name out of the
 * draft (an upload with a known name replaces that document), in one transaction.
 */
export async function markDocumentReady(opts: { tenantId: string; documentId: string; chunkCount: number }): Promise<string[]> {
  return withTenant(opts.tenantId, async (tx) => {
    const [doc] = await tx<{ name: string }[]>`
      update pack_document set status = 'ready', progress = 100, chunk_count = ${opts.chunkCount}, chunks_embedded = ${opts.chunkCount}, updated_at = now()
      where tenant_id = ${opts.tenantId} and id = ${opts.documentId}
      returning name`;
    if (!doc) return [];
    const replaced = await tx<{ documentId: string }[]>`
      delete from pack_version_document m using pack_version v, pack_document d
      where m.tenant_id = ${opts.tenantId} and v.tenant_id = m.tenant_id and v.id = m.version_id and v.status = 'draft'
        and d.tenant_id = m.tenant_id and d.id = m.document_id and d.name = ${doc.name} and d.id <> ${opts.documentId}
        and d.status in ('ready', 'failed')
        and exists (select 1 from pack_version_document mine where mine.tenant_id = m.tenant_id and mine.version_id = m.version_id
                    and mine.document_id = ${opts.documentId})
      returning m.document_id as "documentId"`;
    await deleteOrphanDocuments(tx, opts.tenantId);
    return replaced.map((r) => r.documentId);
  });
}

/** Documents in no version any more (replaced or removed drafts) go, with their chunks. */
export async function deleteOrphanDocuments(tx: Tx, tenantId: string): Promise<void> {
  await tx`
    delete from pack_document d
    where d.tenant_id = ${tenantId}
      and not exists (select 1 from pack_version_document m where m.tenant_id = d.tenant_id and m.document_id = d.id)`;
}

export async function listDocuments({ tenantId, versionId }: { tenantId: string; versionId: string }): Promise<PackDocument[]> {
  const rows = await withTenant(tenantId, (tx) =>
    tx.unsafe<PackDocument[]>(
      `select ${DOCUMENT_COLUMNS} from pack_document
       where tenant_id = $1 and id in (select document_id from pack_version_document where tenant_id = $1 and version_id = $2)
       order by name, created_at`,
      [tenantId, versionId],
    ),
  );
  return rows.map(markInterrupted);
}

export async function getDocuments({ tenantId, ids }: { tenantId: string; ids: string[] }): Promise<PackDocument[]> {
  if (ids.length === 0) return [];
  const rows = await withTenant(tenantId, (tx) =>
    tx.unsafe<PackDocument[]>(`select ${DOCUMENT_COLUMNS} from pack_document where tenant_id = $1 and id = any($2::uuid[])`, [tenantId, ids]),
  );
  return rows.map(markInterrupted);
}

// A document left "processing" without a job (from before migration 026) would read as processing forever; say so instead.
function markInterrupted(doc: PackDocument): PackDocument {
  const stalled = PROCESSING_STATUSES.includes(doc.status) && !doc.hasJob && Date.now() - new Date(doc.updatedAt).getTime() > STALLED_AFTER_MS;
  return stalled ? { ...doc, status: 'failed', errorCode: 'interrupted', error: INTERRUPTED_MESSAGE } : doc;
}

/** Removes a document (and its chunks) from a version that is not published. */
export async function deleteDraftDocument({ tenantId, documentId }: { tenantId: string; documentId: string }): Promise<boolean> {
  return withTenant(tenantId, async (tx) => {
    const rows = await tx`
      delete from pack_version_document m using pack_version v
      where m.tenant_id = ${tenantId} and m.document_id = ${documentId}
        and v.tenant_id = m.tenant_id and v.id = m.version_id and v.status = 'draft'
      returning m.document_id`;
    await deleteOrphanDocuments(tx, tenantId);
    return rows.length > 0;
  });
}

export interface ChunkRow {
  documentId: string;
  ordinal: number;
  title: string;
  headingPath: string[];
  text: string;
  tokenCount: number;
  contentHash: string;
  lint: LintFinding[];
  embedding: number[];
}

// Each row is an HNSW insert (several milliseconds on the embedded database with migration 010's
// denser graph, where every other query waits for the batch to finish: PGlite runs one at a time).
// Batches are sized by time, not rows: each aims at INSERT_BATCH_TARGET_MS, so other tenants'
// questions wait at most about that long behind an ingestion (bench ingest-isolation, ADR 038),
// while a fast server gets large batches and few round trips.
export const INSERT_BATCH_TARGET_MS = 40;
const INSERT_BATCH_LIMITS = { first: 4, min: 1, max: 200 } as const;

/** One multi-row insert; the tsvector weighs title and headings (A) above body text (B). */
export async function insertChunkBatch(
  tx: Tx,
  opts: { tenantId: string; embeddingModel: string; rows: ChunkRow[] },
): Promise<void> {
  const { rows } = opts;
  if (rows.length === 0) return;
  const col = <T>(pick: (r: ChunkRow) => T) => rows.map(pick);
  await tx`
    insert into pack_chunk (tenant_id, document_id, ordinal, document_title, heading_path, text, token_count,
      content_hash, lint, flagged, tsv, embedding, embedding_model)
    select ${opts.tenantId}, r.document_id, r.ordinal, r.title,
      array(select jsonb_array_elements_text(r.headings::jsonb)), r.text, r.token_count, r.content_hash, r.lint::jsonb,
      jsonb_path_exists(r.lint::jsonb, '$[*] ? (@.kind == "instruction")'),
      setweight(to_tsvector('english', r.title || ' ' || array_to_string(array(select jsonb_array_elements_text(r.headings::jsonb)), ' ')), 'A')
        || setweight(to_tsvector('english', r.text), 'B'),
      r.embedding::vector, ${opts.embeddingModel}
    from unnest(
      ${tx.array(col((r) => r.documentId))}::uuid[], ${tx.array(col((r) => r.ordinal))}::int[], ${tx.array(col((r) => r.title))}::text[],
      ${tx.array(col((r) => JSON.stringify(r.headingPath)))}::text[], ${tx.array(col((r) => r.text))}::text[],
      ${tx.array(col((r) => r.tokenCount))}::int[], ${tx.array(col((r) => r.contentHash))}::text[],
      ${tx.array(col((r) => JSON.stringify(r.lint)))}::text[], ${tx.array(col((r) => vectorToSql(r.embedding) as string))}::text[]
    ) as r(document_id, ordinal, title, headings, text, token_count, content_hash, lint, embedding)
    on conflict (tenant_id, document_id, ordinal) do nothing`;
}

/** Ordinals of the passages a document already has (a resumed ingestion stores only the others). */
export async function storedChunkOrdinals({ tenantId, documentId }: { tenantId: string; documentId: string }): Promise<Set<number>> {
  const rows = await withTenant(tenantId, (tx) => tx<{ ordinal: number }[]>`
    select ordinal from pack_chunk where tenant_id = ${tenantId} and document_id = ${documentId}`);
  return new Set(rows.map((r) => r.ordinal));
}

export async function insertChunks(opts: {
  tenantId: string;
  embeddingModel: string;
  rows: ChunkRow[];
  onBatch?: (done: number) => Promise<void> | void;
  targetBatchMs?: number;
}) {
  const target = opts.targetBatchMs ?? INSERT_BATCH_TARGET_MS;
  let size: number = INSERT_BATCH_LIMITS.first;
  for (let start = 0; start < opts.rows.length; ) {
    const rows = opts.rows.slice(start, start + size);
    const t0 = performance.now();
    await withTenant(opts.tenantId, (tx) => insertChunkBatch(tx, { ...opts, rows }));
    const perRow = Math.max(0.05, (performance.now() - t0) / rows.length);
    start += rows.length;
    // Next batch: as many rows as fit in the target at this batch's pace (at most doubling).
    size = Math.max(INSERT_BATCH_LIMITS.min, Math.min(INSERT_BATCH_LIMITS.max, size * 2, Math.floor(target / perRow)));
    await opts.onBatch?.(start);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface LintedChunk {
  id: string;
  documentName: string;
  documentTitle: string;
  headingPath: string[];
  text: string;
  lint: LintFinding[];
  flagged: boolean;
  excluded: boolean;
}

/** Chunks of a version with lint findings (instruction-like or personal data), for review. */
export async function listLintedChunks({ tenantId, versionId }: { tenantId: string; versionId: string }): Promise<LintedChunk[]> {
  return withTenant(tenantId, (tx) => tx<LintedChunk[]>`
    select c.id, d.name as "documentName", c.document_title as "documentTitle", c.heading_path as "headingPath", c.text, c.lint,
      c.flagged, c.id = any(v.excluded_chunk_ids) as excluded
    from pack_version v
    join pack_version_document m on m.tenant_id = v.tenant_id and m.version_id = v.id
    join pack_document d on d.tenant_id = m.tenant_id and d.id = m.document_id
    join pack_chunk c on c.tenant_id = d.tenant_id and c.document_id = d.id
    where v.tenant_id = ${tenantId} and v.id = ${versionId} and jsonb_array_length(c.lint) > 0
    order by d.name, c.ordinal`);
}

/** Excludes (or includes again) a passage of the draft; published versions keep their own list. */
export async function setChunkExcluded({ tenantId, chunkId, excluded }: { tenantId: string; chunkId: string; excluded: boolean }): Promise<boolean> {
  return withTenant(tenantId, async (tx) => {
    const rows = await tx`
      update pack_version v
      set excluded_chunk_ids = case when ${excluded}::boolean
        then array(select distinct unnest(v.excluded_chunk_ids || ${chunkId}::uuid))
        else array_remove(v.excluded_chunk_ids, ${chunkId}::uuid) end
      where v.tenant_id = ${tenantId} and v.status = 'draft'
        and exists (select 1 from pack_chunk c join pack_version_document m on m.tenant_id = c.tenant_id and m.document_id = c.document_id
                    where c.tenant_id = ${tenantId} and c.id = ${chunkId} and m.version_id = v.id)
      returning v.id`;
    return rows.length > 0;
  });
}
