import { formatMicros } from '~/.server/metering/cost';
import { buildUsageReport, isReportMonth } from '~/.server/metering/report';
import { findTenantBySlug } from '~/.server/tenants/tenants';
import { printJson, requireString, UsageError, type Command } from '../command';

export const commands: Command[] = [
  {
    name: 'usage report',
    summary: "A tenant's usage for one month: calls, tokens and cost by model (sum of the usage events)",
    usage: 'usage report --tenant <slug> --month YYYY-MM [--json]',
    options: { tenant: { type: 'string' }, month: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, io }) {
      const slug = requireString(values, 'tenant');
      const month = requireString(values, 'month');
      if (!isReportMonth(month)) throw new UsageError(`--month must be a month written YYYY-MM (e.g. 2025-03), got "${month}"`);
      const tenant = await findTenantBySlug(slug);
      if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: rapport tenants list)`);
      const report = await buildUsageReport({ tenantId: tenant.id, tenantSlug: tenant.slug, month });
      if (values.json) return printJson(io, report);
      const cost = (line: { costMicros: number; priced: boolean }) => `${formatMicros(line.costMicros)}${line.priced ? '' : ' + unpriced'}`;
      io.stdout.write(`${tenant.slug} ${month}\n`);
      for (const m of report.models) {
        io.stdout.write(`  ${m.model.padEnd(32)} ${String(m.calls).padStart(8)} calls ${String(m.inputTokens).padStart(12)} in ${String(m.outputTokens).padStart(12)} out  ${cost(m)}\n`);
      }
      io.stdout.write(`  ${'total'.padEnd(32)} ${String(report.total.calls).padStart(8)} calls ${String(report.total.inputTokens).padStart(12)} in ${String(report.total.outputTokens).padStart(12)} out  ${cost(report.total)}\n`);
    },
  },
];
