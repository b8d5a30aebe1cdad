// Key rotation without downtime (ADR 029): a new data key version becomes active at once (new text is
// written under it; other processes pick it up within KEY_CACHE_MS or on the first envelope naming it),
// every stored value is re-encrypted under it in small batches while reads accept every version still
// kept, and a retired version is destroyed only once no value names it and no process can still hold it
// as active (retired longer than KEY_CACHE_MS ago) — by the next rotation or the background job.
import { db } from '~/.server/db/client';
import { withSystem } from '~/.server/db/tenant';
import { registerJob } from '~/.server/jobs';
import { addDataKeyVersion, forgetTenantKeys, KEY_CACHE_MS, tenantCipher } from './tenant-keys';
import { reencryptTenant, valuesPerKeyVersion } from './reencrypt';

export interface RotationReport {
  tenantId: string;
  version: number;
  reencrypted: number;
  destroyed: number[];
  /** Retired versions still kept: retired too recently (another process may still write with them). */
  kept: Array<{ version: number; until: string }>;
}

/** New version, re-encrypt everything, destroy what is safe to destroy. */
export async function rotateTenantKey(tenantId: string): Promise<RotationReport> {
  await tenantCipher(tenantId); // the tenant has a key (version 1) before it gets a second one
  const { version } = await withSystem((tx) => addDataKeyVersion(tx, tenantId));
  const reencrypted = await reencryptTenant(tenantId);
  const { destroyed, kept } = await destroyRetiredKeys(tenantId);
  return { tenantId, version, reencrypted, destroyed, kept };
}

/**
 * Re-encrypts what is still under retired versions, then deletes each retired version that no stored
 * value names and that was retired more than KEY_CACHE_MS (or `graceMs`) ago.
 */
export async function destroyRetiredKeys(tenantId: string, { graceMs = KEY_CACHE_MS }: { graceMs?: number } = {}) {
  const retired = await db()<{ version: number; retiredAt: Date }[]>`
    select version, retired_at as "retiredAt" from tenant_data_key where tenant_id = ${tenantId} and status = 'retired' order by version`;
  if (retired.length === 0) return { destroyed: [] as number[], kept: [] as RotationReport['kept'] };
  await reencryptTenant(tenantId);
  const inUse = await valuesPerKeyVersion(tenantId);
  const destroyed: number[] = [];
  const kept: RotationReport['kept'] = [];
  for (const r of retired) {
    const until = new Date(r.retiredAt.getTime() + graceMs);
    if ((inUse.get(r.version) ?? 0) > 0 || until.getTime() > Date.now()) {
      kept.push({ version: r.version, until: until.toISOString() });
      continue;
    }
    await db()`delete from tenant_data_key where tenant_id = ${tenantId} and version = ${r.version} and status = 'retired'`;
    destroyed.push(r.version);
  }
  if (destroyed.length) forgetTenantKeys(tenantId);
  return { destroyed, kept };
}

// Finishes rotations: values written under a just-retired key by another process are re-encrypted, and
// retired keys are destroyed once it is safe.
registerJob({
  name: 'key-rotation',
  everyMs: 10 * 60_000,
  async run() {
    const tenants = await db()<{ tenantId: string }[]>`select distinct tenant_id as "tenantId" from tenant_data_key where status = 'retired'`;
    const destroyed: string[] = [];
    for (const { tenantId } of tenants) {
      const result = await destroyRetiredKeys(tenantId);
      if (result.destroyed.length) destroyed.push(`${tenantId}: v${result.destroyed.join(', v')}`);
    }
    return destroyed.length ? `retired data keys destroyed (${destroyed.join('; ')})` : undefined;
  },
});
