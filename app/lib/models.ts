// Client-safe model catalogue types: the UI imports these to list and label models.
// The data itself lives in app/.server/models/catalogue.json; prices live in metering/prices.json.
import { z } from 'zod';

export const modelProviders = ['offline', 'openai', 'anthropic', 'openai-compatible'] as const;
export type ModelProvider = (typeof modelProviders)[number];

/** 'safety': a second opinion on every message (Llama Guard 3 or OpenAI moderation); it can only raise the level. */
export const modelPurposes = ['chat', 'chat-sensitive', 'judge', 'embedding', 'safety'] as const;
export type ModelPurpose = (typeof modelPurposes)[number];

/** The two models that need no network; the chat one is always the end of a chat fallback chain. */
export const OFFLINE_COACH_ID = 'offline-coach';
export const OFFLINE_EMBEDDER_ID = 'offline-embedder';
export const OFFLINE_COACH_LABEL = 'offline coach';

export const catalogueModelSchema = z
  .object({
    /** Stable id used everywhere (settings, lineage, prices.json keys). */
    id: z.string().regex(/^[a-z0-9][a-z0-9:._-]{1,80}$/),
    label: z.string().min(1).max(80),
    provider: z.enum(modelProviders),
    /** The id the provider's API expects. */
    providerModelId: z.string().min(1).max(120),
    /** For openai-compatible servers the real model id comes from this environment variable. */
    providerModelIdEnv: z.string().regex(/^[A-Z][A-Z0-9_]+$/).optional(),
    purposes: z.array(z.enum(modelPurposes)).min(1),
    contextWindow: z.number().int().positive(),
    maxOutputTokens: z.number().int().nonnegative(),
    /** Vector length; required for embedding models. */
    dimensions: z.number().int().positive().optional(),
    /** Next model id to try on a provider error or first-token timeout; null ends the chain. */
    fallback: z.string().nullable(),
    /**
     * The provider keeps no prompts or replies: true only where the operator attests an agreement (an
     * OpenAI or Anthropic zero-data-retention arrangement, a BAA) or the model runs in-house. Operators add
     * attested models with RAPPORT_ZERO_RETENTION_MODELS; see docs/decisions/020.
     */
    zeroRetention: z.boolean().default(false),
    /** Runs on this machine or the operator's own network: gets real text, never redacted. */
    local: z.boolean().default(false),
  })
  .refine((m) => !m.purposes.includes('embedding') || m.dimensions !== undefined, {
    message: 'embedding models need dimensions',
  });
export type CatalogueModel = z.infer<typeof catalogueModelSchema>;

export const catalogueSchema = z
  .object({ models: z.array(catalogueModelSchema).min(1) })
  .superRefine((catalogue, ctx) => {
    const ids = new Set<string>();
    for (const model of catalogue.models) {
      if (ids.has(model.id)) ctx.addIssue({ code: 'custom', message: `duplicate model id ${model.id}` });
      ids.add(model.id);
    }
    for (const model of catalogue.models) {
      if (model.fallback !== null && !ids.has(model.fallback)) {
        ctx.addIssue({ code: 'custom', message: `${model.id} falls back to unknown model ${model.fallback}` });
      }
    }
    if (!ids.has(OFFLINE_COACH_ID) || !ids.has(OFFLINE_EMBEDDER_ID)) {
      ctx.addIssue({ code: 'custom', message: 'the offline coach and offline embedder must be in the catalogue' });
    }
  });
export type Catalogue = z.infer<typeof catalogueSchema>;

/** What the browser needs to show a model choice (no provider ids, no configuration). */
export type ModelOption = Pick<CatalogueModel, 'id' | 'label' | 'provider' | 'purposes' | 'zeroRetention' | 'local'>;

export function toModelOption(model: CatalogueModel): ModelOption {
  return { id: model.id, label: model.label, provider: model.provider, purposes: model.purposes, zeroRetention: model.zeroRetention, local: model.local };
}

/** What a tenant's privacy settings allow of the catalogue (tenant settings → router). */
export interface ModelPolicy {
  /** Only models whose provider keeps nothing (zeroRetention) may be routed to, for every purpose. */
  zeroRetentionOnly?: boolean;
}
