// First start: each demo tenant's pack (tenants/<slug>/pack/* plus tone, norms and resources from
// tenant.json) is imported into its draft and published as version 1. Imported for its side
// effect by boot.ts and the `rapport seed` command; a tenant that already has a pack is left alone.
import { onTenantSeeded } from '~/.server/seed';
import { importPackDirectory } from './import-dir';
import { getPublishedVersion, publishDraft, updateDraftStructure } from './versions';

onTenantSeeded(async (tenant, { file, dir }) => {
  if (await getPublishedVersion({ tenantId: tenant.id })) return;
  await updateDraftStructure({ tenantId: tenant.id, tone: file.tone, norms: file.norms, resources: file.resources });
  await importPackDirectory({ tenantId: tenant.id, userId: null, dir: `${dir}/pack` });
  await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'seed' }, note: 'Demo pack' });
});
