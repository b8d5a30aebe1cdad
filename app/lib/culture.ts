// Client-safe types for a tenant's culture pack: the structured part (tone, norms,
// support resources) that HR admins edit in forms and that the coach obeys.
import { z } from 'zod';
import { SUPPORTED_LANGUAGES } from './i18n';

export const toneSchema = z.object({
  formality: z.enum(['casual', 'neutral', 'formal']),
  warmth: z.enum(['reserved', 'warm', 'very_warm']),
  directness: z.enum(['gentle', 'balanced', 'direct']),
  wordsToUse: z.array(z.string().trim().min(1).max(60)).max(50),
  wordsToAvoid: z.array(z.string().trim().min(1).max(60)).max(50),
  /** How to address people, e.g. "first name", "team member", "colleague". */
  addressAs: z.string().trim().min(1).max(80),
});
export type Tone = z.infer<typeof toneSchema>;

export const normSchema = z.object({
  kind: z.enum(['do', 'dont']),
  text: z.string().trim().min(3).max(300),
});
export type Norm = z.infer<typeof normSchema>;

export const contactSchema = z.object({
  name: z.string().trim().min(1).max(120),
  phone: z.string().trim().max(40).optional(),
  email: z.string().trim().email().max(200).optional(),
  url: z.string().trim().url().max(300).optional(),
  hours: z.string().trim().max(120).optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const countryResourcesSchema = z.object({
  /** Local emergency number, e.g. "911", "999", "112". */
  emergency: z.string().trim().min(1).max(40),
  /** Crisis line name and number, e.g. "988 Suicide & Crisis Lifeline" / "988". */
  crisisLine: z.string().trim().min(1).max(120),
  crisisPhone: z.string().trim().max(40).optional(),
  crisisUrl: z.string().trim().url().max(300).optional(),
});
export type CountryResources = z.infer<typeof countryResourcesSchema>;

export const supportResourcesSchema = z.object({
  /** Employee-assistance programme. */
  eap: contactSchema.nullable(),
  hrContact: contactSchema,
  /** Designated support contact who receives consented hand-offs. */
  supportContact: contactSchema,
  defaultCountry: z.string().length(2),
  /** Keyed by ISO 3166-1 alpha-2 country code; missing countries fall back to DEFAULT_COUNTRY_RESOURCES. */
  byCountry: z.record(z.string().length(2), countryResourcesSchema),
});
export type SupportResources = z.infer<typeof supportResourcesSchema>;

/** Sensible defaults when a tenant has not configured a country. */
export const DEFAULT_COUNTRY_RESOURCES: Record<string, CountryResources> = {
  US: { emergency: '911', crisisLine: '988 Suicide & Crisis Lifeline', crisisPhone: '988', crisisUrl: 'https://988lifeline.org' },
  CA: { emergency: '911', crisisLine: '9-8-8 Suicide Crisis Helpline', crisisPhone: '988' },
  GB: { emergency: '999', crisisLine: 'Samaritans', crisisPhone: '116 123', crisisUrl: 'https://www.samaritans.org' },
  IE: { emergency: '112', crisisLine: 'Samaritans', crisisPhone: '116 123' },
  AU: { emergency: '000', crisisLine: 'Lifeline', crisisPhone: '13 11 14', crisisUrl: 'https://www.lifeline.org.au' },
};
export const FALLBACK_COUNTRY_RESOURCES: CountryResources = {
  emergency: 'your local emergency number',
  crisisLine: 'Find a Helpline',
  crisisUrl: 'https://findahelpline.com',
};

export function resourcesForCountry(resources: SupportResources, country?: string | null): CountryResources {
  const code = (country ?? resources.defaultCountry).toUpperCase();
  return resources.byCountry[code] ?? DEFAULT_COUNTRY_RESOURCES[code] ?? FALLBACK_COUNTRY_RESOURCES;
}

export const tenantSettingsSchema = z.object({
  temperatureCap: z.number().min(0).max(2).default(0.7),
  /** Days to keep conversation text; 0 = zero-retention (no message text stored). */
  retentionDays: z.number().int().min(0).max(3650).default(90),
  monthlyBudgetUsd: z.number().min(0).max(1_000_000).default(100),
  budgetAlertPercent: z.number().int().min(1).max(100).default(80),
  /** What happens at 100% of budget. */
  budgetAction: z.enum(['hard_stop', 'fallback_model']).default('hard_stop'),
  dailyMessageQuota: z.number().int().min(0).max(100_000).default(200),
  /** Model the tenant admin allows per purpose (catalogue ids); unset = the operator's default. */
  models: z
    .object({
      chat: z.string().max(100).optional(),
      chatSensitive: z.string().max(100).optional(),
      judge: z.string().max(100).optional(),
    })
    .default({}),
  /** Cheaper model used at 100% of budget when budgetAction is 'fallback_model'; unset = the offline coach. */
  budgetFallbackModel: z.string().max(100).optional(),
  /** Managers may share an exchange (anonymized) for review; a share of them is scored by the judge model. */
  review: z
    .object({
      enabled: z.boolean().default(true),
      judgeSamplePercent: z.number().int().min(0).max(100).default(100),
    })
    .default({}),
  /** Route only to models whose provider keeps nothing (catalogue zeroRetention), for every purpose. */
  zeroRetentionOnly: z.boolean().default(false),
  /** Replace people's names, emails, phones, ids and addresses before text goes to a non-local model. */
  redactPersonalDetails: z.boolean().default(true),
  /** The language people here mostly write in; used when a message is too short to tell. Unset = English. */
  language: z.enum(SUPPORTED_LANGUAGES).optional(),
});

/** The part of a tenant's settings the model router reads. */
export function modelPolicyOf(settings: Pick<TenantSettings, 'zeroRetentionOnly'>): { zeroRetentionOnly: boolean } {
  return { zeroRetentionOnly: settings.zeroRetentionOnly === true };
}
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/** tenants/<slug>/tenant.json — a demo tenant as shipped in the repository. */
export const tenantFileSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,40}$/),
  name: z.string().min(2).max(120),
  industry: z.string().max(60),
  country: z.string().length(2),
  /** Demo users are created as <role>@<emailDomain>. */
  emailDomain: z.string().min(3).max(100),
  settings: tenantSettingsSchema,
  tone: toneSchema,
  norms: z.array(normSchema).max(100),
  resources: supportResourcesSchema,
  starterPrompts: z.array(z.string().min(5).max(200)).min(2).max(8),
});
export type TenantFile = z.infer<typeof tenantFileSchema>;

/** Tone of a tenant that has not written one yet. */
export const DEFAULT_TONE: Tone = {
  formality: 'neutral',
  warmth: 'warm',
  directness: 'balanced',
  wordsToUse: [],
  wordsToAvoid: [],
  addressAs: 'first name',
};

/** Support resources of a tenant that has not set any: its country's public lines, HR as the contact. */
export function defaultResources(country = 'US'): SupportResources {
  const code = country.length === 2 ? country.toUpperCase() : 'US';
  const local = DEFAULT_COUNTRY_RESOURCES[code];
  return {
    eap: null,
    hrContact: { name: 'your HR team' },
    supportContact: { name: 'your HR team' },
    defaultCountry: code,
    byCountry: local ? { [code]: local } : {},
  };
}
