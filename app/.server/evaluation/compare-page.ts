// The Compare models page's loader and action (app/routes/admin.compare.tsx stays thin). Everything it
// returns is ids, labels and numbers: case keys, check results and figures — no message or reply text.
import { getEnv } from '~/.server/env';
import { findCatalogueModel } from '~/.server/models/providers';
import { listEvalCases } from '~/.server/review/cases';
import { getTenant } from '~/.server/tenants/tenants';
import { RUBRIC_CRITERIA } from '~/lib/kappa';
import { DEFAULT_MARGIN_POINTS, rankModels, recommendationSentence } from '~/lib/model-comparison';
import { comparableModels, ComparisonError, listComparisonCases, listEvalRuns, startComparison, type RunCaseRow, type StoredRun } from './comparison';
import { judgeConfigured } from './scenarios';

const TREND_COMPARISONS = 20;

function parseMargin(raw: string | null | undefined): number {
  const value = Number(raw);
  return raw != null && raw !== '' && Number.isFinite(value) && value >= 0 && value <= 50 ? value : DEFAULT_MARGIN_POINTS;
}

function versionLabel(run: StoredRun): string {
  const day = run.startedAt.slice(5, 16).replace('T', ' ');
  const persona = run.promptVersions.persona?.split(' ')[0] ?? '?';
  return `${day} · pack ${run.packVersion === null ? '—' : `v${run.packVersion}`} · persona ${persona}`;
}

export async function loadComparePage({ tenantId, url }: { tenantId: string; url: URL }) {
  const env = getEnv();
  const { settings } = await getTenant({ tenantId });
  const margin = parseMargin(url.searchParams.get('margin'));
  const [cases, runs, judgeModel] = await Promise.all([listEvalCases({ tenantId }), listEvalRuns({ tenantId }), judgeConfigured(tenantId, env)]);
  const models = comparableModels(env, settings);
  const labels: Record<string, string> = {};
  for (const id of new Set([...models.map((m) => m.id), ...runs.map((r) => r.model), ...(judgeModel ? [judgeModel] : [])])) labels[id] = findCatalogueModel(id)?.label ?? id;

  const requested = url.searchParams.get('comparison');
  const comparisonId = runs.some((r) => r.comparisonId === requested) ? requested : (runs[0]?.comparisonId ?? null);
  let latest = null;
  if (comparisonId) {
    const own = runs.filter((r) => r.comparisonId === comparisonId).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.model.localeCompare(b.model));
    const done = own.filter((r) => r.status === 'done');
    const ranked = rankModels(done, { marginPoints: margin });
    const rankOf = new Map(ranked.map((r) => [r.result.runId, r]));
    const rows = [...ranked.map((r) => r.result), ...own.filter((r) => r.status !== 'done')].map((r) => ({
      ...r,
      rank: rankOf.get(r.runId)?.rank ?? null,
      goodEnough: rankOf.get(r.runId)?.goodEnough ?? false,
      recommended: rankOf.get(r.runId)?.recommended ?? false,
    }));
    const byRun = await listComparisonCases({ tenantId, comparisonId });
    const keys = [...new Set(Object.values(byRun).flatMap((list) => list.map((c) => c.caseKey)))].sort();
    const caseGrid = keys.map((caseKey) => ({
      caseKey,
      outcomes: rows.map((r): Pick<RunCaseRow, 'pass' | 'failures'> | null => {
        const found = byRun[r.runId]?.find((c) => c.caseKey === caseKey);
        return found ? { pass: found.pass, failures: found.failures } : null;
      }),
    }));
    latest = {
      comparisonId,
      startedAt: own[0]?.startedAt ?? new Date().toISOString(),
      inProgress: own.some((r) => r.status === 'queued' || r.status === 'running'),
      sentence: recommendationSentence(ranked, (id) => labels[id] ?? id),
      rows,
      criteria: done.filter((r) => r.judgeCriteria).map((r) => ({ model: r.model, scores: r.judgeCriteria! })),
      cases: caseGrid,
    };
  }

  // Trend: one point per comparison (oldest first), one line per model.
  const doneRuns = runs.filter((r) => r.status === 'done');
  const comparisons = [...new Set(doneRuns.map((r) => r.comparisonId))].slice(0, TREND_COMPARISONS).reverse();
  const series = [...new Set(doneRuns.filter((r) => comparisons.includes(r.comparisonId)).map((r) => r.model))].sort();
  const points = comparisons.map((id) => {
    const own = doneRuns.filter((r) => r.comparisonId === id);
    return { label: versionLabel(own[0]), values: Object.fromEntries(own.map((r) => [r.model, Math.round(r.passRate * 1000) / 10])) };
  });

  return {
    caseCount: cases.length,
    models,
    labels,
    judgeModel,
    margin,
    criteria: [...RUBRIC_CRITERIA],
    latest,
    trend: { points, series },
  };
}

export type StartComparisonOutcome = { ok: true; comparisonId: string; margin: number } | { ok: false; formError: string };

export async function startComparisonFromForm({ tenantId, actor, request }: { tenantId: string; actor: { userId: string; label: string }; request: Request }): Promise<StartComparisonOutcome> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { ok: false, formError: 'The form could not be read.' };
  }
  const models = [...new Set(form.getAll('models').filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100))];
  if (models.length === 0) return { ok: false, formError: 'Pick at least one model.' };
  if (models.length > 8) return { ok: false, formError: 'Compare at most eight models at a time.' };
  const running = (await listEvalRuns({ tenantId, limit: 20 })).some((r) => r.status === 'queued' || r.status === 'running');
  if (running) return { ok: false, formError: 'A comparison is already running; wait for it to finish.' };
  try {
    const comparisonId = await startComparison({ tenantId, models, source: 'web', actor });
    return { ok: true, comparisonId, margin: parseMargin(String(form.get('margin') ?? '')) };
  } catch (error) {
    if (error instanceof ComparisonError) return { ok: false, formError: error.message };
    throw error;
  }
}
