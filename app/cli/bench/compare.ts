// The model comparison (issue 11): `npm run bench -- compare [--cases=30] [--token-ms=2]`.
// A tenant with the BrightMart pack published and an evaluation set of N cases (the BrightMart scenarios and
// rephrasings of them), compared across three models — two "configured" OpenAI models served by the local mock
// provider (tests/fixtures/mock-openai-server.ts; one careful, one terse) and the offline coach — through the
// same code as `rapport eval --models` and the Compare models page, judge included (the mock answers the rubric).
// Prints the wall time of the whole comparison (target: 3 models × 30 cases under 2 minutes) and the table.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { importPackDirectory } from '~/.server/culture/import-dir';
import { publishDraft } from '~/.server/culture/versions';
import { projectPath } from '~/.server/env';
import { runComparison } from '~/.server/evaluation/comparison';
import { readScenarios, type Scenario } from '~/.server/evaluation/scenarios';
import type { ModelEnv } from '~/.server/models/providers';
import { importScenarios } from '~/.server/review/cases';
import { createMember } from '~/.server/tenants/members';
import { createTenant } from '~/.server/tenants/tenants';
import { rankModels, recommendationSentence } from '~/lib/model-comparison';
import { mockCoachReply } from '../../../tests/fixtures/mock-coach-replies';
import { startMockOpenAIServer } from '../../../tests/fixtures/mock-openai-server';
import { openBenchDatabase } from '../bench-database';

function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

const VARIANTS = [(m: string) => m, (m: string) => `Quick one — ${m}`, (m: string) => `${m} Any advice?`, (m: string) => `Hi coach. ${m}`];

/** N cases from the BrightMart scenarios: the originals, then rephrasings (same expectations). */
export function benchCases(n: number): Scenario[] {
  const base = readScenarios(projectPath('tenants', 'brightmart', 'scenarios.json'));
  const cases: Scenario[] = [];
  for (let i = 0; cases.length < n; i++) {
    const s = base[i % base.length];
    const v = Math.floor(i / base.length);
    cases.push({ ...s, id: v === 0 ? s.id : `${s.id}-v${v}`, message: VARIANTS[v % VARIANTS.length](s.message) });
  }
  return cases;
}

export async function run(args: string[]): Promise<void> {
  const n = option(args, 'cases', 30);
  const tokenMs = option(args, 'token-ms', 2);
  const database = await openBenchDatabase({ prefix: 'rapport-bench-compare', owner: 'bench compare' });
  const mock = await startMockOpenAIServer({ tokenDelayMs: tokenMs, models: { 'gpt-4o': { reply: mockCoachReply('careful') }, 'gpt-4o-mini': { reply: mockCoachReply('terse') } } });
  const env: ModelEnv = { OPENAI_API_KEY: 'sk-mock', OPENAI_BASE_URL: mock.url };
  try {
    const stamp = Date.now().toString(36);
    const tenant = await createTenant({ slug: `bench-compare-${stamp}`, name: 'BrightMart (bench)', country: 'GB', settings: { dailyMessageQuota: 100_000, monthlyBudgetUsd: 1_000_000 } });
    const manager = await createMember({ tenantId: tenant.id, email: `manager-${stamp}@bench.example`, role: 'manager', password: 'bench-password-1', actor: { userId: null, label: 'bench' } });
    await importPackDirectory({ tenantId: tenant.id, userId: null, dir: projectPath('tenants', 'brightmart', 'pack') });
    await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'bench' } });
    await importScenarios({ tenantId: tenant.id, scenarios: benchCases(n), actorLabel: 'bench' });
    const models = ['openai:gpt-4o', 'openai:gpt-4o-mini', 'offline-coach'];
    const started = performance.now();
    const { results } = await runComparison({ tenantId: tenant.id, models, source: 'cli', actor: { userId: null, label: 'bench' }, env });
    const seconds = (performance.now() - started) / 1000;
    const ranked = rankModels(results);
    console.log(`compare: ${models.length} models × ${n} cases, ${database.label}, mock streams a token every ${tokenMs} ms, judge openai:gpt-4o (mock)`);
    console.log(`  load: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
    for (const r of ranked) {
      const x = r.result;
      console.log(
        `  ${String(r.rank)}. ${x.model.padEnd(20)} pass ${x.passed}/${x.cases} (${(x.passRate * 100).toFixed(0)}%)  judge ${x.judgeMean ?? '—'}  ` +
          `$${x.costPer1000TurnsUsd.toFixed(4)}/1k turns  TTFT p50 ${x.ttftP50Ms ?? '—'} ms p95 ${x.ttftP95Ms ?? '—'} ms${r.recommended ? '  ← recommended' : ''}`,
      );
    }
    console.log(`  ${recommendationSentence(ranked) ?? ''}`);
    console.log(`  mock chat requests: ${mock.stats.chatRequests}`);
    console.log(`  wall time: ${seconds.toFixed(1)} s  (target < 120 s)`);
  } finally {
    await mock.close();
    await database.close();
  }
}
