// Answerability: do the retrieved passages answer what was asked? A passage's relevance is its
// BM25 score for the question (IDF-weighted, so matching the rare words of the question is what
// counts, not "shift" or "team"); passages under the calibrated threshold are never offered to the
// coach as an answer, and when none is left the pack does not cover the question (ADR 012).
// Reciprocal-rank scores cannot be thresholded (only their order means anything); cosine
// similarity of the offline embedder separated covered from not covered far worse (dev split:
// not-covered abstained 0.19 at 5 % answerable wrongly abstained, against 0.65–0.72 for BM25).

export interface PassageEvidence {
  /** BM25 of the passage for the question (retrieve.ts). */
  bm25: number;
  /** Chunks in the tenant's pack (BM25's N), when known. */
  corpusChunks?: number;
}

/**
 * Calibrated on the dev split (tests/fixtures/retrieval-narratives/dev.json) with the 81 labelled
 * questions: the highest threshold that keeps answerable messages wrongly abstained ≤ 5 % (10 of
 * 203). It is in BM25 units of a pack the size of the demo packs (REFERENCE_CHUNKS); see
 * thresholdFor for other sizes.
 */
export const RELEVANCE_THRESHOLD = 6.5;
/** The demo packs hold 37–43 chunks each. */
export const REFERENCE_CHUNKS = 40;

/**
 * The threshold for a pack of `chunks` chunks. A topic word lives in about one document's chunks
 * (a handful), so its IDF — and the BM25 of a passage that answers — grows with ln(chunks / a
 * document's chunks): a 3-document pack scores about half what the demo packs do for the same
 * question, and a 500-chunk pack about 1.8 times. The threshold follows that scale.
 */
export function thresholdFor(chunks: number | undefined, base = RELEVANCE_THRESHOLD): number {
  if (!chunks || !Number.isFinite(chunks)) return base;
  const scale = Math.log(1 + chunks / 4) / Math.log(1 + REFERENCE_CHUNKS / 4);
  return base * Math.max(0.3, scale);
}

export function relevanceOf(passage: PassageEvidence): number {
  return passage.bm25;
}

export interface Answerability<T> {
  /** Some passage clears the threshold: the pack may answer this. */
  covered: boolean;
  /** The best passage's relevance. */
  relevance: number;
  threshold: number;
  /** The passages above the threshold, in retrieval order: the only ones the coach is offered. */
  supported: T[];
}

export function assessAnswerability<T extends PassageEvidence>(passages: T[], base = RELEVANCE_THRESHOLD): Answerability<T> {
  const threshold = thresholdFor(passages[0]?.corpusChunks, base);
  let relevance = 0;
  const supported: T[] = [];
  for (const passage of passages) {
    const r = relevanceOf(passage);
    relevance = Math.max(relevance, r);
    if (r >= threshold) supported.push(passage);
  }
  return { covered: supported.length > 0, relevance, threshold, supported };
}
