// Redaction through runTurn and the real OpenAI provider against a local server: the server never sees a
// name, the person sees and the database keeps the real ones, lineage keeps counts only.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn, type TurnHandle } from '~/.server/coach/run-turn';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import type { ChatChunk } from '~/.server/coach/turn-stream';
import { withTenant } from '~/.server/db/tenant';
import type { ModelEnv } from '~/.server/models/providers';
import { makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';
import { startMockOpenAIServer, type ChatRequest, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { setTestEnv } from '../helpers/env';

useTestDatabase();

const MESSAGE = 'Marcus Okafor keeps arriving late, Priya Raman says she is covering for him, and Tomasz Nowak wants to swap his shifts. How do I handle it?';
const NAMES = ['Marcus', 'Okafor', 'Priya', 'Raman', 'Tomasz', 'Nowak'];

/** Replies by naming the placeholders it was sent, one character at a time (placeholders split across tokens). */
function echoPlaceholders(body: ChatRequest): string {
  const people = [...new Set(JSON.stringify(body.messages).match(/\[PERSON_\d+\]/g) ?? [])];
  return people.length ? `Start with ${people.join(', then ')}; and [PERSON_9] is nobody.` : 'No placeholders reached me.';
}

let server: MockOpenAIServer;
beforeAll(async () => {
  // Three characters a token: "[PERSON_1]" reaches the app as "[PE", "RSO", "N_1", "]" (ADR 062).
  server = await startMockOpenAIServer({ reply: echoPlaceholders, chunkChars: 3 });
});
afterAll(async () => {
  await server.close();
});

const env = (): ModelEnv => ({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url, RAPPORT_CHAT_MODEL: 'openai:gpt-4o-mini' });

async function drain(handle: TurnHandle): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  const reader = handle.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

async function turn(settings: Record<string, unknown>, text = MESSAGE) {
  const tenant = await makeTenant({ settings });
  const user = await makeMember(tenant.id, 'manager');
  const before = server.stats.chatBodies.length;
  const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text }, { env: env(), firstTokenTimeoutMs: 20_000 });
  const chunks = await drain(handle);
  const result = await handle.result;
  const sent = server.stats.chatBodies.slice(before);
  const [lineage] = await withTenant(tenant.id, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${handle.assistantMessageId}`);
  return { tenant, user, handle, chunks, result, sent, lineage };
}

describe('redaction before an external provider', () => {
  it('the provider receives no name from a message that had three; the person gets the real names back', async () => {
    const { result, chunks, sent, lineage, tenant, handle } = await turn({});
    expect(result.modelId).toBe('openai:gpt-4o-mini');
    expect(sent).toHaveLength(1);
    const body = JSON.stringify(sent[0].messages);
    for (const name of NAMES) expect(body).not.toContain(name);
    expect(body).toMatch(/\[PERSON_1\][^]*\[PERSON_2\][^]*\[PERSON_3\]/);

    const deltas = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : []));
    const streamed = deltas.join('');
    expect(streamed).toBe('Start with Marcus Okafor, then Priya Raman, then Tomasz Nowak; and [PERSON_9] is nobody.');
    // The placeholders arrived split across tokens; the person never sees a piece of one (the app then paces the
    // rehydrated text out word by word).
    for (const d of deltas) expect(d, JSON.stringify(deltas)).not.toMatch(/\[[A-Z_]*\d*$|^[A-Z_]*\d*\]|PERSON_[1-3]/);
    expect(result.reply).toBe(streamed);

    expect(lineage.params.redaction).toEqual({
      enabled: true,
      redactedFor: ['openai:gpt-4o-mini'],
      counts: { PERSON: 3 },
      calls: [{ purpose: 'chat', modelId: 'openai:gpt-4o-mini', requests: 1, counts: { PERSON: 3 } }],
    });
    expect(JSON.stringify(lineage)).not.toMatch(/Okafor|Raman|Nowak/);
    const [stored] = await withTenant(tenant.id, (tx) => tx<{ id: string }[]>`select id from message where id = ${handle.assistantMessageId}`);
    expect(stored).toBeDefined();
  });

  it('redacts earlier turns too, with the same placeholder for the same person', async () => {
    const first = await turn({});
    const before = server.stats.chatBodies.length;
    const handle = await runTurn(
      { tenantId: first.tenant.id, userId: first.user.id, conversationId: first.result.conversationId, text: 'Priya asked again today. What should I tell her?' },
      { env: env(), firstTokenTimeoutMs: 20_000 },
    );
    await drain(handle);
    await handle.result;
    const body = JSON.stringify(server.stats.chatBodies.slice(before)[0].messages);
    for (const name of NAMES) expect(body).not.toContain(name);
    // Priya was [PERSON_2] in the first message and is [PERSON_2] in the new one.
    expect(body).toMatch(/\[PERSON_2\] asked again today/);
  });

  it('sends none of the personal details people type informally (ADR 048): word-names after verbs that take a person, an id after a contraction, a spelled-out email, a named site', async () => {
    const text =
      "can you tell hope the rota changed? her badge number's 66120, her email is hope.b at gmail dot com, and I want to get hold of ray before he goes back to the Quayside depot";
    const { sent, chunks, lineage } = await turn({}, text);
    // The user's message as the provider got it (the system prompt is company text and may use the word "hope").
    const user = sent[0].messages.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
    for (const secret of [/\bhope\b/i, /\bray\b/i, /66120/, /gmail/, /Quayside/]) expect(user).not.toMatch(secret);
    expect(user).toContain('[EMPLOYEE_ID_1]');
    expect(user).toContain('[EMAIL_1]');
    expect(user).toContain('[SITE_1]');
    const streamed = chunks.map((c) => (c.type === 'text-delta' ? c.delta : '')).join('');
    expect(streamed).toBe('Start with hope, then ray; and [PERSON_9] is nobody.');
    expect(lineage.params.redaction.counts).toEqual({ PERSON: 2, EMPLOYEE_ID: 1, EMAIL: 1, SITE: 1 });
  });

  it('sends none of the weak classes of ADR 055: a role\'s lowercase name, an id in an odd format, an informal address, a site named where people work', async () => {
    const text = 'my supervisor tolly shouted at me again. my staff no is 5521/A, i live at 4 the sidings, ilkley and half the team at Crossgates saw it';
    const { sent, lineage } = await turn({}, text);
    const user = sent[0].messages.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
    for (const secret of [/tolly/i, /5521/, /sidings/i, /ilkley/i, /Crossgates/]) expect(user).not.toMatch(secret);
    expect(lineage.params.redaction.counts).toEqual({ PERSON: 1, EMPLOYEE_ID: 1, ADDRESS: 1, SITE: 1 });
  });

  it('sends none of the classes of ADR 062 session 11: initials, a name in another language, a phone extension, a site after a role and its name', async () => {
    const text = 'KJ says the store manager Lakshmi at Croydon shouted at him. hablé con tunde ayer. his desk is 0161 496 0000 extension 4512';
    const { sent, chunks, lineage } = await turn({}, text);
    const user = sent[0].messages.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
    for (const secret of [/\bKJ\b/, /Lakshmi/, /Croydon/, /tunde/, /0161/, /4512/]) expect(user).not.toMatch(secret);
    const streamed = chunks.map((c) => (c.type === 'text-delta' ? c.delta : '')).join('');
    expect(streamed).toBe('Start with KJ, then Lakshmi, then tunde; and [PERSON_9] is nobody.');
    expect(lineage.params.redaction.counts).toEqual({ PERSON: 3, PHONE: 1, SITE: 1 });
    expect(JSON.stringify(lineage)).not.toMatch(/Lakshmi|tunde|4512/);
  });

  it('sends the real text when the tenant turned redaction off', async () => {
    const { sent, lineage } = await turn({ redactPersonalDetails: false });
    expect(JSON.stringify(sent[0].messages)).toContain('Priya Raman');
    expect(lineage.params.redaction).toEqual({ enabled: false, redactedFor: [], counts: {}, calls: [] });
  });

  it('redacts the message for a non-local safety model (moderation and Llama Guard) too; a local one gets the real text', async () => {
    const moderation = await startMockOpenAIServer({ reply: echoPlaceholders, moderation: { score: () => ({ harassment: 0.01 }) } });
    const guard = await startMockOpenAIServer({ models: { 'llama-guard3:1b': { reply: 'safe' } } });
    try {
      const tenant = await makeTenant();
      const user = await makeMember(tenant.id, 'manager');
      const ask = async (extra: ModelEnv) => {
        const handle = await runTurn(
          { tenantId: tenant.id, userId: user.id, text: MESSAGE },
          { env: { ...env(), ...extra }, firstTokenTimeoutMs: 20_000, safetyModelTimeoutMs: 10_000 },
        );
        await drain(handle);
        return handle.result;
      };
      // OpenAI's moderation endpoint: a cloud provider.
      await ask({ OPENAI_BASE_URL: moderation.url, RAPPORT_SAFETY_MODEL: 'openai:omni-moderation-latest' });
      expect(moderation.stats.moderationBodies).toHaveLength(1);
      const input = JSON.stringify(moderation.stats.moderationBodies[0].input);
      for (const name of NAMES) expect(input).not.toContain(name);
      expect(input).toContain('[PERSON_1]');
      // Llama Guard on an OpenAI-compatible server the operator marked remote (OPENAI_COMPATIBLE_LOCAL=false).
      await ask({ OPENAI_COMPATIBLE_SAFETY_BASE_URL: guard.url, OPENAI_COMPATIBLE_SAFETY_MODEL: 'llama-guard3:1b', OPENAI_COMPATIBLE_LOCAL: 'false' });
      const remote = JSON.stringify(guard.stats.chatBodies.at(-1)!.messages);
      for (const name of NAMES) expect(remote).not.toContain(name);
      // The same server as a local one gets the real text.
      await ask({ OPENAI_COMPATIBLE_SAFETY_BASE_URL: guard.url, OPENAI_COMPATIBLE_SAFETY_MODEL: 'llama-guard3:1b' });
      expect(JSON.stringify(guard.stats.chatBodies.at(-1)!.messages)).toContain('Priya Raman');
    } finally {
      await Promise.all([moderation.close(), guard.close()]);
    }
  });
});

describe('the question embedded by a cloud embedding model (ADR 065)', () => {
  const CLOUD_EMBEDDINGS: Record<string, string> = { OPENAI_API_KEY: 'sk-test', RAPPORT_EMBEDDING_MODEL: 'openai:text-embedding-3-small' };
  let restoreEnv: (() => void) | undefined;
  beforeAll(() => {
    restoreEnv = setTestEnv({ ...CLOUD_EMBEDDINGS, OPENAI_BASE_URL: server.url });
  });
  afterAll(() => {
    restoreEnv?.();
  });

  async function turnOnPack(settings: Record<string, unknown>) {
    const tenant = await makeTenant({ settings });
    const user = await makeMember(tenant.id, 'manager');
    const bytes = new Uint8Array(fs.readFileSync('tenants/brightmart/pack/attendance-and-lateness.md'));
    await ingestFilesNow({ tenantId: tenant.id, userId: null, files: [{ fileName: 'attendance-and-lateness.md', bytes, sizeBytes: bytes.length }] });
    await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
    const before = server.stats.embeddingBodies.length;
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: MESSAGE }, { env: env(), firstTokenTimeoutMs: 20_000 });
    await drain(handle);
    const result = await handle.result;
    const [lineage] = await withTenant(tenant.id, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${handle.assistantMessageId}`);
    return { result, embedded: server.stats.embeddingBodies.slice(before), lineage };
  }

  it('sends the question with placeholders, never the names; with redaction off, as written', async () => {
    const { result, embedded, lineage } = await turnOnPack({});
    expect(result.status).toBe('complete');
    expect(embedded).toHaveLength(1);
    expect(embedded[0].model).toBe('text-embedding-3-small');
    const sent = JSON.stringify(embedded);
    for (const name of NAMES) expect(sent, name).not.toContain(name);
    expect(sent).toContain('[PERSON_1]');
    expect(lineage.params.redaction.redactedFor).toContain('openai:text-embedding-3-small');
    expect(lineage.params.embeddingModel).toBe('openai:text-embedding-3-small');

    const off = await turnOnPack({ redactPersonalDetails: false });
    expect(JSON.stringify(off.embedded)).toContain('Marcus Okafor');
  }, 60_000);
});
