// CSV export of a tenant's usage events for a date range, streamed: each pull of the stream reads
// one keyset page (at, id) in its own short transaction, so a year of events is never held in
// memory nor a transaction held open while the browser downloads. Events carry no message text.
import type { User } from 'lucia';
import { withTenant } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';
import type { UsageRange } from '~/lib/budget-form';

export const CSV_COLUMNS = [
  'at',
  'user_email',
  'user_id',
  'conversation_id',
  'message_id',
  'purpose',
  'provider',
  'model_id',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cost_micros',
  'cost_usd',
  'priced',
  'cost_source',
  'price_version',
  'latency_ms',
  'ttft_ms',
  'status',
] as const;

const PAGE_SIZE = 2_000;

interface EventRow {
  id: bigint;
  at: Date;
  user_email: string | null;
  user_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
  purpose: string;
  provider: string;
  model_id: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost_micros: bigint;
  priced: boolean;
  cost_source: string;
  price_version: string | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  status: string;
}

/** Audits the export, then returns the CSV as a stream of pages. */
export async function exportUsageCsv({ admin, range, pageSize = PAGE_SIZE }: { admin: Pick<User, 'id' | 'email' | 'tenantId'>; range: UsageRange; pageSize?: number }) {
  const tenantId = admin.tenantId;
  await withTenant(tenantId, (tx) =>
    recordAudit(tx, {
      tenantId,
      actorUserId: admin.id,
      actorLabel: admin.email,
      action: 'usage.export',
      target: `${range.from}..${range.to}`,
      details: { from: range.from, to: range.to, format: 'csv' },
    }),
  );
  return usageCsvStream({ tenantId, range, pageSize });
}

export function usageCsvStream({ tenantId, range, pageSize = PAGE_SIZE }: { tenantId: string; range: UsageRange; pageSize?: number }) {
  const encoder = new TextEncoder();
  let cursor: { at: Date; id: bigint } | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_COLUMNS.join(',') + '\r\n'));
        return;
      }
      const page = await readPage(tenantId, range, cursor, pageSize);
      if (page.length > 0) {
        controller.enqueue(encoder.encode(page.map(toCsvLine).join('')));
        const last = page[page.length - 1];
        cursor = { at: last.at, id: last.id };
      }
      if (page.length < pageSize) controller.close();
    },
  });
}

async function readPage(tenantId: string, range: UsageRange, cursor: { at: Date; id: bigint } | null, limit: number) {
  return withTenant(tenantId, (tx) => tx<EventRow[]>`
    select e.id, e.at, m.email as user_email, e.user_id, e.conversation_id::text, e.message_id::text, e.purpose, e.provider,
      e.model_id, e.input_tokens, e.output_tokens, e.cached_input_tokens, e.cost_micros, e.priced, e.cost_source,
      e.price_version, e.latency_ms, e.ttft_ms, e.status
    from usage_event e
    left join app_user m on m.tenant_id = e.tenant_id and m.id = e.user_id
    where e.tenant_id = ${tenantId} and e.at >= ${range.start} and e.at < ${range.endExclusive}
      ${cursor ? tx`and (e.at, e.id) > (${cursor.at}, ${cursor.id.toString()}::bigint)` : tx``}
    order by e.at, e.id
    limit ${limit}`);
}

function toCsvLine(row: EventRow): string {
  const micros = BigInt(row.cost_micros);
  const usd = `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
  const cells = [
    row.at.toISOString(),
    row.user_email,
    row.user_id,
    row.conversation_id,
    row.message_id,
    row.purpose,
    row.provider,
    row.model_id,
    row.input_tokens,
    row.output_tokens,
    row.cached_input_tokens,
    micros.toString(),
    row.priced ? usd : '',
    row.priced,
    row.cost_source,
    row.price_version,
    row.latency_ms,
    row.ttft_ms,
    row.status,
  ];
  return cells.map(csvCell).join(',') + '\r\n';
}

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
