import { describe, expect, it, vi } from 'vitest';
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { catalogueSchema } from '~/lib/models';
import {
  ModelUnavailableError,
  availableModels,
  getCatalogue,
  getEmbeddingModel,
  getLanguageModel,
  resolveCatalogueModel,
  type ModelEnv,
} from '~/.server/models/providers';
import {
  AllModelsFailedError,
  DEFAULT_FIRST_TOKEN_TIMEOUT_MS,
  LAST_RESORT_FIRST_TOKEN_TIMEOUT_MS,
  capTemperature,
  detectSensitiveTopics,
  routeModel,
  streamWithFallback,
  type FallbackAttempt,
} from '~/.server/models/router';
import catalogueJson from '~/.server/models/catalogue.json';

const compatEnv: ModelEnv = {
  OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
  OPENAI_COMPATIBLE_CHAT_MODEL: 'llama3.1:8b',
};
const cloudEnv: ModelEnv = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };

describe('catalogue', () => {
  it('validates and keeps the model ids other modules key on (prices.json, tenant settings)', () => {
    expect(() => catalogueSchema.parse(catalogueJson)).not.toThrow();
    expect(getCatalogue().models.map((m) => m.id)).toEqual([
      'compat:chat',
      'openai:gpt-4o-mini',
      'anthropic:claude-haiku-4-5',
      'openai:gpt-4o',
      'anthropic:claude-sonnet-4',
      'compat:judge',
      'offline-coach',
      'offline-embedder',
      'openai:text-embedding-3-small',
      'compat:embedding',
      'compat:safety',
      'openai:omni-moderation-latest',
    ]);
  });

  it('rejects a fallback to a model that does not exist', () => {
    const broken = structuredClone(catalogueJson);
    broken.models[0].fallback = 'nope';
    expect(catalogueSchema.safeParse(broken).success).toBe(false);
  });

  it('labels the offline chat model "offline coach"', () => {
    expect(getCatalogue().models.find((m) => m.id === 'offline-coach')?.label).toBe('offline coach');
  });
});

describe('providers', () => {
  it('offers only the offline models when nothing is configured', () => {
    expect(availableModels({}).map((m) => m.id)).toEqual(['offline-coach', 'offline-embedder']);
  });

  it('adds the models whose provider is configured', () => {
    const ids = availableModels({ ...cloudEnv, ...compatEnv }).map((m) => m.id);
    expect(ids).toContain('openai:gpt-4o-mini');
    expect(ids).toContain('anthropic:claude-sonnet-4');
    expect(ids).toContain('compat:chat');
    expect(ids).not.toContain('compat:judge'); // no OPENAI_COMPATIBLE_JUDGE_MODEL
    expect(availableModels(cloudEnv, 'embedding').map((m) => m.id)).toEqual(['offline-embedder', 'openai:text-embedding-3-small']);
  });

  it('names the compatible server model from the environment', () => {
    const env = { ...compatEnv, OPENAI_COMPATIBLE_EMBEDDING_MODEL: 'bge-m3', OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS: '1024' };
    expect(resolveCatalogueModel('compat:chat', env).providerModelId).toBe('llama3.1:8b');
    expect(resolveCatalogueModel('compat:embedding', env)).toMatchObject({ providerModelId: 'bge-m3', dimensions: 1024 });
    const model = getLanguageModel('compat:chat', env);
    expect(model.modelId).toBe('llama3.1:8b');
    expect(model.provider).toContain('openai-compatible');
    expect(getEmbeddingModel('compat:embedding', env).modelId).toBe('bge-m3');
  });

  it('resolves the offline models to V3 implementations with no configuration', () => {
    const coach = getLanguageModel('offline-coach', {});
    expect(coach.specificationVersion).toBe('v3');
    expect(coach.provider).toBe('offline');
    expect(getEmbeddingModel('offline-embedder', {}).specificationVersion).toBe('v3');
    expect(getLanguageModel('openai:gpt-4o', cloudEnv).modelId).toBe('gpt-4o');
    expect(getLanguageModel('anthropic:claude-sonnet-4', cloudEnv).modelId).toBe('claude-sonnet-4-20250514');
  });

  it('refuses unknown, unconfigured and wrong-kind models with a typed error', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ModelUnavailableError);
        return (error as ModelUnavailableError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => getLanguageModel('gpt-99', {}))).toBe('unknown_model');
    expect(codeOf(() => getLanguageModel('openai:gpt-4o', {}))).toBe('not_configured');
    expect(codeOf(() => getLanguageModel('compat:chat', { OPENAI_COMPATIBLE_BASE_URL: 'http://x' }))).toBe('not_configured');
    expect(codeOf(() => getLanguageModel('offline-embedder', {}))).toBe('wrong_kind');
    expect(codeOf(() => getEmbeddingModel('offline-coach', {}))).toBe('wrong_kind');
  });
});

describe('detectSensitiveTopics', () => {
  it.each([
    ['I think I have to fire Sam next week', ['termination']],
    ['Can I let her go during probation?', ['termination']],
    ['A team member made a harassment complaint about a shift lead', ['harassment']],
    ['She is being bullied on the night shift', ['harassment']],
    ['He asked for medical leave after his surgery', ['medical_leave']],
    ['Is this discrimination if I schedule him less because of his religion?', ['discrimination']],
    ['Do I need a written warning before a disciplinary meeting?', ['disciplinary']],
    ['She was dismissed after a formal investigation', ['termination', 'disciplinary']],
  ])('%s', (text, topics) => {
    expect(detectSensitiveTopics(text)).toEqual(topics);
  });

  it.each([
    'We have a fire drill on Tuesday',
    'Two of my team keep swapping shifts',
    'A customer complaint about the queue',
    'How do I give feedback after a promotion decision?',
  ])('not sensitive: %s', (text) => {
    expect(detectSensitiveTopics(text)).toEqual([]);
  });
});

describe('routeModel', () => {
  it('falls back to the offline coach when nothing is configured', () => {
    const route = routeModel({ purpose: 'chat', text: 'Shift swaps again', env: {} });
    expect(route).toMatchObject({ purpose: 'chat', chain: ['offline-coach'], sensitive: false });
    expect(route.reason).toContain('offline-coach');
  });

  it('uses the first configured chat model and ends the chain with the offline coach', () => {
    expect(routeModel({ purpose: 'chat', text: 'hello', env: compatEnv }).chain).toEqual(['compat:chat', 'offline-coach']);
    expect(routeModel({ purpose: 'chat', text: 'hello', env: cloudEnv }).chain).toEqual(['openai:gpt-4o-mini', 'offline-coach']);
  });

  it('follows the catalogue fallback links, skipping unconfigured models', () => {
    const env = { ...cloudEnv, RAPPORT_CHAT_MODEL: 'anthropic:claude-sonnet-4' };
    expect(routeModel({ purpose: 'chat', text: 'hi', env }).chain).toEqual([
      'anthropic:claude-sonnet-4',
      'anthropic:claude-haiku-4-5',
      'offline-coach',
    ]);
    expect(routeModel({ purpose: 'chat', text: 'hi', env: { ...env, ANTHROPIC_API_KEY: undefined } }).chain).toEqual([
      'openai:gpt-4o-mini',
      'offline-coach',
    ]);
  });

  it("prefers the tenant's choice, and skips it with a note when it is not configured here", () => {
    const env = { ...cloudEnv, RAPPORT_CHAT_MODEL: 'openai:gpt-4o-mini' };
    expect(routeModel({ purpose: 'chat', text: 'hi', env, tenantAllowed: { chat: 'openai:gpt-4o' } }).chain).toEqual([
      'openai:gpt-4o',
      'openai:gpt-4o-mini',
      'offline-coach',
    ]);
    const skipped = routeModel({ purpose: 'chat', text: 'hi', env, tenantAllowed: { chat: 'compat:chat' } });
    expect(skipped.chain[0]).toBe('openai:gpt-4o-mini');
    expect(skipped.reason).toContain('tenant choice "compat:chat" is not configured');
  });

  it('routes a sensitive topic to the sensitive model when one is configured', () => {
    const env = { ...cloudEnv, RAPPORT_CHAT_MODEL: 'openai:gpt-4o-mini', RAPPORT_SENSITIVE_MODEL: 'anthropic:claude-sonnet-4' };
    const route = routeModel({ purpose: 'chat', text: 'I need to dismiss someone for misconduct', env });
    expect(route.purpose).toBe('chat-sensitive');
    expect(route.sensitive).toBe(true);
    expect(route.sensitiveTopics).toEqual(['termination', 'disciplinary']);
    expect(route.chain).toEqual(['anthropic:claude-sonnet-4', 'anthropic:claude-haiku-4-5', 'openai:gpt-4o-mini', 'offline-coach']);
    expect(route.reason).toMatch(/sensitive topic \(termination, disciplinary\)/);
  });

  it('keeps the chat chain for a sensitive topic when no sensitive model is configured, and says so', () => {
    const route = routeModel({ purpose: 'chat', text: 'She raised a harassment complaint', env: compatEnv });
    expect(route).toMatchObject({ purpose: 'chat', sensitive: true, sensitiveTopics: ['harassment'], chain: ['compat:chat', 'offline-coach'] });
    expect(route.reason).toContain('no sensitive model configured');
  });

  it('ignores a sensitive model that is not meant for sensitive chats', () => {
    const env = { ...cloudEnv, RAPPORT_SENSITIVE_MODEL: 'openai:gpt-4o-mini' };
    const route = routeModel({ purpose: 'chat', text: 'medical leave request', env });
    expect(route.purpose).toBe('chat');
    expect(route.reason).toContain('is not a chat-sensitive model');
  });

  it('routes judging to a configured judge model, or to nothing', () => {
    expect(routeModel({ purpose: 'judge', env: {} })).toMatchObject({ chain: [], reason: expect.stringContaining('no judge model') });
    expect(routeModel({ purpose: 'judge', env: cloudEnv }).chain).toEqual(['openai:gpt-4o']);
    expect(routeModel({ purpose: 'judge', env: { ...cloudEnv, RAPPORT_JUDGE_MODEL: 'anthropic:claude-sonnet-4' } }).chain).toEqual([
      'anthropic:claude-sonnet-4',
    ]);
    expect(routeModel({ purpose: 'judge', env: cloudEnv, tenantAllowed: { judge: 'anthropic:claude-sonnet-4' } }).chain[0]).toBe(
      'anthropic:claude-sonnet-4',
    );
  });

  it('keeps embeddings on one explicitly chosen model with no fallback', () => {
    expect(routeModel({ purpose: 'embedding', env: cloudEnv }).chain).toEqual(['offline-embedder']);
    expect(routeModel({ purpose: 'embedding', env: { ...cloudEnv, RAPPORT_EMBEDDING_MODEL: 'openai:text-embedding-3-small' } }).chain).toEqual([
      'openai:text-embedding-3-small',
    ]);
  });
});

describe('capTemperature', () => {
  it.each([
    [0.2, 0.7, 0.2],
    [1.2, 0.7, 0.7],
    [undefined, 0.7, 0.7],
    [-1, 0.7, 0],
    [Number.NaN, 0.5, 0.5],
    [0.9, Number.NaN, 0],
    [0.3, -2, 0],
  ])('requested %s with cap %s → %s', (requested, cap, expected) => {
    expect(capTemperature(requested, cap)).toBe(expected);
  });
});

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 2, text: 2, reasoning: undefined },
};

function answering(text: string) {
  const chunks: LanguageModelV3StreamPart[] = [
    { type: 'text-start', id: 't' },
    ...text.split(' ').map((word, i) => ({ type: 'text-delta' as const, id: 't', delta: i === 0 ? word : ` ${word}` })),
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
  ];
  return new MockLanguageModelV3({ doStream: async () => ({ stream: simulateReadableStream({ chunks }) }) });
}

const failing = () =>
  new MockLanguageModelV3({
    doStream: async () => {
      throw new Error('provider down');
    },
  });

/** A model whose stream opens but never produces a part until aborted. */
const silent = () =>
  new MockLanguageModelV3({
    doStream: async ({ abortSignal }) => ({
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          abortSignal?.addEventListener('abort', () => controller.error(abortSignal.reason));
        },
      }),
    }),
  });

describe('streamWithFallback', () => {
  const messages = [{ role: 'user' as const, content: 'hello' }];

  it('answers from the first model when it works', async () => {
    const stream = await streamWithFallback({ chain: ['a', 'offline-coach'], env: {}, resolveModel: () => answering('Hi there friend'), messages });
    expect(stream.modelId).toBe('a');
    expect(stream.attempts).toEqual([]);
    let text = '';
    for await (const delta of stream.textDeltas()) text += delta;
    expect(text).toBe('Hi there friend');
    const completion = await stream.completion;
    expect(completion).toMatchObject({ status: 'complete', text: 'Hi there friend', finishReason: 'stop' });
    expect(completion.usage?.outputTokens).toBe(2);
    // A second reader replays the deltas from the start (one read of the model's stream serves both).
    let again = '';
    for await (const delta of stream.textDeltas()) again += delta;
    expect(again).toBe('Hi there friend');
  });

  it('falls back on a provider error and on a first-token timeout, recording each', async () => {
    const models: Record<string, () => MockLanguageModelV3> = { down: failing, slow: silent, good: () => answering('Recovered answer') };
    const onFallback = vi.fn<(attempt: FallbackAttempt) => void>();
    // The clock is simulated: 50 ms pass for the silent model only when the test moves time on, so
    // a loaded machine (a stalled event loop, a GC pause) cannot make the answering model miss the
    // same 50 ms budget. Time moves in 5 ms steps, so the timeout still fires at 50 ms, not later.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let stream: Awaited<ReturnType<typeof streamWithFallback>>;
    try {
      let done = false;
      const pending = streamWithFallback({
        chain: ['down', 'slow', 'good'],
        env: {},
        resolveModel: (id) => models[id](),
        messages,
        firstTokenTimeoutMs: 50,
        onFallback,
      }).finally(() => {
        done = true;
      });
      for (let step = 0; !done && step < 1_000; step++) await vi.advanceTimersByTimeAsync(5);
      stream = await pending;
    } finally {
      vi.useRealTimers();
    }
    expect(stream.modelId).toBe('good');
    expect(stream.attempts.map((a) => [a.modelId, a.kind])).toEqual([
      ['down', 'error'],
      ['slow', 'first-token-timeout'],
    ]);
    expect(stream.attempts[0].error).toContain('provider down');
    expect(stream.attempts[1].elapsedMs).toBeGreaterThanOrEqual(50);
    expect(stream.attempts[1].elapsedMs).toBeLessThan(60);
    expect(onFallback).toHaveBeenCalledTimes(2);
    expect(stream.timeToFirstTokenMs).toBeGreaterThanOrEqual(stream.attempts[1].elapsedMs);
    expect((await stream.completion).text).toBe('Recovered answer');
  });

  it('falls back to the real offline coach at the end of the chain', async () => {
    const stream = await streamWithFallback({
      chain: ['down', 'offline-coach'],
      env: {},
      resolveModel: (id) => (id === 'down' ? failing() : getLanguageModel(id, {})),
      system: 'You are a coach.',
      messages,
    });
    expect(stream.modelId).toBe('offline-coach');
    expect((await stream.completion).text.length).toBeGreaterThan(50);
  });

  it('waits longer for the last model in the chain, which has nothing to fall back to', async () => {
    // A model that answers only after 200 ms: too slow for a 50 ms first-token budget in the middle
    // of the chain, but the last model is given the last-resort deadline instead of giving up.
    const late = () =>
      new MockLanguageModelV3({
        doStream: async () => ({
          stream: simulateReadableStream({
            initialDelayInMs: 200,
            chunks: [
              { type: 'text-start', id: 't' },
              { type: 'text-delta', id: 't', delta: 'Late but here.' },
              { type: 'text-end', id: 't' },
              { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
            ] as LanguageModelV3StreamPart[],
          }),
        }),
      });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let outcome: { modelId: string; kinds: string[] } | unknown;
    try {
      let done = false;
      const pending = streamWithFallback({ chain: ['late-middle', 'late-last'], env: {}, resolveModel: () => late(), messages, firstTokenTimeoutMs: 50 })
        .then((stream) => ({ modelId: stream.modelId, kinds: stream.attempts.map((a) => `${a.modelId}:${a.kind}`) }), (error: unknown) => error)
        .finally(() => {
          done = true;
        });
      for (let step = 0; !done && step < 1_000; step++) await vi.advanceTimersByTimeAsync(5);
      outcome = await pending;
    } finally {
      vi.useRealTimers();
    }
    expect(outcome).toEqual({ modelId: 'late-last', kinds: ['late-middle:first-token-timeout'] });
    expect(LAST_RESORT_FIRST_TOKEN_TIMEOUT_MS).toBeGreaterThanOrEqual(DEFAULT_FIRST_TOKEN_TIMEOUT_MS);
  });

  it('throws with every attempt when the whole chain fails', async () => {
    const error = await streamWithFallback({ chain: ['x', 'y'], env: {}, resolveModel: () => failing(), messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect((error as AllModelsFailedError).attempts.map((a) => a.modelId)).toEqual(['x', 'y']);
  });

  it('treats an unresolvable model as a failed attempt', async () => {
    const stream = await streamWithFallback({ chain: ['openai:gpt-4o', 'offline-coach'], env: {}, messages });
    expect(stream.modelId).toBe('offline-coach');
    expect(stream.attempts[0]).toMatchObject({ modelId: 'openai:gpt-4o', kind: 'error' });
    expect(stream.attempts[0].error).toContain('not configured');
  });

  it('stops instead of falling back when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user stopped')), 20);
    await expect(
      streamWithFallback({ chain: ['slow', 'good'], env: {}, resolveModel: (id) => (id === 'slow' ? silent() : answering('no')), messages, abortSignal: controller.signal }),
    ).rejects.toThrow('user stopped');
  });
});
