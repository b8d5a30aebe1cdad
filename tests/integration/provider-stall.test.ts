// A provider that stalls (issue 14, faults): the OpenAI-compatible model accepts each request and
// sends nothing for 30 s. Every turn gives up on it at the first-token deadline (300 ms here; 8 s
// in production), falls back to the offline coach and stores a complete answer whose lineage
// records the timeout — and the stalled requests are closed, not left open: after two rounds of 20
// simultaneous turns the provider holds no connection from the app (counted on its side).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '~/.server/coach/run-turn';
import { withTenant } from '~/.server/db/tenant';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';

useTestDatabase();

const FIRST_TOKEN_TIMEOUT_MS = 300;
const ROUND = 20;

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAIServer({ reply: 'This never arrives in time.', tokenDelayMs: 5, stallMs: 30_000 });
});
afterAll(async () => {
  await server.close();
});

async function drain(stream: ReadableStream<unknown>) {
  const reader = stream.getReader();
  while (!(await reader.read()).done);
}

describe('a provider stalling for 30 s', () => {
  it('times out at the first-token deadline, falls back, and leaves no socket open', async () => {
    const tenant = await makeTenant({ settings: { dailyMessageQuota: 1000 } });
    const user = await makeMember(tenant.id, 'manager');
    const env = { OPENAI_COMPATIBLE_BASE_URL: server.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'stalls' };
    const openDuring: number[] = [];

    for (let round = 0; round < 2; round++) {
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: ROUND }, async (_, i) => {
          const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: `How do I plan the rota for week ${round * ROUND + i}?` }, { env, firstTokenTimeoutMs: FIRST_TOKEN_TIMEOUT_MS });
          const probe = setTimeout(() => openDuring.push(server.openSockets()), FIRST_TOKEN_TIMEOUT_MS / 2);
          await drain(handle.stream as ReadableStream<unknown>);
          clearTimeout(probe);
          return handle.result;
        }),
      );
      // Bounded by the deadline, not the 30 s stall.
      expect(Date.now() - started).toBeLessThan(15_000);
      for (const result of results) expect(result).toMatchObject({ status: 'complete', modelId: 'offline-coach' });
      // The stalled requests are closed once given up on (the provider sees them go).
      await expect.poll(() => server.openSockets(), { timeout: 3000, interval: 50 }).toBe(0);
    }

    // (A turn whose deadline passed before its request was read never reaches the provider's handler.)
    expect(server.stats.chatRequests).toBeGreaterThan(ROUND);
    expect(server.stats.chatRequests).toBeLessThanOrEqual(2 * ROUND);
    // While stalled, the requests were open at once (one connection each), not queued behind each other.
    expect(Math.max(...openDuring)).toBeGreaterThan(1);
    const lineage = await withTenant(tenant.id, (tx) => tx<{ fallbacks: Array<{ modelId: string; kind: string }>; modelId: string }[]>`
      select fallbacks, model_id as "modelId" from message_lineage where tenant_id = ${tenant.id}`);
    expect(lineage).toHaveLength(2 * ROUND);
    for (const row of lineage) {
      expect(row.modelId).toBe('offline-coach');
      expect(row.fallbacks).toEqual([expect.objectContaining({ modelId: 'compat:chat', kind: 'first-token-timeout' })]);
    }
  }, 60_000);
});
