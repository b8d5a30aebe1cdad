// Picks the model chain for one call: the purpose, the tenant's choice, the operator's configuration,
// and whether the message touches a sensitive topic. Pure: no network, no database.
import { OFFLINE_COACH_ID, OFFLINE_EMBEDDER_ID, type CatalogueModel, type ModelPolicy, type ModelPurpose } from '~/lib/models';
import { findCatalogueModel, isModelAvailable, availableModels, resolveCatalogueModel, type ModelEnv } from './providers';

export {
  streamWithFallback,
  AllModelsFailedError,
  DEFAULT_FIRST_TOKEN_TIMEOUT_MS,
  LAST_RESORT_FIRST_TOKEN_TIMEOUT_MS,
  type FallbackAttempt,
  type FallbackStream,
  type StreamCompletion,
  type StreamWithFallbackOptions,
} from './stream-with-fallback';

export type SensitiveTopic = 'termination' | 'harassment' | 'medical_leave' | 'discrimination' | 'disciplinary';

const SENSITIVE_PATTERNS: Record<SensitiveTopic, RegExp> = {
  termination:
    /\b(fir(?:e|ed|ing)\b(?! (?:drill|alarm|safety|exit|door|extinguisher|up|warden))|dismiss(?:al|ed|ing)?\b|terminat(?:e|ed|ion|ing)\b|let (?:him|her|them|someone|somebody|\w+) go\b|laid off|lay(?:ing)? (?:him|her|them|\w+ )?off\b|layoffs?\b|redundan(?:t|cy|cies)\b|sack(?:ed|ing)?\b)/i,
  harassment:
    /\b(harass\w*|bull(?:y|ied|ying)\b|sexual (?:comments?|advances?|jokes?|remarks?)|hostile (?:work )?environment|inappropriate(?:ly)? (?:touch\w*|comments?|remarks?|behaviou?r|messages?)|stalk\w*)/i,
  medical_leave:
    /\b(medical (?:leave|condition|appointment|note)|sick (?:leave|note)|fmla\b|disabilit(?:y|ies)\b|disabled\b|long[- ]term sick|mental health (?:leave|condition|crisis)|(?:maternity|paternity|parental) leave|surgery|diagnos(?:is|ed)\b|chemotherapy|cancer\b|pregnan(?:t|cy)\b)/i,
  discrimination:
    /\b(discriminat\w*|racis(?:m|t)\w*|sexis(?:m|t)\w*|homophob\w*|transphob\w*|ageis(?:m|t)\w*|equal pay|because (?:of )?(?:her|his|their) (?:race|religion|age|gender|sexuality|disability|accent|ethnicity|nationality))/i,
  disciplinary:
    /\b(disciplinary|(?:written|final|verbal|formal) warning|performance improvement plan|\bpip\b|grievance|gross misconduct|misconduct|suspen(?:d|ded|sion)\b|formal investigation)/i,
};

/** Sensitive workplace topics mentioned in a text, in a fixed order. */
export function detectSensitiveTopics(text: string): SensitiveTopic[] {
  return (Object.keys(SENSITIVE_PATTERNS) as SensitiveTopic[]).filter((topic) => SENSITIVE_PATTERNS[topic].test(text));
}

export interface RouteModelInput {
  purpose: 'chat' | 'judge' | 'embedding' | 'safety';
  /** The user's message; only chat routing reads it. */
  text?: string;
  /** Models the tenant admin picked; ignored when not configured here. */
  tenantAllowed?: { chat?: string; judge?: string };
  /** The tenant's privacy settings: with zeroRetentionOnly, no other model is ever in a chain. */
  policy?: ModelPolicy;
  env: ModelEnv;
}

export interface ModelRoute {
  /** The purpose actually served: 'chat-sensitive' when a sensitive topic went to the sensitive model. */
  purpose: ModelPurpose;
  /** Models to try, in order. Chat chains end in the offline coach; a judge chain may be empty. */
  chain: string[];
  sensitive: boolean;
  sensitiveTopics: SensitiveTopic[];
  /** One human-readable line for lineage and logs. */
  reason: string;
  /** Set when the tenant allows only zero-retention models and none is configured for this purpose (chat: the offline coach answers). */
  noZeroRetentionModel?: true;
}

export function routeModel(input: RouteModelInput): ModelRoute {
  if (input.purpose === 'embedding') return routeEmbedding(input.env, input.policy);
  if (input.purpose === 'safety') return routeSafety(input.env, input.policy);
  if (input.purpose === 'judge') return routeJudge(input);
  return routeChat(input);
}

/** Whether the tenant's policy lets a model be routed to at all (the offline models always are). */
export function policyAllows(id: string, env: ModelEnv, policy: ModelPolicy | undefined): boolean {
  if (!policy?.zeroRetentionOnly) return true;
  return findCatalogueModel(id) !== undefined && resolveCatalogueModel(id, env).zeroRetention;
}

/** Configured models a tenant's policy leaves for a purpose, in catalogue order (the settings page lists them). */
export function modelsAllowed(env: ModelEnv, purpose: ModelPurpose, policy: ModelPolicy | undefined): CatalogueModel[] {
  return availableModels(env, purpose).filter((m) => policyAllows(m.id, env, policy));
}

interface Choice {
  id: string | undefined;
  notes: string[];
}

/** First candidate that exists, serves the purpose and is configured; the notes say why others were skipped. */
function choose(candidates: Array<[source: string, id: string | undefined]>, purpose: ModelPurpose, env: ModelEnv, policy?: ModelPolicy): Choice {
  const notes: string[] = [];
  for (const [source, id] of candidates) {
    if (!id) continue;
    const model = findCatalogueModel(id);
    if (!model) notes.push(`${source} "${id}" is not in the catalogue`);
    else if (!model.purposes.includes(purpose)) notes.push(`${source} "${id}" is not a ${purpose} model`);
    else if (!isModelAvailable(model, env)) notes.push(`${source} "${id}" is not configured`);
    else if (!policyAllows(id, env, policy)) notes.push(`${source} "${id}" is not zero-retention`);
    else return { id, notes: [...notes, `${source} chose ${id}`] };
  }
  return { id: undefined, notes };
}

function routeChat(input: RouteModelInput): ModelRoute {
  const { env, policy } = input;
  const sensitiveTopics = detectSensitiveTopics(input.text ?? '');
  const primary = choose(
    [
      ['tenant choice', input.tenantAllowed?.chat],
      ['RAPPORT_CHAT_MODEL', env.RAPPORT_CHAT_MODEL],
      ['catalogue default', modelsAllowed(env, 'chat', policy)[0]?.id],
    ],
    'chat',
    env,
    policy,
  );
  const chatChain = fallbackChain(primary.id ?? OFFLINE_COACH_ID, ['chat', 'chat-sensitive'], env, policy);
  // Only the offline coach is left because of the tenant's zero-retention policy: the turn says so.
  const zdrNotes = (chain: string[]) =>
    policy?.zeroRetentionOnly && chain.length === 1 && modelsAllowed(env, 'chat', policy).every((m) => m.id === OFFLINE_COACH_ID) && availableModels(env, 'chat').some((m) => m.id !== OFFLINE_COACH_ID)
      ? { noZeroRetentionModel: true as const }
      : {};
  if (sensitiveTopics.length === 0) {
    const chain = endWithOfflineCoach(chatChain);
    return { purpose: 'chat', chain, sensitive: false, sensitiveTopics, reason: primary.notes.join('; '), ...zdrNotes(chain) };
  }
  const sensitive = choose([['RAPPORT_SENSITIVE_MODEL', env.RAPPORT_SENSITIVE_MODEL]], 'chat-sensitive', env, policy);
  const topics = `sensitive topic (${sensitiveTopics.join(', ')})`;
  if (!sensitive.id) {
    const why = sensitive.notes.length > 0 ? sensitive.notes.join('; ') : 'no sensitive model configured';
    const chain = endWithOfflineCoach(chatChain);
    return { purpose: 'chat', chain, sensitive: true, sensitiveTopics, reason: `${topics}; ${why}; ${primary.notes.join('; ')}`, ...zdrNotes(chain) };
  }
  const chain = endWithOfflineCoach(unique([...fallbackChain(sensitive.id, ['chat-sensitive', 'chat'], env, policy), ...chatChain]));
  return { purpose: 'chat-sensitive', chain, sensitive: true, sensitiveTopics, reason: `${topics}; ${sensitive.notes.join('; ')}`, ...zdrNotes(chain) };
}

function routeJudge(input: RouteModelInput): ModelRoute {
  const { env, policy } = input;
  const primary = choose(
    [
      ['tenant choice', input.tenantAllowed?.judge],
      ['RAPPORT_JUDGE_MODEL', env.RAPPORT_JUDGE_MODEL],
      ['catalogue default', modelsAllowed(env, 'judge', policy)[0]?.id],
    ],
    'judge',
    env,
    policy,
  );
  // No offline judge: the offline coach cannot grade replies, so an empty chain tells the caller to skip judging.
  const chain = primary.id ? fallbackChain(primary.id, ['judge'], env, policy) : [];
  const none = policy?.zeroRetentionOnly && availableModels(env, 'judge').length > 0 ? 'no zero-retention judge model configured' : 'no judge model configured';
  const reason = primary.id ? primary.notes.join('; ') : [...primary.notes, none].join('; ');
  return { purpose: 'judge', chain, sensitive: false, sensitiveTopics: [], reason, ...(!primary.id && policy?.zeroRetentionOnly ? { noZeroRetentionModel: true as const } : {}) };
}

function routeEmbedding(env: ModelEnv, policy: ModelPolicy | undefined): ModelRoute {
  const chosen = choose([['RAPPORT_EMBEDDING_MODEL', env.RAPPORT_EMBEDDING_MODEL]], 'embedding', env, policy);
  // Vectors from different models are not comparable, so embeddings never fall back and never switch
  // model just because an API key appeared: the stored index would silently stop matching. A tenant that
  // allows only zero-retention models uses the offline embedder when the configured one is not (its packs
  // are embedded by the same route, so pack and question vectors still match).
  const id = chosen.id ?? OFFLINE_EMBEDDER_ID;
  const reason = chosen.id ? chosen.notes.join('; ') : [...chosen.notes, `default ${OFFLINE_EMBEDDER_ID}`].join('; ');
  return { purpose: 'embedding', chain: [id], sensitive: false, sensitiveTopics: [], reason };
}

/**
 * The safety model is a second opinion that costs a call per message and may send text to a
 * provider, so it is opt-in: RAPPORT_SAFETY_MODEL names it, or naming a Llama Guard model on the
 * compatible server (OPENAI_COMPATIBLE_SAFETY_MODEL) turns it on. OpenAI's moderation endpoint is
 * used only when chosen, never just because OPENAI_API_KEY is set. No fallback: one opinion per turn.
 * A tenant that allows only zero-retention providers gets none that is not.
 */
function routeSafety(env: ModelEnv, policy?: ModelPolicy): ModelRoute {
  const none = (reason: string): ModelRoute => ({ purpose: 'safety', chain: [], sensitive: false, sensitiveTopics: [], reason });
  const named = env.RAPPORT_SAFETY_MODEL?.trim();
  if (named === 'none') return none('RAPPORT_SAFETY_MODEL is none');
  const candidates: Array<[string, string | undefined]> = named
    ? [['RAPPORT_SAFETY_MODEL', named]]
    : [['OPENAI_COMPATIBLE_SAFETY_MODEL', env.OPENAI_COMPATIBLE_SAFETY_MODEL?.trim() ? 'compat:safety' : undefined]];
  const chosen = choose(candidates, 'safety', env, policy);
  if (!chosen.id) return none([...chosen.notes, 'no safety model configured'].join('; '));
  return { purpose: 'safety', chain: [chosen.id], sensitive: false, sensitiveTopics: [], reason: chosen.notes.join('; ') };
}

/** Follows the catalogue's fallback links from a model, keeping configured models that serve one of the purposes (and the tenant's policy allows). */
export function fallbackChain(startId: string, purposes: ModelPurpose[], env: ModelEnv, policy?: ModelPolicy): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let model: CatalogueModel | undefined = findCatalogueModel(startId); model && !seen.has(model.id); ) {
    seen.add(model.id);
    if (isModelAvailable(model, env) && model.purposes.some((p) => purposes.includes(p)) && policyAllows(model.id, env, policy)) chain.push(model.id);
    model = model.fallback ? findCatalogueModel(model.fallback) : undefined;
  }
  return chain;
}

function endWithOfflineCoach(chain: string[]): string[] {
  return [...chain.filter((id) => id !== OFFLINE_COACH_ID), OFFLINE_COACH_ID];
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** The temperature to send: the request, or the cap when none was asked for, never above the tenant's cap or below 0. */
export function capTemperature(requested: number | undefined, cap: number): number {
  const safeCap = Number.isFinite(cap) ? Math.max(0, cap) : 0;
  if (requested === undefined || !Number.isFinite(requested)) return safeCap;
  return Math.min(Math.max(0, requested), safeCap);
}
