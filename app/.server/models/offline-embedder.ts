// The offline embedder: feature-hashed canonical words, word bigrams and character trigrams in
// 384 signed buckets, L2-normalised. No weights to download; paired with full-text search for recall.
import type { EmbeddingModelV3, EmbeddingModelV3CallOptions, EmbeddingModelV3Result } from '@ai-sdk/provider';
import { canonicalTerm, foldPhrases, splitWords } from './text-features';
import { estimateTokens } from './tokens';

export const OFFLINE_EMBEDDING_DIMENSIONS = 384;
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.25;
const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x9e3779b9;
const SEED_TRIGRAM = 0x85ebca6b;

/** FNV-1a over s[start, end) from a seed, then a murmur3 finaliser so low and high bits both mix. */
function hashRange(seed: number, s: string, start: number, end: number): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addFeature(vector: Float64Array, hash: number, weight: number): void {
  // The top bit picks the sign so collisions cancel on average instead of piling up.
  const sign = hash & 0x80000000 ? -1 : 1;
  vector[hash % OFFLINE_EMBEDDING_DIMENSIONS] += sign * weight;
}

function addTrigrams(vector: Float64Array, word: string): void {
  const padded = `#${word}#`;
  for (let i = 0; i + 3 <= padded.length; i++) addFeature(vector, hashRange(SEED_TRIGRAM, padded, i, i + 3), TRIGRAM_WEIGHT);
}

export function embedText(text: string): number[] {
  const vector = new Float64Array(OFFLINE_EMBEDDING_DIMENSIONS);
  let previous: string | null = null;
  for (const word of splitWords(foldPhrases(text.toLowerCase()))) {
    const term = canonicalTerm(word);
    if (term === null) continue;
    addFeature(vector, hashRange(SEED_WORD, term, 0, term.length), WORD_WEIGHT);
    if (previous !== null) {
      const bigram = `${previous} ${term}`;
      addFeature(vector, hashRange(SEED_BIGRAM, bigram, 0, bigram.length), BIGRAM_WEIGHT);
    }
    addTrigrams(vector, word);
    previous = term;
  }
  return normalise(vector);
}

function normalise(vector: Float64Array): number[] {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  const out = new Array<number>(OFFLINE_EMBEDDING_DIMENSIONS);
  if (sumOfSquares === 0) {
    // A zero vector has no cosine distance (pgvector returns NaN), so empty text gets a fixed unit vector.
    out.fill(0);
    out[0] = 1;
    return out;
  }
  const norm = Math.sqrt(sumOfSquares);
  for (let i = 0; i < OFFLINE_EMBEDDING_DIMENSIONS; i++) out[i] = vector[i] / norm;
  return out;
}

export function embedTexts(texts: string[]): number[][] {
  return texts.map(embedText);
}

export class OfflineEmbeddingModel implements EmbeddingModelV3 {
  readonly specificationVersion = 'v3' as const;
  readonly provider = 'offline';
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = 2048;
  readonly supportsParallelCalls = true;

  constructor(modelId = 'offline-hash-384-v1') {
    this.modelId = modelId;
  }

  async doEmbed(options: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
    options.abortSignal?.throwIfAborted();
    const tokens = options.values.reduce((sum, value) => sum + estimateTokens(value), 0);
    return { embeddings: embedTexts(options.values), usage: { tokens }, warnings: [] };
  }
}
