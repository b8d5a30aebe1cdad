// Usage events: one append-only row per model call (chat, sensitive chat, judge, embedding,
// moderation; offline models too, at zero cost), costed with the price book at record time.
//
// Contract for callers (the chat turn, ingestion, the judge):
//   const gate = await checkEntitlements({...})            // entitlements.ts, before the call
//   ...call the model with gate.modelId, no transaction open...
//   await recordUsageEvent({ tenantId, userId, conversationId, messageId, purpose, provider,
//     modelId, inputTokens, outputTokens, cachedInputTokens, providerCostUsd?, latencyMs, ttftMs,
//     status, reservationId: gate.reservationId })
// recordUsageEvent releases the reservation in the same transaction as the insert, so budget
// is never counted twice nor dropped. A turn that ends without any event calls releaseReservation.
// A fallback chain records one event per model tried (status 'error' for the failed ones,
// 'fallback' for the model that answered in place of the first); pass the reservationId to the
// first and it is released once.
//
// Rollups (usage_daily, usage_user_daily, usage_ttft_daily, usage_conversation) are maintained by a
// statement-level trigger (040-usage.sql), so a batched insert folds into them in one step.
import { jsonLiteral, uuidLiteral } from '~/.server/db/round-trip';
import { withTenant } from '~/.server/db/tenant';
import type { Tx } from '~/.server/db/client';
import { computeCostMicros, type CostSource } from './cost';
import { findPrice, getDefaultPriceBook, type PriceBook } from './prices';

export const usagePurposes = ['chat', 'chat-sensitive', 'judge', 'embedding', 'moderation'] as const;
export type UsagePurpose = (typeof usagePurposes)[number];
export const usageStatuses = ['ok', 'error', 'fallback', 'blocked'] as const;
export type UsageStatus = (typeof usageStatuses)[number];

export interface UsageEventInput {
  tenantId: string;
  /** The person the call served; null for system work (e.g. a pack import by the operator). */
  userId: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  purpose: UsagePurpose;
  /** 'offline', 'openai', 'anthropic', 'openai-compatible'. */
  provider: string;
  /** Catalogue id, e.g. "openai:gpt-4o-mini" (prices.json is keyed by it). */
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  /** Part of inputTokens read from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** A cost the provider reported, in dollars; wins over the price book. */
  providerCostUsd?: number | string | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  status: UsageStatus;
  /** From checkEntitlements; released in the same transaction. */
  reservationId?: string | null;
  /** Defaults to now. Set only for imports, benchmarks and tests. */
  at?: Date;
}

export interface RecordedUsage {
  id: string;
  costMicros: number;
  priced: boolean;
  costSource: CostSource;
  priceVersion: string | null;
}

interface UsageRow {
  tenantId: string;
  at: Date;
  userId: string | null;
  conversationId: string | null;
  messageId: string | null;
  purpose: UsagePurpose;
  provider: string;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicros: number;
  priceVersion: string | null;
  priced: boolean;
  costSource: CostSource;
  latencyMs: number | null;
  ttftMs: number | null;
  status: UsageStatus;
}

/** Records one model call and releases its budget reservation, atomically. */
export async function recordUsageEvent(input: UsageEventInput, book: PriceBook = getDefaultPriceBook()): Promise<RecordedUsage> {
  const row = toUsageRow(input, book);
  return withTenant(input.tenantId, async (tx) => {
    const [id] = await insertUsageRows(tx, [row]);
    if (input.reservationId) await deleteReservation(tx, input.tenantId, input.reservationId);
    return { id, costMicros: row.costMicros, priced: row.priced, costSource: row.costSource, priceVersion: row.priceVersion };
  });
}

const BATCH_ROWS = 5_000;

/**
 * Records many events with one multi-row insert per tenant and batch (ingestion, imports,
 * benchmarks). Reservations named on the events are released too. Returns how many were stored.
 */
export async function recordUsageEvents(inputs: readonly UsageEventInput[], book: PriceBook = getDefaultPriceBook()): Promise<number> {
  const byTenant = new Map<string, UsageEventInput[]>();
  for (const input of inputs) {
    const list = byTenant.get(input.tenantId) ?? [];
    list.push(input);
    byTenant.set(input.tenantId, list);
  }
  let stored = 0;
  for (const [tenantId, list] of byTenant) {
    for (let offset = 0; offset < list.length; offset += BATCH_ROWS) {
      const slice = list.slice(offset, offset + BATCH_ROWS);
      const rows = slice.map((input) => toUsageRow(input, book));
      await withTenant(tenantId, async (tx) => {
        await insertUsageRows(tx, rows);
        const reservations = slice.map((input) => input.reservationId).filter((id): id is string => !!id);
        if (reservations.length > 0) {
          await tx`delete from budget_reservation where tenant_id = ${tenantId} and id = any(${tx.array(reservations)}::uuid[])`;
        }
      });
      stored += rows.length;
    }
  }
  return stored;
}

/**
 * recordUsageEvents as SQL text for one tenant, for a caller that sends its whole unit of work in
 * one round trip (the chat turn: db/round-trip.ts). Same rows, same single insert (so the rollup
 * trigger runs once), same release of the reservations named on the events.
 */
export function usageEventStatements(tenantId: string, inputs: readonly UsageEventInput[], book: PriceBook = getDefaultPriceBook()): string[] {
  if (inputs.some((input) => input.tenantId !== tenantId)) throw new Error('usageEventStatements: events of another tenant');
  const statements: string[] = [];
  const rows = inputs.map((input) => toUsageRow(input, book));
  if (rows.length > 0) {
    const records = rows.map((row) => ({
      tenant_id: row.tenantId, at: row.at.toISOString(), user_id: row.userId, conversation_id: row.conversationId, message_id: row.messageId,
      purpose: row.purpose, provider: row.provider, model_id: row.modelId, input_tokens: row.inputTokens, output_tokens: row.outputTokens,
      cached_input_tokens: row.cachedInputTokens, cost_micros: row.costMicros, price_version: row.priceVersion, priced: row.priced,
      cost_source: row.costSource, latency_ms: row.latencyMs, ttft_ms: row.ttftMs, status: row.status,
    }));
    statements.push(`
      insert into usage_event (tenant_id, at, user_id, conversation_id, message_id, purpose, provider, model_id,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, price_version, priced, cost_source, latency_ms, ttft_ms, status)
      select tenant_id, at, user_id, conversation_id, message_id, purpose, provider, model_id,
        input_tokens, output_tokens, cached_input_tokens, cost_micros, price_version, priced, cost_source, latency_ms, ttft_ms, status
      from jsonb_to_recordset(${jsonLiteral(records)}) as r(tenant_id uuid, at timestamptz, user_id text, conversation_id uuid, message_id uuid,
        purpose text, provider text, model_id text, input_tokens int, output_tokens int, cached_input_tokens int, cost_micros bigint,
        price_version text, priced boolean, cost_source text, latency_ms int, ttft_ms int, status text)`);
  }
  const reservations = inputs.map((input) => input.reservationId).filter((id): id is string => !!id && UUID.test(id));
  for (const id of reservations) statements.push(releaseReservationStatement(tenantId, id));
  return statements;
}

/** releaseReservation as SQL text (see usageEventStatements). */
export function releaseReservationStatement(tenantId: string, reservationId: string): string {
  return `delete from budget_reservation where tenant_id = ${uuidLiteral(tenantId)} and id = ${uuidLiteral(reservationId)}`;
}

/** Drops a turn's hold on the budget (the turn ended without recording usage). */
export async function releaseReservation({ tenantId, reservationId }: { tenantId: string; reservationId: string }): Promise<boolean> {
  return withTenant(tenantId, (tx) => deleteReservation(tx, tenantId, reservationId));
}

async function deleteReservation(tx: Tx, tenantId: string, reservationId: string): Promise<boolean> {
  if (!UUID.test(reservationId)) return false;
  const result = await tx`delete from budget_reservation where tenant_id = ${tenantId} and id = ${reservationId}`;
  return result.count > 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toUsageRow(input: UsageEventInput, book: PriceBook): UsageRow {
  const at = input.at ?? new Date();
  const cost = computeCostMicros({
    price: findPrice(book, input.modelId, at),
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    cachedInputTokens: input.cachedInputTokens ?? 0,
    providerCostUsd: input.providerCostUsd,
  });
  return {
    tenantId: input.tenantId,
    at,
    userId: input.userId ?? null,
    conversationId: input.conversationId ?? null,
    messageId: input.messageId ?? null,
    purpose: input.purpose,
    provider: input.provider,
    modelId: input.modelId,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    cachedInputTokens: input.cachedInputTokens ?? 0,
    costMicros: cost.costMicros,
    priceVersion: cost.priceVersion,
    priced: cost.priced,
    costSource: cost.source,
    latencyMs: nonNegativeIntOrNull(input.latencyMs),
    ttftMs: nonNegativeIntOrNull(input.ttftMs),
    status: input.status,
  };
}

// One statement whatever the batch size: arrays travel as 18 parameters and unnest() turns
// them back into rows, which is far cheaper to parse than thousands of placeholders.
async function insertUsageRows(tx: Tx, rows: readonly UsageRow[]): Promise<string[]> {
  const column = <K extends keyof UsageRow>(key: K) => rows.map((row) => row[key]);
  const inserted = await tx<{ id: bigint }[]>`
    insert into usage_event (tenant_id, at, user_id, conversation_id, message_id, purpose, provider, model_id,
      input_tokens, output_tokens, cached_input_tokens, cost_micros, price_version, priced, cost_source,
      latency_ms, ttft_ms, status)
    select * from unnest(
      ${tx.array(column('tenantId') as string[])}::uuid[],
      ${tx.array(rows.map((row) => row.at.toISOString()))}::timestamptz[],
      ${tx.array(column('userId') as string[])}::text[],
      ${tx.array(column('conversationId') as string[])}::uuid[],
      ${tx.array(column('messageId') as string[])}::uuid[],
      ${tx.array(column('purpose') as string[])}::text[],
      ${tx.array(column('provider'))}::text[],
      ${tx.array(column('modelId'))}::text[],
      ${tx.array(column('inputTokens'))}::int[],
      ${tx.array(column('outputTokens'))}::int[],
      ${tx.array(column('cachedInputTokens'))}::int[],
      ${tx.array(column('costMicros'))}::bigint[],
      ${tx.array(column('priceVersion') as string[])}::text[],
      ${tx.array(column('priced'))}::boolean[],
      ${tx.array(column('costSource') as string[])}::text[],
      ${tx.array(column('latencyMs') as number[])}::int[],
      ${tx.array(column('ttftMs') as number[])}::int[],
      ${tx.array(column('status') as string[])}::text[])
    returning id`;
  return inserted.map((row) => String(row.id));
}

function nonNegativeIntOrNull(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.max(0, Math.round(value));
}
