// Budget and quota decision for one chat turn, taken before any model call.
// Pure: the caller reads spend, reservations and today's message count (in one
// transaction, so concurrent turns see each other's reservations) and passes them in.
//
// Conventions:
// - A turn must FIT: spent + reserved + this turn's estimate ≤ budget. Concurrent turns
//   each reserve their estimate first, so the budget is overshot only by the gap
//   between an estimate and the real cost — at most one turn's cost.
// - A turn estimated at 0 (offline or unpriced model) is never blocked by the budget.
// - monthlyBudgetUsd 0 therefore allows only free turns; it is not "unlimited".
// - dailyMessageQuota 0 means no daily limit.
import type { PriceEntry } from './prices';
import { computeCostMicros } from './cost';
import { formatMoneyMicros } from '~/lib/format';

export type BudgetAction = 'hard_stop' | 'fallback_model';

export interface BudgetSettings {
  monthlyBudgetUsd: number;
  /** Percent of the budget at which tenant admins are alerted (1–100). */
  budgetAlertPercent: number;
  budgetAction: BudgetAction;
  /** Messages per user per day; 0 = no limit. */
  dailyMessageQuota: number;
}

export interface BudgetCheckInput {
  settings: BudgetSettings;
  /** Cost of this month's recorded usage events, micro-dollars. */
  monthSpendMicros: number | bigint;
  /** Reservations of other turns still in flight (not including this one), micro-dollars. */
  reservedMicros: number | bigint;
  /** Messages this user already sent today, not counting the one being decided. */
  userMessagesToday: number;
  /** Reservation for this turn, from estimateTurnCostMicros. */
  estimatedTurnMicros: number | bigint;
}

export type BudgetOutcome = 'ok' | 'alert' | 'fallback_model' | 'blocked_budget' | 'blocked_quota';

export interface BudgetDecision {
  allow: boolean;
  action: BudgetOutcome;
  /** Plain text: for the manager when blocked or on the fallback model; for admins on 'alert'. */
  message?: string;
  /** (spend + reserved) / budget, one decimal; 100 for a zero budget once anything is spent. */
  percentUsed: number;
}

export const BUDGET_REACHED_MESSAGE =
  "Your team has reached this month's coaching budget. Your admin can raise it.";
export const FALLBACK_MODEL_MESSAGE =
  "Your team has reached this month's coaching budget, so a simpler model is answering until your admin raises it.";

export function decideBudget(input: BudgetCheckInput): BudgetDecision {
  const { settings } = input;
  const budget = usdToMicrosRounded(settings.monthlyBudgetUsd);
  const committed = BigInt(input.monthSpendMicros) + BigInt(input.reservedMicros);
  const estimate = BigInt(input.estimatedTurnMicros);
  const percentUsed = percentOf(committed, budget);

  // A free turn (offline or unpriced model) spends nothing, so it always fits.
  const fits = estimate === 0n || committed + estimate <= budget;
  if (!fits && settings.budgetAction === 'hard_stop') {
    return { allow: false, action: 'blocked_budget', message: BUDGET_REACHED_MESSAGE, percentUsed };
  }
  if (quotaReached(settings.dailyMessageQuota, input.userMessagesToday)) {
    return {
      allow: false,
      action: 'blocked_quota',
      message: `You've used all ${settings.dailyMessageQuota} of today's messages. You can continue tomorrow.`,
      percentUsed,
    };
  }
  if (!fits) return { allow: true, action: 'fallback_model', message: FALLBACK_MODEL_MESSAGE, percentUsed };
  if (budget > 0n && committed * 100n >= budget * BigInt(settings.budgetAlertPercent)) {
    return {
      allow: true,
      action: 'alert',
      message: `Your team has used ${percentUsed}% of this month's coaching budget (${formatMoneyMicros(committed)} of ${formatMoneyMicros(budget)}).`,
      percentUsed,
    };
  }
  return { allow: true, action: 'ok', percentUsed };
}

/**
 * Worst-case cost of a turn, reserved before the call: every input token uncached and
 * the full output allowance used. Unpriced models reserve 0 (nothing to count against).
 */
export function estimateTurnCostMicros(
  price: PriceEntry | null | undefined,
  turn: { inputTokens: number; maxOutputTokens: number },
): number {
  return computeCostMicros({ price, inputTokens: turn.inputTokens, outputTokens: turn.maxOutputTokens }).costMicros;
}

function quotaReached(quota: number, sentToday: number): boolean {
  return quota > 0 && sentToday >= quota;
}

function percentOf(committed: bigint, budget: bigint): number {
  if (budget === 0n) return committed > 0n ? 100 : 0;
  // Tenths of a percent, rounded half up, in integers.
  const tenths = (committed * 2000n + budget) / (budget * 2n);
  return Number(tenths) / 10;
}

function usdToMicrosRounded(usd: number): bigint {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`monthlyBudgetUsd must be a non-negative number, got ${usd}.`);
  return BigInt(Math.round(usd * 1_000_000));
}
