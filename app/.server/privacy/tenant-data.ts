// A tenant's data, whole (ADR 035): export every table it owns (decrypted, JSON lines, plus its pack
// documents) and delete everything it owns — usage events past their retention included — leaving a
// tombstone (tenant_tombstone) in place of its audit log. Operator-only (CLI), runs as the owner role.
import fs from 'node:fs';
import path from 'node:path';
import { db } from '~/.server/db/client';
import { transaction } from '~/.server/db/transaction';
import { ENCRYPTED_COLUMNS } from './reencrypt';
import { forgetTenantKeys, tenantCipher } from './tenant-keys';

export interface TenantRef {
  id: string;
  slug: string;
  name: string;
}

/** Tables not exported, and why (written into the export's manifest). */
const NOT_EXPORTED: Record<string, string> = {
  tenant_data_key: 'wrapped encryption keys: the export is already decrypted',
  user_session: 'sign-in sessions: credentials, not data',
};
/** Columns left out of exported rows: credentials and derived search data. */
const OMITTED_COLUMNS: Record<string, string[]> = {
  app_user: ['password_hash'],
  invite: ['token_hash'],
  pack_chunk: ['tsv', 'embedding'],
  message: ['content_mac'],
};

/** Every table with a tenant_id column (partitions of pack_chunk excluded: the parent reads them). */
export async function tenantTables(): Promise<string[]> {
  const rows = await db()<{ table: string }[]>`
    select c.table_name as table
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    join pg_class k on k.relname = c.table_name and k.relnamespace = 'public'::regnamespace
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and not k.relispartition
    order by c.table_name`;
  return rows.map((r) => r.table);
}

export async function findTenantRef(slug: string): Promise<TenantRef | null> {
  const [row] = await db()<TenantRef[]>`select id, slug, name from tenants where slug = ${slug}`;
  return row ?? null;
}

export interface ExportSummary {
  tenant: TenantRef;
  dir: string;
  tables: Record<string, number>;
  documents: number;
  unreadable: number;
}

const PAGE = 500;

/** Writes <dir>/<table>.jsonl for every table the tenant owns, <dir>/packs/…, and manifest.json. */
export async function exportTenant(tenant: TenantRef, dir: string): Promise<ExportSummary> {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty; export into a new directory`);
  const sql = db();
  let cipher = await tenantCipher(tenant.id);
  const encrypted = new Map<string, string[]>();
  for (const c of ENCRYPTED_COLUMNS) encrypted.set(c.table, [...(encrypted.get(c.table) ?? []), c.column]);
  const tables: Record<string, number> = {};
  let unreadable = 0;

  const write = (name: string, rows: Record<string, unknown>[], fd: number) => {
    const omit = OMITTED_COLUMNS[name] ?? [];
    const decrypt = encrypted.get(name) ?? [];
    let out = '';
    for (const row of rows) {
      for (const col of omit) delete row[col];
      for (const col of decrypt) {
        const value = row[col];
        if (typeof value !== 'string') continue;
        const result = cipher.decryptOrMark(value);
        if (result.unreadable) unreadable++;
        row[col] = result.text;
        if (result.unreadable) row[`${col}_unreadable`] = true;
      }
      out += `${JSON.stringify(row)}\n`;
    }
    fs.writeSync(fd, out);
  };

  const all = ['tenants', ...(await tenantTables())];
  for (const table of all) {
    if (NOT_EXPORTED[table]) continue;
    const fd = fs.openSync(path.join(dir, `${table}.jsonl`), 'w', 0o600);
    let count = 0;
    try {
      const where = table === 'tenants' ? 'id = $1::uuid' : 'tenant_id = $1::uuid';
      for (let offset = 0; ; offset += PAGE) {
        const rows = await sql.unsafe<{ row: Record<string, unknown> }[]>(
          `select to_jsonb(t) as row from ${table} t where ${where} order by ctid limit ${PAGE} offset ${offset}`,
          [tenant.id],
        );
        if (rows.length === 0) break;
        // A rotation elsewhere may have written versions this process has not loaded yet.
        cipher = await tenantCipher(tenant.id, { values: rows.flatMap((r) => (encrypted.get(table) ?? []).map((c) => r.row[c] as string)) });
        write(table, rows.map((r) => r.row), fd);
        count += rows.length;
        if (rows.length < PAGE) break;
      }
    } finally {
      fs.closeSync(fd);
    }
    tables[table] = count;
  }

  // Pack documents, as the text they were split into (each version's documents, chunks in order).
  const docs = await sql<{ id: string; name: string; title: string }[]>`
    select id, name, title from pack_document where tenant_id = ${tenant.id} order by created_at, name`;
  const packDir = path.join(dir, 'packs');
  fs.mkdirSync(packDir, { recursive: true });
  const used = new Set<string>();
  for (const doc of docs) {
    const chunks = await sql<{ text: string }[]>`
      select text from pack_chunk where tenant_id = ${tenant.id} and document_id = ${doc.id} order by ordinal`;
    let file = doc.name.replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '') || doc.id;
    if (used.has(file)) file = `${doc.id}-${file}`;
    used.add(file);
    fs.writeFileSync(path.join(packDir, `${file}.txt`), `${doc.title ? `# ${doc.title}\n\n` : ''}${chunks.map((c) => c.text).join('\n\n')}\n`, { mode: 0o600 });
  }
  const versions = await sql<Record<string, unknown>[]>`
    select v.number, v.status, v.published_at as "publishedAt", coalesce(array_agg(d.name order by d.name) filter (where d.name is not null), '{}') as documents
    from pack_version v
    left join pack_version_document vd on vd.tenant_id = v.tenant_id and vd.version_id = v.id
    left join pack_document d on d.tenant_id = vd.tenant_id and d.id = vd.document_id
    where v.tenant_id = ${tenant.id} group by v.tenant_id, v.id order by v.number nulls last`;
  const manifest = {
    tenant,
    exportedAt: new Date().toISOString(),
    format: 'one JSON object per line; encrypted text columns are decrypted',
    tables,
    packs: { documents: docs.length, versions },
    notExported: NOT_EXPORTED,
    omittedColumns: OMITTED_COLUMNS,
    unreadableValues: unreadable,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return { tenant, dir, tables, documents: docs.length, unreadable };
}

export interface DeleteSummary {
  tenant: TenantRef;
  deleted: Record<string, number>;
}

/**
 * Deletes everything the tenant owns in one transaction — its data keys first in spirit (crypto-shredding:
 * any copy of its text elsewhere, e.g. a backup, is unreadable once the key rows are gone) — and records a
 * tombstone with the row counts.
 */
export async function deleteTenant(tenant: TenantRef, actor: string): Promise<DeleteSummary> {
  const tables = await tenantTables();
  const deleted: Record<string, number> = {};
  await transaction(db(), async (tx) => {
    const [locked] = await tx`select id from tenants where id = ${tenant.id} for update`;
    if (!locked) throw new Error(`tenant ${tenant.slug} no longer exists`);
    for (const table of tables) {
      const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table} where tenant_id = $1::uuid`, [tenant.id]);
      deleted[table] = row.n;
    }
    // Keys first, then rows without a foreign key to the tenant, then the tenant (its cascades take the rest).
    await tx`delete from tenant_data_key where tenant_id = ${tenant.id}`;
    for (const table of tables) await tx.unsafe(`delete from ${table} where tenant_id = $1::uuid`, [tenant.id]);
    await tx`delete from tenants where id = ${tenant.id}`;
    const partition = `pack_chunk_${tenant.id.replace(/-/g, '')}`;
    await tx.unsafe(`drop table if exists "${partition}"`);
    await tx`
      insert into tenant_tombstone (deleted_tenant_id, slug, name, deleted_by, details)
      values (${tenant.id}, ${tenant.slug}, ${tenant.name}, ${actor}, ${tx.json({ rowsDeleted: deleted, keysDestroyed: deleted.tenant_data_key ?? 0 } as never)})
      on conflict (deleted_tenant_id) do update set deleted_at = now(), details = excluded.details`;
  });
  forgetTenantKeys(tenant.id);
  return { tenant, deleted };
}
