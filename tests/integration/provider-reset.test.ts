// A provider whose connection is reset mid-stream (TCP RST, ECONNRESET; issue 14, faults). After the
// first token the thin transport reads the provider's socket straight from its descriptor at each read
// tick (compatible-chat-stream.ts), so the reset is first seen by that read, not by libuv: it must end
// the stream with an error like any other provider failure — never a hang, never a clean end. A turn
// stores what was shown as interrupted (with the stream error in its lineage); a reset before the first
// token falls back to the next model. Several streams reset at once, and at different points of a read
// window, so the reset meets both a paused socket and one being read.
import fs from 'node:fs';
import { streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTurn, type TurnHandle } from '~/.server/coach/run-turn';
import type { ChatChunk } from '~/.server/coach/turn-stream';
import { withTenant } from '~/.server/db/tenant';
import { getLanguageModel } from '~/.server/models/providers';
import { READ_EVERY_MS } from '~/.server/models/compatible-chat-stream';
import { tenantCipher } from '~/.server/privacy/tenant-keys';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';

useTestDatabase();

const REPLY = 'Thanks for telling me. What would a good outcome look like for you and the team this week, and who else should be there?';
const WORDS = REPLY.match(/\s*\S+\s*/g)!;
/** Tokens sent before the reset: the first is read as it comes, the rest by the read ticker. */
const RESET_AFTER = 8;
/** A bound far below a hang, far above a read window. */
const BOUND_MS = 5_000;

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAIServer({
    reply: REPLY,
    tokenDelayMs: 15,
    models: {
      'resets-mid-stream': { resetAfterTokens: RESET_AFTER },
      'resets-before-first-token': { resetAfterTokens: 0 },
      // Tokens every 7 ms: the reset lands at another point of the 100 ms read window.
      'resets-fast': { resetAfterTokens: RESET_AFTER + 3, tokenDelayMs: 7 },
      'keeps-sending': {},
    },
  });
});
afterAll(async () => {
  await server.close();
});

const env = (model: string) => ({ OPENAI_COMPATIBLE_BASE_URL: server.url, OPENAI_COMPATIBLE_CHAT_MODEL: model });

async function drain(handle: TurnHandle): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  const reader = handle.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

async function stored(tenantId: string, conversationId: string) {
  const cipher = await tenantCipher(tenantId);
  return withTenant(tenantId, async (tx) => ({
    messages: (
      await tx<{ role: string; content: string | null; status: string; modelId: string | null }[]>`
        select role, content, status, model_id as "modelId" from message where conversation_id = ${conversationId} order by created_at, role desc`
    ).map((m) => ({ ...m, content: cipher.decrypt(m.content) })),
    lineage: await tx<{ params: Record<string, unknown>; fallbacks: Array<{ modelId: string; kind: string }>; modelId: string }[]>`
      select params, fallbacks, model_id as "modelId" from message_lineage where conversation_id = ${conversationId}`,
  }));
}

describe('a provider connection reset mid-stream', () => {
  it('ends the provider stream with an error, after the text that arrived, within a bound', async () => {
    for (const model of ['resets-mid-stream', 'resets-fast']) {
      const started = Date.now();
      const result = streamText({ model: getLanguageModel('compat:chat', env(model)), prompt: 'hi', maxRetries: 0, onError: () => {} });
      const received: string[] = [];
      const error = await (async () => {
        for await (const delta of result.textStream) received.push(delta);
      })().then(
        () => null,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
      // The reset itself, as the read saw it — not a clean end, not only HTTP's generic "aborted".
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code: 'ECONNRESET', syscall: 'read' });
      // More than the first token arrived (the ticker's direct reads were on the path), and nothing beyond what was sent.
      const text = received.join('');
      expect(received.length).toBeGreaterThan(1);
      expect(REPLY.startsWith(text)).toBe(true);
      expect(text.length).toBeLessThan(REPLY.length);
    }
  });

  it('ends the stream on a read error even when the connection stays open (the error is not left to libuv)', async () => {
    // The kernel reports a socket error to one read only. Here the descriptor read fails once while the
    // provider goes on sending: the stream must end with that error, not resume reading as if nothing happened.
    const readSync = fs.readSync;
    let armed = false;
    let injected = 0;
    const spy = vi.spyOn(fs, 'readSync').mockImplementation(((...args: unknown[]) => {
      if (armed && args[4] === null) {
        armed = false;
        injected++;
        throw Object.assign(new Error('ECONNRESET: connection reset by peer, read'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
      }
      return (readSync as (...a: unknown[]) => number)(...args);
    }) as typeof fs.readSync);
    try {
      const result = streamText({ model: getLanguageModel('compat:chat', env('keeps-sending')), prompt: 'hi', maxRetries: 0, onError: () => {} });
      const received: string[] = [];
      const error = await (async () => {
        for await (const delta of result.textStream) {
          received.push(delta);
          armed = injected === 0; // from the first text on, the ticker reads the descriptor
        }
      })().then(
        () => null,
        (e: unknown) => e,
      );
      expect(injected).toBe(1);
      expect(error).toMatchObject({ code: 'ECONNRESET', syscall: 'read' });
      const text = received.join('');
      expect(REPLY.startsWith(text)).toBe(true);
      expect(text.length).toBeLessThan(REPLY.length);
    } finally {
      spy.mockRestore();
    }
  });

  it('stores the turn as interrupted with the text shown, the stream error in its lineage', async () => {
    const tenant = await makeTenant({ settings: { dailyMessageQuota: 1000 } });
    const user = await makeMember(tenant.id, 'manager');
    const started = Date.now();
    // Several at once: their sockets are read at different ticks of one shared ticker.
    const turns = await Promise.all(
      ['resets-mid-stream', 'resets-fast', 'resets-mid-stream', 'resets-fast', 'resets-mid-stream'].map(async (model, i) => {
        const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: `My team keeps arguing on the late shift (${i}).` }, { env: env(model) });
        const chunks = await drain(handle);
        return { chunks, result: await handle.result };
      }),
    );
    expect(Date.now() - started).toBeLessThan(BOUND_MS + READ_EVERY_MS * 10);
    for (const { chunks, result } of turns) {
      expect(result.status).toBe('interrupted');
      const shown = chunks.map((c) => (c.type === 'text-delta' ? c.delta : '')).join('');
      expect(shown.length).toBeGreaterThan(WORDS[0].length);
      expect(REPLY.startsWith(shown)).toBe(true);
      expect(result.reply).toBe(shown);
      const rows = await stored(tenant.id, result.conversationId);
      expect(rows.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(rows.messages[1]).toMatchObject({ status: 'interrupted', content: shown, modelId: 'compat:chat' });
      expect(rows.lineage).toHaveLength(1);
      expect(rows.lineage[0].params.streamError).toBeTruthy();
    }
  });

  it('falls back to the next model when the reset comes before the first token', async () => {
    const tenant = await makeTenant({ settings: { dailyMessageQuota: 1000 } });
    const user = await makeMember(tenant.id, 'manager');
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: 'How do I plan the rota for next week?' }, { env: env('resets-before-first-token') });
    await drain(handle);
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'complete', modelId: 'offline-coach' });
    const rows = await stored(tenant.id, result.conversationId);
    expect(rows.messages[1]).toMatchObject({ status: 'complete', modelId: 'offline-coach' });
    expect(rows.lineage[0].fallbacks).toEqual([expect.objectContaining({ modelId: 'compat:chat' })]);
  });
});
