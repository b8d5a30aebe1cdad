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
}

/**
 * Calibrated on the dev split (tests/fixtures/retrieval-narratives/dev.json) with the 81 labelled
 * questions: the highest threshold that keeps answerable messages wrongly abstained ≤ 5 % (10 of
 * 203). It is in BM25 units of the demo packs' size (≈ 60–90 chunks); IDF grows with the log of
 * a pack's chunk count, so much larger packs score somewhat higher and abstain a little less.
 */
export const RELEVANCE_THRESHOLD = 6.5;

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

export function assessAnswerability<T extends PassageEvidence>(passages: T[], threshold = RELEVANCE_THRESHOLD): Answerability<T> {
  let relevance = 0;
  const supported: T[] = [];
  for (const passage of passages) {
    const r = relevanceOf(passage);
    relevance = Math.max(relevance, r);
    if (r >= threshold) supported.push(passage);
  }
  return { covered: supported.length > 0, relevance, threshold, supported };
}
