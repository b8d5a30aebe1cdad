// The optional moderation second opinion, against a local server that imitates OpenAI's endpoint.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '~/.server/env';
import { moderationConfigured, parseModerationResponse, secondOpinion, withSecondOpinion } from '~/.server/safety/moderation';
import type { SafetyVerdict } from '~/lib/safety';

type Seen = { method: string; url: string; authorization: string | undefined; body: { model?: string; input?: string } };
type Handler = (req: IncomingMessage, res: ServerResponse, body: Seen['body']) => void;

const ALL_CATEGORIES = [
  'harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent', 'self-harm',
  'self-harm/intent', 'self-harm/instructions', 'sexual', 'sexual/minors', 'violence', 'violence/graphic',
];

function moderationBody(flaggedCategories: string[]) {
  const categories = Object.fromEntries(ALL_CATEGORIES.map((c) => [c, flaggedCategories.includes(c)]));
  const scores = Object.fromEntries(ALL_CATEGORIES.map((c) => [c, flaggedCategories.includes(c) ? 0.91 : 0.001]));
  return {
    id: 'modr-test',
    model: 'omni-moderation-2024-09-26',
    results: [{ flagged: flaggedCategories.length > 0, categories, category_scores: scores, category_applied_input_types: {} }],
  };
}

// Imitates POST /v1/moderations: answers by keywords in the input, like a real classifier would.
const imitateOpenAI: Handler = (req, res, body) => {
  if (req.method !== 'POST' || req.url !== '/v1/moderations') {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
    return;
  }
  if (req.headers.authorization !== 'Bearer sk-test') {
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key' } }));
    return;
  }
  const input = String(body.input ?? '');
  const flagged = [
    ...(/tonight|pills/.test(input) ? ['self-harm', 'self-harm/intent'] : []),
    ...(/used to cut/.test(input) ? ['self-harm'] : []),
    ...(/idiot|worthless/.test(input) ? ['harassment'] : []),
  ];
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(moderationBody(flagged)));
};

let server: Server;
let baseUrl: string;
let handler: Handler = imitateOpenAI;
const seen: Seen[] = [];

beforeAll(async () => {
  delete process.env.OPENAI_API_KEY; // a developer's real key must not change what these tests see
  resetEnvForTests();
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: Seen['body'] = {};
      try {
        body = JSON.parse(raw);
      } catch {
        /* the handler sees an empty body */
      }
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  handler = imitateOpenAI;
  seen.length = 0;
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  resetEnvForTests();
});

const opts = () => ({ apiKey: 'sk-test', baseUrl, timeoutMs: 1_000 });

const concern: SafetyVerdict = { level: 'concern', categories: [], ruleIds: ['distress.exhaustion'], thirdParty: false, manyShot: false };

describe('secondOpinion', () => {
  it('posts the message to /moderations with the model and key, and maps intent to crisis', async () => {
    const opinion = await secondOpinion('I have the pills ready for tonight', opts());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/moderations', authorization: 'Bearer sk-test' });
    expect(seen[0].body).toEqual({ model: 'omni-moderation-latest', input: 'I have the pills ready for tonight' });
    expect(opinion).toEqual({
      provider: 'openai',
      model: 'omni-moderation-2024-09-26',
      flagged: true,
      level: 'crisis',
      categories: ['self_harm'],
      ruleIds: ['moderation:self-harm', 'moderation:self-harm/intent'],
    });
  });

  it('maps unflagged text to none and harassment to a concern', async () => {
    expect(await secondOpinion('How do I plan the Saturday rota?', opts())).toMatchObject({ flagged: false, level: 'none', categories: [], ruleIds: [] });
    expect(await secondOpinion('My supervisor calls me a worthless idiot every day', opts())).toMatchObject({
      flagged: true,
      level: 'concern',
      categories: ['abuse_or_harassment'],
    });
  });

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment', async () => {
    expect(moderationConfigured()).toBe(false);
    expect(await secondOpinion('I used to cut')).toBeNull();
    expect(seen).toHaveLength(0);
    process.env.OPENAI_API_KEY = 'sk-test';
    process.env.OPENAI_BASE_URL = `${baseUrl}/`;
    resetEnvForTests();
    expect(moderationConfigured()).toBe(true);
    expect(await secondOpinion('I used to cut')).toMatchObject({ level: 'concern', categories: ['self_harm'] });
    expect(seen[0].url).toBe('/v1/moderations');
  });

  it('answers null, never throws, on errors, bad bodies, refused connections and timeouts', async () => {
    handler = (_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}');
    expect(await secondOpinion('I used to cut', opts())).toBeNull();
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{not json');
    expect(await secondOpinion('I used to cut', opts())).toBeNull();
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[]}');
    expect(await secondOpinion('I used to cut', opts())).toBeNull();
    handler = imitateOpenAI;
    expect(await secondOpinion('I used to cut', { ...opts(), apiKey: 'sk-wrong' })).toBeNull();
    expect(await secondOpinion('I used to cut', { ...opts(), baseUrl: 'http://127.0.0.1:1/v1' })).toBeNull();

    handler = () => {}; // never answers
    const started = performance.now();
    expect(await secondOpinion('I used to cut', { ...opts(), timeoutMs: 150 })).toBeNull();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('sends nothing for empty text and caps very long text', async () => {
    expect(await secondOpinion('   ', opts())).toBeNull();
    expect(seen).toHaveLength(0);
    await secondOpinion('a'.repeat(100_000), opts());
    expect(seen[0].body.input!.length).toBe(20_000);
  });
});

describe('parseModerationResponse', () => {
  it('ignores provider categories we do not map', () => {
    expect(parseModerationResponse(moderationBody(['sexual', 'illicit']))).toMatchObject({ flagged: true, level: 'none', categories: [] });
    expect(parseModerationResponse(moderationBody(['violence', 'hate']))).toMatchObject({ level: 'concern', categories: ['harm_to_others', 'toxicity'] });
    expect(parseModerationResponse(null)).toBeNull();
    expect(parseModerationResponse({ results: [{ flagged: 'yes', categories: {} }] })).toBeNull();
  });
});

describe('withSecondOpinion', () => {
  it('asks only about concern-level verdicts', async () => {
    const none: SafetyVerdict = { ...concern, level: 'none', ruleIds: [] };
    const crisis: SafetyVerdict = { ...concern, level: 'crisis', categories: ['self_harm'] };
    expect(await withSecondOpinion(none, 'pills tonight', opts())).toEqual({ verdict: none, opinion: null });
    expect(await withSecondOpinion(crisis, 'pills tonight', opts())).toEqual({ verdict: crisis, opinion: null });
    expect(seen).toHaveLength(0);
  });

  it('raises a concern to crisis when the provider sees intent, merging categories and rule ids', async () => {
    const { verdict, opinion } = await withSecondOpinion(concern, "I'm so tired, pills tonight would end it", opts());
    expect(opinion?.level).toBe('crisis');
    expect(verdict).toEqual({
      level: 'crisis',
      categories: ['self_harm'],
      ruleIds: ['distress.exhaustion', 'moderation:self-harm', 'moderation:self-harm/intent'],
      thirdParty: false,
      manyShot: false,
    });
  });

  it('never lowers the local verdict, and keeps it when the provider fails or is not configured', async () => {
    expect((await withSecondOpinion(concern, 'Exhausted after a double shift', opts())).verdict.level).toBe('concern');
    handler = (_req, res) => res.writeHead(503).end();
    expect(await withSecondOpinion(concern, 'pills tonight', opts())).toEqual({ verdict: concern, opinion: null });
    seen.length = 0;
    expect(await withSecondOpinion(concern, 'pills tonight')).toEqual({ verdict: concern, opinion: null });
    expect(seen).toHaveLength(0);
  });
});
