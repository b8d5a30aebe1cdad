// A tenant that allows only zero-retention providers, through runTurn and the real provider code against
// two local servers: "cloud" (spoken to as OpenAI) and "local" (an OpenAI-compatible server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn, ZERO_RETENTION_OFFLINE_NOTICE, type TurnHandle } from '~/.server/coach/run-turn';
import type { ChatChunk } from '~/.server/coach/turn-stream';
import { withTenant } from '~/.server/db/tenant';
import type { ModelEnv } from '~/.server/models/providers';
import { makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';

useTestDatabase();

let cloud: MockOpenAIServer;
let local: MockOpenAIServer;

beforeAll(async () => {
  cloud = await startMockOpenAIServer({ reply: 'Cloud reply: what outcome would you like?', models: { 'gpt-4o': { mode: 'http-500' } } });
  local = await startMockOpenAIServer({ reply: 'Local reply: what outcome would you like?', models: { 'broken-local': { mode: 'http-500' } } });
});
afterAll(async () => {
  await cloud.close();
  await local.close();
});

const cloudEnv = (): ModelEnv => ({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: cloud.url, RAPPORT_CHAT_MODEL: 'openai:gpt-4o' });

async function turn(settings: Record<string, unknown>, env: ModelEnv, text = 'How should I plan next week’s rota?') {
  const tenant = await makeTenant({ settings });
  const user = await makeMember(tenant.id, 'manager');
  const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text }, { env, firstTokenTimeoutMs: 20_000 });
  const chunks = await drain(handle);
  const result = await handle.result;
  const [lineage] = await withTenant(tenant.id, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${handle.assistantMessageId}`);
  return { result, chunks, lineage };
}

async function drain(handle: TurnHandle): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  const reader = handle.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

describe('zero-retention providers', () => {
  it('sends store: false on every request to OpenAI', async () => {
    const before = cloud.stats.chatBodies.length;
    // gpt-4o fails, so gpt-4o-mini answers: both requests carry store: false.
    const { result, lineage } = await turn({}, cloudEnv());
    expect(result.modelId, JSON.stringify(lineage?.fallbacks)).toBe('openai:gpt-4o-mini');
    const bodies = cloud.stats.chatBodies.slice(before);
    expect(bodies.map((b) => b.model)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    for (const body of bodies) expect(body.store).toBe(false);
  });

  it('never calls a non-zero-retention model, including on fallback: the local server, then the offline coach', async () => {
    const cloudBefore = cloud.stats.chatRequests;
    const localBefore = local.stats.chatBodies.length;
    const env = { ...cloudEnv(), OPENAI_COMPATIBLE_BASE_URL: local.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'broken-local' };
    const { result, lineage } = await turn({ zeroRetentionOnly: true, models: { chat: 'openai:gpt-4o-mini' } }, env);
    expect(cloud.stats.chatRequests).toBe(cloudBefore);
    expect(local.stats.chatBodies.slice(localBefore).map((b) => b.model)).toEqual(['broken-local']);
    expect(result.modelId).toBe('offline-coach');
    expect(lineage.params.chain).toEqual(['compat:chat', 'offline-coach']);
    expect(lineage.params.zeroRetentionOnly).toBe(true);
    expect(lineage.fallbacks.map((f: { modelId: string }) => f.modelId)).toEqual(['compat:chat']);
  });

  it('keeps an attested zero-retention cloud model and drops its non-attested fallback', async () => {
    const before = cloud.stats.chatBodies.length;
    const env = { ...cloudEnv(), RAPPORT_ZERO_RETENTION_MODELS: 'openai:gpt-4o' };
    const { result, lineage } = await turn({ zeroRetentionOnly: true }, env);
    // gpt-4o (attested) fails; gpt-4o-mini is not attested, so the offline coach answers.
    expect(cloud.stats.chatBodies.slice(before).map((b) => b.model)).toEqual(['gpt-4o']);
    expect(result.modelId).toBe('offline-coach');
    expect(lineage.params.chain).toEqual(['openai:gpt-4o', 'offline-coach']);
  });

  it('uses the offline coach and says so when no zero-retention model remains', async () => {
    const before = cloud.stats.chatRequests;
    const { result, chunks } = await turn({ zeroRetentionOnly: true }, cloudEnv());
    expect(cloud.stats.chatRequests).toBe(before);
    expect(result.modelId).toBe('offline-coach');
    const meta = chunks.find((c) => c.type === 'message-metadata') as { messageMetadata: { notice?: string } } | undefined;
    expect(meta?.messageMetadata.notice).toBe(ZERO_RETENTION_OFFLINE_NOTICE);
  });

  it('routes the budget fallback model through the same policy', async () => {
    const before = cloud.stats.chatRequests;
    const tenant = await makeTenant({ settings: { zeroRetentionOnly: true, budgetFallbackModel: 'openai:gpt-4o-mini' } });
    const user = await makeMember(tenant.id, 'manager');
    const handle = await runTurn(
      { tenantId: tenant.id, userId: user.id, text: 'Any tips for a new shift lead?' },
      {
        env: cloudEnv(),
        checkEntitlements: async () => ({ allow: true, action: 'fallback_model', modelId: 'openai:gpt-4o-mini', percentUsed: 100 }),
      },
    );
    await drain(handle);
    expect((await handle.result).modelId).toBe('offline-coach');
    expect(cloud.stats.chatRequests).toBe(before);
  });
});
