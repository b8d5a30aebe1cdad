// Issue 12, end to end (ADR 062 session 12): with every purpose on a cloud provider spoken to as OpenAI — chat, its
// sensitive route, grounding, the safety model (moderation), question embeddings and the judge — a conversation of
// two turns (the second a follow-up, searched with the message before it) and a shared, judged exchange send the
// provider no person, email, phone, employee id, address or site of the manager's messages in any request; every
// chat request says `store: false`; lineage keeps counts per type only; the manager gets the real names back, and
// the database keeps no plain text of them.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn, type TurnHandle } from '~/.server/coach/run-turn';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import { db } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { evaluateScenario } from '~/.server/evaluation/scenarios';
import { judgeSharedItem } from '~/.server/review/judge';
import { shareExchange } from '~/.server/review/sharing';
import { startMockOpenAIServer, type ChatRequest, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';
import { CLOUD_ENV_EVERY_PURPOSE, setTestEnv } from '../helpers/env';

useTestDatabase();

const CLOUD_ENV = CLOUD_ENV_EVERY_PURPOSE;

const FIRST =
  'Oluwaseun Adebayo keeps arriving late to store 4471 and Kasia Wrzosek says she covers for him. His email is seun.adebayo@gmail.com, ' +
  'phone 07911 123456, employee id EMP-448211, and he lives at 14 Larkspur Close, Leeds LS6 2AB. How do I raise the lateness?';
const FOLLOW_UP = 'Is that paid? Kasia asked me too.';
const DETAILS = ['Oluwaseun', 'Adebayo', 'Kasia', 'Wrzosek', 'seun.adebayo', '07911', '123456', '448211', 'Larkspur', 'LS6 2AB', '4471'];

/** Names the placeholders it was sent, so the reply comes back with the real names. */
function echoPlaceholders(body: ChatRequest): string {
  if (body.model === 'gpt-4o-mini') return 'covered';
  const sent = JSON.stringify(body.messages);
  if (/Reply to evaluate/.test(sent)) return JSON.stringify({ overall: 10, ...Object.fromEntries(['check_in_first', 'grounding', 'coaching', 'tone', 'safety'].map((c) => [c, { score: 2, reason: 'fine' }])) });
  const people = [...new Set(sent.match(/\[PERSON_\d+\]/g) ?? [])];
  return `Speak with ${people.join(' and ') || 'nobody'} privately, and ask what is behind it.`;
}

let cloud: MockOpenAIServer;
let restoreEnv: (() => void) | undefined;
beforeAll(async () => {
  cloud = await startMockOpenAIServer({ reply: echoPlaceholders, chunkChars: 4, moderation: { score: () => ({}) } });
  restoreEnv = setTestEnv({ ...CLOUD_ENV, OPENAI_BASE_URL: cloud.url });
});
afterAll(async () => {
  restoreEnv?.();
  await cloud?.close();
});

async function streamed(handle: TurnHandle): Promise<string> {
  let text = '';
  const reader = handle.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value as { type?: string; text?: string; delta?: string };
    if (typeof chunk.text === 'string') text += chunk.text;
    else if (typeof chunk.delta === 'string') text += chunk.delta;
  }
  return text;
}

describe('privacy toward a cloud provider, every purpose at once', () => {
  it('sends no detail of the messages in any request, says store: false on every chat request, keeps counts only in lineage', async () => {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 100_000, dailyMessageQuota: 10_000 } });
    const manager = await makeMember(tenant.id, 'manager');
    const files = ['attendance-and-lateness.md', 'breaks-and-wellbeing.txt'].map((name) => {
      const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
      return { fileName: name, bytes, sizeBytes: bytes.length };
    });
    await ingestFilesNow({ tenantId: tenant.id, userId: null, files });
    await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
    // Only what the conversation sends from here on: the pack's own chunks are company text (ADR 021).
    const before = { chat: cloud.stats.chatBodies.length, embeddings: cloud.stats.embeddingBodies.length, moderation: cloud.stats.moderationBodies.length };

    const first = await runTurn({ tenantId: tenant.id, userId: manager.id, text: FIRST }, { firstTokenTimeoutMs: 20_000 });
    const firstText = await streamed(first);
    const firstResult = await first.result;
    const afterFirst = { chat: cloud.stats.chatBodies.length, embeddings: cloud.stats.embeddingBodies.length };
    const second = await runTurn({ tenantId: tenant.id, userId: manager.id, conversationId: firstResult.conversationId, text: FOLLOW_UP }, { firstTokenTimeoutMs: 20_000 });
    await streamed(second);
    await second.result;
    const { itemId } = await shareExchange({ tenantId: tenant.id, userId: manager.id, messageId: first.assistantMessageId });
    expect(await judgeSharedItem({ tenantId: tenant.id, itemId })).toBe(true);

    const chat = cloud.stats.chatBodies.slice(before.chat);
    const embeddings = cloud.stats.embeddingBodies.slice(before.embeddings);
    const moderation = cloud.stats.moderationBodies.slice(before.moderation);
    // Every purpose was reached: the chat model and the judge (gpt-4o), grounding (gpt-4o-mini), embeddings, moderation.
    expect(chat.map((b) => b.model)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']));
    expect(chat.some((b) => /Reply to evaluate/.test(JSON.stringify(b.messages)))).toBe(true);
    expect(embeddings.length).toBeGreaterThanOrEqual(2);
    expect(moderation.length).toBeGreaterThanOrEqual(2);
    for (const [kind, bodies] of [['chat', chat], ['embeddings', embeddings], ['moderation', moderation]] as const) {
      for (const body of bodies) {
        const sent = JSON.stringify(body);
        for (const detail of DETAILS) expect(sent, `${kind} request held "${detail}"`).not.toContain(detail);
      }
    }
    // The follow-up was searched with the message before it (as placeholders), and the grounding model's passages are
    // company text: only the exchange's own details are replaced there, nothing else detected (no placeholder beyond
    // the conversation's two people).
    const grounding = chat.filter((b) => b.model === 'gpt-4o-mini').map((b) => JSON.stringify(b.messages));
    expect(grounding.some((m) => m.includes('[PERSON_2] asked me too') && m.includes('[PERSON_1] keeps arriving late'))).toBe(true);
    for (const m of grounding) expect(m).not.toMatch(/\[PERSON_[3-9]\]/);
    for (const body of chat) expect(body.store, `${body.model} request`).toBe(false);

    // The manager reads the real names; the stored answer holds them, encrypted.
    expect(firstText).toContain('Oluwaseun Adebayo');
    expect(firstText).toContain('Kasia Wrzosek');
    const [lineage] = await withTenant(tenant.id, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${first.assistantMessageId}`);
    expect(lineage.params.redaction).toMatchObject({ enabled: true, counts: { PERSON: 2, EMAIL: 1, PHONE: 1, EMPLOYEE_ID: 1, ADDRESS: 1, SITE: 1 } });
    expect(lineage.params.redaction.redactedFor).toEqual(expect.arrayContaining(['openai:gpt-4o', 'openai:text-embedding-3-small']));
    // ADR 062 (session 13): every external call of the turn is in lineage with its own counts — the grounding model's
    // (which had an anonymizer of its own whose counts reached no record) and the safety model's included.
    const calls = lineage.params.redaction.calls as Array<{ purpose: string; modelId: string; requests: number; counts: Record<string, number> }>;
    const callOf = (purpose: string) => calls.find((c) => c.purpose === purpose);
    const everyDetail = { PERSON: 2, EMAIL: 1, PHONE: 1, EMPLOYEE_ID: 1, ADDRESS: 1, SITE: 1 };
    expect(callOf('grounding')).toMatchObject({ modelId: 'openai:gpt-4o-mini', counts: everyDetail });
    const firstTurnChat = cloud.stats.chatBodies.slice(before.chat, afterFirst.chat);
    expect(callOf('grounding')!.requests).toBe(firstTurnChat.filter((b) => b.model === 'gpt-4o-mini').length);
    expect(callOf('grounding')!.requests).toBeGreaterThanOrEqual(1);
    expect(callOf('moderation')).toMatchObject({ modelId: 'openai:omni-moderation-latest', requests: 1, counts: everyDetail });
    // The question's embedding is of the grounding model's rewrite (the mock's "covered"): what it held, counted as sent.
    const embedded = JSON.stringify(cloud.stats.embeddingBodies.slice(before.embeddings, afterFirst.embeddings));
    const embeddedCounts = Object.fromEntries(
      [...new Set(embedded.match(/\[[A-Z_]+_\d+\]/g) ?? [])].reduce((m, p) => m.set(p.slice(1, p.lastIndexOf('_')), (m.get(p.slice(1, p.lastIndexOf('_'))) ?? 0) + 1), new Map<string, number>()),
    );
    expect(callOf('embedding')).toMatchObject({ modelId: 'openai:text-embedding-3-small', requests: 1, counts: embeddedCounts });
    expect(callOf('chat')).toMatchObject({ modelId: 'openai:gpt-4o', requests: 1, counts: everyDetail });
    // The follow-up's grounding call searched with the message before it: its record counts the people of both.
    const [secondLineage] = await withTenant(tenant.id, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${second.assistantMessageId}`);
    const secondGrounding = (secondLineage.params.redaction.calls as typeof calls).find((c) => c.purpose === 'grounding');
    expect(secondGrounding?.counts.PERSON).toBe(2);
    expect(JSON.stringify(secondLineage)).not.toMatch(/Oluwaseun|Adebayo|Kasia|Wrzosek/);
    const lineageText = JSON.stringify(lineage);
    for (const detail of DETAILS) expect(lineageText).not.toContain(detail);
    const rows = await db()<{ content: string | null }[]>`select content from message where conversation_id = ${firstResult.conversationId}`;
    expect(rows.length).toBe(4);
    for (const row of rows) for (const detail of DETAILS) expect(row.content ?? '').not.toContain(detail);
  }, 120_000);

  // ADR 062 (session 14): the judge of a shared copy and of an evaluation case (`rapport eval`, Compare models) is an
  // external call about an answer: it is in that answer's lineage with its counts. The tenant's own name is company text.
  it("records the judge's call in the judged answer's lineage, and never redacts or counts the tenant's name", async () => {
    const tenant = await makeTenant({ name: 'Quillfield Stores', settings: { monthlyBudgetUsd: 100_000, dailyMessageQuota: 10_000 } });
    const manager = await makeMember(tenant.id, 'manager');
    const before = { chat: cloud.stats.chatBodies.length, moderation: cloud.stats.moderationBodies.length };
    const message = 'Quillfield wants me to talk to Oluwaseun Adebayo about lateness at the Quillfield Eastgate store; his email is seun.adebayo@gmail.com.';
    const outcome = await evaluateScenario({
      tenantId: tenant.id,
      userId: manager.id,
      judge: true,
      scenario: { id: 'q1', message, expect: { checkInFirst: false, document: null, mustNotContain: [] } },
    });
    expect(outcome.judge).not.toBeNull();
    const chat = cloud.stats.chatBodies.slice(before.chat);
    const sent = [...chat, ...cloud.stats.moderationBodies.slice(before.moderation)].map((b) => JSON.stringify(b));
    for (const body of sent) for (const detail of ['Oluwaseun', 'Adebayo', 'seun.adebayo', 'Eastgate']) expect(body).not.toContain(detail);
    // The company's name reached the models as written (it was read as a person, or a site, before).
    expect(chat.some((b) => JSON.stringify(b.messages).includes('Quillfield wants me to talk to [PERSON_1]'))).toBe(true);
    const judged = chat.filter((b) => /Reply to evaluate/.test(JSON.stringify(b.messages)));
    expect(judged).toHaveLength(1);
    const [row] = await withTenant(tenant.id, (tx) => tx<Record<string, any>[]>`
      select l.* from message_lineage l join message m on m.tenant_id = l.tenant_id and m.id = l.message_id
      where l.tenant_id = ${tenant.id} and m.role = 'assistant' order by l.created_at desc limit 1`);
    const calls = row.params.redaction.calls as Array<{ purpose: string; modelId: string; requests: number; counts: Record<string, number> }>;
    expect(calls.find((c) => c.purpose === 'chat')?.counts).toEqual({ PERSON: 1, EMAIL: 1, SITE: 1 });
    expect(calls.find((c) => c.purpose === 'judge')).toMatchObject({ modelId: 'openai:gpt-4o', requests: 1, counts: { PERSON: 1, EMAIL: 1, SITE: 1 } });
    expect(row.params.redaction.counts).toEqual({ PERSON: 1, EMAIL: 1, SITE: 1 });

    // Shared and judged: the judge reads the anonymized copy; its call joins the shared answer's lineage, once however
    // often it is judged.
    const { itemId } = await shareExchange({ tenantId: tenant.id, userId: manager.id, messageId: row.message_id });
    expect(await judgeSharedItem({ tenantId: tenant.id, itemId })).toBe(true);
    expect(await judgeSharedItem({ tenantId: tenant.id, itemId })).toBe(true);
    const [after] = await withTenant(tenant.id, (tx) => tx<Record<string, any>[]>`select * from message_lineage where tenant_id = ${tenant.id} and message_id = ${row.message_id}`);
    const judgeCalls = (after.params.redaction.calls as typeof calls).filter((c) => c.purpose === 'judge');
    expect(judgeCalls).toHaveLength(1);
    expect(judgeCalls[0].counts).toEqual({ PERSON: 1, EMAIL: 1, SITE: 1 });
    expect(JSON.stringify(after)).not.toMatch(/Oluwaseun|Adebayo|seun\.adebayo|Eastgate/);
  }, 120_000);
});
