// The tenant admin's usage console: aggregates read from the rollups (040-usage.sql), never
// from message text. Each query is one small, tenant-scoped function so the benchmark can
// time them one by one. Money stays integer micro-dollars (plain numbers: always safe integers).
import type { Tx } from '~/.server/db/client';
import { withTenantRead } from '~/.server/db/tenant';
import { findCatalogueModel } from '~/.server/models/providers';
import type { UsageRange } from '~/lib/budget-form';
import { monthSpendMicros, monthStart } from './entitlements';
import { readTenantSettings } from '~/.server/tenants/settings-read';

export interface DayModelRow {
  day: string;
  modelId: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicros: number;
  unpricedCalls: number;
  errorCalls: number;
}

export interface UserUsageRow {
  userId: string;
  /** Membership data: the member's email, or a placeholder for system work / removed members. */
  email: string;
  calls: number;
  tokens: number;
  costMicros: number;
  unpricedCalls: number;
}

export interface TtftDay {
  day: string;
  p50: number | null;
  p95: number | null;
  calls: number;
}

export interface ConversationCost {
  conversations: number;
  costMicros: number;
}

export type BudgetState = 'ok' | 'alert' | 'reached';

export interface BudgetStatus {
  month: string;
  budgetMicros: number;
  spentMicros: number;
  reservedMicros: number;
  percentUsed: number;
  alertPercent: number;
  action: 'hard_stop' | 'fallback_model';
  state: BudgetState;
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const lastDay = (range: UsageRange) => day(new Date(range.endExclusive.getTime() - 86_400_000));

export async function usageByDayAndModel(tx: Tx, tenantId: string, range: UsageRange): Promise<DayModelRow[]> {
  const rows = await tx<Record<keyof DayModelRow, string>[]>`
    select day::text as day, model_id as "modelId", sum(calls)::text as calls, sum(input_tokens)::text as "inputTokens",
      sum(output_tokens)::text as "outputTokens", sum(cached_input_tokens)::text as "cachedInputTokens",
      sum(cost_micros)::text as "costMicros", sum(unpriced_calls)::text as "unpricedCalls", sum(error_calls)::text as "errorCalls"
    from usage_daily
    where tenant_id = ${tenantId} and day >= ${day(range.start)}::date and day <= ${lastDay(range)}::date
    group by day, model_id
    order by day, model_id`;
  return rows.map((row) => ({
    day: row.day,
    modelId: row.modelId,
    calls: Number(row.calls),
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    cachedInputTokens: Number(row.cachedInputTokens),
    costMicros: Number(row.costMicros),
    unpricedCalls: Number(row.unpricedCalls),
    errorCalls: Number(row.errorCalls),
  }));
}

export async function usageByUser(tx: Tx, tenantId: string, range: UsageRange): Promise<UserUsageRow[]> {
  const rows = await tx<{ userId: string; email: string | null; calls: string; tokens: string; costMicros: string; unpricedCalls: string }[]>`
    select u.user_id as "userId", m.email, u.calls::text, u.tokens::text, u.cost_micros::text as "costMicros",
      u.unpriced_calls::text as "unpricedCalls"
    from (
      select user_id, sum(calls) as calls, sum(tokens) as tokens, sum(cost_micros) as cost_micros,
        sum(unpriced_calls) as unpriced_calls
      from usage_user_daily
      where tenant_id = ${tenantId} and day >= ${day(range.start)}::date and day <= ${lastDay(range)}::date
      group by user_id
    ) u
    left join app_user m on m.tenant_id = ${tenantId} and m.id = u.user_id
    order by u.cost_micros desc, u.calls desc`;
  return rows.map((row) => ({
    userId: row.userId,
    email: row.email ?? (row.userId === '' ? '(system)' : '(removed member)'),
    calls: Number(row.calls),
    tokens: Number(row.tokens),
    costMicros: Number(row.costMicros),
    unpricedCalls: Number(row.unpricedCalls),
  }));
}

export async function ttftHistogramByDay(tx: Tx, tenantId: string, range: UsageRange) {
  const rows = await tx<{ day: string; bucket: number; calls: string }[]>`
    select day::text as day, bucket, calls::text from usage_ttft_daily
    where tenant_id = ${tenantId} and day >= ${day(range.start)}::date and day <= ${lastDay(range)}::date
    order by day, bucket`;
  return rows.map((row) => ({ day: row.day, bucket: Number(row.bucket), calls: Number(row.calls) }));
}

/** Conversations started in the range, and their whole cost (later days included). */
export async function conversationCost(tx: Tx, tenantId: string, range: UsageRange): Promise<ConversationCost> {
  const [row] = await tx<{ conversations: string; costMicros: string | null }[]>`
    select count(*)::text as conversations, sum(cost_micros)::text as "costMicros"
    from usage_conversation
    where tenant_id = ${tenantId} and first_day >= ${day(range.start)}::date and first_day <= ${lastDay(range)}::date`;
  return { conversations: Number(row?.conversations ?? 0), costMicros: Number(row?.costMicros ?? 0) };
}

export async function budgetStatus(tx: Tx, tenantId: string, now: Date = new Date()): Promise<BudgetStatus> {
  const [tenant] = await tx<{ settings: unknown }[]>`select settings from tenants where id = ${tenantId}`;
  const settings = readTenantSettings(tenant?.settings, tenantId);
  const spent = await monthSpendMicros(tx, tenantId, now);
  const [reserved] = await tx<{ micros: string | null }[]>`
    select sum(amount_micros)::text as micros from budget_reservation where tenant_id = ${tenantId} and expires_at > ${now}`;
  const budgetMicros = Math.round(settings.monthlyBudgetUsd * 1_000_000);
  const committed = Number(spent) + Number(reserved?.micros ?? 0);
  const percentUsed = budgetMicros === 0 ? (committed > 0 ? 100 : 0) : Math.round((committed / budgetMicros) * 1000) / 10;
  const state: BudgetState =
    budgetMicros > 0 && committed >= budgetMicros
      ? 'reached'
      : budgetMicros > 0 && committed * 100 >= budgetMicros * settings.budgetAlertPercent
        ? 'alert'
        : 'ok';
  return {
    month: day(monthStart(now)).slice(0, 7),
    budgetMicros,
    spentMicros: Number(spent),
    reservedMicros: Number(reserved?.micros ?? 0),
    percentUsed,
    alertPercent: settings.budgetAlertPercent,
    action: settings.budgetAction,
    state,
  };
}

// ---- Assembling the page -------------------------------------------------------------------

/** Bucket b of the TTFT histogram covers [1.1^b, 1.1^(b+1)) ms; its geometric middle stands for it. */
export function bucketMs(bucket: number): number {
  return Math.pow(1.1, bucket + 0.5);
}

/** Percentile (0–100) of a histogram; null when it is empty. */
export function histogramPercentile(buckets: ReadonlyArray<{ bucket: number; calls: number }>, percentile: number): number | null {
  const sorted = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, b) => sum + b.calls, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((percentile / 100) * total));
  let seen = 0;
  for (const b of sorted) {
    seen += b.calls;
    if (seen >= rank) return Math.round(bucketMs(b.bucket));
  }
  return Math.round(bucketMs(sorted[sorted.length - 1].bucket));
}

export interface ModelUsage {
  modelId: string;
  label: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  unpricedCalls: number;
  /** false when every call was unpriced; 'partly' when some were. */
  priced: boolean | 'partly';
}

export interface UsageDashboard {
  range: { from: string; to: string; days: number };
  summary: {
    calls: number;
    inputTokens: number;
    outputTokens: number;
    costMicros: number;
    unpricedCalls: number;
    errorCalls: number;
    conversations: number;
    avgCostPerConversationMicros: number | null;
    ttftP50: number | null;
    ttftP95: number | null;
  };
  days: string[];
  /** Per day, per model id: cost and tokens, for the stacked charts. */
  daily: Array<{ day: string; cost: Record<string, number>; tokens: Record<string, number> }>;
  models: ModelUsage[];
  users: UserUsageRow[];
  ttft: TtftDay[];
  budget: BudgetStatus;
}

export async function getUsageDashboard({ tenantId, range, now }: { tenantId: string; range: UsageRange; now?: Date }): Promise<UsageDashboard> {
  // Read from the replica when DATABASE_READ_URL is set: the dashboard tolerates its lag.
  return withTenantRead(tenantId, async (tx) => {
    const dayModel = await usageByDayAndModel(tx, tenantId, range);
    const users = await usageByUser(tx, tenantId, range);
    const histogram = await ttftHistogramByDay(tx, tenantId, range);
    const conversations = await conversationCost(tx, tenantId, range);
    const budget = await budgetStatus(tx, tenantId, now);
    return assembleDashboard(range, dayModel, users, histogram, conversations, budget);
  });
}

function assembleDashboard(
  range: UsageRange,
  dayModel: DayModelRow[],
  users: UserUsageRow[],
  histogram: Array<{ day: string; bucket: number; calls: number }>,
  conversations: ConversationCost,
  budget: BudgetStatus,
): UsageDashboard {
  const days = daysOf(range);
  const models = modelTotals(dayModel);
  const daily = days.map((d) => ({ day: d, cost: {} as Record<string, number>, tokens: {} as Record<string, number> }));
  const index = new Map(days.map((d, i) => [d, i]));
  for (const row of dayModel) {
    const slot = daily[index.get(row.day) ?? -1];
    if (!slot) continue;
    slot.cost[row.modelId] = row.costMicros;
    slot.tokens[row.modelId] = row.inputTokens + row.outputTokens;
  }
  const sum = (pick: (row: DayModelRow) => number) => dayModel.reduce((total, row) => total + pick(row), 0);
  const ttft = days.map((d) => {
    const buckets = histogram.filter((h) => h.day === d);
    return {
      day: d,
      p50: histogramPercentile(buckets, 50),
      p95: histogramPercentile(buckets, 95),
      calls: buckets.reduce((n, b) => n + b.calls, 0),
    };
  });
  return {
    range: { from: range.from, to: range.to, days: range.days },
    summary: {
      calls: sum((r) => r.calls),
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
      costMicros: sum((r) => r.costMicros),
      unpricedCalls: sum((r) => r.unpricedCalls),
      errorCalls: sum((r) => r.errorCalls),
      conversations: conversations.conversations,
      avgCostPerConversationMicros:
        conversations.conversations > 0 ? Math.round(conversations.costMicros / conversations.conversations) : null,
      ttftP50: histogramPercentile(histogram, 50),
      ttftP95: histogramPercentile(histogram, 95),
    },
    days,
    daily,
    models,
    users,
    ttft,
    budget,
  };
}

function modelTotals(rows: DayModelRow[]): ModelUsage[] {
  const byModel = new Map<string, ModelUsage>();
  for (const row of rows) {
    const model = byModel.get(row.modelId) ?? {
      modelId: row.modelId,
      label: findCatalogueModel(row.modelId)?.label ?? row.modelId,
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      costMicros: 0,
      unpricedCalls: 0,
      priced: true,
    };
    model.calls += row.calls;
    model.inputTokens += row.inputTokens;
    model.outputTokens += row.outputTokens;
    model.costMicros += row.costMicros;
    model.unpricedCalls += row.unpricedCalls;
    byModel.set(row.modelId, model);
  }
  return [...byModel.values()]
    .map((m) => ({ ...m, priced: m.unpricedCalls === 0 ? true : m.unpricedCalls === m.calls ? false : ('partly' as const) }))
    .sort((a, b) => b.costMicros - a.costMicros || b.calls - a.calls);
}

function daysOf(range: UsageRange): string[] {
  const out: string[] = [];
  for (let t = range.start.getTime(); t < range.endExclusive.getTime(); t += 86_400_000) out.push(day(new Date(t)));
  return out;
}
