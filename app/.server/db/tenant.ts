// Units of work. Tenant data is only ever touched inside withTenant(): a short transaction
// that drops to the non-superuser application role and pins app.tenant_id, so row-level
// security decides what is visible even if a query forgets its WHERE tenant_id.
// Never hold one of these open across a model call or a stream (PGlite runs one query at a time).
import { db, readDb, type Tx } from './client';
import { transaction } from './transaction';

export const APP_ROLE = 'rapport_app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function withTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenant: not a tenant id: ${JSON.stringify(tenantId)}`);
  return transaction(db(), async (tx) => {
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE. Simple protocol (the tenant id is
    // a checked uuid, the role a constant): a parameterised statement would take two round trips.
    await tx.unsafe(`select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenantId}', true)`).simple();
    return work(tx);
  });
}

/** withTenant on the read replica (DATABASE_READ_URL) when one is set: dashboards, in a read-only transaction. */
export async function withTenantRead<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenantRead: not a tenant id: ${JSON.stringify(tenantId)}`);
  return transaction(
    readDb(),
    async (tx) => {
      await tx`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId}, true)`;
      return work(tx);
    },
    'read only',
  );
}

/**
 * Cross-tenant work as the owner role: sign-in lookup by email, sessions, migrations, the
 * operator CLI. Every caller is listed in docs/decisions/003; do not use it for tenant data.
 */
export async function withSystem<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(db(), work);
}
