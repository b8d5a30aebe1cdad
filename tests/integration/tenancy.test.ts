import { describe, expect, it } from 'vitest';
import { withTenant } from '~/.server/db/tenant';
import { migrate } from '~/.server/db/migrate';
import { recordAudit } from '~/.server/governance/audit';
import { db, useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

describe('tenant isolation is enforced by the database', () => {
  it('a query without WHERE tenant_id only sees its own tenant', async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    await makeMember(a.id, 'manager');
    await makeMember(b.id, 'manager');
    await makeMember(b.id, 'hr_admin');

    const seenByA = await withTenant(a.id, (tx) => tx<{ tenant_id: string }[]>`select tenant_id from app_user`);
    expect(seenByA.length).toBe(1);
    expect(seenByA.every((r) => r.tenant_id === a.id)).toBe(true);

    const tenantsSeenByB = await withTenant(b.id, (tx) => tx<{ id: string }[]>`select id from tenants`);
    expect(tenantsSeenByB.map((t) => t.id)).toEqual([b.id]);
  });

  it("cannot write another tenant's rows", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const victim = await makeMember(b.id, 'manager');

    await expect(
      withTenant(a.id, (tx) => tx`insert into app_user (tenant_id, id, email, role) values (${b.id}, 'x-1', 'sneaky@example.test', 'manager')`),
    ).rejects.toThrow(/row-level security/);

    const updated = await withTenant(a.id, (tx) => tx`update app_user set role = 'tenant_admin' where id = ${victim.id}`);
    expect(updated.count).toBe(0);
    const deleted = await withTenant(a.id, (tx) => tx`delete from app_user where id = ${victim.id}`);
    expect(deleted.count).toBe(0);
    const [still] = await db()`select role from app_user where id = ${victim.id}`;
    expect(still.role).toBe('manager');
  });

  it('runs as a non-superuser role, so it cannot switch itself off', async () => {
    const a = await makeTenant();
    const [who] = await withTenant(a.id, (tx) => tx<{ u: string; su: string }[]>`select current_user as u, current_setting('is_superuser') as su`);
    expect(who).toEqual({ u: 'rapport_app', su: 'off' });
    await expect(withTenant(a.id, (tx) => tx`alter table app_user disable row level security`)).rejects.toThrow();
  });

  it('without a tenant set, nothing tenant-owned is visible', async () => {
    await makeTenant();
    const rows = await db().begin(async (tx) => {
      await tx.unsafe('set local role rapport_app');
      return tx`select * from tenants`;
    });
    expect(rows.length).toBe(0);
  });

  it('rejects a malformed tenant id before touching the database', async () => {
    await expect(withTenant("x' or 1=1 --", async () => 1)).rejects.toThrow(/not a tenant id/);
  });

  it('keeps the audit log append-only for the application', async () => {
    const a = await makeTenant();
    await withTenant(a.id, (tx) => recordAudit(tx, { tenantId: a.id, actorUserId: null, actorLabel: 'test', action: 'test.action' }));
    await expect(withTenant(a.id, (tx) => tx`update audit_log set action = 'rewritten'`)).rejects.toThrow(/permission denied/);
    await expect(withTenant(a.id, (tx) => tx`delete from audit_log`)).rejects.toThrow(/permission denied/);
  });

  it('every tenant-owned table has tenant_id in its primary key and RLS enabled', async () => {
    const rows = await db()<{ table_name: string; rls: boolean; pk: string[] }[]>`
      select c.relname as table_name, c.relrowsecurity as rls,
        array(select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
              where i.indrelid = c.oid and i.indisprimary)::text[] as pk
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`;
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) {
      expect({ table: r.table_name, rls: r.rls }).toEqual({ table: r.table_name, rls: true });
      expect({ table: r.table_name, pkHasTenant: r.pk.includes('tenant_id') }).toEqual({ table: r.table_name, pkHasTenant: true });
    }
  });

  it('re-running migrations is a no-op', async () => {
    const before = await db()`select count(*)::int as n from schema_migrations`;
    const applied = await migrate(db());
    expect(applied).toEqual([]);
    const after = await db()`select count(*)::int as n from schema_migrations`;
    expect(after[0].n).toBe(before[0].n);
  });
});
