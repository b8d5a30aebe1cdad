import { z } from 'zod';
import { createTenant, listTenants } from '~/.server/tenants/tenants';
import { printJson, requireString, UsageError, type Command } from '../command';

export const commands: Command[] = [
  {
    name: 'tenants create',
    summary: 'Create a tenant (company)',
    usage: 'tenants create --slug <slug> --name "<name>" [--industry <text>] [--country <ISO2>] [--json]',
    options: { slug: { type: 'string' }, name: { type: 'string' }, industry: { type: 'string' }, country: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, io }) {
      const slug = requireString(values, 'slug');
      if (!/^[a-z0-9-]{2,40}$/.test(slug)) throw new UsageError('--slug must be 2-40 characters of a-z, 0-9 and -');
      const country = typeof values.country === 'string' ? values.country.toUpperCase() : 'US';
      if (!z.string().regex(/^[A-Z]{2}$/).safeParse(country).success) throw new UsageError('--country must be a two-letter code, e.g. US or GB');
      const tenant = await createTenant({ slug, name: requireString(values, 'name'), industry: (values.industry as string) ?? '', country });
      if (values.json) printJson(io, { id: tenant.id, slug: tenant.slug, name: tenant.name });
      else io.stdout.write(`created tenant ${tenant.slug} (${tenant.id})\n`);
    },
  },
  {
    name: 'tenants list',
    summary: 'List tenants',
    usage: 'tenants list [--json]',
    options: { json: { type: 'boolean' } },
    async run({ values, io }) {
      const tenants = await listTenants();
      if (values.json) return printJson(io, tenants.map((t) => ({ id: t.id, slug: t.slug, name: t.name, country: t.country })));
      for (const t of tenants) io.stdout.write(`${t.slug.padEnd(24)} ${t.name}\n`);
    },
  },
];
