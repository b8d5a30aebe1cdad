// Shapes the weekly safety counts for the HR page: a continuous run of weeks for the chart
// (quiet weeks show as gaps, not as missing columns) and only the active weeks for the table.
import { SAFETY_CATEGORIES } from '~/lib/safety';

/** Concern-level events often carry no category (exhaustion, hopelessness): they count as 'none'. */
export const UNCATEGORISED = 'none';

export const CATEGORY_LABELS: Record<string, string> = {
  self_harm: 'Self-harm',
  harm_to_others: 'Harm to others',
  abuse_or_harassment: 'Abuse or harassment',
  medical_emergency: 'Medical emergency',
  toxicity: 'Toxic language',
  prompt_injection: 'Prompt injection',
  jailbreak: 'Jailbreak attempt',
  [UNCATEGORISED]: 'Distress, no category',
};

/** Neutral grey, so general distress does not read as one of the named risks. */
const UNCATEGORISED_COLOR = '#9aa3ae';

const CATEGORY_ORDER: string[] = [...SAFETY_CATEGORIES, UNCATEGORISED];

export type CategoryCountRow = { week: string; category: string; count: number };
export type LevelTotalRow = { week: string; level: string; count: number };

export type WeekCounts = {
  /** Monday of the week, "YYYY-MM-DD". */
  week: string;
  crisis: number;
  concern: number;
  byCategory: Record<string, number>;
};

export type WeeklySafety = {
  weeks: WeekCounts[];
  /** Categories that occur at least once, in a stable order. */
  categories: { key: string; label: string; color?: string }[];
  totals: { crisis: number; concern: number; thisWeek: number };
};

/** Monday (UTC) of the week containing `date`, like Postgres date_trunc('week') in UTC. */
export function weekStart(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

function recentWeeks(now: Date, count: number): string[] {
  const out: string[] = [];
  const monday = new Date(`${weekStart(now)}T00:00:00Z`);
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(monday);
    d.setUTCDate(d.getUTCDate() - 7 * i);
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export function buildWeeklySafety(
  categoryRows: CategoryCountRow[],
  levelRows: LevelTotalRow[],
  { now = new Date(), weeks = 12 }: { now?: Date; weeks?: number } = {},
): WeeklySafety {
  // Rows from the database win even if their week falls outside the computed run (time zones).
  const labels = [...new Set([...recentWeeks(now, weeks), ...categoryRows.map((r) => r.week), ...levelRows.map((r) => r.week)])].sort();
  const byWeek = new Map<string, WeekCounts>(labels.map((week) => [week, { week, crisis: 0, concern: 0, byCategory: {} }]));
  for (const row of levelRows) {
    const w = byWeek.get(row.week)!;
    if (row.level === 'crisis') w.crisis += row.count;
    else if (row.level === 'concern') w.concern += row.count;
  }
  const seen = new Set<string>();
  for (const row of categoryRows) {
    const w = byWeek.get(row.week)!;
    w.byCategory[row.category] = (w.byCategory[row.category] ?? 0) + row.count;
    seen.add(row.category);
  }
  const categories = [...seen]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => ({ key, label: CATEGORY_LABELS[key] ?? key, ...(key === UNCATEGORISED ? { color: UNCATEGORISED_COLOR } : {}) }));
  const all = [...byWeek.values()];
  const current = byWeek.get(weekStart(now));
  return {
    weeks: all,
    categories,
    totals: {
      crisis: sum(all.map((w) => w.crisis)),
      concern: sum(all.map((w) => w.concern)),
      thisWeek: current ? current.crisis + current.concern : 0,
    },
  };
}

function rank(category: string): number {
  const i = CATEGORY_ORDER.indexOf(category);
  return i === -1 ? CATEGORY_ORDER.length : i;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

// ── Small-cell suppression ─────────────────────────────────────────────────────────────────
// In a team of six, "1 crisis this week" names someone. Counts from 1 to 4 never leave the
// server: a cell shows "fewer than 5", and a total that would reveal a hidden cell (the total
// minus the shown cells) is shown as "at least N" of what is visible.

export const MIN_SHOWN_COUNT = 5;

/** A count as HR may see it: a number of at least MIN_SHOWN_COUNT, 0, or null for 1–4. */
export type ShownCount = number | null;

export type ShownTotal = { value: number; atLeast: boolean } | null;

export type ShownWeek = { week: string; crisis: ShownCount; concern: ShownCount; active: boolean; byCategory: Record<string, ShownCount> };

export type ShownWeeklySafety = {
  minCount: number;
  weeks: ShownWeek[];
  categories: WeeklySafety['categories'];
  totals: { crisis: ShownTotal; concern: ShownTotal; thisWeek: ShownTotal };
};

export function shownCount(count: number, min = MIN_SHOWN_COUNT): ShownCount {
  return count > 0 && count < min ? null : count;
}

/** A total over cells some of which may be hidden. */
export function shownTotal(cells: number[], min = MIN_SHOWN_COUNT): ShownTotal {
  const total = sum(cells);
  if (total > 0 && total < min) return null;
  const hidden = cells.filter((c) => shownCount(c, min) === null);
  if (hidden.length === 0) return { value: total, atLeast: false };
  const visible = sum(cells.filter((c) => shownCount(c, min) !== null));
  return { value: Math.max(visible, min), atLeast: true };
}

export function suppressSmallCounts(weekly: WeeklySafety, { now = new Date(), min = MIN_SHOWN_COUNT }: { now?: Date; min?: number } = {}): ShownWeeklySafety {
  const current = weekly.weeks.find((w) => w.week === weekStart(now));
  return {
    minCount: min,
    weeks: weekly.weeks.map((w) => ({
      week: w.week,
      crisis: shownCount(w.crisis, min),
      concern: shownCount(w.concern, min),
      active: w.crisis + w.concern > 0,
      byCategory: Object.fromEntries(Object.entries(w.byCategory).map(([k, v]) => [k, shownCount(v, min)])),
    })),
    categories: weekly.categories,
    totals: {
      crisis: shownTotal(weekly.weeks.map((w) => w.crisis), min),
      concern: shownTotal(weekly.weeks.map((w) => w.concern), min),
      thisWeek: shownTotal(current ? [current.crisis, current.concern] : [], min),
    },
  };
}

/** "fewer than 5", "at least 7", "12". */
export function formatShownCount(count: ShownCount | ShownTotal, min = MIN_SHOWN_COUNT): string {
  if (count === null) return `fewer than ${min}`;
  if (typeof count === 'number') return String(count);
  return count.atLeast ? `at least ${count.value}` : String(count.value);
}
