// Tenants: the root of everything tenant-owned.
import { withSystem, withTenant } from '~/.server/db/tenant';
import { tenantSettingsSchema, type TenantSettings } from '~/lib/culture';
import { readTenantSettings } from '~/.server/tenants/settings-read';

export type Tenant = {
  id: string;
  slug: string;
  name: string;
  industry: string;
  country: string;
  settings: TenantSettings;
};

type TenantRow = Omit<Tenant, 'settings'> & { settings: unknown };

function toTenant(row: TenantRow): Tenant {
  return { ...row, settings: readTenantSettings(row.settings, row.id) };
}

export async function getTenant({ tenantId }: { tenantId: string }): Promise<Tenant> {
  return withTenant(tenantId, async (tx) => {
    const [row] = await tx<TenantRow[]>`select id, slug, name, industry, country, settings from tenants where id = ${tenantId}`;
    if (!row) throw new Error(`tenant ${tenantId} not found`);
    return toTenant(row);
  });
}

/** Operator lookup by slug (CLI); not reachable from a request. */
export async function findTenantBySlug(slug: string): Promise<Tenant | null> {
  return withSystem(async (tx) => {
    const [row] = await tx<TenantRow[]>`select id, slug, name, industry, country, settings from tenants where slug = ${slug}`;
    return row ? toTenant(row) : null;
  });
}

export async function listTenants(): Promise<Tenant[]> {
  return withSystem(async (tx) => {
    const rows = await tx<TenantRow[]>`select id, slug, name, industry, country, settings from tenants order by slug`;
    return rows.map(toTenant);
  });
}

export class TenantExistsError extends Error {}

export async function createTenant(input: {
  slug: string;
  name: string;
  industry?: string;
  country?: string;
  settings?: Partial<TenantSettings>;
}): Promise<Tenant> {
  const settings = tenantSettingsSchema.parse(input.settings ?? {});
  return withSystem(async (tx) => {
    const [existing] = await tx`select 1 from tenants where slug = ${input.slug}`;
    if (existing) throw new TenantExistsError(`A tenant with slug "${input.slug}" already exists.`);
    const [row] = await tx<TenantRow[]>`
      insert into tenants (slug, name, industry, country, settings)
      values (${input.slug}, ${input.name}, ${input.industry ?? ''}, ${(input.country ?? 'US').toUpperCase()}, ${tx.json(settings as never)})
      returning id, slug, name, industry, country, settings`;
    return toTenant(row);
  });
}

export async function updateTenantSettings({
  tenantId,
  patch,
}: {
  tenantId: string;
  patch: Partial<TenantSettings>;
}): Promise<TenantSettings> {
  return withTenant(tenantId, async (tx) => {
    const [row] = await tx<{ settings: unknown }[]>`select settings from tenants where id = ${tenantId} for update`;
    const next = tenantSettingsSchema.parse({ ...readTenantSettings(row.settings, tenantId), ...patch });
    await tx`update tenants set settings = ${tx.json(next as never)} where id = ${tenantId}`;
    return next;
  });
}
