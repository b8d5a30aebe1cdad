// The operator's monthly usage report: totals by model summed straight from the usage events
// (the source of truth, not the rollups), so it can be reconciled with an export.
import { withTenant } from '~/.server/db/tenant';

export interface ReportLine {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicros: number;
  /** Exact dollars from micro-dollars. */
  costUsd: number;
  /** false when any call of the line had no price ("unpriced", not free). */
  priced: boolean;
}

export interface UsageReport {
  tenant: string;
  month: string;
  models: Array<ReportLine & { model: string }>;
  total: ReportLine;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isReportMonth(value: string): boolean {
  return MONTH.test(value);
}

export async function buildUsageReport({ tenantId, tenantSlug, month }: { tenantId: string; tenantSlug: string; month: string }): Promise<UsageReport> {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const start = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  const end = new Date(Date.UTC(Number(match[1]), Number(match[2]), 1));
  const rows = await withTenant(tenantId, (tx) => tx<{ model: string; calls: string; input: string; output: string; cached: string; cost: string; unpriced: string }[]>`
    select model_id as model, count(*)::text as calls, sum(input_tokens)::text as input, sum(output_tokens)::text as output,
      sum(cached_input_tokens)::text as cached, sum(cost_micros)::text as cost, count(*) filter (where not priced)::text as unpriced
    from usage_event
    where tenant_id = ${tenantId} and at >= ${start} and at < ${end}
    group by model_id
    order by model_id`);
  const models = rows.map((row) => ({
    model: row.model,
    ...line(Number(row.calls), Number(row.input), Number(row.output), Number(row.cached), BigInt(row.cost), Number(row.unpriced) === 0),
  }));
  const total = line(
    models.reduce((n, m) => n + m.calls, 0),
    models.reduce((n, m) => n + m.inputTokens, 0),
    models.reduce((n, m) => n + m.outputTokens, 0),
    models.reduce((n, m) => n + m.cachedInputTokens, 0),
    models.reduce((n, m) => n + BigInt(m.costMicros), 0n),
    models.every((m) => m.priced),
  );
  return { tenant: tenantSlug, month, models, total };
}

function line(calls: number, inputTokens: number, outputTokens: number, cachedInputTokens: number, cost: bigint, priced: boolean): ReportLine {
  return { calls, inputTokens, outputTokens, cachedInputTokens, costMicros: Number(cost), costUsd: Number(cost) / 1_000_000, priced };
}
