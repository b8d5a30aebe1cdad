// `rapport tenants export|delete` and `rapport keys rotate` (issue 12; ADRs 029, 034, 035).
import path from 'node:path';
import { deleteTenant, exportTenant, findTenantRef } from '~/.server/privacy/tenant-data';
import { destroyRetiredKeys, rotateTenantKey } from '~/.server/privacy/key-rotation';
import { printJson, requireString, UsageError, type Command } from '../command';

async function tenantOf(values: Record<string, unknown>) {
  const slug = requireString(values, 'tenant');
  const tenant = await findTenantRef(slug);
  if (!tenant) throw new UsageError(`no tenant with slug "${slug}"`);
  return tenant;
}

export const commands: Command[] = [
  {
    name: 'tenants export',
    summary: "Export everything a tenant owns, decrypted, as JSON lines per table plus its pack documents",
    usage: 'tenants export --tenant <slug> <dir> [--json]',
    options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, positionals, io }) {
      const tenant = await tenantOf(values);
      if (positionals.length !== 1) throw new UsageError('give exactly one directory to export into');
      const summary = await exportTenant(tenant, path.resolve(positionals[0]));
      if (values.json) return printJson(io, summary);
      const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
      io.stdout.write(`exported tenant ${tenant.slug}: ${rows} rows in ${Object.keys(summary.tables).length} tables, ${summary.documents} pack documents → ${summary.dir}\n`);
      if (summary.unreadable > 0) io.stdout.write(`warning: ${summary.unreadable} value(s) could not be decrypted (marked *_unreadable in the export)\n`);
    },
  },
  {
    name: 'tenants delete',
    summary: 'Delete a tenant and everything it owns (its encryption keys too); leaves a tombstone',
    usage: 'tenants delete --tenant <slug> --confirm <slug> [--json]',
    options: { tenant: { type: 'string' }, confirm: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, io }) {
      const slug = requireString(values, 'tenant');
      if (values.confirm !== slug) throw new UsageError(`repeat the slug to confirm: --confirm ${slug}`);
      const tenant = await tenantOf(values);
      const summary = await deleteTenant(tenant, 'operator (rapport tenants delete)');
      if (values.json) return printJson(io, summary);
      const rows = Object.values(summary.deleted).reduce((a, b) => a + b, 0);
      io.stdout.write(`deleted tenant ${tenant.slug} (${tenant.id}): ${rows} rows, ${summary.deleted.tenant_data_key ?? 0} data key(s) destroyed; tombstone kept\n`);
    },
  },
  {
    name: 'keys rotate',
    summary: "Rotate a tenant's data key: a new version, every stored text re-encrypted, no downtime",
    usage: 'keys rotate --tenant <slug> [--finish] [--json]',
    options: { tenant: { type: 'string' }, finish: { type: 'boolean' }, json: { type: 'boolean' } },
    async run({ values, io }) {
      const tenant = await tenantOf(values);
      if (values.finish) {
        const result = await destroyRetiredKeys(tenant.id);
        if (values.json) return printJson(io, { tenantId: tenant.id, ...result });
        io.stdout.write(`tenant ${tenant.slug}: retired key version(s) destroyed: ${result.destroyed.join(', ') || 'none'}\n`);
        for (const k of result.kept) io.stdout.write(`  version ${k.version} kept until ${k.until} (other processes may still hold it)\n`);
        return;
      }
      const report = await rotateTenantKey(tenant.id);
      if (values.json) return printJson(io, report);
      io.stdout.write(`tenant ${tenant.slug}: data key version ${report.version} active; ${report.reencrypted} value(s) re-encrypted\n`);
      if (report.destroyed.length) io.stdout.write(`  destroyed retired version(s) ${report.destroyed.join(', ')}\n`);
      for (const k of report.kept) io.stdout.write(`  version ${k.version} kept until ${k.until}; \`rapport keys rotate --tenant ${tenant.slug} --finish\` then destroys it\n`);
    },
  },
];
