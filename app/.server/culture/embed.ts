// Embeddings for culture-pack chunks and questions, through the model catalogue: the offline
// embedder by default, the operator's RAPPORT_EMBEDDING_MODEL otherwise. Batched, yielding to
// the event loop between batches, never inside a transaction. Usage is recorded per call.
import { embedMany } from 'ai';
import { withSystem } from '~/.server/db/tenant';
import { getEnv } from '~/.server/env';
import { recordUsageEvent } from '~/.server/metering/usage';
import { getEmbeddingModel, resolveCatalogueModel, type ModelEnv } from '~/.server/models/providers';
import { OfflineEmbeddingModel } from '~/.server/models/offline-embedder';
import { routeModel } from '~/.server/models/router';
import { estimateTokens } from '~/.server/models/tokens';
import type { ModelPolicy } from '~/lib/models';
import type { DocumentChunk } from './split';

export interface Embedder {
  modelId: string;
  provider: string;
  dimensions: number;
  embed(texts: string[], onBatch?: (done: number) => Promise<void> | void): Promise<{ vectors: number[][]; tokens: number }>;
}

const BATCH_SIZE = 64;

/** The embedding model for a tenant; its policy (zero-retention only) can exclude the configured one. */
export function resolveEmbedder(env: ModelEnv = getEnv(), policy?: ModelPolicy): Embedder {
  const [modelId] = routeModel({ purpose: 'embedding', env, policy }).chain;
  const entry = resolveCatalogueModel(modelId, env);
  const model = getEmbeddingModel(modelId, env);
  return {
    modelId,
    provider: entry.provider,
    dimensions: entry.dimensions ?? 384,
    async embed(texts, onBatch) {
      const vectors: number[][] = [];
      let tokens = 0;
      for (let start = 0; start < texts.length; start += BATCH_SIZE) {
        const values = texts.slice(start, start + BATCH_SIZE);
        // The offline model is a local function: called directly, without embedMany's retries and telemetry
        // (a chat turn embeds its question on every turn; the vectors are the same).
        const result = model instanceof OfflineEmbeddingModel ? await model.doEmbed({ values }) : await embedMany({ model, values, maxRetries: 1 });
        vectors.push(...result.embeddings);
        tokens += result.usage?.tokens ?? values.reduce((sum, v) => sum + estimateTokens(v), 0);
        await onBatch?.(vectors.length);
        // Let other requests run between batches: a 1 MB pack is hundreds of batches.
        if (start + BATCH_SIZE < texts.length) await new Promise((resolve) => setImmediate(resolve));
      }
      return { vectors, tokens };
    },
  };
}

/** What is embedded for a chunk: title and heading path make short sections findable by topic. */
export function embeddingTextOf(chunk: Pick<DocumentChunk, 'title' | 'headingPath' | 'text'>): string {
  const headings = chunk.headingPath.filter((h) => h !== chunk.title).join(' > ');
  return [chunk.title, headings, chunk.text].filter(Boolean).join('\n');
}

/** Embeds and records one usage event (purpose 'embedding'); call with no transaction open. */
export async function embedForTenant(
  embedder: Embedder,
  texts: string[],
  who: { tenantId: string; userId: string | null },
  onBatch?: (done: number) => Promise<void> | void,
): Promise<number[][]> {
  if (texts.length === 0) return [];
  const started = Date.now();
  const { vectors, tokens } = await embedder.embed(texts, onBatch);
  await recordUsageEvent({
    tenantId: who.tenantId,
    userId: who.userId,
    purpose: 'embedding',
    provider: embedder.provider,
    modelId: embedder.modelId,
    inputTokens: tokens,
    outputTokens: 0,
    latencyMs: Date.now() - started,
    status: 'ok',
  });
  return vectors;
}

/** SQL text of the indexed expression for a model's vectors, e.g. `embedding::vector(384)`. */
export function vectorCast(dimensions: number): string {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16000) throw new Error(`bad vector size ${dimensions}`);
  return `embedding::vector(${dimensions})`;
}

export function indexNameFor(modelId: string): string {
  return `pack_chunk_embedding_${modelId.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`.slice(0, 63);
}

const ensured = new Set<string>(['offline-embedder']);

/** HNSW graph options of every model's index, as in migration 010 (see the reason there). */
export const HNSW_INDEX_OPTIONS = 'm = 32, ef_construction = 128';

/**
 * Creates the partial HNSW index for a configured model the first time it is used (migration 010
 * has the offline one). On the partitioned pack_chunk it is built on every tenant's partition,
 * and partitions created later inherit it.
 */
export async function ensureEmbeddingIndex(modelId: string, dimensions: number): Promise<void> {
  if (ensured.has(modelId)) return;
  // HNSW supports up to 2,000 dimensions for `vector`; larger models are searched exactly.
  if (dimensions <= 2000) {
    const literal = modelId.replace(/'/g, "''");
    await withSystem((tx) =>
      tx.unsafe(
        `create index if not exists ${indexNameFor(modelId)} on pack_chunk using hnsw ((${vectorCast(dimensions)}) vector_cosine_ops) with (${HNSW_INDEX_OPTIONS}) where embedding_model = '${literal}'`,
      ),
    );
  }
  ensured.add(modelId);
}
