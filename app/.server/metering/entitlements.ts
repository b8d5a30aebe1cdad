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
// inserts this turn's reservation before committing — one statement in one round trip,
// budget_hold (041). The decision is then taken here (budget.ts); a blocked turn's hold is dropped
// and a fallback turn's re-priced right after, in a second short unit of work. Concurrent turns
// therefore see each other's worst-case estimates, and the budget is overshot only where a real
// cost exceeds its estimate.
// Only the decision is serialised; the model call happens after the transaction commits.
import { literal, tenantRoundTrip, uuidLiteral } from '~/.server/db/round-trip';
import { withTenant } from '~/.server/db/tenant';
import type { Tx } from '~/.server/db/client';
import { OFFLINE_COACH_ID } from '~/lib/models';
import { decideBudget, estimateTurnCostMicros, type BudgetOutcome } from './budget';
import { findPrice, getDefaultPriceBook, type PriceBook } from './prices';
import { releaseReservation } from './usage';
import { readTenantSettings } from '~/.server/tenants/settings-read';

export { releaseReservation };

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
  const hold = budgetHold(request, book);
  const [row] = await tenantRoundTrip<BudgetHold>(request.tenantId, [hold.statement]);
  return hold.decide(row);
}

export interface PreparedBudgetHold {
  /** budget_hold (041) as one statement: for a round trip of its own, or the last of a chat turn's (coach/turn-round-trip.ts). */
  statement: string;
  /** The decision from the statement's row (a blocked turn's hold dropped, a fallback's re-priced: a second short unit of work). */
  decide(row: BudgetHold): Promise<EntitlementDecision>;
}

/**
 * The budget hold for `request` and how to decide from it. The statement locks the tenant row until its
 * transaction commits: sent with other statements, it must be the last that takes time (or the tenant's turns
 * queue behind each other's work).
 */
export function budgetHold(request: EntitlementRequest, book: PriceBook = getDefaultPriceBook()): PreparedBudgetHold {
  const now = request.now ?? new Date();
  const estimate = (modelId: string) =>
    estimateTurnCostMicros(findPrice(book, modelId, now), {
      inputTokens: request.estimatedInputTokens,
      maxOutputTokens: request.maxOutputTokens,
    });
  const requested = estimate(request.modelId);
  return {
    statement: holdStatement(request, requested, now),
    async decide(hold) {
      const settings = readTenantSettings(hold.settings, request.tenantId);
      const decision = decideBudget({
        settings,
        monthSpendMicros: BigInt(hold.spendMicros),
        reservedMicros: BigInt(hold.reservedMicros),
        userMessagesToday: Number(hold.userTurns) + Number(hold.userReserved),
        estimatedTurnMicros: requested,
      });
      const modelId = decision.action === 'fallback_model' ? (settings.budgetFallbackModel ?? DEFAULT_BUDGET_FALLBACK_MODEL) : request.modelId;
      // The provisional hold was for the requested model. Until it is dropped or re-priced, other
      // turns see more reserved than needed: they may be refused early, never let past the budget.
      if (!decision.allow) {
        await releaseReservation({ tenantId: request.tenantId, reservationId: hold.reservationId });
        return { ...decision, modelId };
      }
      if (modelId !== request.modelId) {
        await withTenant(request.tenantId, (tx) => tx`
          update budget_reservation set model_id = ${modelId}, amount_micros = ${estimate(modelId)}
          where tenant_id = ${request.tenantId} and id = ${hold.reservationId}`);
      }
      return { ...decision, reservationId: hold.reservationId, modelId };
    },
  };
}

export interface BudgetHold {
  settings: unknown;
  spendMicros: string;
  reservedMicros: string;
  userReserved: bigint;
  userTurns: bigint;
  reservationId: string;
}

/**
 * budget_hold (041) as one statement: locks the tenant row, sweeps expired holds, reads the
 * month's spend, the other open holds and the user's chat turns today, and holds `micros` for the
 * requested model — committed together, so concurrent turns always see each other's holds.
 * Spend and holds come back as text: sums of micros can pass 2^53.
 */
function holdStatement(request: EntitlementRequest, micros: number, now: Date): string {
  const dayStart = new Date(`${utcDay(now)}T00:00:00Z`);
  const instant = (date: Date) => `${literal(date.toISOString())}::timestamptz`;
  return `select settings, spend_micros as "spendMicros", reserved_micros as "reservedMicros", user_reserved as "userReserved",
            user_turns as "userTurns", reservation_id as "reservationId"
     from budget_hold(${uuidLiteral(request.tenantId)}, ${literal(request.userId)}, ${literal(request.modelId)}, ${literal(micros)}::bigint,
       ${instant(now)}, ${instant(new Date(now.getTime() + RESERVATION_TTL_MS))},
       ${literal(utcDay(monthStart(now)))}::date, ${literal(utcDay(now))}::date, ${instant(dayStart)}, ${instant(new Date(dayStart.getTime() + 86_400_000))})`;
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

/** The fallback used when a tenant has not picked one: free, local, always available. */
export const DEFAULT_BUDGET_FALLBACK_MODEL = OFFLINE_COACH_ID;
