// Validation for the tenant admin's budget form and the usage console's date range.
// Client-safe: the same schemas run in the route action and can run in the browser.
// Form values arrive as strings, so numbers are parsed here with messages people can act on.
import { z } from 'zod';

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export const MAX_MONTHLY_BUDGET_USD = 1_000_000;
export const MAX_DAILY_MESSAGE_QUOTA = 100_000;
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;

/** "" → undefined (missing); "12.5" / "$12.5" → 12.5; anything else that is text → NaN. */
function formNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().replace(/^\$\s*/, '');
  if (text === '') return undefined;
  return PLAIN_NUMBER.test(text) ? Number(text) : Number.NaN;
}

function numberField(required: string, notANumber: string) {
  return z.number({ required_error: required, invalid_type_error: notANumber });
}

function hasAtMostCents(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

export const budgetFormSchema = z.object({
  monthlyBudgetUsd: z.preprocess(
    formNumber,
    numberField('Enter a monthly budget in dollars.', 'The monthly budget must be a number of dollars, such as 250 or 99.50.')
      .min(0, 'The monthly budget cannot be negative.')
      .max(MAX_MONTHLY_BUDGET_USD, 'The monthly budget can be at most $1,000,000.')
      .refine(hasAtMostCents, 'The monthly budget can have at most two decimal places (cents).'),
  ),
  budgetAlertPercent: z.preprocess(
    formNumber,
    numberField('Enter the alert threshold as a percentage.', 'The alert threshold must be a number between 1 and 100.')
      .int('The alert threshold must be a whole percentage, such as 80.')
      .min(1, 'The alert threshold must be between 1 and 100.')
      .max(100, 'The alert threshold must be between 1 and 100.'),
  ),
  budgetAction: z.enum(['hard_stop', 'fallback_model'], {
    errorMap: () => ({ message: 'Choose what happens at 100%: stop coaching, or switch to the fallback model.' }),
  }),
  /** 0 means no daily limit. */
  dailyMessageQuota: z.preprocess(
    formNumber,
    numberField('Enter a daily message quota (0 for no limit).', 'The daily message quota must be a whole number, such as 50.')
      .int('The daily message quota must be a whole number, such as 50.')
      .min(0, 'The daily message quota cannot be negative (use 0 for no limit).')
      .max(MAX_DAILY_MESSAGE_QUOTA, 'The daily message quota can be at most 100,000.'),
  ),
});
export type BudgetForm = z.infer<typeof budgetFormSchema>;

export type FieldErrors<T> = Partial<Record<keyof T, string>>;
export type BudgetFormResult = { ok: true; data: BudgetForm } | { ok: false; fieldErrors: FieldErrors<BudgetForm> };

/** Parses a submitted form (FormData or a plain object) into settings or one message per field. */
export function parseBudgetForm(input: FormData | Record<string, unknown>): BudgetFormResult {
  const values = input instanceof FormData ? Object.fromEntries(input) : input;
  const parsed = budgetFormSchema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, fieldErrors: firstErrorPerField<BudgetForm>(parsed.error) };
}

function firstErrorPerField<T>(error: z.ZodError): FieldErrors<T> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    errors[key] ??= issue.message;
  }
  return errors as FieldErrors<T>;
}

export interface UsageRange {
  /** Inclusive first day, YYYY-MM-DD (UTC). */
  from: string;
  /** Inclusive last day, YYYY-MM-DD (UTC). */
  to: string;
  /** Query bounds: created_at >= start AND created_at < endExclusive. */
  start: Date;
  endExclusive: Date;
  days: number;
}

const optionalDay = (which: 'start' | 'end') =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value),
    z
      .string({ invalid_type_error: `The ${which} date must be a date such as 2025-03-31.` })
      .refine(isIsoDate, `The ${which} date must be a real date written like 2025-03-31.`)
      .optional(),
  );

/**
 * The usage console's date range (e.g. from URL search params). Missing ends default to
 * the last 30 days ending today (UTC). `now` is injectable for tests.
 */
export function makeUsageRangeSchema(now: () => Date = () => new Date()) {
  return z.object({ from: optionalDay('start'), to: optionalDay('end') }).transform((value, ctx): UsageRange => {
    const to = value.to ?? now().toISOString().slice(0, 10);
    const from = value.from ?? shiftDays(to, -(DEFAULT_RANGE_DAYS - 1));
    const start = dayStart(from);
    const last = dayStart(to);
    if (start > last) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['from'], message: 'The start date must be before the end date.' });
      return z.NEVER;
    }
    const days = Math.round((last.getTime() - start.getTime()) / DAY_MS) + 1;
    if (days > MAX_RANGE_DAYS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['to'],
        message: `Choose a range of at most ${MAX_RANGE_DAYS} days; this one spans ${days} days.`,
      });
      return z.NEVER;
    }
    return { from, to, start, endExclusive: new Date(last.getTime() + DAY_MS), days };
  });
}

export const usageRangeSchema = makeUsageRangeSchema();

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = dayStart(value);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function dayStart(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

function shiftDays(isoDate: string, days: number): string {
  return new Date(dayStart(isoDate).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}
