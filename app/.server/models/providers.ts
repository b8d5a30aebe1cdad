// The only place model ids become provider clients. Configuration comes from the environment,
// passed in as a plain object so tests and the CLI can supply their own.
import type { EmbeddingModelV3, LanguageModelV3 } from '@ai-sdk/provider';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { wrapLanguageModel, type LanguageModelMiddleware } from 'ai';
import { catalogueSchema, type Catalogue, type CatalogueModel, type ModelPurpose } from '~/lib/models';
import catalogueJson from './catalogue.json';
import { OfflineCoachModel } from './offline-coach';
import { OfflineEmbeddingModel } from './offline-embedder';
import { ThinCompatibleChatModel } from './compatible-chat-stream';

/** Every environment variable this module reads. All optional: with none set, only the offline models exist. */
export interface ModelEnv {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  ANTHROPIC_API_KEY?: string;
  OPENAI_COMPATIBLE_BASE_URL?: string;
  OPENAI_COMPATIBLE_API_KEY?: string;
  OPENAI_COMPATIBLE_CHAT_MODEL?: string;
  OPENAI_COMPATIBLE_JUDGE_MODEL?: string;
  OPENAI_COMPATIBLE_EMBEDDING_MODEL?: string;
  /** Vector length of the compatible embedding model when it differs from the catalogue's 768. */
  OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS?: string | number;
  RAPPORT_CHAT_MODEL?: string;
  RAPPORT_SENSITIVE_MODEL?: string;
  RAPPORT_JUDGE_MODEL?: string;
  /** Query rewriting and the answerability check (coach/grounding-model.ts): "chat" (the tenant's chat model) or a catalogue id; unset: off. */
  RAPPORT_GROUNDING_MODEL?: string;
  RAPPORT_EMBEDDING_MODEL?: string;
  /** Catalogue ids the operator attests a zero-data-retention agreement for (comma-separated). */
  RAPPORT_ZERO_RETENTION_MODELS?: string;
  /** "false": the OpenAI-compatible server is a remote gateway, not a local server (no longer local or zero-retention). */
  OPENAI_COMPATIBLE_LOCAL?: string;
  /** "compat:safety", "openai:omni-moderation-latest" or "none"; unset: Llama Guard when its model is named. */
  RAPPORT_SAFETY_MODEL?: string;
  /** The Llama Guard model on the compatible server, e.g. "llama-guard3:1b" (Ollama) or "meta-llama/Llama-Guard-3-8B" (vLLM). */
  OPENAI_COMPATIBLE_SAFETY_MODEL?: string;
  /** A separate server for the safety model; OPENAI_COMPATIBLE_BASE_URL otherwise. */
  OPENAI_COMPATIBLE_SAFETY_BASE_URL?: string;
  RAPPORT_SAFETY_MODEL_TIMEOUT_MS?: string | number;
}

export type ModelErrorCode = 'unknown_model' | 'not_configured' | 'wrong_kind';

export class ModelUnavailableError extends Error {
  readonly code: ModelErrorCode;
  readonly modelId: string;
  constructor(code: ModelErrorCode, modelId: string, message: string) {
    super(message);
    this.name = 'ModelUnavailableError';
    this.code = code;
    this.modelId = modelId;
  }
}

let parsedCatalogue: Catalogue | null = null;

/** The catalogue, validated once; a malformed data file fails loudly at first use. */
export function getCatalogue(): Catalogue {
  parsedCatalogue ??= catalogueSchema.parse(catalogueJson);
  return parsedCatalogue;
}

export function findCatalogueModel(id: string): CatalogueModel | undefined {
  return getCatalogue().models.find((m) => m.id === id);
}

/** The catalogue entry with environment overrides applied (compatible servers name their own models). */
export function resolveCatalogueModel(id: string, env: ModelEnv): CatalogueModel {
  const model = findCatalogueModel(id);
  if (!model) throw new ModelUnavailableError('unknown_model', id, `No model "${id}" in the catalogue`);
  const fromEnv = model.providerModelIdEnv ? envValue(env, model.providerModelIdEnv) : undefined;
  const dimensions =
    model.provider === 'openai-compatible' && model.purposes.includes('embedding')
      ? Number(env.OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS ?? model.dimensions)
      : model.dimensions;
  const remoteGateway = model.provider === 'openai-compatible' && envValue(env, 'OPENAI_COMPATIBLE_LOCAL')?.toLowerCase() === 'false';
  const local = model.local && !remoteGateway;
  const zeroRetention = local || (model.zeroRetention && !remoteGateway) || attestedZeroRetention(env).has(model.id);
  return { ...model, providerModelId: fromEnv ?? model.providerModelId, dimensions, local, zeroRetention };
}

function attestedZeroRetention(env: ModelEnv): Set<string> {
  return new Set((envValue(env, 'RAPPORT_ZERO_RETENTION_MODELS') ?? '').split(',').map((id) => id.trim()).filter(Boolean));
}

/** The provider keeps nothing of what it is sent (catalogue, as configured here). Unknown ids are not. */
export function isZeroRetentionModel(id: string, env: ModelEnv): boolean {
  return findCatalogueModel(id) ? resolveCatalogueModel(id, env).zeroRetention : false;
}

/** Runs locally (offline models, a local server): gets the real text. Unknown ids are not local. */
export function isLocalModel(id: string, env: ModelEnv): boolean {
  return findCatalogueModel(id) ? resolveCatalogueModel(id, env).local : false;
}

export function isModelAvailable(model: CatalogueModel, env: ModelEnv): boolean {
  switch (model.provider) {
    case 'offline':
      return true;
    case 'openai':
      return present(env.OPENAI_API_KEY);
    case 'anthropic':
      return present(env.ANTHROPIC_API_KEY);
    case 'openai-compatible':
      // A local server has no default model name worth guessing, so its model must be named.
      return present(compatibleBaseUrl(model, env)) && (!model.providerModelIdEnv || present(envValue(env, model.providerModelIdEnv)));
  }
}

/** Catalogue entries usable with this environment, in catalogue (preference) order. */
export function availableModels(env: ModelEnv, purpose?: ModelPurpose): CatalogueModel[] {
  return getCatalogue()
    .models.filter((m) => (purpose ? m.purposes.includes(purpose) : true))
    .filter((m) => isModelAvailable(m, env))
    .map((m) => resolveCatalogueModel(m.id, env));
}

let offlineCoach: OfflineCoachModel | null = null;
let offlineEmbedder: OfflineEmbeddingModel | null = null;

// Provider model objects are stateless configuration, but building one is not free (the
// OpenAI-compatible chat model compiles its chunk schemas in its constructor, ≈ 5 ms): one per
// environment object and model id, built on first use.
const languageModels = new WeakMap<ModelEnv, Map<string, LanguageModelV3>>();

export function getLanguageModel(id: string, env: ModelEnv): LanguageModelV3 {
  let models = languageModels.get(env);
  if (!models) languageModels.set(env, (models = new Map()));
  let model = models.get(id);
  if (!model) models.set(id, (model = buildLanguageModel(id, env)));
  return model;
}

function buildLanguageModel(id: string, env: ModelEnv): LanguageModelV3 {
  const model = usableModel(id, env);
  if (model.purposes.every((p) => p === 'embedding')) {
    throw new ModelUnavailableError('wrong_kind', id, `Model "${id}" is an embedding model`);
  }
  switch (model.provider) {
    case 'offline':
      offlineCoach ??= new OfflineCoachModel(model.providerModelId);
      return offlineCoach;
    case 'openai':
      // Chat Completions rather than Responses: it is what OPENAI_BASE_URL gateways and proxies speak.
      return wrapLanguageModel({
        model: createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: blankToUndefined(env.OPENAI_BASE_URL) }).chat(model.providerModelId),
        middleware: openAINoStore,
      });
    case 'anthropic':
      return createAnthropic({ apiKey: env.ANTHROPIC_API_KEY })(model.providerModelId);
    case 'openai-compatible':
      // Streaming through the thin transport (compatible-chat-stream.ts); everything else is the SDK model's.
      return new ThinCompatibleChatModel(compatibleProvider(env, compatibleBaseUrl(model, env)).chatModel(model.providerModelId));
  }
}

export function getEmbeddingModel(id: string, env: ModelEnv): EmbeddingModelV3 {
  const model = usableModel(id, env);
  if (!model.purposes.includes('embedding')) {
    throw new ModelUnavailableError('wrong_kind', id, `Model "${id}" is not an embedding model`);
  }
  switch (model.provider) {
    case 'offline':
      offlineEmbedder ??= new OfflineEmbeddingModel(model.providerModelId);
      return offlineEmbedder;
    case 'openai':
      return createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: blankToUndefined(env.OPENAI_BASE_URL) }).embedding(model.providerModelId);
    case 'openai-compatible':
      return compatibleProvider(env).embeddingModel(model.providerModelId);
    case 'anthropic':
      throw new ModelUnavailableError('wrong_kind', id, 'Anthropic has no embedding models');
  }
}

/**
 * Every request to OpenAI says `store: false` (chat completions are otherwise kept for the dashboard's
 * evals and distillation). Set here so no caller can forget it; see docs/decisions/020.
 */
const openAINoStore: LanguageModelMiddleware = {
  specificationVersion: 'v3',
  transformParams: async ({ params }) => ({
    ...params,
    providerOptions: { ...params.providerOptions, openai: { ...params.providerOptions?.openai, store: false } },
  }),
};

function usableModel(id: string, env: ModelEnv): CatalogueModel {
  const model = resolveCatalogueModel(id, env);
  if (!isModelAvailable(model, env)) {
    throw new ModelUnavailableError('not_configured', id, `Model "${id}" is not configured in this environment`);
  }
  return model;
}

/** The safety model may live on its own server (e.g. vLLM serving Llama Guard beside Ollama). */
function compatibleBaseUrl(model: CatalogueModel, env: ModelEnv): string | undefined {
  if (model.purposes.includes('safety') && present(env.OPENAI_COMPATIBLE_SAFETY_BASE_URL)) return env.OPENAI_COMPATIBLE_SAFETY_BASE_URL;
  return env.OPENAI_COMPATIBLE_BASE_URL;
}

function compatibleProvider(env: ModelEnv, baseURL = env.OPENAI_COMPATIBLE_BASE_URL) {
  return createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: (baseURL ?? '').replace(/\/+$/, ''),
    apiKey: blankToUndefined(env.OPENAI_COMPATIBLE_API_KEY),
    // Without this, streamed replies come back with no token counts.
    includeUsage: true,
    ...(isOpenAIEndpoint(baseURL) ? { transformRequestBody: withStoreFalse } : {}),
  });
}

/**
 * ADR 062 (session 13): OpenAI itself configured through the openai-compatible provider (OPENAI_COMPATIBLE_BASE_URL =
 * https://api.openai.com/v1) gets `store: false` like the openai provider's requests. Other servers do not: Ollama,
 * vLLM and LM Studio keep no completions (the field means nothing to them; some log every unknown field, a strict
 * gateway may refuse one), and what they retain is the operator's attestation in the catalogue (zeroRetention).
 */
export function isOpenAIEndpoint(baseURL: string | undefined): boolean {
  if (!present(baseURL)) return false;
  try {
    const host = new URL(baseURL!.trim()).hostname.toLowerCase();
    return host === 'openai.com' || host.endsWith('.openai.com');
  } catch {
    return false;
  }
}

const withStoreFalse = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, store: false });

function envValue(env: ModelEnv, name: string): string | undefined {
  const value = (env as Record<string, unknown>)[name];
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

function present(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

function blankToUndefined(value: string | undefined): string | undefined {
  return present(value) ? value!.trim() : undefined;
}
