// The real @ai-sdk/openai-compatible (and @ai-sdk/openai) provider code against a local server that speaks
// the OpenAI streaming protocol: streamed text and usage, a broken stream, and fallback along a chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedMany, generateText, streamText } from 'ai';
import { getEmbeddingModel, getLanguageModel, type ModelEnv } from '~/.server/models/providers';
import { streamWithFallback } from '~/.server/models/router';
import { embedTexts } from '~/.server/models/offline-embedder';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';

const REPLY = 'Thanks for telling me. What would a good outcome look like for you and the team?';

const PACED_REPLY = Array.from({ length: 24 }, (_, i) => `word${i}`).join(' ');

let server: MockOpenAIServer;
let env: ModelEnv;

beforeAll(async () => {
  server = await startMockOpenAIServer({
    reply: REPLY,
    tokenDelayMs: 2,
    models: {
      'broken-500': { mode: 'http-500' },
      'never-starts': { mode: 'no-first-token' },
      'breaks-mid-stream': { failAfterTokens: 4 },
      echo: { reply: (request) => `You said: ${String(request.messages.at(-1)?.content)}` },
      'one-token-at-a-time': { reply: PACED_REPLY, tokenDelayMs: 15 },
    },
  });
  env = {
    OPENAI_COMPATIBLE_BASE_URL: server.url,
    OPENAI_COMPATIBLE_API_KEY: 'local-key',
    OPENAI_COMPATIBLE_CHAT_MODEL: 'good-model',
    OPENAI_COMPATIBLE_EMBEDDING_MODEL: 'mock-embed',
  };
});

afterAll(async () => {
  await server.close();
});

/** The compatible chat model as configured, but asking the server for a specific model name. */
const compatModel = (name: string) => getLanguageModel('compat:chat', { ...env, OPENAI_COMPATIBLE_CHAT_MODEL: name });

describe('OpenAI-compatible provider against the local server', () => {
  it('streams text in several deltas and reports token usage', async () => {
    const result = streamText({ model: getLanguageModel('compat:chat', env), system: 'Be kind.', prompt: 'My team keeps swapping shifts.' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe(REPLY);
    // The first token alone, then what each read of the socket brought (compatible-chat-stream.ts).
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas[0]).toBe('Thanks ');
    const usage = await result.usage;
    expect(usage.outputTokens).toBe(REPLY.split(' ').length);
    expect(usage.inputTokens).toBeGreaterThan(0);
    const sent = server.stats.chatBodies.at(-1)!;
    expect(sent).toMatchObject({ model: 'good-model', stream: true, stream_options: { include_usage: true } });
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Be kind.' });
  });

  it('works without streaming too', async () => {
    const result = await generateText({ model: compatModel('echo'), prompt: 'hello there' });
    expect(result.text).toBe('You said: hello there');
    expect(result.usage.outputTokens).toBe(4);
  });

  it('surfaces a mid-stream failure as an error after the first tokens', async () => {
    const result = streamText({ model: compatModel('breaks-mid-stream'), prompt: 'hi', maxRetries: 0, onError: () => {} });
    const received: string[] = [];
    const error = await (async () => {
      for await (const delta of result.textStream) received.push(delta);
    })().catch((e: unknown) => e);
    expect(received.join('')).toBe('Thanks for telling me. ');
    expect(error).toBeInstanceOf(Error);
    expect(server.stats.injectedFailures).toBeGreaterThanOrEqual(1);
  });

  it('reports an HTTP 500 as an error part carrying the status', async () => {
    const result = streamText({ model: compatModel('broken-500'), prompt: 'hi', maxRetries: 0, onError: () => {} });
    const errors: unknown[] = [];
    for await (const part of result.fullStream) if (part.type === 'error') errors.push(part.error);
    expect(errors).toHaveLength(1);
    expect((errors[0] as { statusCode?: number }).statusCode).toBe(500);
  });

  it('embeds through /v1/embeddings', async () => {
    const { embeddings, usage } = await embedMany({ model: getEmbeddingModel('compat:embedding', env), values: ['shift swaps', 'annual leave'] });
    expect(embeddings).toEqual(embedTexts(['shift swaps', 'annual leave']));
    expect(usage.tokens).toBeGreaterThan(0);
    expect(server.stats.embeddingRequests).toBeGreaterThanOrEqual(1);
  });

  it('also drives the OpenAI provider through OPENAI_BASE_URL', async () => {
    const result = streamText({ model: getLanguageModel('openai:gpt-4o-mini', { OPENAI_API_KEY: 'sk-local', OPENAI_BASE_URL: server.url }), prompt: 'hi' });
    expect(await result.text).toBe(REPLY);
    expect((await result.usage).outputTokens).toBe(REPLY.split(' ').length);
    expect(server.stats.chatBodies.at(-1)?.model).toBe('gpt-4o-mini');
  });
});

describe('streamWithFallback with the real provider', () => {
  const messages = [{ role: 'user' as const, content: 'Two of my team keep swapping shifts.' }];
  const resolveModel = (id: string) => (id === 'offline-coach' ? getLanguageModel(id, env) : compatModel(id));

  it('falls back from an HTTP 500 to the next model and records it', async () => {
    const stream = await streamWithFallback({ chain: ['broken-500', 'good-model'], env, resolveModel, messages });
    expect(stream.modelId).toBe('good-model');
    expect(stream.attempts).toHaveLength(1);
    expect(stream.attempts[0]).toMatchObject({ modelId: 'broken-500', kind: 'error' });
    expect(stream.attempts[0].error).toContain('500');
    const completion = await stream.completion;
    expect(completion).toMatchObject({ status: 'complete', text: REPLY, finishReason: 'stop' });
    expect(completion.usage?.outputTokens).toBe(REPLY.split(' ').length);
  });

  it('falls back when no first token arrives in time, and closes the silent request', async () => {
    const abortsBefore = server.stats.clientAborts;
    const stream = await streamWithFallback({ chain: ['never-starts', 'good-model'], env, resolveModel, messages, firstTokenTimeoutMs: 200 });
    expect(stream.modelId).toBe('good-model');
    expect(stream.attempts[0]).toMatchObject({ modelId: 'never-starts', kind: 'first-token-timeout' });
    expect(stream.attempts[0].elapsedMs).toBeGreaterThanOrEqual(190);
    expect(stream.timeToFirstTokenMs).toBeGreaterThanOrEqual(190);
    let text = '';
    for await (const delta of stream.textDeltas()) text += delta;
    expect(text).toBe(REPLY);
    await expect.poll(() => server.stats.clientAborts).toBeGreaterThan(abortsBefore);
  });

  it('falls all the way to the offline coach, which streams a coaching reply', async () => {
    const stream = await streamWithFallback({
      chain: ['broken-500', 'never-starts', 'offline-coach'],
      env,
      resolveModel,
      messages,
      firstTokenTimeoutMs: 150,
    });
    expect(stream.modelId).toBe('offline-coach');
    expect(stream.attempts.map((a) => a.kind)).toEqual(['error', 'first-token-timeout']);
    expect((await stream.completion).text).toMatch(/\?/);
  });

  it('keeps a model that fails after its first token and reports the interrupted text', async () => {
    const stream = await streamWithFallback({ chain: ['breaks-mid-stream', 'good-model'], env, resolveModel, messages });
    expect(stream.modelId).toBe('breaks-mid-stream');
    const completion = await stream.completion;
    expect(completion.status).toBe('error');
    expect(completion.text).toBe('Thanks for telling me. ');
    expect(completion.error).toBeTruthy();
    await expect(
      (async () => {
        for await (const _ of stream.textDeltas());
      })(),
    ).rejects.toThrow();
  });

  it('after the first token, reads the socket in bursts: all the text arrives, in order, a few tokens at a time', async () => {
    const stream = await streamWithFallback({ chain: ['compat:chat'], env: { ...env, OPENAI_COMPATIBLE_CHAT_MODEL: 'one-token-at-a-time' }, messages: [{ role: 'user', content: 'hello' }] });
    const arrivals: Array<{ delta: string; at: number }> = [];
    for await (const delta of stream.textDeltas()) arrivals.push({ delta, at: performance.now() });
    expect(arrivals.map((a) => a.delta).join('')).toBe(PACED_REPLY);
    // The first token at once, by itself (time to first token)…
    expect(arrivals[0].delta).toBe('word0 ');
    // …then, though the provider sent one token every 15 ms, a tick's worth per read (READ_EVERY_MS): far fewer deltas than tokens.
    const tokens = PACED_REPLY.split(' ').length;
    expect(arrivals.length).toBeLessThan(tokens / 2);
    expect(arrivals.length).toBeGreaterThan(2);
    expect((await stream.completion).status).toBe('complete');
  });

  it('with more live streams than one tick reads (STREAMS_PER_READ_TICK), each is still read in bursts and arrives whole', async () => {
    // 50 streams: spread over three ticks of the window (ADR 054); none loses, repeats or reorders text.
    const streams = await Promise.all(
      Array.from({ length: 50 }, () =>
        streamWithFallback({ chain: ['compat:chat'], env: { ...env, OPENAI_COMPATIBLE_CHAT_MODEL: 'one-token-at-a-time' }, messages: [{ role: 'user', content: 'hello' }] }),
      ),
    );
    const results = await Promise.all(
      streams.map(async (stream) => {
        const arrivals: Array<{ delta: string; at: number }> = [];
        for await (const delta of stream.textDeltas()) arrivals.push({ delta, at: performance.now() });
        return { arrivals, status: (await stream.completion).status };
      }),
    );
    const tokens = PACED_REPLY.split(' ').length;
    for (const { arrivals, status } of results) {
      expect(arrivals.map((a) => a.delta).join('')).toBe(PACED_REPLY);
      expect(status).toBe('complete');
      // Reads of the socket: deltas that arrived together (one read can give two) count once.
      const reads = arrivals.filter((a, i) => i === 0 || a.at - arrivals[i - 1].at > 5).length;
      expect(reads).toBeLessThan(tokens / 3);
    }
  });
});
