// Optional second opinion on concern-level messages from OpenAI's moderation endpoint.
// Never required: without OPENAI_API_KEY, or on any error or timeout, the answer is null and the
// local classifier's verdict stands. A second opinion can raise a verdict, never lower it.
import { getEnv } from '~/.server/env';
import { maxSafetyLevel, SAFETY_CATEGORIES, type SafetyCategory, type SafetyLevel, type SafetyVerdict } from '~/lib/safety';

export const MODERATION_MODEL = 'omni-moderation-latest';
export const DEFAULT_MODERATION_TIMEOUT_MS = 1_500;
/** The endpoint accepts long inputs, but a chat message is capped well below this anyway. */
const MAX_INPUT_CHARS = 20_000;

export type ModerationOpinion = {
  provider: 'openai';
  model: string;
  flagged: boolean;
  /** The level the provider's categories suggest on their own. */
  level: SafetyLevel;
  categories: SafetyCategory[];
  /** "moderation:<provider category>" for each flagged category — for the safety event, no text. */
  ruleIds: string[];
};

export type ModerationOptions = {
  apiKey?: string;
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

// Provider category → our level and category. Intent or instructions for self-harm is a crisis;
// the rest is a concern that the local classifier (which reads idioms and third parties) refines.
const CATEGORY_MAP: Record<string, { level: SafetyLevel; category: SafetyCategory }> = {
  'self-harm/intent': { level: 'crisis', category: 'self_harm' },
  'self-harm/instructions': { level: 'crisis', category: 'self_harm' },
  'self-harm': { level: 'concern', category: 'self_harm' },
  'harassment/threatening': { level: 'concern', category: 'harm_to_others' },
  'hate/threatening': { level: 'concern', category: 'harm_to_others' },
  'violence': { level: 'concern', category: 'harm_to_others' },
  'violence/graphic': { level: 'concern', category: 'harm_to_others' },
  'illicit/violent': { level: 'concern', category: 'harm_to_others' },
  'harassment': { level: 'concern', category: 'abuse_or_harassment' },
  'hate': { level: 'none', category: 'toxicity' },
};

export function moderationConfigured(options: ModerationOptions = {}): boolean {
  return Boolean(options.apiKey ?? getEnv().OPENAI_API_KEY);
}

/** Asks the moderation endpoint about one message; null when unconfigured or on any failure. */
export async function secondOpinion(text: string, options: ModerationOptions = {}): Promise<ModerationOpinion | null> {
  try {
    const env = getEnv();
    const apiKey = options.apiKey ?? env.OPENAI_API_KEY;
    if (!apiKey || text.trim() === '') return null;
    const baseUrl = (options.baseUrl ?? env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
    const response = await (options.fetch ?? fetch)(`${baseUrl}/moderations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model: MODERATION_MODEL, input: text.slice(0, MAX_INPUT_CHARS) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_MODERATION_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    return parseModerationResponse(await response.json());
  } catch {
    return null;
  }
}

/**
 * A category we map counts when the provider flags it, or when its score reaches this even though the
 * provider's own threshold was not met: for a safety second opinion a miss costs more than a check-in.
 */
export const MODERATION_SCORE_THRESHOLD = 0.5;

/**
 * Reads `{model, results: [{flagged, categories: {name: boolean}, category_scores: {name: number}}]}`;
 * null if it is not that shape.
 */
export function parseModerationResponse(body: unknown): ModerationOpinion | null {
  const result = (body as { results?: unknown[] } | null)?.results?.[0] as { flagged?: unknown; categories?: unknown; category_scores?: unknown } | undefined;
  if (!result || typeof result.flagged !== 'boolean' || typeof result.categories !== 'object' || result.categories === null) return null;
  const scores = typeof result.category_scores === 'object' && result.category_scores !== null ? (result.category_scores as Record<string, unknown>) : {};
  const byScore = (name: string) => name in CATEGORY_MAP && typeof scores[name] === 'number' && (scores[name] as number) >= MODERATION_SCORE_THRESHOLD;
  const flaggedNames = [...new Set([...Object.keys(result.categories as object), ...Object.keys(scores)])]
    .filter((name) => (result.categories as Record<string, unknown>)[name] === true || byScore(name))
    .sort();
  let level: SafetyLevel = 'none';
  const categories = new Set<SafetyCategory>();
  for (const name of flaggedNames) {
    const mapped = CATEGORY_MAP[name];
    if (!mapped) continue;
    level = maxSafetyLevel(level, mapped.level);
    categories.add(mapped.category);
  }
  const model = (body as { model?: unknown }).model;
  return {
    provider: 'openai',
    model: typeof model === 'string' ? model : MODERATION_MODEL,
    flagged: result.flagged,
    level,
    categories: SAFETY_CATEGORIES.filter((c) => categories.has(c)),
    ruleIds: flaggedNames.map((name) => `moderation:${name}`),
  };
}

/**
 * For the chat turn: a concern-level verdict gets the provider's second opinion (when configured)
 * merged in — the higher level, the union of categories and rule ids. Other levels make no call.
 */
export async function withSecondOpinion(
  verdict: SafetyVerdict,
  text: string,
  options: ModerationOptions = {},
): Promise<{ verdict: SafetyVerdict; opinion: ModerationOpinion | null }> {
  if (verdict.level !== 'concern' || !moderationConfigured(options)) return { verdict, opinion: null };
  const opinion = await secondOpinion(text, options);
  if (!opinion) return { verdict, opinion: null };
  const categories = new Set<SafetyCategory>([...verdict.categories, ...opinion.categories]);
  return {
    opinion,
    verdict: {
      ...verdict,
      level: maxSafetyLevel(verdict.level, opinion.level),
      categories: SAFETY_CATEGORIES.filter((c) => categories.has(c)),
      ruleIds: [...verdict.ruleIds, ...opinion.ruleIds.filter((id) => !verdict.ruleIds.includes(id))],
    },
  };
}

/** category_scores of the categories we map, rounded to 3 places, for lineage (numbers only). */
export function moderationScores(body: unknown): Record<string, number> {
  const scores = ((body as { results?: Array<{ category_scores?: unknown }> } | null)?.results?.[0]?.category_scores ?? {}) as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const name of Object.keys(CATEGORY_MAP)) {
    const value = scores[name];
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = Math.round(value * 1000) / 1000;
  }
  return out;
}
