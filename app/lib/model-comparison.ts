// Ranking a model comparison: "good enough at the lowest cost". Pure and client-safe (the Compare models
// page and `rapport eval --models` use the same function).
//   good enough = pass rate within `marginPoints` percentage points of the best pass rate (and, when both
//                 have judge scores, a judge mean within `judgeMargin` of the best judge mean);
//   recommended = the cheapest good-enough model (ties: higher pass rate, higher judge mean, lower TTFT p95).
// Good-enough models come first, cheapest first; the rest follow by pass rate.

/** One model's result over the tenant's evaluation set: the `rapport eval --json` contract. */
export interface ModelResult {
  model: string;
  cases: number;
  passed: number;
  /** passed / cases, 0..1 (0 when there were no cases). */
  passRate: number;
  /** Mean judge score 0..10 over the judged cases; null when no judge model is configured. */
  judgeMean: number | null;
  /** Chat cost per 1,000 turns in dollars, from the metered calls of the run. */
  costPer1000TurnsUsd: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

export interface RankedModel<T extends ModelResult = ModelResult> {
  result: T;
  rank: number;
  goodEnough: boolean;
  recommended: boolean;
}

export interface RankOptions {
  /** Percentage points below the best pass rate still counted as good enough (default 5). */
  marginPoints?: number;
  /** Judge points (0..10) below the best judge mean still counted as good enough (default 1). */
  judgeMargin?: number;
}

export const DEFAULT_MARGIN_POINTS = 5;
const EPSILON = 1e-9;

export function rankModels<T extends ModelResult>(results: T[], options: RankOptions = {}): RankedModel<T>[] {
  const margin = Math.max(0, options.marginPoints ?? DEFAULT_MARGIN_POINTS) / 100;
  const judgeMargin = Math.max(0, options.judgeMargin ?? 1);
  const usable = results.filter((r) => r.cases > 0);
  if (usable.length === 0) return results.map((result, i) => ({ result, rank: i + 1, goodEnough: false, recommended: false }));
  const bestPass = Math.max(...usable.map((r) => r.passRate));
  const judged = usable.map((r) => r.judgeMean).filter((j): j is number => j !== null);
  const bestJudge = judged.length > 0 ? Math.max(...judged) : null;
  const goodEnough = (r: T) =>
    r.cases > 0 && r.passRate >= bestPass - margin - EPSILON && (bestJudge === null || r.judgeMean === null || r.judgeMean >= bestJudge - judgeMargin - EPSILON);
  const byQuality = (a: T, b: T) =>
    b.passRate - a.passRate || (b.judgeMean ?? -1) - (a.judgeMean ?? -1) || (a.ttftP95Ms ?? Infinity) - (b.ttftP95Ms ?? Infinity) || a.model.localeCompare(b.model);
  const good = results.filter(goodEnough).sort((a, b) => a.costPer1000TurnsUsd - b.costPer1000TurnsUsd || byQuality(a, b));
  const rest = results.filter((r) => !goodEnough(r)).sort((a, b) => (b.cases > 0 ? 1 : 0) - (a.cases > 0 ? 1 : 0) || byQuality(a, b));
  return [...good, ...rest].map((result, i) => ({ result, rank: i + 1, goodEnough: goodEnough(result), recommended: i === 0 && goodEnough(result) }));
}

/** A fraction in words for "at one-twentieth of the cost"; null when it is not a clear saving. */
export function costFractionWords(cheaper: number, dearer: number): string | null {
  if (!(dearer > 0) || cheaper >= dearer) return null;
  if (cheaper <= 0) return 'no chat cost';
  const ratio = dearer / cheaper;
  if (ratio < 1.15) return null;
  const named: Record<number, string> = { 2: 'half', 3: 'a third', 4: 'a quarter', 5: 'one-fifth', 10: 'one-tenth', 20: 'one-twentieth', 50: 'one-fiftieth', 100: 'one-hundredth' };
  const rounded = ratio >= 10 ? Math.round(ratio / 5) * 5 : Math.round(ratio);
  if (ratio < 1.9) return `${Math.round((cheaper / dearer) * 100)}% of`;
  return `${named[rounded] ?? `1/${rounded}`} of`;
}

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/**
 * One sentence for the page: "GPT-4o mini passes 96% of cases at one-twentieth of GPT-4o's cost."
 * Compares the recommended model with the best-scoring model that costs more.
 */
export function recommendationSentence<T extends ModelResult>(ranked: RankedModel<T>[], labelOf: (model: string) => string = (m) => m): string | null {
  const pick = ranked.find((r) => r.recommended)?.result;
  if (!pick) return null;
  const dearer = ranked
    .map((r) => r.result)
    .filter((r) => r.model !== pick.model && r.cases > 0 && r.costPer1000TurnsUsd > pick.costPer1000TurnsUsd)
    .sort((a, b) => b.passRate - a.passRate || b.costPer1000TurnsUsd - a.costPer1000TurnsUsd)[0];
  const head = `${labelOf(pick.model)} passes ${percent(pick.passRate)} of cases`;
  if (!dearer) return `${head} and is the cheapest good-enough model here.`;
  const fraction = costFractionWords(pick.costPer1000TurnsUsd, dearer.costPer1000TurnsUsd);
  const versus = `${labelOf(dearer.model)} (${percent(dearer.passRate)})`;
  if (fraction === 'no chat cost') return `${head} with no chat cost, against ${versus}.`;
  return fraction ? `${head} at ${fraction} ${versus}'s cost.` : `${head}, close to ${versus} at a lower cost.`;
}

/** Nearest-rank percentile of a list (null for an empty one). */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
