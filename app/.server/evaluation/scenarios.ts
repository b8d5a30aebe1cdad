// Coach evaluation: runs a tenant's scenarios (tenants/<slug>/scenarios.json) through the same
// runTurn() as the browser and checks what can be checked mechanically — check-in first,
// the expected policy document cited, nothing the tenant must never hear — and, when a judge
// model is configured, asks it to score the reply against prompts/judge-rubric.md.
import { usesAvoidedWord } from '~/lib/avoided-words';
import { companyWords } from '~/.server/privacy/anonymize';
import { redactTurn } from '~/.server/privacy/redact-turn';
import { recordLaterRedaction } from '~/.server/coach/turn-store';
import fs from 'node:fs';
import { generateText } from 'ai';
import { z } from 'zod';
import { loadPromptFiles, requirePromptFile } from '~/.server/coach/prompt';
import { runTurn, type RunTurnOptions, type TurnResult } from '~/.server/coach/run-turn';
import { withTenant } from '~/.server/db/tenant';
import { getEnv } from '~/.server/env';
import { recordUsageEvent } from '~/.server/metering/usage';
import { findCatalogueModel, getLanguageModel, type ModelEnv } from '~/.server/models/providers';
import { routeModel } from '~/.server/models/router';
import { getTenant } from '~/.server/tenants/tenants';
import { modelPolicyOf } from '~/lib/culture';

export const scenarioSchema = z.object({
  id: z.string().min(1),
  message: z.string().min(1).max(4000),
  expect: z.object({
    checkInFirst: z.boolean(),
    document: z.string().nullable(),
    mustNotContain: z.array(z.string()).default([]),
  }),
  /** A better reply written by a reviewer (`rapport review export` writes it; kept on import). */
  reference: z.string().max(8000).optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;

/**
 * A scenarios file: a JSON array (tenants/<slug>/scenarios.json) or JSON lines in the same shape, which is what
 * `rapport review export` prints — so an exported evaluation set imports back (into the same or another tenant).
 */
export function readScenarios(file: string): Scenario[] {
  const text = fs.readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('[')) return z.array(scenarioSchema).parse(JSON.parse(text));
  const scenarios: Scenario[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${i + 1}: ${(err as Error).message}`);
    }
    const parsed = scenarioSchema.safeParse(value);
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'case'}: ${x.message}`).join('; ')}`);
    scenarios.push(parsed.data);
  });
  if (scenarios.length === 0) throw new Error('no scenarios in the file');
  return scenarios;
}

const CHECK_IN =
  /\b(are you (?:ok|okay|alright|all right|safe)|how are you(?: doing| holding up)?|is this happening (?:right )?now|are you in (?:danger|a safe place)|is (?:the person|she|he|they|your colleague|your team member) (?:safe|okay|ok)|how are you feeling|that sounds (?:really )?(?:hard|tough|heavy|exhausting|stressful))\b/i;

/** The reply's opening (first two sentences) checks in on the person before anything else. */
export function checksInFirst(reply: string): boolean {
  const opening = reply
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s/)
    .slice(0, 2)
    .join(' ');
  return CHECK_IN.test(opening) || /\b(?:glad you (?:told|reached|said)|thank you for telling me)\b/i.test(opening);
}

export type JudgeScores = { overall: number; criteria: Record<string, { score: number; reason: string }> };

export type ScenarioOutcome = {
  id: string;
  pass: boolean;
  checks: { checkInFirst: boolean; document: boolean; mustNotContain: boolean };
  failures: string[];
  model: string | null;
  safetyLevel: string;
  citedDocuments: string[];
  judge: JudgeScores | null;
  /** The metered chat calls of this case: time to first token of the answering call, cost in micro-dollars. */
  ttftMs: number | null;
  costMicros: number;
  /** The judge's call for this case (micro-dollars; 0 when not judged). */
  judgeCostMicros: number;
  conversationId: string;
};

async function citedDocumentNames(tenantId: string, chunkIds: string[]): Promise<string[]> {
  if (chunkIds.length === 0) return [];
  const rows = await withTenant(tenantId, (tx) =>
    tx<{ name: string }[]>`select distinct d.name from pack_chunk c join pack_document d on d.tenant_id = c.tenant_id and d.id = c.document_id
      where c.tenant_id = ${tenantId} and c.id = any(${chunkIds}::uuid[])`,
  );
  return rows.map((r) => r.name);
}

export const judgeReplySchema = z
  .object({ overall: z.number().min(0).max(10) })
  .catchall(z.unknown())
  .transform((v) => {
    const criteria: JudgeScores['criteria'] = {};
    for (const [k, value] of Object.entries(v)) {
      const parsed = z.object({ score: z.number(), reason: z.string() }).safeParse(value);
      if (parsed.success) criteria[k] = parsed.data;
    }
    return { overall: v.overall, criteria };
  });

/** Scores one reply with the judge model; null when none is configured or it answers nonsense. */
async function judgeReply(opts: { tenantId: string; scenario: Scenario; result: TurnResult; env?: ModelEnv }): Promise<{ scores: JudgeScores | null; costMicros: number } | null> {
  const env = opts.env ?? getEnv();
  const tenant = await getTenant({ tenantId: opts.tenantId });
  const { settings } = tenant;
  const route = routeModel({ purpose: 'judge', env, tenantAllowed: { judge: settings.models.judge }, policy: modelPolicyOf(settings) });
  const modelId = route.chain[0];
  if (!modelId) return null;
  const rubric = requirePromptFile(loadPromptFiles(), 'judge-rubric').text;
  const passages = opts.result.citations.map((c) => `[${c.label}] ${c.document} — ${c.heading}`).join('\n') || '(none)';
  const started = Date.now();
  // A judge that is not local gets people's details as placeholders, like the chat call (ADR 021); its call is recorded
  // in the evaluated answer's lineage with the turn's own (ADR 062 session 14).
  const redaction = redactTurn({ enabled: settings.redactPersonalDetails, env, resolveModel: (id) => getLanguageModel(id, env), country: tenant.country, keep: companyWords(tenant) });
  const { text, usage } = await generateText({
    model: redaction.resolveModel(modelId, 'judge'),
    system: rubric,
    temperature: 0,
    prompt: `Manager's message:\n${opts.scenario.message}\n\nPassages cited:\n${passages}\n\nReply to evaluate:\n${opts.result.reply}`,
  });
  const recorded = await recordUsageEvent({
    tenantId: opts.tenantId,
    userId: null,
    conversationId: opts.result.conversationId,
    purpose: 'judge',
    provider: findCatalogueModel(modelId)?.provider ?? 'unknown',
    modelId,
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    latencyMs: Date.now() - started,
    status: 'ok',
  });
  await recordLaterRedaction({ tenantId: opts.tenantId, messageId: opts.result.assistantMessageId, record: redaction.record() });
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  try {
    const parsed = judgeReplySchema.safeParse(JSON.parse(json));
    return { scores: parsed.success ? parsed.data : null, costMicros: recorded.costMicros };
  } catch {
    return { scores: null, costMicros: recorded.costMicros };
  }
}

/** Whether a judge model would score this tenant's runs (configured, allowed by its policy). */
export async function judgeConfigured(tenantId: string, env: ModelEnv = getEnv()): Promise<string | null> {
  const { settings } = await getTenant({ tenantId });
  return routeModel({ purpose: 'judge', env, tenantAllowed: { judge: settings.models.judge }, policy: modelPolicyOf(settings) }).chain[0] ?? null;
}

/** The chat calls metered for one evaluated turn: cost and the answering call's time to first token. */
async function chatUsageOf(tenantId: string, conversationId: string): Promise<{ costMicros: number; ttftMs: number | null }> {
  const [row] = await withTenant(tenantId, (tx) =>
    tx<{ cost: string | null; ttft: number | null }[]>`
      select sum(cost_micros)::text as cost, max(ttft_ms) filter (where status in ('ok', 'fallback')) as ttft
      from usage_event where tenant_id = ${tenantId} and conversation_id = ${conversationId} and purpose in ('chat', 'chat-sensitive')`,
  );
  return { costMicros: Number(row?.cost ?? 0), ttftMs: row?.ttft ?? null };
}

export interface EvaluateScenarioInput {
  tenantId: string;
  userId: string;
  scenario: Scenario;
  /** true: score with the judge model when one is configured (every evaluation run does; ADR 027). */
  judge?: boolean;
  /** Seams: the model comparison pins the chat model and the environment. */
  turnOptions?: RunTurnOptions;
}

export async function evaluateScenario(opts: EvaluateScenarioInput): Promise<ScenarioOutcome> {
  const { scenario } = opts;
  const turn = await runTurn({ tenantId: opts.tenantId, userId: opts.userId, text: scenario.message }, opts.turnOptions);
  const result = await turn.result;
  const cited = await citedDocumentNames(opts.tenantId, result.citations.map((c) => c.chunkId));
  // A forbidden word counts as a word or its inflection, not as letters inside another word ("mate" in "estimate").
  const forbidden = scenario.expect.mustNotContain.filter((s) => usesAvoidedWord(result.reply, s));
  const checks = {
    checkInFirst: !scenario.expect.checkInFirst || checksInFirst(result.reply),
    document: scenario.expect.document === null || cited.includes(scenario.expect.document),
    mustNotContain: forbidden.length === 0,
  };
  const failures = [
    ...(checks.checkInFirst ? [] : ['does not check in first']),
    ...(checks.document ? [] : [`does not cite ${scenario.expect.document} (cited: ${cited.join(', ') || 'nothing'})`]),
    ...forbidden.map((s) => `contains "${s}"`),
  ];
  const judged = opts.judge ? await judgeReply({ tenantId: opts.tenantId, scenario, result, env: opts.turnOptions?.env }).catch(() => null) : null;
  const usage = await chatUsageOf(opts.tenantId, result.conversationId);
  return {
    id: scenario.id,
    pass: failures.length === 0 && result.status !== 'error',
    checks,
    failures: result.status === 'error' ? [...failures, 'the coach could not answer'] : failures,
    model: result.modelId,
    safetyLevel: result.safety.level,
    citedDocuments: cited,
    judge: judged?.scores ?? null,
    ttftMs: usage.ttftMs,
    costMicros: usage.costMicros,
    judgeCostMicros: judged?.costMicros ?? 0,
    conversationId: result.conversationId,
  };
}
