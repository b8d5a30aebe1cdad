// `rapport eval`: a tenant's coaching scenarios through the real pipeline, checked and optionally judged.
import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '~/.server/env';
import { evaluateScenario, readScenarios } from '~/.server/evaluation/scenarios';
import { caseToScenario, listEvalCases } from '~/.server/review/cases';
import { listMembers } from '~/.server/tenants/members';
import { findTenantBySlug } from '~/.server/tenants/tenants';
import { printJson, requireString, UsageError, type Command } from '../command';

export const commands: Command[] = [
  {
    name: 'eval',
    summary: "Run a tenant's coaching scenarios through the coach and check each reply (judge model optional)",
    usage: 'eval --tenant <slug> [--scenarios <file> | --from-db] [--judge] [--json]',
    options: {
      tenant: { type: 'string' },
      scenarios: { type: 'string' },
      'from-db': { type: 'boolean' },
      judge: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run({ values, io }) {
      const slug = requireString(values, 'tenant');
      if (values['from-db'] && typeof values.scenarios === 'string') throw new UsageError('use either --scenarios or --from-db');
      const tenant = await findTenantBySlug(slug);
      if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: rapport tenants list)`);
      let scenarios;
      if (values['from-db']) {
        // The tenant's evaluation set in the database: cases made from reviewed exchanges and imports.
        scenarios = (await listEvalCases({ tenantId: tenant.id })).map(caseToScenario);
        if (scenarios.length === 0) throw new UsageError(`${slug} has no evaluation cases yet (rapport review import --tenant ${slug}, or make cases in /review)`);
      } else {
        const file = typeof values.scenarios === 'string' ? path.resolve(values.scenarios) : projectPath('tenants', slug, 'scenarios.json');
        if (!fs.existsSync(file)) throw new UsageError(`no scenarios file at ${file} (use --scenarios <file>)`);
        try {
          scenarios = readScenarios(file);
        } catch (err) {
          throw new UsageError(`${file} is not a valid scenarios file: ${(err as Error).message.slice(0, 300)}`);
        }
      }
      const manager = (await listMembers({ tenantId: tenant.id })).find((m) => m.role === 'manager' && m.status === 'active');
      if (!manager) throw new UsageError(`no active manager in ${slug} to run the scenarios as`);

      const outcomes = [];
      for (const scenario of scenarios) {
        outcomes.push(await evaluateScenario({ tenantId: tenant.id, userId: manager.id, scenario, judge: !!values.judge }));
      }
      const passed = outcomes.filter((o) => o.pass).length;
      if (values.json) {
        printJson(io, { tenant: slug, passed, failed: outcomes.length - passed, scenarios: outcomes });
      } else {
        for (const o of outcomes) {
          const judge = o.judge ? `  judge ${o.judge.overall}/10` : '';
          io.stdout.write(`${o.pass ? 'pass' : 'FAIL'}  ${o.id.padEnd(10)} ${o.model ?? 'no model'} (${o.safetyLevel})${judge}${o.failures.length ? `\n      ${o.failures.join('; ')}` : ''}\n`);
        }
        io.stdout.write(`${passed}/${outcomes.length} scenarios passed${values.judge ? '' : ' (add --judge to score replies with the judge model)'}\n`);
      }
      return passed === outcomes.length ? 0 : 1;
    },
  },
];
