// Cohen's kappa: agreement between two raters beyond what chance would give, for categorical labels.
// kappa = (p_o - p_e) / (1 - p_e), p_o = observed agreement, p_e = Σ_k p_a(k)·p_b(k).
// Client-safe (the review page shows it).

export interface KappaResult {
  /** null when there is nothing to compare, or chance agreement is total and kappa is undefined. */
  kappa: number | null;
  /** Share of pairs where both raters gave the same label. */
  agreement: number | null;
  pairs: number;
}

export function cohensKappa<T extends string | number>(pairs: ReadonlyArray<readonly [T, T]>): KappaResult {
  const n = pairs.length;
  if (n === 0) return { kappa: null, agreement: null, pairs: 0 };
  const a = new Map<T, number>();
  const b = new Map<T, number>();
  let same = 0;
  for (const [x, y] of pairs) {
    if (x === y) same++;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  const po = same / n;
  let pe = 0;
  for (const [label, count] of a) pe += (count / n) * ((b.get(label) ?? 0) / n);
  // Both raters used one and the same label throughout: agreement is perfect but kappa is 0/0.
  if (pe === 1) return { kappa: po === 1 ? 1 : null, agreement: po, pairs: n };
  return { kappa: (po - pe) / (1 - pe), agreement: po, pairs: n };
}

/** Landis & Koch's words for a kappa, for the page. */
export function describeKappa(kappa: number | null): string {
  if (kappa === null) return 'not enough data';
  if (kappa < 0) return 'worse than chance';
  if (kappa < 0.21) return 'slight';
  if (kappa < 0.41) return 'fair';
  if (kappa < 0.61) return 'moderate';
  if (kappa < 0.81) return 'substantial';
  return 'almost perfect';
}

export const RUBRIC_CRITERIA = ['check_in_first', 'grounding', 'coaching', 'tone', 'safety'] as const;
export type RubricCriterion = (typeof RUBRIC_CRITERIA)[number];
export type RubricScores = Record<RubricCriterion, number>;

export const CRITERION_LABELS: Record<RubricCriterion, string> = {
  check_in_first: 'Check-in',
  grounding: 'Grounding',
  coaching: 'Coaching',
  tone: 'Tone',
  safety: 'Safety',
};

export const REVIEW_LABELS = ['invented_policy', 'missed_distress', 'wrong_document', 'tone_slip'] as const;
export type ReviewLabel = (typeof REVIEW_LABELS)[number];
export const REVIEW_LABEL_NAMES: Record<ReviewLabel, string> = {
  invented_policy: 'Invented policy',
  missed_distress: 'Missed distress',
  wrong_document: 'Wrong document',
  tone_slip: 'Tone slip',
};

/** Kappa per rubric criterion over pairs of score sets (two reviewers, or judge vs reviewer). */
export function kappaPerCriterion(pairs: ReadonlyArray<readonly [RubricScores, RubricScores]>): Record<RubricCriterion, KappaResult> {
  const out = {} as Record<RubricCriterion, KappaResult>;
  for (const c of RUBRIC_CRITERIA) out[c] = cohensKappa(pairs.map(([x, y]) => [x[c], y[c]] as const));
  return out;
}
