// Which model is good enough (issue 11, ADR 027): runs a tenant's evaluation set against each chosen chat
// model (pinned: no routing, no fallback) and the offline coach, judges every case when a judge model is
// configured, and stores each run with its prompt, pack and model versions so a trend can be drawn.
// Cost and time to first token come from the metered usage events of the run's turns. The turns are real
// chat turns of an active manager of the tenant; their conversations are deleted when the run is done,
// so evaluation never shows up in anyone's history (the usage events, ids and numbers only, stay).
import crypto from 'node:crypto';
import { deleteConversation } from '~/.server/coach/conversations';
import { loadPromptFiles } from '~/.server/coach/prompt';
import { getPublishedVersion } from '~/.server/culture/versions';
import { withTenant } from '~/.server/db/tenant';
import { getEnv } from '~/.server/env';
import { recordAudit } from '~/.server/governance/audit';
import { findCatalogueModel, isModelAvailable, type ModelEnv } from '~/.server/models/providers';
import { modelsAllowed, policyAllows } from '~/.server/models/router';
import { caseToScenario, listEvalCases } from '~/.server/review/cases';
import { listMembers } from '~/.server/tenants/members';
import { getTenant } from '~/.server/tenants/tenants';
import { modelPolicyOf } from '~/lib/culture';
import { RUBRIC_CRITERIA } from '~/lib/kappa';
import { percentile, type ModelResult } from '~/lib/model-comparison';
import { OFFLINE_COACH_ID } from '~/lib/models';
import { evaluateScenario, judgeConfigured, type Scenario, type ScenarioOutcome } from './scenarios';

export interface ModelRunResult extends ModelResult {
  runId: string;
  /** Mean judge score per rubric criterion (0..2); null when not judged. */
  judgeCriteria: Record<string, number> | null;
  judgeModel: string | null;
  /** What judging this run cost (metered separately from the chat cost). */
  judgeCostUsd: number;
  scenarios: ScenarioOutcome[];
}

export interface EvaluateModelInput {
  tenantId: string;
  /** The manager the turns run as. */
  userId: string;
  scenarios: Scenario[];
  /** A catalogue chat model to pin; null: the tenant's normal routing (plain `rapport eval`). */
  modelId: string | null;
  /** The run's model column when modelId is null (the model the tenant's routing picks first). */
  label?: string;
  comparisonId: string;
  source: 'cli' | 'web';
  judge: boolean;
  env?: ModelEnv;
  /** An already-created run row to fill in (the web page creates them queued). */
  runId?: string;
  onCase?: (done: number, total: number) => void | Promise<void>;
}

const micros = (usd: number) => Math.round(usd * 1_000_000);
const usd = (m: number) => m / 1_000_000;

/** The prompt files' versions, for lineage: {persona: "v3 1a2b3c4d5e6f", …}. */
export function promptVersions(): Record<string, string> {
  return Object.fromEntries(Object.values(loadPromptFiles()).map((f) => [f.name, `v${f.version} ${f.hash}`]));
}

/** Chat models a tenant may compare: configured here, allowed by its policy, and the offline coach. */
export function comparableModels(env: ModelEnv, settings: Parameters<typeof modelPolicyOf>[0]): Array<{ id: string; label: string }> {
  const policy = modelPolicyOf(settings);
  const models = modelsAllowed(env, 'chat', policy).map((m) => ({ id: m.id, label: m.label }));
  if (!models.some((m) => m.id === OFFLINE_COACH_ID)) models.push({ id: OFFLINE_COACH_ID, label: findCatalogueModel(OFFLINE_COACH_ID)?.label ?? 'offline coach' });
  return models;
}

export class ComparisonError extends Error {
  constructor(
    message: string,
    readonly code: 'no_cases' | 'no_manager' | 'bad_model',
  ) {
    super(message);
  }
}

/** Checks a list of model ids against what the tenant may compare; throws with the first bad one. */
export function checkComparableModels(ids: string[], env: ModelEnv, settings: Parameters<typeof modelPolicyOf>[0]): void {
  const policy = modelPolicyOf(settings);
  for (const id of ids) {
    const model = findCatalogueModel(id);
    if (!model) throw new ComparisonError(`"${id}" is not in the model catalogue`, 'bad_model');
    if (!model.purposes.includes('chat') && !model.purposes.includes('chat-sensitive')) throw new ComparisonError(`"${id}" is not a chat model`, 'bad_model');
    if (!isModelAvailable(model, env)) throw new ComparisonError(`"${id}" is not configured here`, 'bad_model');
    if (!policyAllows(id, env, policy)) throw new ComparisonError(`"${id}" is not allowed by this tenant's zero-retention policy`, 'bad_model');
  }
}

/** The tenant's evaluation set (database) and an active manager to run it as. */
export async function loadEvaluationSet(tenantId: string): Promise<{ scenarios: Scenario[]; userId: string }> {
  const scenarios = (await listEvalCases({ tenantId })).map(caseToScenario);
  if (scenarios.length === 0) throw new ComparisonError('This tenant has no evaluation cases yet.', 'no_cases');
  const manager = (await listMembers({ tenantId })).find((m) => m.role === 'manager' && m.status === 'active');
  if (!manager) throw new ComparisonError('No active manager to run the cases as.', 'no_manager');
  return { scenarios, userId: manager.id };
}

async function createRun(tenantId: string, fields: { comparisonId: string; modelId: string; source: 'cli' | 'web'; status: 'queued' | 'running' }): Promise<string> {
  const [row] = await withTenant(tenantId, (tx) => tx<{ id: string }[]>`
    insert into eval_run (tenant_id, comparison_id, model_id, source, status, started_at)
    values (${tenantId}, ${fields.comparisonId}, ${fields.modelId}, ${fields.source}, ${fields.status}, now()) returning id`);
  return row.id;
}

/** Runs the set against one model (or the tenant's routing) and stores the run and its cases. */
export async function evaluateModel(input: EvaluateModelInput): Promise<ModelRunResult> {
  const env = input.env ?? getEnv();
  const label = input.modelId ?? input.label ?? 'routed';
  const runId = input.runId ?? (await createRun(input.tenantId, { comparisonId: input.comparisonId, modelId: label, source: input.source, status: 'running' }));
  if (input.runId) await withTenant(input.tenantId, (tx) => tx`update eval_run set status = 'running', started_at = now() where tenant_id = ${input.tenantId} and id = ${runId}`);
  const judgeModel = input.judge ? await judgeConfigured(input.tenantId, env) : null;
  const published = await getPublishedVersion({ tenantId: input.tenantId }).catch(() => null);
  const outcomes: ScenarioOutcome[] = [];
  try {
    for (const scenario of input.scenarios) {
      // The tenant's policy is read again before every case: switching "only zero-retention providers" on stops a
      // comparison that is running against a model that keeps data (ADR 062).
      if (input.modelId) checkComparableModels([input.modelId], env, (await getTenant({ tenantId: input.tenantId })).settings);
      const outcome = await evaluateScenario({
        tenantId: input.tenantId,
        userId: input.userId,
        scenario,
        judge: judgeModel !== null,
        turnOptions: { env, ...(input.modelId ? { chatModel: input.modelId } : {}) },
      });
      outcomes.push(outcome);
      await deleteConversation({ tenantId: input.tenantId, userId: input.userId, conversationId: outcome.conversationId });
      await input.onCase?.(outcomes.length, input.scenarios.length);
    }
  } catch (error) {
    await withTenant(input.tenantId, (tx) => tx`
      update eval_run set status = 'failed', error = ${String((error as Error).message).slice(0, 500)}, finished_at = now()
      where tenant_id = ${input.tenantId} and id = ${runId}`);
    throw error;
  }
  const result = summariseRun(label, runId, outcomes, judgeModel);
  await withTenant(input.tenantId, async (tx) => {
    await tx`
      update eval_run set status = 'done', cases = ${result.cases}, passed = ${result.passed}, judge_mean = ${result.judgeMean},
        judge_criteria = ${result.judgeCriteria ? tx.json(result.judgeCriteria) : null},
        cost_micros = ${outcomes.reduce((s, o) => s + o.costMicros, 0)}, judge_cost_micros = ${micros(result.judgeCostUsd)},
        ttft_p50_ms = ${result.ttftP50Ms}, ttft_p95_ms = ${result.ttftP95Ms},
        prompt_versions = ${tx.json(promptVersions())}, pack_version = ${published?.number ?? null}, finished_at = now()
      where tenant_id = ${input.tenantId} and id = ${runId}`;
    for (const o of outcomes) {
      await tx`
        insert into eval_run_case (tenant_id, run_id, case_key, pass, failures, safety_level, answered_by, judge_overall, ttft_ms, cost_micros)
        values (${input.tenantId}, ${runId}, ${o.id}, ${o.pass}, ${tx.array(o.failures)}, ${o.safetyLevel}, ${o.model}, ${o.judge?.overall ?? null}, ${o.ttftMs}, ${o.costMicros})
        on conflict do nothing`;
    }
  });
  return result;
}

/** The contract figures of one run, from its case outcomes. */
export function summariseRun(model: string, runId: string, outcomes: ScenarioOutcome[], judgeModel: string | null): ModelRunResult {
  const cases = outcomes.length;
  const passed = outcomes.filter((o) => o.pass).length;
  const judged = outcomes.filter((o) => o.judge !== null);
  const judgeMean = judged.length > 0 ? round(judged.reduce((s, o) => s + o.judge!.overall, 0) / judged.length, 2) : null;
  let judgeCriteria: Record<string, number> | null = null;
  if (judged.length > 0) {
    judgeCriteria = {};
    for (const c of RUBRIC_CRITERIA) {
      const scores = judged.map((o) => o.judge!.criteria[c]?.score).filter((v): v is number => typeof v === 'number');
      if (scores.length > 0) judgeCriteria[c] = round(scores.reduce((a, b) => a + b, 0) / scores.length, 2);
    }
  }
  const ttfts = outcomes.map((o) => o.ttftMs).filter((v): v is number => v !== null);
  const costMicros = outcomes.reduce((s, o) => s + o.costMicros, 0);
  return {
    model,
    cases,
    passed,
    passRate: cases > 0 ? round(passed / cases, 4) : 0,
    judgeMean,
    costPer1000TurnsUsd: cases > 0 ? round(usd(costMicros) * (1000 / cases), 6) : 0,
    ttftP50Ms: percentile(ttfts, 0.5),
    ttftP95Ms: percentile(ttfts, 0.95),
    runId,
    judgeCriteria,
    judgeModel,
    judgeCostUsd: usd(outcomes.reduce((s, o) => s + o.judgeCostMicros, 0)),
    scenarios: outcomes,
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface ComparisonInput {
  tenantId: string;
  models: string[];
  source: 'cli' | 'web';
  actor: { userId: string | null; label: string };
  env?: ModelEnv;
  /** Defaults to the tenant's evaluation set in the database. */
  scenarios?: Scenario[];
  userId?: string;
  judge?: boolean;
}

/** Runs every model over the set, one after the other (so their TTFTs are not measured against each other). */
export async function runComparison(input: ComparisonInput & { comparisonId?: string; runIds?: string[] }): Promise<{ comparisonId: string; results: ModelRunResult[] }> {
  const env = input.env ?? getEnv();
  const set = input.scenarios && input.userId ? { scenarios: input.scenarios, userId: input.userId } : await loadEvaluationSet(input.tenantId);
  const comparisonId = input.comparisonId ?? crypto.randomUUID();
  if (!input.comparisonId) await auditComparison(input, comparisonId, set.scenarios.length);
  const results: ModelRunResult[] = [];
  for (const [i, modelId] of input.models.entries()) {
    results.push(
      await evaluateModel({ tenantId: input.tenantId, userId: set.userId, scenarios: set.scenarios, modelId, comparisonId, source: input.source, judge: input.judge ?? true, env, runId: input.runIds?.[i] }),
    );
  }
  return { comparisonId, results };
}

async function auditComparison(input: ComparisonInput, comparisonId: string, cases: number) {
  await withTenant(input.tenantId, (tx) =>
    recordAudit(tx, { tenantId: input.tenantId, actorUserId: input.actor.userId, actorLabel: input.actor.label, action: 'eval.compare_models', target: comparisonId, details: { models: input.models, cases } }),
  );
}

/**
 * The Compare models page: queues one run per model and works through them in the background of this
 * process (the page polls). A run left 'running' by a process that stopped is shown as failed.
 */
export async function startComparison(input: ComparisonInput): Promise<string> {
  const env = input.env ?? getEnv();
  const { settings } = await getTenant({ tenantId: input.tenantId });
  checkComparableModels(input.models, env, settings);
  const set = await loadEvaluationSet(input.tenantId);
  const comparisonId = crypto.randomUUID();
  const runIds: string[] = [];
  for (const modelId of input.models) runIds.push(await createRun(input.tenantId, { comparisonId, modelId, source: input.source, status: 'queued' }));
  await auditComparison(input, comparisonId, set.scenarios.length);
  void runComparison({ ...input, env, ...set, comparisonId, runIds }).catch(async (error: unknown) => {
    console.error(`[compare models] ${comparisonId} failed: ${(error as Error).message}`);
    await withTenant(input.tenantId, (tx) => tx`
      update eval_run set status = 'failed', error = 'the comparison stopped', finished_at = now()
      where tenant_id = ${input.tenantId} and comparison_id = ${comparisonId} and status in ('queued', 'running')`).catch(() => {});
  });
  return comparisonId;
}

export interface StoredRun extends ModelResult {
  runId: string;
  comparisonId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  source: 'cli' | 'web';
  judgeCriteria: Record<string, number> | null;
  promptVersions: Record<string, string>;
  packVersion: number | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

// A run with no progress for this long belongs to a process that stopped.
const STALE_MS = 20 * 60 * 1000;

interface RunRow {
  runId: string;
  comparisonId: string;
  model: string;
  status: StoredRun['status'];
  source: StoredRun['source'];
  cases: number;
  passed: number;
  judgeMean: string | null;
  judgeCriteria: Record<string, number> | null;
  costMicros: string;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  promptVersions: Record<string, string>;
  packVersion: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

function toStoredRun(r: RunRow, now = Date.now()): StoredRun {
  const stale = (r.status === 'running' || r.status === 'queued') && now - r.startedAt.getTime() > STALE_MS;
  return {
    runId: r.runId,
    comparisonId: r.comparisonId,
    model: r.model,
    status: stale ? 'failed' : r.status,
    source: r.source,
    cases: r.cases,
    passed: r.passed,
    passRate: r.cases > 0 ? round(r.passed / r.cases, 4) : 0,
    judgeMean: r.judgeMean === null ? null : Number(r.judgeMean),
    judgeCriteria: r.judgeCriteria,
    costPer1000TurnsUsd: r.cases > 0 ? round(usd(Number(r.costMicros)) * (1000 / r.cases), 6) : 0,
    ttftP50Ms: r.ttftP50Ms,
    ttftP95Ms: r.ttftP95Ms,
    promptVersions: r.promptVersions,
    packVersion: r.packVersion,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    error: stale ? 'the comparison stopped before it finished' : r.error,
  };
}

const RUN_COLUMNS = `id as "runId", comparison_id as "comparisonId", model_id as model, status, source, cases, passed,
  judge_mean::text as "judgeMean", judge_criteria as "judgeCriteria", cost_micros::text as "costMicros",
  ttft_p50_ms as "ttftP50Ms", ttft_p95_ms as "ttftP95Ms", prompt_versions as "promptVersions", pack_version as "packVersion",
  started_at as "startedAt", finished_at as "finishedAt", error`;

/** The tenant's runs, newest first (the trend chart and the latest comparison). */
export async function listEvalRuns({ tenantId, limit = 200 }: { tenantId: string; limit?: number }): Promise<StoredRun[]> {
  const rows = await withTenant(tenantId, (tx) =>
    tx.unsafe<RunRow[]>(`select ${RUN_COLUMNS} from eval_run where tenant_id = $1 order by started_at desc, model_id limit $2`, [tenantId, limit]),
  );
  return rows.map((r) => toStoredRun(r));
}

export interface RunCaseRow {
  caseKey: string;
  pass: boolean;
  failures: string[];
  safetyLevel: string;
  answeredBy: string | null;
  judgeOverall: number | null;
  ttftMs: number | null;
}

/** Per-case outcomes of the runs of one comparison (check results only, no text). */
export async function listComparisonCases({ tenantId, comparisonId }: { tenantId: string; comparisonId: string }): Promise<Record<string, RunCaseRow[]>> {
  const rows = await withTenant(tenantId, (tx) => tx<(RunCaseRow & { runId: string; judgeOverall: string | null })[]>`
    select c.run_id as "runId", c.case_key as "caseKey", c.pass, c.failures, c.safety_level as "safetyLevel", c.answered_by as "answeredBy",
      c.judge_overall::text as "judgeOverall", c.ttft_ms as "ttftMs"
    from eval_run_case c join eval_run r on r.tenant_id = c.tenant_id and r.id = c.run_id
    where c.tenant_id = ${tenantId} and r.comparison_id = ${comparisonId} order by c.case_key`);
  const byRun: Record<string, RunCaseRow[]> = {};
  for (const { runId, judgeOverall, ...row } of rows) (byRun[runId] ??= []).push({ ...row, judgeOverall: judgeOverall === null ? null : Number(judgeOverall) });
  return byRun;
}
