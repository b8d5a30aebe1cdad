// Per-tenant data keys (ADR 029): created on first use, unwrapped with the master key and kept in
// memory for a bounded time (KEY_CACHE_MS), rotated by `rapport keys rotate`, destroyed with the
// tenant. A TenantCipher is synchronous once loaded, so the chat hot path pays microseconds.
import { db, type Sql, type Tx } from '~/.server/db/client';
import { DecryptError, decryptValue, encryptValue, envelopeVersion, isEnvelope, newDataKey, textMac, unwrapDataKey, wrapDataKey } from './envelope';
import { getMasterKey } from './master-key';

/** How long unwrapped keys stay in memory; also how long another process may still write with a key just retired. */
export const KEY_CACHE_MS = 5 * 60_000;

/** What a value that cannot be decrypted shows instead (a damaged row; the rest of the conversation loads). */
export const UNREADABLE_TEXT = '[This message could not be read: its stored text is damaged or its key is gone.]';

type Query = Sql | Tx;

export class TenantCipher {
  constructor(
    readonly tenantId: string,
    readonly activeVersion: number,
    private readonly keys: Map<number, Buffer>,
    readonly loadedAt: number,
  ) {}

  hasVersion(version: number) {
    return this.keys.has(version);
  }

  encrypt(text: string): string {
    return encryptValue(this.keys.get(this.activeVersion)!, this.activeVersion, this.tenantId, text);
  }

  encryptNullable(text: string | null | undefined): string | null {
    return text === null || text === undefined ? null : this.encrypt(text);
  }

  /** Keyed digest of a text under the active key (equality without reading the text). */
  mac(text: string): string {
    return textMac(this.keys.get(this.activeVersion)!, text);
  }

  /** An envelope's text; a value that is not an envelope (plain, from before encryption) as it is. Throws DecryptError. */
  decrypt(value: string): string;
  decrypt(value: string | null): string | null;
  decrypt(value: string | null): string | null {
    if (value === null) return null;
    if (!isEnvelope(value)) return value;
    return decryptValue((v) => this.keys.get(v), this.tenantId, value);
  }

  /** Like decrypt, but a damaged value becomes UNREADABLE_TEXT (logged once per call site by the caller if it likes). */
  decryptOrMark(value: string | null): { text: string | null; unreadable: boolean } {
    try {
      return { text: this.decrypt(value), unreadable: false };
    } catch (e) {
      if (e instanceof DecryptError) return { text: UNREADABLE_TEXT, unreadable: true };
      throw e;
    }
  }
}

const cache = new Map<string, TenantCipher>();
const loading = new Map<string, Promise<TenantCipher>>();

interface KeyRow {
  version: number;
  wrappedKey: string;
  status: 'active' | 'retired';
}

async function readKeys(query: Query, tenantId: string): Promise<KeyRow[]> {
  return query<KeyRow[]>`
    select version, wrapped_key as "wrappedKey", status from tenant_data_key where tenant_id = ${tenantId} order by version`;
}

async function load(query: Query, tenantId: string): Promise<TenantCipher> {
  const master = await getMasterKey(query);
  let rows = await readKeys(query, tenantId);
  if (!rows.some((r) => r.status === 'active')) {
    // First use: version 1. A concurrent creator wins the unique index; we then read theirs.
    await query`
      insert into tenant_data_key (tenant_id, version, wrapped_key, status)
      select ${tenantId}, coalesce(max(version), 0) + 1, ${wrapDataKey(master, tenantId, newDataKey())}, 'active'
      from tenant_data_key where tenant_id = ${tenantId}
      on conflict do nothing`;
    rows = await readKeys(query, tenantId);
  }
  const keys = new Map<number, Buffer>();
  for (const row of rows) keys.set(row.version, unwrapDataKey(master, tenantId, row.wrappedKey));
  const active = rows.find((r) => r.status === 'active');
  if (!active) throw new Error(`tenant ${tenantId}: no active data key`);
  return new TenantCipher(tenantId, active.version, keys, Date.now());
}

/**
 * The tenant's cipher. `tx`: inside a unit of work, load through it (a second connection would
 * deadlock the embedded database). `values`: envelopes about to be read — a version this process
 * has not seen (rotated by another process) reloads the keys.
 */
export async function tenantCipher(tenantId: string, opts: { tx?: Tx; values?: Iterable<string | null | undefined> } = {}): Promise<TenantCipher> {
  const hit = cache.get(tenantId);
  if (hit && Date.now() - hit.loadedAt < KEY_CACHE_MS && !needsReload(hit, opts.values)) return hit;
  if (opts.tx) {
    const fresh = await load(opts.tx, tenantId);
    cache.set(tenantId, fresh);
    return fresh;
  }
  let pending = loading.get(tenantId);
  if (!pending) {
    pending = load(db(), tenantId).finally(() => loading.delete(tenantId));
    loading.set(tenantId, pending);
  }
  const fresh = await pending;
  cache.set(tenantId, fresh);
  return fresh;
}

function needsReload(cipher: TenantCipher, values?: Iterable<string | null | undefined>): boolean {
  if (!values) return false;
  for (const value of values) {
    if (!value) continue;
    const version = envelopeVersion(value);
    if (version !== null && !cipher.hasVersion(version)) return true;
  }
  return false;
}

/** Drops the cached keys of one tenant (after a rotation or deletion), or of all. */
export function forgetTenantKeys(tenantId?: string) {
  if (tenantId) cache.delete(tenantId);
  else cache.clear();
}

/** A new active data key version for the tenant; the previous one is retired (still read). */
export async function addDataKeyVersion(query: Query, tenantId: string): Promise<{ version: number; retired: number[] }> {
  const master = await getMasterKey(query);
  const retired = await query<{ version: number }[]>`
    update tenant_data_key set status = 'retired', retired_at = now()
    where tenant_id = ${tenantId} and status = 'active' returning version`;
  const [row] = await query<{ version: number }[]>`
    insert into tenant_data_key (tenant_id, version, wrapped_key, status)
    select ${tenantId}, coalesce(max(version), 0) + 1, ${wrapDataKey(master, tenantId, newDataKey())}, 'active'
    from tenant_data_key where tenant_id = ${tenantId}
    returning version`;
  forgetTenantKeys(tenantId);
  return { version: row.version, retired: retired.map((r) => r.version) };
}
