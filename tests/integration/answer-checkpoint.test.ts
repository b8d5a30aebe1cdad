// Issue 13 item 1: a streaming answer is checkpointed as it streams, so a crash keeps it; answers
// left 'streaming' are swept to 'interrupted' and shown as cut off.
import { tenantCipher } from '~/.server/privacy/tenant-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepInterruptedAnswers } from '~/.server/coach/answer-checkpoint';
import { getConversation } from '~/.server/coach/conversations';
import { runTurn } from '~/.server/coach/run-turn';
import { tenantRoundTrip, uuidLiteral } from '~/.server/db/round-trip';
import { db } from '~/.server/db/client';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

const REPLY = Array.from({ length: 25 }, (_, i) => `Sentence number ${i + 1} of a long answer.`).join(' ');
let server: MockOpenAIServer;

beforeAll(async () => {
  server = await startMockOpenAIServer({ reply: REPLY, tokenDelayMs: 30 });
});
afterAll(async () => {
  await server.close();
});

const env = () => ({ env: { OPENAI_COMPATIBLE_BASE_URL: server.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'checkpointed' } });

/** Read without a held transaction (tenantRoundTrip), as the checkpoints themselves are written. */
async function answerRow(tenantId: string, id: string): Promise<{ status: string; content: string | null } | null> {
  const [raw] = await tenantRoundTrip<{ status: string; content: string | null }>(tenantId, [
    `select status, content from message where tenant_id = ${uuidLiteral(tenantId)} and id = ${uuidLiteral(id)}`,
  ]);
  // The text is encrypted at rest (ADR 029): the test reads what the person would be shown.
  return raw ? { ...raw, content: (await tenantCipher(tenantId)).decrypt(raw.content) } : null;
}

describe('answer checkpoints', () => {
  it('writes the released text while streaming and the final answer over it', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: 'How do I run a better huddle?' }, env());
    // Read the stream in the background, as the browser would.
    let streamed = '';
    const reading = (async () => {
      const reader = handle.stream.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        if (next.value.type === 'text-delta') streamed += next.value.delta;
      }
    })();
    let checkpoint: { status: string; content: string | null } | null = null;
    const deadline = Date.now() + 30_000;
    while (!checkpoint?.content && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      checkpoint = await answerRow(tenant.id, handle.assistantMessageId);
    }
    const shownAtCheckpoint = streamed;
    expect(checkpoint).toMatchObject({ status: 'streaming' });
    // What was saved is a prefix of what the browser had been shown, never more.
    expect(shownAtCheckpoint.startsWith(checkpoint!.content!)).toBe(true);
    expect(checkpoint!.content!.length).toBeLessThan(REPLY.length);
    await reading;
    const result = await handle.result;
    expect(result.status).toBe('complete');
    const final = await answerRow(tenant.id, handle.assistantMessageId);
    expect(final).toMatchObject({ status: 'complete', content: result.reply });
    // One row per answer, not a checkpoint row beside the final one.
    const conversation = await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: result.conversationId });
    expect(conversation!.messages.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
  }, 90_000);

  it('sweeps answers left streaming to interrupted, and shows stale ones as cut off before the sweep', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: 'How do I give feedback kindly?' }, env());
    await handle.result;
    const conversationId = handle.conversationId;
    // As if the server died mid-stream: the row is still 'streaming' with its last checkpoint.
    await db()`update message set status = 'streaming', content = 'Partial answer so far', checkpoint_at = now() - interval '1 minute'
      where tenant_id = ${tenant.id} and id = ${handle.assistantMessageId}`;
    const shown = await getConversation({ tenantId: tenant.id, userId: user.id, conversationId });
    expect(shown!.messages[1]).toMatchObject({ status: 'interrupted', content: 'Partial answer so far' });

    // A fresh checkpoint (another process still streaming) is left alone by the periodic sweep…
    await db()`update message set checkpoint_at = now() where tenant_id = ${tenant.id} and id = ${handle.assistantMessageId}`;
    expect(await sweepInterruptedAnswers()).toBe(0);
    expect((await answerRow(tenant.id, handle.assistantMessageId))!.status).toBe('streaming');
    // …and swept by the owner of a freshly opened embedded database.
    expect(await sweepInterruptedAnswers({ all: true })).toBe(1);
    expect(await answerRow(tenant.id, handle.assistantMessageId)).toMatchObject({ status: 'interrupted', content: 'Partial answer so far' });

    // Retry replaces the cut-off answer with a new one.
    const retry = await runTurn({ tenantId: tenant.id, userId: user.id, conversationId, text: 'How do I give feedback kindly?', regenerate: true }, env());
    await retry.result;
    const after = await getConversation({ tenantId: tenant.id, userId: user.id, conversationId });
    expect(after!.messages.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
  }, 90_000);
});
