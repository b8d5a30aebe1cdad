// Entitlements: may this turn call a model, and which one? Called BEFORE any model call.
//
//   checkEntitlements({ tenantId, userId, modelId, estimatedInputTokens, maxOutputTokens })
//     → { allow, action, message?, reservationId?, percentUsed, modelId }
//   action: 'ok' | 'alert' (allowed; admins are past the alert threshold)
//         | 'fallback_model' (allowed on `modelId`, the tenant's cheaper fallback)
//         | 'blocked_budget' | 'blocked_quota' (not allowed; show `message` to the manager)
//   When allowed, pass reservationId to recordUsageEvent (or releaseReservation if the turn ends
//   without a model call). Reservations expire after RESERVATION_TTL_MS, so a crashed turn does
//   not hold budget for long.
//
// Concurrency: the decision is serialised per tenant by locking the tenant row (select … for
// update) in a short transaction that reads the month's spend and the open reservations and
// inserts this turn's reservation before committing. Concurrent turns therefore see each other's
// worst-case estimates, and the budget is overshot only where a real cost exceeds its estimate.
// Only the decision is serialised; the model call happens after the transaction commits.
import { withTenant } from '~/.server/db/tenant';
import type { Tx } from '~/.server/db/client';
import { tenantSettingsSchema, type TenantSettings } from '~/lib/culture';
import { OFFLINE_COACH_ID } from '~/lib/models';
import { decideBudget, estimateTurnCostMicros, type BudgetOutcome } from './budget';
import { findPrice, getDefaultPriceBook, type PriceBook } from './prices';

export { releaseReservation } from './usage';

export const RESERVATION_TTL_MS = 10 * 60_000;

export interface EntitlementRequest {
  tenantId: string;
  userId: string;
  /** The model the router chose for this turn. */
  modelId: string;
  estimatedInputTokens: number;
  maxOutputTokens: number;
  /** For tests. */
  now?: Date;
}

export interface EntitlementDecision {
  allow: boolean;
  action: BudgetOutcome;
  /** For the manager when blocked or on the fallback model; for admins on 'alert'. */
  message?: string;
  reservationId?: string;
  /** Month spend + open reservations as a percentage of the budget (before this turn). */
  percentUsed: number;
  /** The model to call: the requested one, or the tenant's fallback model on 'fallback_model'. */
  modelId: string;
}

export async function checkEntitlements(
  request: EntitlementRequest,
  book: PriceBook = getDefaultPriceBook(),
): Promise<EntitlementDecision> {
  const now = request.now ?? new Date();
  return withTenant(request.tenantId, async (tx) => {
    const settings = await lockTenantSettings(tx, request.tenantId);
    await tx`delete from budget_reservation where tenant_id = ${request.tenantId} and expires_at <= ${now}`;
    const [spend, reserved, userTurns] = [
      await monthSpendMicros(tx, request.tenantId, now),
      await openReservations(tx, request.tenantId, now),
      await userTurnsToday(tx, request.tenantId, request.userId, now),
    ];
    const estimate = (modelId: string) =>
      estimateTurnCostMicros(findPrice(book, modelId, now), {
        inputTokens: request.estimatedInputTokens,
        maxOutputTokens: request.maxOutputTokens,
      });
    const decision = decideBudget({
      settings,
      monthSpendMicros: spend,
      reservedMicros: reserved.micros,
      userMessagesToday: userTurns + reserved.byUser(request.userId),
      estimatedTurnMicros: estimate(request.modelId),
    });
    const modelId = decision.action === 'fallback_model' ? (settings.budgetFallbackModel ?? DEFAULT_BUDGET_FALLBACK_MODEL) : request.modelId;
    if (!decision.allow) return { ...decision, modelId };
    const reservationId = await reserve(tx, request, modelId, estimate(modelId), now);
    return { ...decision, reservationId, modelId };
  });
}

async function lockTenantSettings(tx: Tx, tenantId: string): Promise<TenantSettings> {
  const [row] = await tx<{ settings: unknown }[]>`select settings from tenants where id = ${tenantId} for update`;
  if (!row) throw new Error(`tenant ${tenantId} not found`);
  return tenantSettingsSchema.parse(row.settings ?? {});
}

/** First instant of the UTC month containing `now`. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Recorded cost of the UTC month so far, from the daily rollup (≤ 31 days of rows). */
export async function monthSpendMicros(tx: Tx, tenantId: string, now: Date): Promise<bigint> {
  const [row] = await tx<{ micros: string | null }[]>`
    select sum(cost_micros)::text as micros from usage_daily
    where tenant_id = ${tenantId} and day >= ${utcDay(monthStart(now))}::date and day <= ${utcDay(now)}::date`;
  return BigInt(row?.micros ?? 0);
}

async function openReservations(tx: Tx, tenantId: string, now: Date) {
  const rows = await tx<{ userId: string | null; micros: string; turns: bigint }[]>`
    select user_id as "userId", sum(amount_micros)::text as micros, count(*) as turns from budget_reservation
    where tenant_id = ${tenantId} and expires_at > ${now}
    group by user_id`;
  return {
    micros: rows.reduce((sum, row) => sum + BigInt(row.micros), 0n),
    byUser: (userId: string) => Number(rows.find((row) => row.userId === userId)?.turns ?? 0),
  };
}

/** Chat turns a user already had today (UTC): one per message, however many models were tried. */
async function userTurnsToday(tx: Tx, tenantId: string, userId: string, now: Date): Promise<number> {
  const dayStart = new Date(`${utcDay(now)}T00:00:00Z`);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const [row] = await tx<{ turns: bigint }[]>`
    select count(distinct coalesce(message_id::text, id::text)) as turns from usage_event
    where tenant_id = ${tenantId} and user_id = ${userId} and at >= ${dayStart} and at < ${dayEnd}
      and purpose in ('chat', 'chat-sensitive') and status <> 'blocked'`;
  return Number(row?.turns ?? 0);
}

async function reserve(tx: Tx, request: EntitlementRequest, modelId: string, micros: number, now: Date): Promise<string> {
  const expiresAt = new Date(now.getTime() + RESERVATION_TTL_MS);
  const [row] = await tx<{ id: string }[]>`
    insert into budget_reservation (tenant_id, user_id, model_id, amount_micros, created_at, expires_at)
    values (${request.tenantId}, ${request.userId}, ${modelId}, ${micros}, ${now}, ${expiresAt})
    returning id`;
  return row.id;
}

/** The fallback used when a tenant has not picked one: free, local, always available. */
export const DEFAULT_BUDGET_FALLBACK_MODEL = OFFLINE_COACH_ID;
