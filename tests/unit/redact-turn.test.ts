// Redaction before a non-local model and rehydration of its streamed reply (ADR 021).
import { describe, expect, it } from 'vitest';
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { streamText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { Embedder } from '~/.server/culture/embed';
import { Anonymizer } from '~/.server/privacy/anonymize';
import { anonymizeWithPassages, mergeRedactionRecords, PLACEHOLDER_NOTE, redactTurn, rehydrateStream } from '~/.server/privacy/redact-turn';

const MESSAGE = 'Marcus Jones has been late every shift, and Priya Patel told me she is pregnant. Aisha Bello (aisha.bello@example.com, 07911 123456) covers for them.';

function streamingModel(deltas: (prompt: string) => string[], capture: LanguageModelV3CallOptions[] = []) {
  return new MockLanguageModelV3({
    doStream: async (options) => {
      capture.push(options);
      const text = JSON.stringify(options.prompt);
      const parts: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
        ...deltas(text).map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } } },
      ];
      return { stream: new ReadableStream({ start: (c) => { for (const p of parts) c.enqueue(p); c.close(); } }) };
    },
  });
}

async function collect(stream: ReadableStream<LanguageModelV3StreamPart>) {
  const out: LanguageModelV3StreamPart[] = [];
  const reader = stream.getReader();
  for (let n = await reader.read(); !n.done; n = await reader.read()) out.push(n.value);
  return out;
}

describe('rehydrateStream', () => {
  it('brings placeholders back whole when split across tokens, and leaves invented ones as written', async () => {
    const mapping = { '[PERSON_1]': 'Marcus', '[EMAIL_1]': 'm@example.com' };
    const deltas = ['Talk to [PER', 'SON_', '1] today; write to [', 'EMAIL_1', '] and ask [PERSON_9] too. [', 'P1] stays'];
    const input = new ReadableStream<LanguageModelV3StreamPart>({
      start: (c) => {
        c.enqueue({ type: 'text-start', id: 't' });
        for (const delta of deltas) c.enqueue({ type: 'text-delta', id: 't', delta });
        c.enqueue({ type: 'text-end', id: 't' });
        c.close();
      },
    });
    const parts = await collect(input.pipeThrough(rehydrateStream(mapping)));
    const text = parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
    expect(text).toBe('Talk to Marcus today; write to m@example.com and ask [PERSON_9] too. [P1] stays');
    // No delta ever shows a piece of a placeholder.
    for (const p of parts) if (p.type === 'text-delta') expect(p.delta).not.toMatch(/\[(PER|EMAIL_)[A-Z_]*\d*$/);
    expect(parts.at(-1)?.type).toBe('text-end');
  });

  it('releases a held partial placeholder when the block ends', async () => {
    const input = new ReadableStream<LanguageModelV3StreamPart>({
      start: (c) => {
        c.enqueue({ type: 'text-delta', id: 't', delta: 'Ends with [PERS' });
        c.enqueue({ type: 'text-end', id: 't' });
        c.close();
      },
    });
    const parts = await collect(input.pipeThrough(rehydrateStream({ '[PERSON_1]': 'Marcus' })));
    expect(parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('')).toBe('Ends with [PERS');
  });
});

describe('redactTurn', () => {
  it('sends placeholders to a non-local model, every name consistent, and streams the real names back', async () => {
    const capture: LanguageModelV3CallOptions[] = [];
    // The "provider" answers by reusing the placeholders it was given, split at awkward places.
    const model = streamingModel((prompt) => {
      const people = [...new Set(prompt.match(/\[PERSON_\d\]/g))];
      const reply = `It sounds hard. Have you asked ${people[0]} what is going on, and does ${people[2]} know about ${people[1]}?`;
      return reply.match(/.{1,4}/gs) ?? [];
    }, capture);
    const redaction = redactTurn({ enabled: true, env: {}, resolveModel: () => model, country: 'GB' });
    const result = streamText({
      model: redaction.resolveModel('openai:gpt-4o'),
      system: 'Company policy text.',
      messages: [
        { role: 'user', content: 'Earlier: Marcus asked for a day off.' },
        { role: 'assistant', content: 'Marcus can ask his lead.' },
        { role: 'user', content: MESSAGE },
      ],
    });
    const text = await result.text;
    // A person is rehydrated as first written in the exchange ("Marcus" in the earlier turn).
    expect(text).toBe('It sounds hard. Have you asked Marcus what is going on, and does Aisha Bello know about Priya Patel?');

    const sent = JSON.stringify(capture[0].prompt);
    for (const leak of ['Marcus', 'Jones', 'Priya', 'Patel', 'Aisha', 'Bello', 'aisha.bello@example.com', '07911']) expect(sent).not.toContain(leak);
    expect(sent).toContain('Company policy text.');
    expect(sent).toContain(PLACEHOLDER_NOTE.slice(0, 40));
    // "Marcus" in the earlier turn and "Marcus Jones" now are one person.
    const person1 = sent.match(/Earlier: (\[PERSON_\d\])/)?.[1];
    expect(sent.match(/user[^]*?(\[PERSON_\d\]) has been late/)?.[1]).toBe(person1);

    const record = redaction.record();
    expect(record).toMatchObject({ enabled: true, redactedFor: ['openai:gpt-4o'] });
    expect(record.counts).toMatchObject({ PERSON: 3, EMAIL: 1, PHONE: 1 });
    expect(JSON.stringify(record)).not.toMatch(/Marcus|Priya|Aisha|example\.com/);
  });

  it('never sends half a name beside its placeholder, and streams the whole name back (ADR 058)', async () => {
    // A given name that is also a word, opening the message before a family name: before ADR 058 only the family name
    // was found, so the provider read "Hope [PERSON_1] wants…" and the reply's [PERSON_1] came back as "Mbeki" alone.
    const capture: LanguageModelV3CallOptions[] = [];
    const model = streamingModel((prompt) => {
      const person = prompt.match(/\[PERSON_\d\]/)?.[0] ?? '?';
      return `Ask ${person} what hours suit her.`.match(/.{1,3}/gs) ?? [];
    }, capture);
    const redaction = redactTurn({ enabled: true, env: {}, resolveModel: () => model, country: 'GB' });
    const result = streamText({
      model: redaction.resolveModel('openai:gpt-4o'),
      system: 'Company policy text.',
      messages: [{ role: 'user', content: 'Hope Mbeki wants to go part time after her maternity leave. Will Ashcroft has been off sick too.' }],
    });
    expect(await result.text).toBe('Ask Hope Mbeki what hours suit her.');
    const sent = JSON.stringify(capture[0].prompt);
    for (const leak of ['Hope', 'Mbeki', 'Will', 'Ashcroft']) expect(sent).not.toContain(leak);
    expect(sent).toMatch(/\[PERSON_1\] wants to go part time[^]*\[PERSON_2\] has been off sick/);
  });

  it('leaves local models, the offline coach and tenants that turned it off with the real text', async () => {
    for (const [enabled, id] of [[true, 'offline-coach'], [true, 'compat:chat'], [false, 'openai:gpt-4o']] as const) {
      const capture: LanguageModelV3CallOptions[] = [];
      const redaction = redactTurn({ enabled, env: { OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_COMPATIBLE_CHAT_MODEL: 'x' }, resolveModel: () => streamingModel(() => ['ok'], capture) });
      await streamText({ model: redaction.resolveModel(id), messages: [{ role: 'user', content: MESSAGE }] }).text;
      expect(JSON.stringify(capture[0].prompt)).toContain('Priya Patel');
      expect(redaction.record().redactedFor).toEqual([]);
      expect(redaction.record().counts).toEqual({});
    }
  });

  it("gives a cloud embedding model the question with the chat call's placeholders; a local one, or redaction off, gets none (ADR 065)", async () => {
    const seen: string[][] = [];
    const embedder = (modelId: string, provider: string): Embedder => ({
      modelId,
      provider,
      dimensions: 3,
      embed: async (texts) => {
        seen.push(texts);
        return { vectors: texts.map(() => [0, 0, 1]), tokens: texts.length };
      },
    });
    const env = { OPENAI_API_KEY: 'sk-test', OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_COMPATIBLE_EMBEDDING_MODEL: 'x' };
    const capture: LanguageModelV3CallOptions[] = [];
    const redaction = redactTurn({ enabled: true, env, resolveModel: () => streamingModel(() => ['ok'], capture) });
    const cloud = redaction.questionEmbedder(embedder('openai:text-embedding-3-small', 'openai'))!;
    await cloud.embed([MESSAGE]);
    for (const name of ['Marcus', 'Priya', 'Aisha', 'aisha.bello', '07911']) expect(seen[0][0]).not.toContain(name);
    expect(seen[0][0]).toContain('[PERSON_1]');
    // The chat call of the same turn numbers the same people the same way.
    await streamText({ model: redaction.resolveModel('openai:gpt-4o'), messages: [{ role: 'user', content: MESSAGE }] }).text;
    expect(JSON.stringify(capture[0].prompt)).toContain(seen[0][0].slice(0, 30));
    expect(redaction.record().redactedFor).toEqual(['openai:text-embedding-3-small', 'openai:gpt-4o']);

    expect(redaction.questionEmbedder(embedder('offline-embedder', 'offline'))).toBeNull();
    expect(redaction.questionEmbedder(embedder('compat:embedding', 'openai-compatible'))).toBeNull();
    expect(redactTurn({ enabled: false, env, resolveModel: () => streamingModel(() => ['ok']) }).questionEmbedder(embedder('openai:text-embedding-3-small', 'openai'))).toBeNull();
  });

  it('counts what every external call of the turn received, per purpose and type, with one numbering (ADR 062 session 13)', async () => {
    const env = { OPENAI_API_KEY: 'sk-test' };
    const capture: LanguageModelV3CallOptions[] = [];
    const redaction = redactTurn({ enabled: true, env, resolveModel: () => streamingModel(() => ['covered'], capture), country: 'GB' });
    // The safety model first (the message alone), then grounding twice (rewrite, answerability), the question's
    // embedding, and the chat call with an earlier turn that names one more person.
    const moderated = redaction.redactText(MESSAGE, 'openai:omni-moderation-latest', 'moderation');
    const grounding = redaction.resolveModel('openai:gpt-4o-mini', 'grounding');
    await streamText({ model: grounding, messages: [{ role: 'user', content: `Rewrite: ${MESSAGE}` }] }).text;
    await streamText({ model: grounding, messages: [{ role: 'user', content: `Question: Priya Patel asked. <passage id="c1">Keep it clean. Marcus may ask HR.</passage>` }] }).text;
    const seen: string[] = [];
    const embedder: Embedder = { modelId: 'openai:text-embedding-3-small', provider: 'openai', dimensions: 3, embed: async (texts) => (seen.push(...texts), { vectors: texts.map(() => [0, 0, 1]), tokens: 1 }) };
    await redaction.questionEmbedder(embedder)!.embed(['Is Priya Patel allowed to swap? [PERSON_7] typed this.']);
    await streamText({
      model: redaction.resolveModel('openai:gpt-4o'),
      messages: [
        { role: 'user', content: 'Earlier: Tomasz Nowak asked for a day off.' },
        { role: 'user', content: MESSAGE },
      ],
    }).text;

    const record = redaction.record();
    const call = (purpose: string) => record.calls.find((c) => c.purpose === purpose);
    expect(record.calls.map((c) => [c.purpose, c.modelId, c.requests])).toEqual([
      ['moderation', 'openai:omni-moderation-latest', 1],
      ['grounding', 'openai:gpt-4o-mini', 2],
      ['embedding', 'openai:text-embedding-3-small', 1],
      ['chat', 'openai:gpt-4o', 1],
    ]);
    expect(call('moderation')!.counts).toEqual({ PERSON: 3, EMAIL: 1, PHONE: 1 });
    // Grounding: the three people, email and phone of the rewrite; the answerability request's Priya and Marcus are
    // among them (distinct over both requests, not added up).
    expect(call('grounding')!.counts).toEqual({ PERSON: 3, EMAIL: 1, PHONE: 1 });
    // The embedding got one person; "[PERSON_7]" typed by the person is no replacement.
    expect(call('embedding')!.counts).toEqual({ PERSON: 1 });
    expect(seen[0]).toContain('[PERSON_7] typed this');
    expect(call('chat')!.counts).toEqual({ PERSON: 4, EMAIL: 1, PHONE: 1 });
    // The whole turn: four people over all calls; the chat call numbered them as the safety model did.
    expect(record.counts).toEqual({ PERSON: 4, EMAIL: 1, PHONE: 1 });
    expect(record.redactedFor).toEqual(['openai:omni-moderation-latest', 'openai:gpt-4o-mini', 'openai:text-embedding-3-small', 'openai:gpt-4o']);
    expect(JSON.stringify(capture.at(-1)!.prompt)).toContain(moderated.slice(0, 40));
    expect(JSON.stringify(record)).not.toMatch(/Marcus|Jones|Priya|Patel|Aisha|Bello|Tomasz|Nowak|example\.com|07911/);
  });

  it('records no call for a local model or with redaction off, and hands such a model the text as written', () => {
    const env = { OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_COMPATIBLE_CHAT_MODEL: 'x' };
    const local = redactTurn({ enabled: true, env, resolveModel: () => streamingModel(() => ['ok']) });
    expect(local.redactText(MESSAGE, 'compat:chat', 'moderation')).toBe(MESSAGE);
    expect(local.record()).toEqual({ enabled: true, redactedFor: [], counts: {}, calls: [] });
    const off = redactTurn({ enabled: false, env: { OPENAI_API_KEY: 'sk' }, resolveModel: () => streamingModel(() => ['ok']) });
    expect(off.redactText(MESSAGE, 'openai:omni-moderation-latest', 'moderation')).toBe(MESSAGE);
    expect(off.record()).toEqual({ enabled: false, redactedFor: [], counts: {}, calls: [] });
  });

  it('keeps one numbering across fallback attempts', async () => {
    const anonymizer = new Anonymizer();
    const first = anonymizer.anonymizeAll(['Ask Priya Patel.'])[0];
    const again = anonymizer.anonymizeAll(['Ask Priya Patel.'])[0];
    expect(first).toBe(again);
  });
});

describe('anonymizeWithPassages (ADR 062 session 12)', () => {
  it('replaces only the exchange\'s known details inside quoted policy passages, and detects as usual outside them', () => {
    const anonymizer = new Anonymizer();
    const question = 'Question:\nMarcus Okafor keeps arriving late, his email is marcus.o@gmail.com. What do I do?\n\n';
    const passage = '<passage label="P1" document="Breaks" heading="Break room">\nBreak room: Keep it clean. Tell Marcus Okafor, or email marcus.o@gmail.com, what Grace in HR said.\n</passage>';
    const [out] = anonymizeWithPassages([`${question}${passage}\nAnswer with labels.`], ['person'], anonymizer);
    expect(out).toContain('[PERSON_1] keeps arriving late, his email is [EMAIL_1].');
    // Company text: "Keep" and "Grace" (no one of the exchange) stay; Marcus and his email are replaced.
    expect(out).toContain('Break room: Keep it clean. Tell [PERSON_1], or email [EMAIL_1], what Grace in HR said.');
    expect(out).toContain('</passage>\nAnswer with labels.');
    expect(anonymizer.counts()).toMatchObject({ PERSON: 1, EMAIL: 1 });
  });
  it('is anonymizeAll when no passage is quoted', () => {
    const a = new Anonymizer();
    const b = new Anonymizer();
    const texts = ['Priya said Tom is off', 'I will ask Priya'];
    expect(anonymizeWithPassages(texts, ['person', 'coach'], a)).toEqual(b.anonymizeAll(texts, ['person', 'coach']));
  });
});

describe("the tenant's own words and calls made after the turn (ADR 062 session 14)", () => {
  const env = { OPENAI_API_KEY: 'sk-test' };
  it("never replaces or counts the tenant's name, slug or its site names' company words", async () => {
    const capture: LanguageModelV3CallOptions[] = [];
    const redaction = redactTurn({ enabled: true, env, resolveModel: () => streamingModel(() => ['ok'], capture), keep: ['Quillmart Stores', 'quillmart', 'Rapport'] });
    const text = 'Quillmart moved Marcus Jones to the Quillmart Riverside store; Quillmart said Rapport can help.';
    const moderated = redaction.redactText(text, 'openai:omni-moderation-latest', 'moderation');
    await streamText({ model: redaction.resolveModel('openai:gpt-4o'), messages: [{ role: 'user', content: text }] }).text;
    const sent = JSON.stringify(capture[0].prompt);
    expect(moderated).toBe('Quillmart moved [PERSON_1] to the Quillmart [SITE_1] store; Quillmart said Rapport can help.');
    expect(sent).toContain('Quillmart moved [PERSON_1] to the Quillmart [SITE_1] store');
    expect(redaction.record().counts).toEqual({ PERSON: 1, SITE: 1 });
    // Without the keep list the company's name was taken for a person and counted.
    const bare = redactTurn({ enabled: true, env, resolveModel: () => streamingModel(() => ['ok']) });
    expect(bare.redactText(text, 'openai:omni-moderation-latest', 'moderation')).not.toContain('Quillmart moved');
  });
  it('counts every placeholder a judge of an already anonymized copy received when asked to (countSent)', async () => {
    const shared = '[PERSON_1] keeps arriving late and [PERSON_2] covers; email [EMAIL_1]. Aisha Bello agrees.';
    const redaction = redactTurn({ enabled: true, env, resolveModel: () => streamingModel(() => ['{}']), countSent: true });
    await streamText({ model: redaction.resolveModel('openai:gpt-4o', 'judge'), messages: [{ role: 'user', content: shared }] }).text;
    expect(redaction.record().calls).toEqual([{ purpose: 'judge', modelId: 'openai:gpt-4o', requests: 1, counts: { PERSON: 3, EMAIL: 1 } }]);
    const plain = redactTurn({ enabled: true, env, resolveModel: () => streamingModel(() => ['{}']) });
    await streamText({ model: plain.resolveModel('openai:gpt-4o', 'judge'), messages: [{ role: 'user', content: shared }] }).text;
    expect(plain.record().calls[0].counts).toEqual({ PERSON: 1 });
  });
  it("merges a later call into the turn's record: added once per purpose and model, counts the larger per type", () => {
    const turn = {
      enabled: true,
      redactedFor: ['openai:gpt-4o'],
      counts: { PERSON: 2, EMAIL: 1 },
      calls: [{ purpose: 'chat' as const, modelId: 'openai:gpt-4o', requests: 1, counts: { PERSON: 2, EMAIL: 1 } }],
    };
    const judge = { enabled: true, redactedFor: ['anthropic:claude'], counts: { PERSON: 3 }, calls: [{ purpose: 'judge' as const, modelId: 'anthropic:claude', requests: 1, counts: { PERSON: 3 } }] };
    const merged = mergeRedactionRecords(turn, judge);
    expect(merged).toEqual({ enabled: true, redactedFor: ['openai:gpt-4o', 'anthropic:claude'], counts: { PERSON: 3, EMAIL: 1 }, calls: [...turn.calls, ...judge.calls] });
    // Judged again: the judge's call is replaced, not added.
    expect(mergeRedactionRecords(merged, judge).calls).toHaveLength(2);
    // A turn recorded before calls existed (or with no record) still takes the judge's.
    expect(mergeRedactionRecords(undefined, judge)).toEqual({ enabled: true, redactedFor: ['anthropic:claude'], counts: { PERSON: 3 }, calls: judge.calls });
  });
});
