// `rapport review export|import`: a tenant's evaluation set (cases from reviewed exchanges and imported
// scenarios) as JSON lines, and importing tenants/<slug>/scenarios.json (or such an export) into it.
import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '~/.server/env';
import { readScenarios } from '~/.server/evaluation/scenarios';
import { casesToJsonLines, importScenarios, listEvalCases } from '~/.server/review/cases';
import { findTenantBySlug } from '~/.server/tenants/tenants';
import { printJson, requireString, UsageError, type Command } from '../command';

async function tenantOf(values: Record<string, unknown>) {
  const slug = requireString(values, 'tenant');
  const tenant = await findTenantBySlug(slug);
  if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: rapport tenants list)`);
  return tenant;
}

export const commands: Command[] = [
  {
    name: 'review export',
    summary: "Print a tenant's evaluation set (from review and imports) as JSON lines",
    usage: 'review export --tenant <slug> > cases.jsonl',
    options: { tenant: { type: 'string' } },
    async run({ values, io }) {
      const tenant = await tenantOf(values);
      io.stdout.write(casesToJsonLines(await listEvalCases({ tenantId: tenant.id })));
    },
  },
  {
    name: 'review import',
    summary: "Import scenarios (default tenants/<slug>/scenarios.json, or an exported cases.jsonl) into a tenant's evaluation set",
    usage: 'review import --tenant <slug> [--file <scenarios.json | cases.jsonl>] [--json]',
    options: { tenant: { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, io }) {
      const tenant = await tenantOf(values);
      const file = typeof values.file === 'string' ? path.resolve(values.file) : projectPath('tenants', tenant.slug, 'scenarios.json');
      if (!fs.existsSync(file)) throw new UsageError(`no scenarios file at ${file} (use --file <scenarios.json>)`);
      let scenarios;
      try {
        scenarios = readScenarios(file);
      } catch (err) {
        throw new UsageError(`${file} is not a valid scenarios file: ${(err as Error).message.slice(0, 300)}`);
      }
      const { imported } = await importScenarios({ tenantId: tenant.id, scenarios, actorLabel: 'operator (CLI)' });
      if (values.json) printJson(io, { tenant: tenant.slug, imported });
      else io.stdout.write(`imported ${imported} case${imported === 1 ? '' : 's'} into ${tenant.slug}'s evaluation set\n`);
    },
  },
];
