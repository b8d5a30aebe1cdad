// `rapport eval`: a tenant's coaching scenarios through the real pipeline, checked and judged (when a judge
// model is configured), stored as evaluation runs. With --models, one run per model (pinned, no fallback)
// and, with --json, one result object per model per line (JSON lines):
//   {"model","cases","passed","passRate","judgeMean","costPer1000TurnsUsd","ttftP50Ms","ttftP95Ms", …, "scenarios":[…]}
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getEnv, projectPath } from '~/.server/env';
import { checkComparableModels, ComparisonError, evaluateModel, runComparison, type ModelRunResult } from '~/.server/evaluation/comparison';
import { judgeConfigured, readScenarios, type Scenario } from '~/.server/evaluation/scenarios';
import { routeModel } from '~/.server/models/router';
import { caseToScenario, listEvalCases } from '~/.server/review/cases';
import { listMembers } from '~/.server/tenants/members';
import { findTenantBySlug, getTenant } from '~/.server/tenants/tenants';
import { modelPolicyOf } from '~/lib/culture';
import { rankModels, recommendationSentence } from '~/lib/model-comparison';
import { printJson, requireString, UsageError, type CliIO, type Command } from '../command';

/** The fields of the contract first, in its order; ranking and per-case outcomes after. */
function resultObject(tenant: string, r: ModelRunResult, rank?: { rank: number; goodEnough: boolean; recommended: boolean }) {
  return {
    model: r.model,
    cases: r.cases,
    passed: r.passed,
    passRate: r.passRate,
    judgeMean: r.judgeMean,
    costPer1000TurnsUsd: r.costPer1000TurnsUsd,
    ttftP50Ms: r.ttftP50Ms,
    ttftP95Ms: r.ttftP95Ms,
    tenant,
    runId: r.runId,
    ...(rank ?? {}),
    judgeModel: r.judgeModel,
    judgeCriteria: r.judgeCriteria,
    judgeCostUsd: r.judgeCostUsd,
    scenarios: r.scenarios.map(({ conversationId: _c, ...o }) => o),
  };
}

function printOutcomes(io: CliIO, r: ModelRunResult) {
  for (const o of r.scenarios) {
    const judge = o.judge ? `  judge ${o.judge.overall}/10` : '';
    io.stdout.write(`${o.pass ? 'pass' : 'FAIL'}  ${o.id.padEnd(10)} ${o.model ?? 'no model'} (${o.safetyLevel})${judge}${o.failures.length ? `\n      ${o.failures.join('; ')}` : ''}\n`);
  }
}

const money = (v: number) => `$${v < 1 ? v.toFixed(4) : v.toFixed(2)}`;
const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);

export const commands: Command[] = [
  {
    name: 'eval',
    summary: "Run a tenant's coaching scenarios through the coach and check each reply (judged when a judge model is configured)",
    usage:
      'eval --tenant <slug> [--scenarios <file> | --from-db] [--models a,b,...] [--judge] [--margin <points>] [--json]\n' +
      '  --models   compare chat models (catalogue ids; offline-coach included if named): one stored run per model, pinned (no fallback);\n' +
      '             the set is the tenant\'s evaluation set in the database when it has one, else tenants/<slug>/scenarios.json\n' +
      '  --json     without --models one object; with --models one result object per model per line (JSON lines)\n' +
      '  --judge    fail unless a judge model is configured (every run is judged when one is)',
    options: {
      tenant: { type: 'string' },
      scenarios: { type: 'string' },
      'from-db': { type: 'boolean' },
      models: { type: 'string' },
      margin: { type: 'string' },
      judge: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run({ values, io }) {
      const slug = requireString(values, 'tenant');
      if (values['from-db'] && typeof values.scenarios === 'string') throw new UsageError('use either --scenarios or --from-db');
      const tenant = await findTenantBySlug(slug);
      if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: rapport tenants list)`);
      const models = typeof values.models === 'string' ? [...new Set(values.models.split(',').map((m) => m.trim()).filter(Boolean))] : null;
      if (models && models.length === 0) throw new UsageError('--models needs at least one model id');
      const margin = typeof values.margin === 'string' ? Number(values.margin) : undefined;
      if (margin !== undefined && !(margin >= 0 && margin <= 100)) throw new UsageError('--margin is percentage points, 0 to 100');
      const env = getEnv();
      const { settings } = await getTenant({ tenantId: tenant.id });
      if (models) {
        try {
          checkComparableModels(models, env, settings);
        } catch (err) {
          if (err instanceof ComparisonError) throw new UsageError(err.message);
          throw err;
        }
      }
      const judgeModel = await judgeConfigured(tenant.id, env);
      if (values.judge && !judgeModel) throw new UsageError('--judge: no judge model is configured (RAPPORT_JUDGE_MODEL or a judge-capable provider)');

      let scenarios: Scenario[];
      const dbCases = async () => (await listEvalCases({ tenantId: tenant.id })).map(caseToScenario);
      if (values['from-db']) {
        // The tenant's evaluation set in the database: cases made from reviewed exchanges and imports.
        scenarios = await dbCases();
        if (scenarios.length === 0) throw new UsageError(`${slug} has no evaluation cases yet (rapport review import --tenant ${slug}, or make cases in /review)`);
      } else {
        const fromDb = models && typeof values.scenarios !== 'string' ? await dbCases() : [];
        if (fromDb.length > 0) scenarios = fromDb;
        else {
          const file = typeof values.scenarios === 'string' ? path.resolve(values.scenarios) : projectPath('tenants', slug, 'scenarios.json');
          if (!fs.existsSync(file)) throw new UsageError(`no scenarios file at ${file} (use --scenarios <file>)`);
          try {
            scenarios = readScenarios(file);
          } catch (err) {
            throw new UsageError(`${file} is not a valid scenarios file: ${(err as Error).message.slice(0, 300)}`);
          }
        }
      }
      const manager = (await listMembers({ tenantId: tenant.id })).find((m) => m.role === 'manager' && m.status === 'active');
      if (!manager) throw new UsageError(`no active manager in ${slug} to run the scenarios as`);
      const actor = { userId: null, label: 'operator (cli)' };

      if (!models) {
        // The tenant's normal routing; the run is stored under the model routing picks first.
        const routed = routeModel({ purpose: 'chat', env, tenantAllowed: { chat: settings.models.chat }, policy: modelPolicyOf(settings) }).chain[0];
        const run = await evaluateModel({ tenantId: tenant.id, userId: manager.id, scenarios, modelId: null, label: routed, comparisonId: crypto.randomUUID(), source: 'cli', judge: true, env });
        const failed = run.cases - run.passed;
        if (values.json) {
          // The original shape ({tenant, passed, failed, scenarios}) with the result object's figures added.
          const { scenarios: outcomes, tenant: _t, passed: _p, ...figures } = resultObject(slug, run);
          printJson(io, { tenant: slug, passed: run.passed, failed, scenarios: outcomes, ...figures });
        } else {
          printOutcomes(io, run);
          io.stdout.write(`${run.passed}/${run.cases} scenarios passed${judgeModel ? ` (judged by ${judgeModel})` : ' (no judge model configured)'}\n`);
        }
        return failed === 0 ? 0 : 1;
      }

      const started = Date.now();
      const { results } = await runComparison({ tenantId: tenant.id, models, source: 'cli', actor, env, scenarios, userId: manager.id, judge: true });
      const ranked = rankModels(results, { marginPoints: margin });
      if (values.json) {
        for (const r of ranked) printJson(io, resultObject(slug, r.result, { rank: r.rank, goodEnough: r.goodEnough, recommended: r.recommended }));
      } else {
        for (const r of results) {
          io.stdout.write(`── ${r.model}\n`);
          printOutcomes(io, r);
        }
        io.stdout.write(`\n${'rank'.padEnd(5)}${'model'.padEnd(30)}${'pass'.padStart(10)}${'judge'.padStart(7)}${'$/1k turns'.padStart(12)}${'TTFT p50'.padStart(10)}${'p95'.padStart(9)}\n`);
        for (const r of ranked) {
          const x = r.result;
          io.stdout.write(
            `${String(r.rank).padEnd(5)}${(x.model + (r.recommended ? ' ★' : '')).padEnd(30)}${`${x.passed}/${x.cases}`.padStart(10)}${(x.judgeMean === null ? '—' : x.judgeMean.toFixed(1)).padStart(7)}` +
              `${money(x.costPer1000TurnsUsd).padStart(12)}${ms(x.ttftP50Ms).padStart(10)}${ms(x.ttftP95Ms).padStart(9)}\n`,
          );
        }
        const sentence = recommendationSentence(ranked);
        if (sentence) io.stdout.write(`\n${sentence}\n`);
        io.stdout.write(`${results.length} models × ${scenarios.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s${judgeModel ? `, judged by ${judgeModel}` : ', no judge model configured'}\n`);
      }
      return 0;
    },
  },
];
