// ADR 062 (session 13): `store: false` for OpenAI whichever provider entry reaches it. The openai provider sets it on
// every request (zero-retention.test.ts, privacy-every-purpose.test.ts, against a local server speaking OpenAI's
// protocol); the openai-compatible provider sets it only when its base URL is OpenAI's own — a self-hosted server
// (Ollama, vLLM, LM Studio) gets requests without the field.
import { generateText } from 'ai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getLanguageModel, isOpenAIEndpoint } from '~/.server/models/providers';

const completion = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

afterEach(() => vi.unstubAllGlobals());

async function bodySentTo(baseUrl: string): Promise<Record<string, unknown>> {
  const bodies: Record<string, unknown>[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)));
    return new Response(JSON.stringify(completion), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  // A fresh environment object: provider models are cached per environment.
  const env = { OPENAI_COMPATIBLE_BASE_URL: baseUrl, OPENAI_COMPATIBLE_CHAT_MODEL: 'some-model', OPENAI_COMPATIBLE_API_KEY: 'k' };
  const { text } = await generateText({ model: getLanguageModel('compat:chat', env), prompt: 'hello', maxRetries: 0 });
  expect(text).toBe('ok');
  expect(bodies).toHaveLength(1);
  return bodies[0];
}

describe('store: false through the openai-compatible provider', () => {
  it('is sent when the base URL is OpenAI itself', async () => {
    expect((await bodySentTo('https://api.openai.com/v1')).store).toBe(false);
  });
  it('is not sent to a self-hosted server', async () => {
    for (const url of ['http://127.0.0.1:11434/v1', 'http://vllm.internal:8000/v1', 'https://gateway.example.com/openai/v1']) {
      expect(await bodySentTo(url)).not.toHaveProperty('store');
    }
  });
  it("recognises OpenAI's hosts only", () => {
    expect(isOpenAIEndpoint('https://api.openai.com/v1')).toBe(true);
    expect(isOpenAIEndpoint(' https://API.OpenAI.com/v1/ ')).toBe(true);
    expect(isOpenAIEndpoint('https://openai.com.evil.example/v1')).toBe(false);
    expect(isOpenAIEndpoint('https://myresource.openai.azure.com/openai')).toBe(false);
    expect(isOpenAIEndpoint('not a url')).toBe(false);
    expect(isOpenAIEndpoint(undefined)).toBe(false);
  });
});
