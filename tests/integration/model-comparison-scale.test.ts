// Issue 11, measured: "the comparison of 3 models × 30 cases runs in under 2 minutes against the local mock
// provider" — the same run as `npm run bench -- compare` (two configured models served by the mock, the offline
// coach, the judge on the mock), here as a test on both databases, so a slower comparison fails CI (ADR 062).
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPackDirectory } from '~/.server/culture/import-dir';
import { publishDraft } from '~/.server/culture/versions';
import { projectPath } from '~/.server/env';
import { runComparison } from '~/.server/evaluation/comparison';
import type { ModelEnv } from '~/.server/models/providers';
import { importScenarios } from '~/.server/review/cases';
import { benchCases } from '~/cli/bench/compare';
import { mockCoachReply } from '../fixtures/mock-coach-replies';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

const MODELS = ['openai:gpt-4o', 'openai:gpt-4o-mini', 'offline-coach'];
let mock: MockOpenAIServer;

beforeAll(async () => {
  // A token every 2 ms, as the bench streams.
  mock = await startMockOpenAIServer({ tokenDelayMs: 2, models: { 'gpt-4o': { reply: mockCoachReply('careful') }, 'gpt-4o-mini': { reply: mockCoachReply('terse') } } });
});
afterAll(async () => {
  await mock?.close();
});

describe('comparing 3 models × 30 cases against the mock provider', () => {
  it('finishes in under 2 minutes, every case judged', async () => {
    const env: ModelEnv = { OPENAI_API_KEY: 'sk-mock', OPENAI_BASE_URL: mock.url };
    const tenant = await makeTenant({ settings: { dailyMessageQuota: 100_000, monthlyBudgetUsd: 1_000_000 } });
    await makeMember(tenant.id, 'manager');
    await importPackDirectory({ tenantId: tenant.id, userId: null, dir: projectPath('tenants', 'brightmart', 'pack') });
    await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
    await importScenarios({ tenantId: tenant.id, scenarios: benchCases(30), actorLabel: 'test' });
    const started = performance.now();
    const { results } = await runComparison({ tenantId: tenant.id, models: MODELS, source: 'cli', actor: { userId: null, label: 'test' }, env });
    const seconds = (performance.now() - started) / 1000;
    console.log(`[compare] 3 models × 30 cases in ${seconds.toFixed(1)} s`);
    expect(results.map((r) => r.model)).toEqual(MODELS);
    for (const r of results) {
      expect(r.cases).toBe(30);
      expect(r.judgeModel).toBe('openai:gpt-4o');
      expect(r.scenarios.filter((s) => s.judge !== null).length).toBe(30);
    }
    expect(seconds).toBeLessThan(120);
  }, 240_000);
});
