// The tenant admin's settings: budget and quota, models per purpose, privacy toward providers, sharing
// for review (on or off, the judged share), temperature cap and retention. Each form section is one intent; a change is written and audited (from → to) in
// one transaction, and switching to a shorter retention purges expired text in that same
// transaction.
import { data } from '@remix-run/node';
import type { User } from 'lucia';
import { z } from 'zod';
import type { Tx } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { getEnv } from '~/.server/env';
import { fieldErrorsOf, readForm } from '~/.server/forms';
import { recordAudit } from '~/.server/governance/audit';
import { purgeExpiredText } from '~/.server/governance/retention';
import { modelsAllowed, routeModel } from '~/.server/models/router';
import { findCatalogueModel } from '~/.server/models/providers';
import { getTenant } from '~/.server/tenants/tenants';
import { parseBudgetForm } from '~/lib/budget-form';
import { modelPolicyOf, tenantSettingsSchema, type TenantSettings } from '~/lib/culture';
import { OFFLINE_COACH_ID, toModelOption, type ModelOption, type ModelPolicy, type ModelPurpose } from '~/lib/models';
import { readTenantSettings } from '~/.server/tenants/settings-read';

export const MAX_TEMPERATURE_CAP = 1;
export const MAX_RETENTION_DAYS = 3650;

export type SettingsActionResult =
  | { ok: true; intent: string; message: string }
  | { ok: false; intent: string; formError: string; fieldErrors: Record<string, string> };

export interface ModelChoices {
  chat: ModelOption[];
  chatSensitive: ModelOption[];
  judge: ModelOption[];
}

/** Models the admin may pick per purpose: catalogue entries configured here that the tenant's policy allows. */
export function modelChoices(policy?: ModelPolicy): ModelChoices {
  const env = getEnv();
  const options = (purpose: ModelPurpose) => modelsAllowed(env, purpose, policy).map(toModelOption);
  return { chat: options('chat'), chatSensitive: options('chat-sensitive'), judge: options('judge') };
}

export interface ZeroRetentionModels {
  /** Configured chat models with zero retention besides the offline coach (empty: chats use the offline coach). */
  chat: string[];
  chatSensitive: string[];
  /** Empty: no judge, so judging is skipped. */
  judge: string[];
  /** The embedding model packs and questions would use (label). */
  embedding: string;
  /** Configured models the setting would remove, by label. */
  removed: string[];
}

/** What "only zero-retention providers" leaves in this installation, for the settings page. */
export function zeroRetentionModels(): ZeroRetentionModels {
  const env = getEnv();
  const policy = { zeroRetentionOnly: true };
  const labels = (purpose: ModelPurpose) => modelsAllowed(env, purpose, policy).filter((m) => m.id !== OFFLINE_COACH_ID).map((m) => m.label);
  const [embeddingId] = routeModel({ purpose: 'embedding', env, policy }).chain;
  const all = (['chat', 'chat-sensitive', 'judge', 'embedding'] as const).flatMap((p) => modelsAllowed(env, p, undefined));
  const removed = [...new Map(all.filter((m) => !m.zeroRetention).map((m) => [m.id, m.label])).values()];
  return {
    chat: labels('chat'),
    chatSensitive: labels('chat-sensitive'),
    judge: labels('judge'),
    embedding: findCatalogueModel(embeddingId)?.label ?? embeddingId,
    removed,
  };
}

const checkbox = z
  .unknown()
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1');
const privacySchema = z.object({ zeroRetentionOnly: checkbox, redactPersonalDetails: checkbox });

const PLAIN_NUMBER = /^\d+(\.\d+)?$/;
const formNumber = (value: unknown) =>
  typeof value === 'string' ? (value.trim() === '' ? undefined : PLAIN_NUMBER.test(value.trim()) ? Number(value.trim()) : Number.NaN) : value;

const reviewSchema = z
  .object({
    reviewEnabled: checkbox,
    judgeSamplePercent: z.preprocess(
      formNumber,
      z
        .number({ required_error: 'Enter the share of shared exchanges the judge scores, from 0 to 100.', invalid_type_error: 'The judged share must be a whole number from 0 to 100, such as 100.' })
        .int('The judged share must be a whole number from 0 to 100, such as 100.')
        .min(0, 'The judged share must be from 0 to 100.')
        .max(100, 'The judged share must be from 0 to 100.'),
    ),
  })
  .transform((v) => ({ review: { enabled: v.reviewEnabled, judgeSamplePercent: v.judgeSamplePercent } }));

const temperatureSchema = z.object({
  temperatureCap: z.preprocess(
    formNumber,
    z
      .number({ required_error: 'Enter a temperature cap between 0 and 1.', invalid_type_error: 'The temperature cap must be a number between 0 and 1, such as 0.7.' })
      .min(0, 'The temperature cap must be between 0 and 1.')
      .max(MAX_TEMPERATURE_CAP, 'The temperature cap must be between 0 and 1.'),
  ),
});

const retentionSchema = z
  .object({
    retentionMode: z.enum(['days', 'zero'], { errorMap: () => ({ message: 'Choose how long conversation text is kept.' }) }),
    retentionDays: z.preprocess(formNumber, z.unknown()),
  })
  .transform((value, ctx) => {
    if (value.retentionMode === 'zero') return { retentionDays: 0 };
    const days = value.retentionDays;
    if (typeof days !== 'number' || Number.isNaN(days)) {
      ctx.addIssue({ code: 'custom', path: ['retentionDays'], message: 'Retention must be a whole number of days, such as 90.' });
      return z.NEVER;
    }
    if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['retentionDays'], message: `Retention must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (or choose zero retention).` });
      return z.NEVER;
    }
    return { retentionDays: days };
  });

function modelsSchema(choices: ModelChoices) {
  const pick = (options: ModelOption[], what: string) =>
    z
      .string()
      .optional()
      .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined))
      .refine((value) => value === undefined || options.some((o) => o.id === value), `Choose one of the available ${what} models.`);
  return z.object({
    chat: pick(choices.chat, 'chat'),
    chatSensitive: pick(choices.chatSensitive, 'sensitive-topic'),
    judge: pick(choices.judge, 'judge'),
    budgetFallbackModel: z
      .string({ required_error: 'Choose the fallback model.' })
      .refine((value) => choices.chat.some((o) => o.id === value), 'Choose one of the available chat models as the fallback.'),
  });
}

export async function handleSettingsAction(request: Request, admin: User) {
  const raw = await readForm(request);
  const intent = raw.intent ?? '';
  const fail = (formError: string, fieldErrors: Record<string, string> = {}, status = 400) =>
    data<SettingsActionResult>({ ok: false, intent, formError, fieldErrors }, { status });

  let patch: Partial<TenantSettings>;
  switch (intent) {
    case 'budget': {
      const parsed = parseBudgetForm(raw);
      if (!parsed.ok) return fail('Please correct the highlighted fields.', parsed.fieldErrors as Record<string, string>);
      patch = parsed.data;
      break;
    }
    case 'models': {
      const { settings } = await getTenant({ tenantId: admin.tenantId });
      const parsed = modelsSchema(modelChoices(modelPolicyOf(settings))).safeParse(raw);
      if (!parsed.success) return fail('Please correct the highlighted fields.', fieldErrorsOf(parsed.error));
      const { budgetFallbackModel, ...models } = parsed.data;
      patch = { models, budgetFallbackModel };
      break;
    }
    case 'temperature': {
      const parsed = temperatureSchema.safeParse(raw);
      if (!parsed.success) return fail('Please correct the highlighted fields.', fieldErrorsOf(parsed.error));
      patch = parsed.data;
      break;
    }
    case 'privacy': {
      patch = privacySchema.parse(raw);
      break;
    }
    case 'review': {
      const parsed = reviewSchema.safeParse(raw);
      if (!parsed.success) return fail('Please correct the highlighted fields.', fieldErrorsOf(parsed.error));
      patch = parsed.data;
      break;
    }
    case 'retention': {
      const parsed = retentionSchema.safeParse(raw);
      if (!parsed.success) return fail('Please correct the highlighted fields.', fieldErrorsOf(parsed.error));
      patch = parsed.data;
      break;
    }
    default:
      return fail('Unknown settings form.');
  }
  const changed = await changeTenantSettings({ tenantId: admin.tenantId, patch, actor: { userId: admin.id, label: admin.email } });
  return data<SettingsActionResult>({
    ok: true,
    intent,
    message: changed.length === 0 ? 'Nothing changed.' : `Saved: ${changed.join(', ')}.`,
  });
}

const FIELD_LABELS: Record<string, string> = {
  monthlyBudgetUsd: 'monthly budget',
  budgetAlertPercent: 'alert threshold',
  budgetAction: 'action at 100%',
  dailyMessageQuota: 'daily message quota',
  models: 'models',
  budgetFallbackModel: 'fallback model',
  temperatureCap: 'temperature cap',
  retentionDays: 'retention',
  zeroRetentionOnly: 'only zero-retention providers',
  redactPersonalDetails: 'remove personal details',
  review: 'sharing for review',
};

/**
 * Applies a settings patch and audits each changed field with its old and new value. Returns
 * the labels of what changed. A shorter retention purges the newly expired text at once.
 */
export async function changeTenantSettings({
  tenantId,
  patch,
  actor,
  now = new Date(),
}: {
  tenantId: string;
  patch: Partial<TenantSettings>;
  actor: { userId: string | null; label: string };
  now?: Date;
}): Promise<string[]> {
  return withTenant(tenantId, async (tx) => {
    const before = await lockSettings(tx, tenantId);
    const after = tenantSettingsSchema.parse({ ...before, ...patch });
    const changes = Object.keys(patch).filter(
      (key) => JSON.stringify(before[key as keyof TenantSettings]) !== JSON.stringify(after[key as keyof TenantSettings]),
    ) as Array<keyof TenantSettings>;
    if (changes.length === 0) return [];
    await tx`update tenants set settings = ${tx.json(after as never)} where id = ${tenantId}`;
    for (const key of changes) {
      await recordAudit(tx, {
        tenantId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: `settings.${auditArea(key)}`,
        target: key,
        details: { from: before[key] ?? null, to: after[key] ?? null },
      });
    }
    if (changes.includes('retentionDays') && after.retentionDays < before.retentionDays) {
      await purgeExpiredText(tx, { tenantId, retentionDays: after.retentionDays, now, actor });
    }
    return changes.map((key) => FIELD_LABELS[key] ?? key);
  });
}

function auditArea(key: keyof TenantSettings): string {
  if (key === 'retentionDays') return 'retention';
  if (key === 'zeroRetentionOnly' || key === 'redactPersonalDetails') return 'privacy';
  if (key === 'temperatureCap') return 'temperature';
  if (key === 'review') return 'review';
  if (key === 'dailyMessageQuota') return 'quota';
  if (key === 'models' || key === 'budgetFallbackModel') return 'models';
  return 'budget';
}

async function lockSettings(tx: Tx, tenantId: string): Promise<TenantSettings> {
  const [row] = await tx<{ settings: unknown }[]>`select settings from tenants where id = ${tenantId} for update`;
  if (!row) throw new Error(`tenant ${tenantId} not found`);
  return readTenantSettings(row.settings, tenantId);
}
