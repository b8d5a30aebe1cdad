// The safety model: a second opinion on every message from a model made for it — Llama Guard 3
// on any OpenAI-compatible server (Ollama `llama-guard3`, vLLM), or OpenAI's moderation endpoint.
// It can only raise the local classifier's level, never lower it, and it never holds a turn up:
// it answers within its timeout (default 1.5 s) or the turn goes on without it. ADR 011.
import { Anonymizer } from '~/.server/privacy/anonymize';
import { generateText, type LanguageModel } from 'ai';
import { getLanguageModel, resolveCatalogueModel, type ModelEnv } from '~/.server/models/providers';
import { routeModel } from '~/.server/models/router';
import type { ModelPolicy } from '~/lib/models';
import { maxSafetyLevel, SAFETY_CATEGORIES, type SafetyCategory, type SafetyLevel, type SafetyVerdict } from '~/lib/safety';
import { moderationScores, parseModerationResponse } from './moderation';

export const DEFAULT_SAFETY_MODEL_TIMEOUT_MS = 1_500;
/** Llama Guard reads 8k tokens; a chat message is capped at 4,000 characters anyway. */
const MAX_INPUT_CHARS = 12_000;

export type SafetyModelStatus = 'safe' | 'unsafe' | 'timeout' | 'error';

/** What the safety model said about one message — ids and codes only, never the text. */
export interface SafetyModelOpinion {
  /** Catalogue id, e.g. "compat:safety". */
  modelId: string;
  provider: string;
  providerModelId: string;
  status: SafetyModelStatus;
  /** The level its categories suggest on their own ('none' when safe or when it did not answer). */
  level: SafetyLevel;
  categories: SafetyCategory[];
  /** The provider's own categories: Llama Guard hazard codes ("S11") or moderation names ("self-harm/intent"). */
  hazards: string[];
  /** "llama-guard:S11" / "moderation:self-harm/intent", for the safety event. */
  ruleIds: string[];
  /** Moderation only: category_scores of the categories we map, rounded. */
  scores?: Record<string, number>;
  latencyMs: number;
  timedOut: boolean;
  /** Why there is no verdict (HTTP status, unreadable output); never message text. */
  error?: string;
  usage: { inputTokens: number; outputTokens: number };
}

// Llama Guard 3's hazard taxonomy (MLCommons): S1 violent crimes, S2 non-violent crimes, S3 sex-related
// crimes, S4 child sexual exploitation, S5 defamation, S6 specialized advice, S7 privacy, S8 intellectual
// property, S9 indiscriminate weapons, S10 hate, S11 suicide & self-harm, S12 sexual content, S13
// elections, S14 code interpreter abuse. Only self-harm is a crisis on its own; violence and abuse are
// a concern the coach checks in on (the local classifier reads who is at risk and when).
export const LLAMA_GUARD_HAZARDS: Record<string, { name: string; level: SafetyLevel; category: SafetyCategory | null }> = {
  S1: { name: 'Violent Crimes', level: 'concern', category: 'harm_to_others' },
  S2: { name: 'Non-Violent Crimes', level: 'none', category: null },
  S3: { name: 'Sex-Related Crimes', level: 'concern', category: 'abuse_or_harassment' },
  S4: { name: 'Child Sexual Exploitation', level: 'concern', category: 'abuse_or_harassment' },
  S5: { name: 'Defamation', level: 'none', category: null },
  S6: { name: 'Specialized Advice', level: 'none', category: null },
  S7: { name: 'Privacy', level: 'none', category: null },
  S8: { name: 'Intellectual Property', level: 'none', category: null },
  S9: { name: 'Indiscriminate Weapons', level: 'concern', category: 'harm_to_others' },
  S10: { name: 'Hate', level: 'none', category: 'toxicity' },
  S11: { name: 'Suicide & Self-Harm', level: 'crisis', category: 'self_harm' },
  S12: { name: 'Sexual Content', level: 'none', category: null },
  S13: { name: 'Elections', level: 'none', category: null },
  S14: { name: 'Code Interpreter Abuse', level: 'none', category: null },
};

export interface LlamaGuardVerdict {
  safe: boolean;
  /** Hazard codes in the order given, deduplicated, known codes only. */
  hazards: string[];
}

/**
 * Reads Llama Guard's answer: "safe", or "unsafe" with a second line of comma-separated codes
 * ("unsafe\nS1,S10"). Tolerates case, spaces and the codes on the same line; null for anything else.
 */
export function parseLlamaGuardOutput(output: string): LlamaGuardVerdict | null {
  const text = output.trim();
  const head = /^(safe|unsafe)\b/i.exec(text);
  if (!head) return null;
  if (head[1].toLowerCase() === 'safe') return { safe: true, hazards: [] };
  const codes = [...text.slice(head[0].length).matchAll(/\bS(\d{1,2})\b/gi)].map((m) => `S${Number(m[1])}`);
  return { safe: false, hazards: [...new Set(codes)].filter((code) => code in LLAMA_GUARD_HAZARDS) };
}

/** Level and categories a Llama Guard verdict suggests. "unsafe" with no code we know is a concern. */
export function mapLlamaGuard(verdict: LlamaGuardVerdict): { level: SafetyLevel; categories: SafetyCategory[] } {
  if (verdict.safe) return { level: 'none', categories: [] };
  if (verdict.hazards.length === 0) return { level: 'concern', categories: [] };
  let level: SafetyLevel = 'none';
  const categories = new Set<SafetyCategory>();
  for (const code of verdict.hazards) {
    const hazard = LLAMA_GUARD_HAZARDS[code];
    level = maxSafetyLevel(level, hazard.level);
    if (hazard.category) categories.add(hazard.category);
  }
  return { level, categories: SAFETY_CATEGORIES.filter((c) => categories.has(c)) };
}

/** The configured safety model's catalogue id, or null (see routeSafety in models/router.ts); the tenant's zero-retention policy applies. */
export function configuredSafetyModel(env: ModelEnv, policy?: ModelPolicy): string | null {
  return routeModel({ purpose: 'safety', env, policy }).chain[0] ?? null;
}

export function safetyModelTimeoutMs(env: ModelEnv, override?: number): number {
  const value = Number(override ?? env.RAPPORT_SAFETY_MODEL_TIMEOUT_MS ?? DEFAULT_SAFETY_MODEL_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_SAFETY_MODEL_TIMEOUT_MS;
}

export interface AskSafetyModelInput {
  modelId: string;
  text: string;
  env: ModelEnv;
  timeoutMs?: number;
  /** The turn's signal: the person went away. */
  signal?: AbortSignal;
  /** Tests: a model instead of the provider's. */
  resolveModel?: (modelId: string) => LanguageModel;
  fetch?: typeof fetch;
  /**
   * The tenant's "Remove personal details before they leave Rapport" (ADR 021): a safety model that is
   * not local gets the message with people's details replaced by placeholders (the verdict needs none).
   */
  redact?: {
    enabled: boolean;
    country?: string | null;
    /** The turn's redaction (one numbering for every call of the turn, counted in lineage); else an anonymizer of its own. */
    anonymize?: (text: string) => string;
  };
}

/** Asks the safety model; resolves by the timeout at the latest and never rejects. */
export async function askSafetyModel(input: AskSafetyModelInput): Promise<SafetyModelOpinion> {
  const started = performance.now();
  const timeoutMs = safetyModelTimeoutMs(input.env, input.timeoutMs);
  const model = resolveCatalogueModel(input.modelId, input.env);
  const base = { modelId: model.id, provider: model.provider, providerModelId: model.providerModelId };
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(input.signal?.reason);
  if (input.signal?.aborted) onOuterAbort();
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<SafetyModelOpinion>((resolve) => {
    timer = setTimeout(() => {
      abort.abort(new Error('safety model timeout'));
      resolve(noVerdict(base, 'timeout', performance.now() - started, `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const asked = (async (): Promise<SafetyModelOpinion> => {
    try {
      const cut = input.text.slice(0, MAX_INPUT_CHARS);
      if (cut.trim() === '') return { ...noVerdict(base, 'safe', 0), status: 'safe' };
      const redact = input.redact;
      const text = redact?.enabled && !model.local ? (redact.anonymize ? redact.anonymize(cut) : new Anonymizer({ country: redact.country ?? undefined }).anonymize(cut)) : cut;
      return model.provider === 'openai'
        ? await askModeration(base, text, input, abort.signal, started)
        : await askLlamaGuard(base, text, input, abort.signal, started);
    } catch (error) {
      const status = abort.signal.aborted && !input.signal?.aborted ? 'timeout' : 'error';
      return noVerdict(base, status, performance.now() - started, shortError(error));
    }
  })();
  try {
    return await Promise.race([asked, timedOut]);
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onOuterAbort);
  }
}

type OpinionBase = Pick<SafetyModelOpinion, 'modelId' | 'provider' | 'providerModelId'>;

// The server applies Llama Guard's own chat template (Ollama's llama-guard3 and vLLM with the model's
// tokenizer do), which wraps the conversation in the hazard categories and asks for "safe"/"unsafe".
async function askLlamaGuard(base: OpinionBase, text: string, input: AskSafetyModelInput, signal: AbortSignal, started: number): Promise<SafetyModelOpinion> {
  const model = input.resolveModel ? input.resolveModel(base.modelId) : getLanguageModel(base.modelId, input.env);
  const result = await generateText({
    model,
    messages: [{ role: 'user', content: text }],
    temperature: 0,
    maxOutputTokens: 20,
    maxRetries: 0,
    abortSignal: signal,
  });
  const latencyMs = performance.now() - started;
  const usage = { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 };
  const verdict = parseLlamaGuardOutput(result.text);
  if (!verdict) return { ...noVerdict(base, 'error', latencyMs, 'unreadable safety model output'), usage };
  const mapped = mapLlamaGuard(verdict);
  return {
    ...base,
    status: verdict.safe ? 'safe' : 'unsafe',
    level: mapped.level,
    categories: mapped.categories,
    hazards: verdict.hazards,
    ruleIds: verdict.safe ? [] : verdict.hazards.length ? verdict.hazards.map((code) => `llama-guard:${code}`) : ['llama-guard:unsafe'],
    latencyMs,
    timedOut: false,
    usage,
  };
}

async function askModeration(base: OpinionBase, text: string, input: AskSafetyModelInput, signal: AbortSignal, started: number): Promise<SafetyModelOpinion> {
  const apiKey = input.env.OPENAI_API_KEY;
  if (!apiKey) return noVerdict(base, 'error', 0, 'OPENAI_API_KEY is not set');
  const baseUrl = (input.env.OPENAI_BASE_URL?.trim() || 'https://api.openai.com/v1').replace(/\/+$/, '');
  const response = await (input.fetch ?? fetch)(`${baseUrl}/moderations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model: base.providerModelId, input: text }),
    signal,
  });
  const latencyMs = performance.now() - started;
  if (!response.ok) return noVerdict(base, 'error', latencyMs, `HTTP ${response.status}`);
  const body = (await response.json()) as unknown;
  const opinion = parseModerationResponse(body);
  if (!opinion) return noVerdict(base, 'error', latencyMs, 'unreadable moderation response');
  return {
    ...base,
    status: opinion.flagged || opinion.level !== 'none' ? 'unsafe' : 'safe',
    level: opinion.level,
    categories: opinion.categories,
    hazards: opinion.ruleIds.map((id) => id.replace(/^moderation:/, '')),
    ruleIds: opinion.ruleIds,
    scores: moderationScores(body),
    latencyMs,
    timedOut: false,
    // The endpoint reports no tokens and is free; the event still records the call and its latency.
    usage: { inputTokens: 0, outputTokens: 0 },
  };
}

function noVerdict(base: OpinionBase, status: SafetyModelStatus, latencyMs: number, error?: string): SafetyModelOpinion {
  return {
    ...base,
    status,
    level: 'none',
    categories: [],
    hazards: [],
    ruleIds: [],
    latencyMs,
    timedOut: status === 'timeout',
    ...(error ? { error } : {}),
    usage: { inputTokens: 0, outputTokens: 0 },
  };
}

function shortError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Provider errors can echo the request; keep only the first line, and short.
  return message.split('\n')[0].slice(0, 160);
}

/** The local verdict with the safety model's opinion merged in: the higher level, the union of categories and rules. */
export function raiseVerdict(verdict: SafetyVerdict, opinion: SafetyModelOpinion | null): SafetyVerdict {
  if (!opinion || (opinion.status !== 'unsafe' && opinion.categories.length === 0)) return verdict;
  const categories = new Set<SafetyCategory>([...verdict.categories, ...opinion.categories]);
  return {
    ...verdict,
    level: maxSafetyLevel(verdict.level, opinion.level),
    categories: SAFETY_CATEGORIES.filter((c) => categories.has(c)),
    ruleIds: [...verdict.ruleIds, ...opinion.ruleIds.filter((id) => !verdict.ruleIds.includes(id))],
  };
}
