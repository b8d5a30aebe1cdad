// Which columns hold conversation text (encrypted at rest, ADR 029), and the sweeps over them:
// - at start, rows still in plain text (written before encryption existed) are encrypted — idempotent,
//   recorded in app_meta once a sweep finds nothing left;
// - after a key rotation, rows under older key versions are re-encrypted under the new one, in small
//   batches with no transaction held, while reads keep accepting every version still stored.
// Runs as the connecting (owner) role across tenants, like migrations.
import { db } from '~/.server/db/client';
import { DEFAULT_TITLE } from '~/.server/coach/conversations';
import { ENVELOPE_PREFIX, DecryptError } from './envelope';
import { tenantCipher, type TenantCipher } from './tenant-keys';

export interface EncryptedColumn {
  table: string;
  column: string;
  /** Columns that identify a row (with tenant_id). */
  key: string[];
  /** Plain values that are not conversation text and stay plain (an untitled conversation). */
  plainValues?: string[];
}

/** Every column that holds what a person wrote or was told. */
export const ENCRYPTED_COLUMNS: EncryptedColumn[] = [
  { table: 'message', column: 'content', key: ['id'] },
  { table: 'conversation', column: 'title', key: ['id'], plainValues: [DEFAULT_TITLE] },
  { table: 'message_feedback', column: 'comment', key: ['message_id', 'user_id'] },
  { table: 'review_item', column: 'user_text', key: ['id'] },
  { table: 'review_item', column: 'reply_text', key: ['id'] },
  { table: 'handoff_case', column: 'shared_text', key: ['id'] },
  { table: 'handoff_case', column: 'contact_preference', key: ['id'], plainValues: [''] },
  { table: 'handoff_contact', column: 'value', key: ['case_id'], plainValues: [''] },
];

const BATCH = 200;
const SWEEP_MARK = 'plaintext_encrypted';

type Row = Record<string, string> & { tenant_id: string; value: string; role?: string };

function rowsToSweep(col: EncryptedColumn, tenantId: string | null, skipVersionPrefix: string | null) {
  const sql = db();
  const keyCols = col.key.map((k) => `${k}::text as "${k}"`).join(', ');
  const role = col.table === 'message' ? ', role' : '';
  const plain = (col.plainValues ?? []).map((_, i) => `$${i + 3}`);
  const text = `select tenant_id::text as tenant_id, ${keyCols}, ${col.column} as value${role} from ${col.table}
    where ${col.column} is not null
      and ($1::uuid is null or tenant_id = $1::uuid)
      and ${col.column} not like $2::text
      ${plain.length ? `and ${col.column} not in (${plain.join(', ')})` : ''}
    limit ${BATCH}`;
  return sql.unsafe<Row[]>(text, [tenantId, `${skipVersionPrefix ?? ENVELOPE_PREFIX}%`, ...(col.plainValues ?? [])]);
}

async function rewrite(col: EncryptedColumn, rows: Row[], ciphers: Map<string, TenantCipher>): Promise<number> {
  const sql = db();
  let changed = 0;
  for (const row of rows) {
    const cipher = ciphers.get(row.tenant_id) ?? (await tenantCipher(row.tenant_id, { values: [row.value] }));
    ciphers.set(row.tenant_id, cipher);
    let text: string;
    try {
      text = cipher.decrypt(row.value);
    } catch (e) {
      // A damaged value stays as it is (it shows as unreadable); it must not stop the sweep.
      if (e instanceof DecryptError) continue;
      throw e;
    }
    const envelope = cipher.encrypt(text);
    const where = col.key.map((k, i) => `${k}::text = $${i + 4}`).join(' and ');
    const mac = col.table === 'message' && row.role === 'user';
    const params = [envelope, row.tenant_id, row.value, ...col.key.map((k) => row[k])];
    // Guarded by the old value: a row rewritten meanwhile (an answer finishing) is left to the next pass.
    const text2 = `update ${col.table} set ${col.column} = $1${mac ? `, content_mac = $${params.length + 1}` : ''}
      where tenant_id = $2::uuid and ${col.column} = $3 and ${where}`;
    if (mac) params.push(cipher.mac(text));
    const result = await sql.unsafe(text2, params);
    changed += result.count;
  }
  return changed;
}

/** Encrypts every plain-text value (all tenants, or one). Returns how many were encrypted. */
export async function encryptPlaintextRows(opts: { tenantId?: string; force?: boolean } = {}): Promise<number> {
  const sql = db();
  if (!opts.tenantId && !opts.force) {
    const [mark] = await sql<{ value: string }[]>`select value from app_meta where key = ${SWEEP_MARK}`;
    if (mark) return 0;
  }
  const ciphers = new Map<string, TenantCipher>();
  let total = 0;
  for (const col of ENCRYPTED_COLUMNS) {
    for (;;) {
      const rows = await rowsToSweep(col, opts.tenantId ?? null, null);
      if (rows.length === 0) break;
      const changed = await rewrite(col, rows, ciphers);
      total += changed;
      if (changed === 0) break; // only damaged or concurrently rewritten rows left
    }
  }
  if (!opts.tenantId) {
    await sql`insert into app_meta (key, value) values (${SWEEP_MARK}, ${new Date().toISOString()})
      on conflict (key) do update set value = excluded.value, updated_at = now()`;
  }
  return total;
}

/** Re-encrypts the tenant's values not under its active key version. Returns how many were rewritten. */
export async function reencryptTenant(tenantId: string): Promise<number> {
  const cipher = await tenantCipher(tenantId);
  const ciphers = new Map([[tenantId, cipher]]);
  const prefix = `${ENVELOPE_PREFIX}${cipher.activeVersion}.`;
  let total = 0;
  for (const col of ENCRYPTED_COLUMNS) {
    for (;;) {
      const rows = await rowsToSweep(col, tenantId, prefix);
      if (rows.length === 0) break;
      const changed = await rewrite(col, rows, ciphers);
      total += changed;
      if (changed === 0) break;
    }
  }
  return total;
}

/** How many stored values name each key version of the tenant (plain values under 0). */
export async function valuesPerKeyVersion(tenantId: string): Promise<Map<number, number>> {
  const sql = db();
  const counts = new Map<number, number>();
  for (const col of ENCRYPTED_COLUMNS) {
    const rows = await sql.unsafe<{ version: number; n: number }[]>(
      `select case when ${col.column} like '${ENVELOPE_PREFIX}%' then split_part(${col.column}, '.', 2)::int else 0 end as version, count(*)::int as n
       from ${col.table} where tenant_id = $1::uuid and ${col.column} is not null
       ${col.plainValues?.length ? `and ${col.column} not in (${col.plainValues.map((_, i) => `$${i + 2}`).join(', ')})` : ''}
       group by 1`,
      [tenantId, ...(col.plainValues ?? [])],
    );
    for (const r of rows) counts.set(r.version, (counts.get(r.version) ?? 0) + r.n);
  }
  return counts;
}
