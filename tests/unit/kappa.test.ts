import { describe, expect, it } from 'vitest';
import { cohensKappa, describeKappa, kappaPerCriterion, type RubricScores } from '~/lib/kappa';

describe("Cohen's kappa", () => {
  it('is 1 for perfect agreement and 0 for chance-level agreement', () => {
    expect(cohensKappa([[0, 0], [1, 1], [2, 2], [1, 1]]).kappa).toBe(1);
    // Rater A always says 1; B says 1 half the time: observed 0.5, expected 0.5 → 0.
    expect(cohensKappa([[1, 1], [1, 0], [1, 1], [1, 0]]).kappa).toBe(0);
  });

  it('matches a worked example', () => {
    // 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 → po 0.7, pe 0.5 → kappa 0.4.
    const pairs: [string, string][] = [
      ...Array.from({ length: 20 }, () => ['yes', 'yes'] as [string, string]),
      ...Array.from({ length: 5 }, () => ['yes', 'no'] as [string, string]),
      ...Array.from({ length: 10 }, () => ['no', 'yes'] as [string, string]),
      ...Array.from({ length: 15 }, () => ['no', 'no'] as [string, string]),
    ];
    const r = cohensKappa(pairs);
    expect(r.agreement).toBeCloseTo(0.7, 10);
    expect(r.kappa).toBeCloseTo(0.4, 10);
    expect(describeKappa(r.kappa)).toBe('fair');
  });

  it('is negative when raters systematically disagree, undefined with no data', () => {
    expect(cohensKappa([[0, 2], [2, 0], [0, 2], [2, 0]]).kappa).toBeLessThan(0);
    expect(cohensKappa([])).toEqual({ kappa: null, agreement: null, pairs: 0 });
    expect(describeKappa(null)).toBe('not enough data');
  });

  it('is computed per rubric criterion', () => {
    const a: RubricScores = { check_in_first: 2, grounding: 1, coaching: 2, tone: 2, safety: 2 };
    const b: RubricScores = { check_in_first: 0, grounding: 1, coaching: 1, tone: 2, safety: 2 };
    const c: RubricScores = { check_in_first: 0, grounding: 2, coaching: 0, tone: 1, safety: 0 };
    const out = kappaPerCriterion([[a, a], [b, c], [c, c]]);
    expect(out.check_in_first.kappa).toBe(1);
    expect(out.tone.pairs).toBe(3);
    expect(out.grounding.agreement).toBeCloseTo(2 / 3, 10);
  });
});
