// Combines ranked lists from different retrievers (vector and full-text) and removes passages
// that say the same thing twice, so the coach gets k distinct passages.

export interface RankedItem {
  id: string;
  score?: number;
}

export interface FusedItem {
  id: string;
  score: number;
}

/**
 * Reciprocal rank fusion (Cormack et al., 2009): score(id) = Σ 1 / (k + rank), rank from 1.
 * Only ranks matter, so cosine similarities and ts_rank values need no common scale.
 * Ties are broken by the best single rank, then by id, so the order is deterministic.
 */
export function reciprocalRankFusion(lists: RankedItem[][], { k = 60 }: { k?: number } = {}): FusedItem[] {
  const fused = new Map<string, { score: number; bestRank: number }>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      // A retriever that repeats an id gets credit for its best rank only.
      if (seen.has(item.id)) return;
      seen.add(item.id);
      const rank = index + 1;
      const entry = fused.get(item.id) ?? { score: 0, bestRank: rank };
      entry.score += 1 / (k + rank);
      entry.bestRank = Math.min(entry.bestRank, rank);
      fused.set(item.id, entry);
    });
  }
  return [...fused.entries()]
    .sort(([idA, a], [idB, b]) => b.score - a.score || a.bestRank - b.bestRank || (idA < idB ? -1 : idA > idB ? 1 : 0))
    .map(([id, { score }]) => ({ id, score }));
}

/**
 * Drops passages whose word-trigram Jaccard similarity with a better-ranked kept passage is at
 * least `threshold`. Input order is rank order; the first of each near-duplicate group survives.
 * Quadratic in the number of passages, which is fine for a top-k candidate list. `limit`: stop once
 * that many are kept (the caller keeps only the top k; the rest need no shingles at all).
 */
export function dropNearDuplicates<T extends { id: string; text: string }>(passages: T[], threshold = 0.9, limit = Infinity): T[] {
  const kept: Array<{ passage: T; shingles: Set<string> }> = [];
  for (const passage of passages) {
    if (kept.length >= limit) break;
    const shingles = shinglesOf(passage.text);
    // Jaccard ≥ t needs the smaller set to be at least t × the larger: skip pairs that cannot match.
    const near = (other: Set<string>) =>
      Math.min(shingles.size, other.size) >= threshold * Math.max(shingles.size, other.size) && jaccard(shingles, other) >= threshold;
    if (kept.some((other) => near(other.shingles))) continue;
    kept.push({ passage, shingles });
  }
  return kept.map((entry) => entry.passage);
}

const SHINGLE_WORDS = 3;

/**
 * Shingles of recently seen passage texts. A pack's passages are immutable and the same ones come back turn after
 * turn, and shingling them was the largest entry of reading a search's result (≈ 1 ms of a chat turn's CPU before the
 * first token; ADR 054). A pure function of the text, bounded, so nothing of one tenant changes another's result.
 */
const SHINGLE_CACHE_SIZE = 512;
const shingleCache = new Map<string, Set<string>>();

function shinglesOf(text: string): Set<string> {
  const cached = shingleCache.get(text);
  if (cached) return cached;
  const shingles = wordShingles(text);
  if (shingleCache.size >= SHINGLE_CACHE_SIZE) shingleCache.delete(shingleCache.keys().next().value!);
  shingleCache.set(text, shingles);
  return shingles;
}

export function wordShingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < SHINGLE_WORDS) return new Set(words.length ? [words.join(' ')] : []);
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i += 1) {
    shingles.add(words.slice(i, i + SHINGLE_WORDS).join(' '));
  }
  return shingles;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}
