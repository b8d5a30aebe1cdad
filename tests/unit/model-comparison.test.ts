import { describe, expect, it } from 'vitest';
import { costFractionWords, percentile, rankModels, recommendationSentence, type ModelResult } from '~/lib/model-comparison';

const result = (model: string, passed: number, cost: number, extra: Partial<ModelResult> = {}): ModelResult => ({
  model,
  cases: 50,
  passed,
  passRate: passed / 50,
  judgeMean: null,
  costPer1000TurnsUsd: cost,
  ttftP50Ms: 300,
  ttftP95Ms: 600,
  ...extra,
});

describe('rankModels: good enough at the lowest cost', () => {
  it('recommends the cheapest model within the margin of the best pass rate', () => {
    const big = result('big', 49, 20); // 98%
    const small = result('small', 48, 1); // 96%, within 5 points
    const tiny = result('tiny', 40, 0.1); // 80%, not good enough
    const ranked = rankModels([big, tiny, small]);
    expect(ranked.map((r) => r.result.model)).toEqual(['small', 'big', 'tiny']);
    expect(ranked.map((r) => [r.rank, r.goodEnough, r.recommended])).toEqual([
      [1, true, true],
      [2, true, false],
      [3, false, false],
    ]);
  });

  it('a zero margin keeps only the best pass rate good enough', () => {
    const ranked = rankModels([result('big', 49, 20), result('small', 48, 1)], { marginPoints: 0 });
    expect(ranked[0]).toMatchObject({ result: { model: 'big' }, recommended: true });
    expect(ranked[1]).toMatchObject({ result: { model: 'small' }, goodEnough: false });
  });

  it('a much lower judge score is not good enough even with the same pass rate', () => {
    const ranked = rankModels([result('careful', 45, 10, { judgeMean: 9 }), result('sloppy', 45, 1, { judgeMean: 6 })]);
    expect(ranked.map((r) => [r.result.model, r.goodEnough])).toEqual([
      ['careful', true],
      ['sloppy', false],
    ]);
  });

  it('breaks cost ties by pass rate, then TTFT p95; models that ran no case come last', () => {
    const ranked = rankModels([result('slow', 48, 0, { ttftP95Ms: 900 }), result('fast', 48, 0, { ttftP95Ms: 400 }), result('none', 0, 0, { cases: 0, passRate: 0 })]);
    expect(ranked.map((r) => r.result.model)).toEqual(['fast', 'slow', 'none']);
    expect(ranked[2].goodEnough).toBe(false);
    expect(rankModels([])).toEqual([]);
  });

  it('says it in one sentence', () => {
    const ranked = rankModels([result('A', 49, 20), result('B', 48, 1)]);
    expect(recommendationSentence(ranked, (m) => `model ${m}`)).toBe("model B passes 96% of cases at one-twentieth of model A (98%)'s cost.");
    const free = rankModels([result('offline', 49, 0), result('A', 49, 20)]);
    expect(recommendationSentence(free)).toBe('offline passes 98% of cases with no chat cost, against A (98%).');
    expect(recommendationSentence(rankModels([result('only', 10, 3)]))).toBe('only passes 20% of cases and is the cheapest good-enough model here.');
  });

  it('names cost fractions', () => {
    expect(costFractionWords(1, 20)).toBe('one-twentieth of');
    expect(costFractionWords(1, 2)).toBe('half of');
    expect(costFractionWords(1, 3.1)).toBe('a third of');
    expect(costFractionWords(3, 4)).toBe('75% of');
    expect(costFractionWords(1, 1.05)).toBeNull();
    expect(costFractionWords(2, 1)).toBeNull();
  });

  it('nearest-rank percentiles', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 0.95)).toBe(19);
  });
});
