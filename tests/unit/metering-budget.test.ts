import { describe, expect, it } from 'vitest';
import {
  BUDGET_REACHED_MESSAGE,
  FALLBACK_MODEL_MESSAGE,
  decideBudget,
  estimateTurnCostMicros,
  type BudgetCheckInput,
  type BudgetSettings,
} from '~/.server/metering/budget';
import { findPrice, loadPriceBook } from '~/.server/metering/prices';
import { budgetFormSchema, makeUsageRangeSchema, parseBudgetForm } from '~/lib/budget-form';

const settings: BudgetSettings = { monthlyBudgetUsd: 100, budgetAlertPercent: 80, budgetAction: 'hard_stop', dailyMessageQuota: 50 };
const DOLLAR = 1_000_000;

function decide(overrides: Omit<Partial<BudgetCheckInput>, 'settings'> & { settings?: Partial<BudgetSettings> } = {}) {
  return decideBudget({
    monthSpendMicros: 0,
    reservedMicros: 0,
    userMessagesToday: 0,
    estimatedTurnMicros: 10_000,
    ...overrides,
    settings: { ...settings, ...overrides.settings },
  });
}

describe('decideBudget: alert threshold', () => {
  it('is ok below the threshold', () => {
    // 79.99% shows as 80.0 once rounded, but the alert compares exact integers.
    expect(decide({ monthSpendMicros: 79_990_000 })).toEqual({ allow: true, action: 'ok', percentUsed: 80 });
    expect(decide({ monthSpendMicros: 50 * DOLLAR })).toEqual({ allow: true, action: 'ok', percentUsed: 50 });
  });

  it('alerts at the threshold, still allowing the turn', () => {
    const decision = decide({ monthSpendMicros: 80 * DOLLAR });
    expect(decision).toMatchObject({ allow: true, action: 'alert', percentUsed: 80 });
    expect(decision.message).toBe("Your team has used 80% of this month's coaching budget ($80.00 of $100.00).");
  });

  it('counts reservations of turns in flight towards the threshold', () => {
    expect(decide({ monthSpendMicros: 70 * DOLLAR, reservedMicros: 10 * DOLLAR }).action).toBe('alert');
  });

  it('reports percent used to one decimal', () => {
    expect(decide({ monthSpendMicros: 33_333_333 }).percentUsed).toBe(33.3);
  });
});

describe('decideBudget: at 100%', () => {
  it('hard stop refuses with a plain message for the manager', () => {
    const decision = decide({ monthSpendMicros: 100 * DOLLAR });
    expect(decision).toEqual({ allow: false, action: 'blocked_budget', message: BUDGET_REACHED_MESSAGE, percentUsed: 100 });
    expect(decision.message).toBe("Your team has reached this month's coaching budget. Your admin can raise it.");
  });

  it('refuses a turn whose estimate does not fit in what is left', () => {
    expect(decide({ monthSpendMicros: 99_995_000 }).action).toBe('blocked_budget');
    expect(decide({ monthSpendMicros: 99_990_000 }).action).toBe('alert'); // fits exactly
  });

  it('switches to the fallback model when the tenant chose that', () => {
    const decision = decide({ monthSpendMicros: 100 * DOLLAR, settings: { budgetAction: 'fallback_model' } });
    expect(decision).toEqual({ allow: true, action: 'fallback_model', message: FALLBACK_MODEL_MESSAGE, percentUsed: 100 });
  });

  it('never blocks a free turn (offline model) on budget', () => {
    expect(decide({ monthSpendMicros: 120 * DOLLAR, estimatedTurnMicros: 0 })).toMatchObject({ allow: true, action: 'alert' });
  });

  it('treats a zero budget as "free models only", not unlimited', () => {
    expect(decide({ settings: { monthlyBudgetUsd: 0 } })).toMatchObject({ allow: false, action: 'blocked_budget' });
    expect(decide({ settings: { monthlyBudgetUsd: 0 }, estimatedTurnMicros: 0 })).toEqual({ allow: true, action: 'ok', percentUsed: 0 });
  });

  it('accepts bigint amounts from the database', () => {
    expect(decide({ monthSpendMicros: 100_000_000n, reservedMicros: 0n, estimatedTurnMicros: 1n }).action).toBe('blocked_budget');
  });
});

describe('decideBudget: reservations under concurrency', () => {
  it('counts in-flight reservations so concurrent turns cannot all pass', () => {
    expect(decide({ monthSpendMicros: 90 * DOLLAR, reservedMicros: 9_995_000 }).action).toBe('blocked_budget');
    expect(decide({ monthSpendMicros: 90 * DOLLAR, reservedMicros: 9_990_000 }).allow).toBe(true);
  });

  it('50 turns at the edge of a budget: admitted reservations never exceed it', () => {
    // As the caller does in one transaction per turn: decide, then reserve if allowed.
    let reserved = 0;
    let admitted = 0;
    const estimate = 10_000;
    for (let turn = 0; turn < 50; turn++) {
      const decision = decide({ settings: { monthlyBudgetUsd: 1 }, monthSpendMicros: 950_000, reservedMicros: reserved, estimatedTurnMicros: estimate });
      if (decision.allow) {
        reserved += estimate;
        admitted += 1;
      }
    }
    expect(admitted).toBe(5);
    expect(950_000 + reserved).toBeLessThanOrEqual(1_000_000);
  });
});

describe('decideBudget: daily message quota', () => {
  it('allows up to the quota and then refuses with a clear message', () => {
    expect(decide({ userMessagesToday: 49 }).allow).toBe(true);
    const decision = decide({ userMessagesToday: 50 });
    expect(decision).toMatchObject({ allow: false, action: 'blocked_quota' });
    expect(decision.message).toBe("You've used all 50 of today's messages. You can continue tomorrow.");
  });

  it('treats a quota of 0 as no daily limit', () => {
    expect(decide({ userMessagesToday: 10_000, settings: { dailyMessageQuota: 0 } }).allow).toBe(true);
  });

  it('still applies the quota on the fallback model', () => {
    const decision = decide({ userMessagesToday: 50, monthSpendMicros: 100 * DOLLAR, settings: { budgetAction: 'fallback_model' } });
    expect(decision.action).toBe('blocked_quota');
  });

  it('reports the budget first when both are exhausted under a hard stop', () => {
    expect(decide({ userMessagesToday: 50, monthSpendMicros: 100 * DOLLAR }).action).toBe('blocked_budget');
  });
});

describe('estimateTurnCostMicros', () => {
  const book = loadPriceBook();
  const at = new Date('2025-09-01T00:00:00Z');

  it('reserves the worst case: all input uncached, the full output allowance', () => {
    // 2,000 × $0.15/M + 1,000 × $0.60/M = 300 + 600
    const price = findPrice(book, 'openai:gpt-4o-mini', at);
    expect(estimateTurnCostMicros(price, { inputTokens: 2_000, maxOutputTokens: 1_000 })).toBe(900);
  });

  it('reserves nothing for offline and unpriced models', () => {
    expect(estimateTurnCostMicros(findPrice(book, 'offline-coach', at), { inputTokens: 2_000, maxOutputTokens: 1_000 })).toBe(0);
    expect(estimateTurnCostMicros(null, { inputTokens: 2_000, maxOutputTokens: 1_000 })).toBe(0);
  });
});

describe('budget form', () => {
  const valid = { monthlyBudgetUsd: '250', budgetAlertPercent: '80', budgetAction: 'fallback_model', dailyMessageQuota: '40' };

  it('parses submitted strings into settings', () => {
    expect(parseBudgetForm(valid)).toEqual({
      ok: true,
      data: { monthlyBudgetUsd: 250, budgetAlertPercent: 80, budgetAction: 'fallback_model', dailyMessageQuota: 40 },
    });
    expect(budgetFormSchema.parse({ ...valid, monthlyBudgetUsd: ' $99.50 ' }).monthlyBudgetUsd).toBe(99.5);
  });

  it('parses FormData', () => {
    const form = new FormData();
    for (const [key, value] of Object.entries(valid)) form.set(key, value);
    expect(parseBudgetForm(form).ok).toBe(true);
  });

  function budgetError(monthlyBudgetUsd: unknown): string | undefined {
    const result = parseBudgetForm({ ...valid, monthlyBudgetUsd });
    return result.ok ? undefined : result.fieldErrors.monthlyBudgetUsd;
  }

  it('refuses a budget that is not a number', () => {
    expect(budgetError('abc')).toBe('The monthly budget must be a number of dollars, such as 250 or 99.50.');
    expect(budgetError('12abc')).toBe('The monthly budget must be a number of dollars, such as 250 or 99.50.');
    expect(budgetError('Infinity')).toBe('The monthly budget must be a number of dollars, such as 250 or 99.50.');
  });

  it('refuses a negative, missing, too large or sub-cent budget', () => {
    expect(budgetError('-5')).toBe('The monthly budget cannot be negative.');
    expect(budgetError('')).toBe('Enter a monthly budget in dollars.');
    expect(budgetError('1000001')).toBe('The monthly budget can be at most $1,000,000.');
    expect(budgetError('12.345')).toBe('The monthly budget can have at most two decimal places (cents).');
    expect(budgetError('0')).toBeUndefined();
    expect(budgetError('0.29')).toBeUndefined();
  });

  it('refuses alert thresholds outside 1–100 or not whole', () => {
    for (const budgetAlertPercent of ['0', '101', '80.5', 'high']) {
      const result = parseBudgetForm({ ...valid, budgetAlertPercent });
      expect(result.ok, budgetAlertPercent).toBe(false);
      if (!result.ok) expect(result.fieldErrors.budgetAlertPercent).toMatch(/alert threshold/);
    }
  });

  it('refuses an unknown action and a negative or fractional quota, one message per field', () => {
    const result = parseBudgetForm({ ...valid, budgetAction: 'explode', dailyMessageQuota: '-1' });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        budgetAction: 'Choose what happens at 100%: stop coaching, or switch to the fallback model.',
        dailyMessageQuota: 'The daily message quota cannot be negative (use 0 for no limit).',
      },
    });
    const fractional = parseBudgetForm({ ...valid, dailyMessageQuota: '2.5' });
    expect(fractional.ok ? undefined : fractional.fieldErrors.dailyMessageQuota).toBe(
      'The daily message quota must be a whole number, such as 50.',
    );
  });
});

describe('usage date range', () => {
  const schema = makeUsageRangeSchema(() => new Date('2025-03-31T15:00:00Z'));

  function rangeError(input: Record<string, string>): string {
    const result = schema.safeParse(input);
    if (result.success) throw new Error('expected the range to be refused');
    return result.error.issues[0].message;
  }

  it('defaults to the last 30 days ending today', () => {
    const range = schema.parse({});
    expect(range).toMatchObject({ from: '2025-03-02', to: '2025-03-31', days: 30 });
    expect(range.start.toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(range.endExclusive.toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(schema.parse({ from: '', to: '' }).days).toBe(30);
  });

  it('fills a missing end with today and a missing start with 30 days before the end', () => {
    expect(schema.parse({ from: '2025-03-20' })).toMatchObject({ from: '2025-03-20', to: '2025-03-31', days: 12 });
    expect(schema.parse({ to: '2025-02-28' })).toMatchObject({ from: '2025-01-30', to: '2025-02-28', days: 30 });
  });

  it('accepts a single day', () => {
    const range = schema.parse({ from: '2025-03-05', to: '2025-03-05' });
    expect(range.days).toBe(1);
    expect(range.endExclusive.toISOString()).toBe('2025-03-06T00:00:00.000Z');
  });

  it('refuses a reversed range', () => {
    expect(rangeError({ from: '2025-03-10', to: '2025-03-01' })).toBe('The start date must be before the end date.');
  });

  it('refuses a range longer than 366 days, and accepts exactly 366', () => {
    expect(schema.parse({ from: '2024-01-01', to: '2024-12-31' }).days).toBe(366);
    expect(rangeError({ from: '2024-01-01', to: '2025-01-01' })).toBe('Choose a range of at most 366 days; this one spans 367 days.');
    expect(rangeError({ from: '2020-01-01', to: '2025-03-01' })).toMatch(/at most 366 days/);
  });

  it('refuses dates that are not real calendar dates', () => {
    expect(rangeError({ from: '2025-02-30', to: '2025-03-01' })).toBe('The start date must be a real date written like 2025-03-31.');
    expect(rangeError({ from: '2025-02-01', to: 'yesterday' })).toBe('The end date must be a real date written like 2025-03-31.');
  });
});
