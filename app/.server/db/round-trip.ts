// A tenant unit of work in ONE round trip, for the hot statements of a chat turn.
// Why: withTenant costs BEGIN, set_config and COMMIT round trips, and postgres.js (prepare: false)
// sends every statement with parameters as two (Parse/Describe, then Bind/Execute). The embedded
// database serves one transaction at a time, so each of those hops — an event-loop turn each,
// slow when a hundred streams share the loop — holds the database for everybody. Here the role,
// the tenant and the statements go as one simple-protocol message: Postgres runs a multi-statement
// message as one implicit transaction, so SET LOCAL semantics, row-level security and atomicity are
// exactly withTenant's. Values are inlined as literals (dollar-quoted text, checked uuids and
// numbers), never concatenated raw. Used where a unit of work is hot (a chat turn, the budget hold); elsewhere use withTenant.
import crypto from 'node:crypto';
import { db } from './client';
import { APP_ROLE } from './tenant';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value as an SQL literal: text dollar-quoted with a tag it does not contain. */
export function literal(value: string | number | boolean | bigint | null | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`literal: not a finite number: ${value}`);
    return String(value);
  }
  if (value.includes('\u0000')) throw new RangeError('literal: text with a NUL character');
  let tag = 'q';
  while (value.includes(`$${tag}$`) || value.endsWith(`$${tag}`)) tag = `q${crypto.randomBytes(4).toString('hex')}`;
  return `$${tag}$${value}$${tag}$`;
}

export function uuidLiteral(value: string | null | undefined): string {
  if (value === null || value === undefined) return 'null::uuid';
  if (!UUID.test(value)) throw new RangeError(`uuidLiteral: not a uuid: ${JSON.stringify(value)}`);
  return `'${value}'::uuid`;
}

export function jsonLiteral(value: unknown): string {
  return `${literal(JSON.stringify(value ?? null))}::jsonb`;
}

/**
 * Runs `statements` (SQL text built with the helpers above) as rapport_app for the tenant, in one
 * implicit transaction and one round trip. Returns the rows of the last statement.
 */
export async function tenantRoundTrip<T extends object>(tenantId: string, statements: string[]): Promise<T[]> {
  const results = (await db().unsafe(roundTripText(tenantId, statements)).simple()) as unknown as T[][];
  // postgres.js returns one result per statement for a multi-statement message.
  return results[results.length - 1] ?? [];
}

/**
 * tenantRoundTrip with the rows of every statement, in order. Every statement must return rows (a select, or
 * `… returning`): postgres.js gives a statement without a row description (an insert, a SET) no result of its own.
 */
export async function tenantRoundTripResults(tenantId: string, statements: string[]): Promise<object[][]> {
  const results = (await db().unsafe(roundTripText(tenantId, statements)).simple()) as unknown as object[][];
  if (results.length !== statements.length + 1) throw new Error(`tenantRoundTripResults: ${results.length - 1} results for ${statements.length} statements`);
  return results.slice(1);
}

function roundTripText(tenantId: string, statements: string[]): string {
  return [`select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${uuidOf(tenantId)}', true)`, ...statements].join(';\n');
}

function uuidOf(tenantId: string): string {
  if (!UUID.test(tenantId)) throw new Error(`tenantRoundTrip: not a tenant id: ${JSON.stringify(tenantId)}`);
  return tenantId;
}
