// Issue 12: a tenant that allows only zero-retention providers never calls any other model — not for the chat
// answer, its fallback, the grounding calls, the safety model, the embeddings of its pack and its questions, the
// judge, nor an evaluation run that pins a model — through the real code against one local server spoken to as
// OpenAI (every request it receives is counted). A tenant without the setting, on the same configuration, does
// reach that server for each of those purposes, so the counts would catch a leak (ADR 062).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn, type TurnHandle } from '~/.server/coach/run-turn';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import { db } from '~/.server/db/client';
import { evaluateModel, runComparison } from '~/.server/evaluation/comparison';
import { importScenarios } from '~/.server/review/cases';
import { updateTenantSettings } from '~/.server/tenants/tenants';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';
import { CLOUD_ENV_EVERY_PURPOSE, setTestEnv } from '../helpers/env';

useTestDatabase();

const CLOUD_ENV = CLOUD_ENV_EVERY_PURPOSE;
const SCENARIOS = [
  { id: 'late', message: 'One of my team keeps turning up late for shifts. How do I raise it?', expect: { checkInFirst: false, document: null, mustNotContain: [] } },
  { id: 'breaks', message: 'How long should breaks be on a long shift?', expect: { checkInFirst: false, document: null, mustNotContain: [] } },
  { id: 'swap', message: 'Two people want to swap a shift, what do I check?', expect: { checkInFirst: false, document: null, mustNotContain: [] } },
];

let cloud: MockOpenAIServer;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  cloud = await startMockOpenAIServer({ reply: 'Thanks for raising this. What outcome would you like?', moderation: { score: () => ({}) } });
  restoreEnv = setTestEnv({ ...CLOUD_ENV, OPENAI_BASE_URL: cloud.url });
});
afterAll(async () => {
  restoreEnv?.();
  await cloud?.close();
});

async function drain(handle: TurnHandle) {
  const reader = handle.stream.getReader();
  while (!(await reader.read()).done);
  return handle.result;
}

async function tenantWithPack(settings: Record<string, unknown>) {
  const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 100_000, dailyMessageQuota: 10_000, ...settings } });
  const manager = await makeMember(tenant.id, 'manager');
  const files = ['attendance-and-lateness.md', 'breaks-and-wellbeing.txt'].map((name) => {
    const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
    return { fileName: name, bytes, sizeBytes: bytes.length };
  });
  await ingestFilesNow({ tenantId: tenant.id, userId: null, files });
  await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
  await importScenarios({ tenantId: tenant.id, scenarios: SCENARIOS, actorLabel: 'test' });
  return { tenant, manager };
}

/** Pack ingestion, two chat turns (one about a sensitive topic, one in distress), and a judged evaluation run. */
async function everyPurpose(tenantId: string, userId: string) {
  const first = await drain(await runTurn({ tenantId, userId, text: 'Marcus keeps turning up late to his shifts, how do I raise it with him?' }, { firstTokenTimeoutMs: 20_000 }));
  await drain(await runTurn({ tenantId, userId, conversationId: first.conversationId, text: 'She told me she is pregnant and I am worried about the night shifts, and I feel awful about all of it.' }, { firstTokenTimeoutMs: 20_000 }));
  const { results } = await runComparison({ tenantId, models: ['offline-coach'], source: 'cli', actor: { userId: null, label: 'test' }, judge: true });
  return results[0];
}

describe('a zero-retention-only tenant, with every purpose configured on a cloud provider', () => {
  it('without the setting the cloud provider is called for chat, embeddings and the judge (the counts can catch a leak)', async () => {
    const before = { ...cloud.stats, chatBodies: cloud.stats.chatBodies.length };
    const { tenant, manager } = await tenantWithPack({});
    const run = await everyPurpose(tenant.id, manager.id);
    // The safety model (moderation) and the grounding model (gpt-4o-mini) were asked too.
    expect(cloud.stats.moderationRequests).toBeGreaterThan(before.moderationRequests);
    expect(cloud.stats.chatBodies.slice(before.chatBodies).map((b) => b.model)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']));
    expect(cloud.stats.embeddingRequests).toBeGreaterThan(before.embeddingRequests);
    expect(cloud.stats.chatRequests).toBeGreaterThan(before.chatRequests);
    expect(run.judgeModel).toBe('openai:gpt-4o');
  }, 120_000);

  it('never calls it: not for the pack, the chat answer, grounding, safety, question embeddings or the judge', async () => {
    const { tenant, manager } = await tenantWithPack({ zeroRetentionOnly: true });
    const before = cloud.stats.requests;
    const run = await everyPurpose(tenant.id, manager.id);
    expect(cloud.stats.requests).toBe(before);
    expect(run.judgeModel).toBeNull();
    const purposes = await db()<{ purpose: string; modelId: string }[]>`
      select distinct purpose, model_id as "modelId" from usage_event where tenant_id = ${tenant.id} order by 1, 2`;
    for (const p of purposes) expect(['offline-coach', 'offline-embedder'], `${p.purpose} ${p.modelId}`).toContain(p.modelId);
  }, 120_000);

  it('never calls a pinned evaluation model the policy does not allow', async () => {
    const { tenant, manager } = await tenantWithPack({ zeroRetentionOnly: true });
    const before = cloud.stats.requests;
    const handle = await runTurn({ tenantId: tenant.id, userId: manager.id, text: 'How do I raise lateness with someone?' }, { chatModel: 'openai:gpt-4o-mini', firstTokenTimeoutMs: 20_000 });
    const result = await drain(handle);
    expect(cloud.stats.requests).toBe(before);
    expect(result.modelId).toBe('offline-coach');
  }, 60_000);

  it('stops a comparison already running when the tenant switches the setting on, calling the model no more', async () => {
    const { tenant, manager } = await tenantWithPack({});
    let afterSwitch = 0;
    const run = evaluateModel({
      tenantId: tenant.id,
      userId: manager.id,
      scenarios: SCENARIOS,
      modelId: 'openai:gpt-4o-mini',
      comparisonId: crypto.randomUUID(),
      source: 'web',
      judge: false,
      onCase: async (done: number) => {
        if (done !== 1) return;
        // The admin ticks "only zero-retention providers" while the comparison runs.
        await updateTenantSettings({ tenantId: tenant.id, patch: { zeroRetentionOnly: true } });
        afterSwitch = cloud.stats.chatRequests;
      },
    });
    await expect(run).rejects.toThrow(/zero-retention/);
    expect(afterSwitch).toBeGreaterThan(0);
    expect(cloud.stats.chatRequests).toBe(afterSwitch);
    const [stored] = await db()<{ status: string; error: string }[]>`select status, error from eval_run where tenant_id = ${tenant.id}`;
    expect(stored.status).toBe('failed');
    expect(stored.error).toMatch(/zero-retention/);
  }, 60_000);
});
