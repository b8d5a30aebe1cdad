import { describe, expect, it } from 'vitest';
import { assessAnswerability, RELEVANCE_THRESHOLD } from '~/.server/culture/answerability';
import { questionWords, synonymWords } from '~/.server/culture/query-terms';
import { vectorWeightFor } from '~/.server/culture/retrieve';

describe('synonyms for a manager’s own words', () => {
  it('adds the policy’s words for what the message says, not its own words again', () => {
    expect(synonymWords('Two of my cashiers want to trade their Sunday shifts').split(' ')).toEqual(expect.arrayContaining(['swap']));
    expect(synonymWords('Her grandma passed away last night').split(' ')).toEqual(expect.arrayContaining(['bereavement']));
    expect(synonymWords('He rolled in twelve minutes late again').split(' ')).toEqual(expect.arrayContaining(['lateness']));
    expect(synonymWords('A guest was yelling at my cashier').split(' ')).toEqual(expect.arrayContaining(['abusive']));
    // A word the message already uses is not added twice.
    expect(synonymWords('Can they swap a shift?').split(' ')).not.toContain('swap');
  });

  it('adds nothing for a message with no workplace topic it knows', () => {
    expect(synonymWords('What colour is the sky?')).toBe('');
    expect(questionWords('What colour is the sky?')).toBe('what colour is the sky');
  });
});

describe('answerability threshold', () => {
  const passage = (id: string, bm25: number) => ({ id, bm25 });

  it('offers only the passages above the threshold, in retrieval order', () => {
    const verdict = assessAnswerability([passage('a', 12), passage('b', 3), passage('c', 7)], 6.5);
    expect(verdict.covered).toBe(true);
    expect(verdict.supported.map((p) => p.id)).toEqual(['a', 'c']);
    expect(verdict.relevance).toBe(12);
  });

  it('says not covered when nothing clears it (or nothing was retrieved)', () => {
    expect(assessAnswerability([passage('a', 6.4), passage('b', 0)], 6.5)).toMatchObject({ covered: false, supported: [], relevance: 6.4 });
    expect(assessAnswerability([])).toMatchObject({ covered: false, supported: [], relevance: 0, threshold: RELEVANCE_THRESHOLD });
  });

  it('is calibrated in BM25 units (a passage that only shares a word like "team" stays under it)', () => {
    expect(RELEVANCE_THRESHOLD).toBeGreaterThan(2);
    expect(RELEVANCE_THRESHOLD).toBeLessThan(20);
  });
});

describe('fusion weights', () => {
  it('lets the offline embedder only break ties, and a configured model count fully', () => {
    expect(vectorWeightFor({ provider: 'offline' })).toBeLessThan(0.1);
    expect(vectorWeightFor({ provider: 'openai' })).toBe(1);
  });
});

describe('threshold by pack size', () => {
  it('is the calibrated one for a pack the size of the demo packs, lower for small packs, higher for large ones', async () => {
    const { thresholdFor, REFERENCE_CHUNKS } = await import('~/.server/culture/answerability');
    expect(thresholdFor(REFERENCE_CHUNKS)).toBeCloseTo(RELEVANCE_THRESHOLD, 6);
    expect(thresholdFor(10)).toBeLessThan(RELEVANCE_THRESHOLD * 0.6);
    expect(thresholdFor(500)).toBeGreaterThan(RELEVANCE_THRESHOLD * 1.5);
    expect(thresholdFor(undefined)).toBe(RELEVANCE_THRESHOLD);
    expect(assessAnswerability([{ bm25: 4, corpusChunks: 10 }]).covered).toBe(true);
    expect(assessAnswerability([{ bm25: 4, corpusChunks: 40 }]).covered).toBe(false);
  });
});
