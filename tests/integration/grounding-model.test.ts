// Query rewriting and the explicit answerability check with a configured model, against the local
// OpenAI-compatible mock server: metered (usage events, purpose 'judge'), recorded in lineage
// (status, model, cache — never text), cached by normalised text, skipped for short specific messages.
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearGroundingCache, GROUNDING_TIMEOUT_MS, isShortAndSpecific, normaliseForCache } from '~/.server/coach/grounding-model';
import { runTurn, type RunTurnOptions } from '~/.server/coach/run-turn';
import { composeOfflineReply } from '~/.server/models/offline-coach-reply';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import { db } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { startMockOpenAIServer, type ChatRequest, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';

useTestDatabase();

const SLOW = { timeout: 180_000 };
const NARRATIVE =
  "Tanya came in this morning looking awful. Her grandmother passed away last night and the funeral is out of state next week. She's asking what she can take.";
// Not covered by the pack, and the offline score alone already says so.
const PETS = 'An associate asked whether she can bring her dog to work on slow weekday mornings. What do I tell her?';
const UNCOVERED = 'My assistant manager wants to bring her toddler to the Saturday stocktake because her sitter cancelled. Is that allowed, and what do I say?';
let server: MockOpenAIServer;

const systemOf = (r: ChatRequest) => String(r.messages.find((m) => m.role === 'system')?.content ?? '');
const userOf = (r: ChatRequest) => String([...r.messages].reverse().find((m) => m.role === 'user')?.content ?? '');

beforeAll(async () => {
  server = await startMockOpenAIServer({
    tokenDelayMs: 1,
    reply: (request) => {
      const system = systemOf(request);
      if (system.includes('into the one workplace-policy question')) {
        // The toddler question's rewrite keeps words the pack uses a lot, so the offline score lets
        // shift-swap passages through: the model's check is what turns them down.
        return userOf(request).includes('toddler') ? 'Can an assistant manager swap a Saturday shift to bring her child?' : 'How many days of bereavement leave for a grandparent funeral?';
      }
      if (system.includes('decide whether company policy passages answer')) {
        // Answers like a careful judge: the bereavement passage answers, nothing answers the toddler question.
        if (userOf(request).includes('toddler')) return 'NONE';
        const labels = [...userOf(request).matchAll(/<passage label="(P\d)" document="([^"]*)"/g)];
        const leave = labels.find((m) => /leave/i.test(m[2]));
        return leave ? leave[1] : 'NONE';
      }
      // The chat answer: like the offline coach, grounded in (and citing) the passages it was sent.
      return composeOfflineReply({ system, lastUserMessage: userOf(request) });
    },
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => clearGroundingCache());

const OPTIONS = (): RunTurnOptions => ({
  env: { OPENAI_COMPATIBLE_BASE_URL: server.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'grounding-test', RAPPORT_GROUNDING_MODEL: 'chat' },
});

async function tenantWithPack() {
  const tenant = await makeTenant();
  const files = ['shift-swaps.md', 'leave-and-time-off.md', 'code-of-conduct.md'].map((name) => {
    const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
    return { fileName: name, bytes, sizeBytes: bytes.length };
  });
  await ingestFilesNow({ tenantId: tenant.id, userId: null, files });
  await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
  return tenant;
}

async function ask(tenantId: string, userId: string, text: string, options: RunTurnOptions = OPTIONS()) {
  const handle = await runTurn({ tenantId, userId, text }, options);
  const reader = handle.stream.getReader();
  while (!(await reader.read()).done);
  const result = await handle.result;
  const [lineage] = await withTenant(tenantId, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${result.assistantMessageId}`);
  const judged = await db()<{ n: number; failed: number }[]>`select count(*)::int as n, (count(*) filter (where status = 'error'))::int as failed from usage_event where tenant_id = ${tenantId} and purpose = 'judge'`;
  return { result, lineage, judgeEvents: judged[0].n, failedJudgeEvents: judged[0].failed };
}

describe('grounding with a configured model', () => {
  it('rewrites a narrative into its policy question, checks the passages, meters both and records them in lineage', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const before = server.stats.chatBodies.length;
    const { result, lineage, judgeEvents } = await ask(tenant.id, manager.id, NARRATIVE);
    const calls = server.stats.chatBodies.slice(before).map(systemOf);
    expect(calls.filter((s) => s.includes('workplace-policy question'))).toHaveLength(1);
    expect(calls.filter((s) => s.includes('decide whether company policy passages'))).toHaveLength(1);
    expect(result.covered).toBe(true);
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.citations.every((c) => /Leave and Time Off/.test(c.document))).toBe(true);
    expect(lineage.params.grounding.rewrite).toMatchObject({ modelId: 'compat:chat', status: 'ok', cached: false });
    expect(lineage.params.grounding.check).toMatchObject({ status: 'ok', cached: false });
    // Lineage holds no rewritten text.
    expect(JSON.stringify(lineage.params)).not.toMatch(/bereavement leave for a grandparent/);
    expect(judgeEvents).toBe(2);

    // The same message again (other spacing and case): both answers come from the cache, unmetered.
    const again = await ask(tenant.id, manager.id, `  ${NARRATIVE.toUpperCase()}  `);
    expect(again.lineage.params.grounding.rewrite).toMatchObject({ cached: true, status: 'ok' });
    expect(again.lineage.params.grounding.check).toMatchObject({ cached: true });
    expect(again.judgeEvents).toBe(2);
  });

  it('says not covered when the model finds no passage that answers, and cites nothing', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const { result, lineage, judgeEvents } = await ask(tenant.id, manager.id, UNCOVERED);
    expect(result.covered).toBe(false);
    expect(result.citations).toEqual([]);
    // The chat model was told the pack does not cover it, and was given no passage.
    const chat = server.stats.chatBodies.map(systemOf).filter((sys) => sys.includes('Safety rules')).at(-1) ?? '';
    expect(chat).toMatch(/culture pack does not cover this message/);
    expect(chat).not.toMatch(/<passage/);
    expect(lineage.params.answerability).toBe('not_covered');
    expect(lineage.params.grounding.rewrite).toMatchObject({ status: 'ok' });
    expect(lineage.params.grounding.check).toMatchObject({ status: 'ok' });
    // The offline score alone would have offered passages for the rewritten question.
    expect(lineage.params.belowThreshold.length).toBeGreaterThan(0);
    // What the manager reads: the guidance does not cover it, the HR contact, no passage cited.
    expect(result.reply).toMatch(/guidance does not cover this/);
    expect(result.reply).toMatch(/check with /);
    expect(result.reply).not.toMatch(/\[\d\]/);
    // Both grounding calls were metered.
    expect(judgeEvents).toBe(2);
  });

  it('keeps the offline decision when the model is too slow: one call, cut at the timeout, metered as failed', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    // Non-streamed answers (the grounding calls) take 30 s; the streamed chat answer is not delayed.
    server.configure({ responseDelayMs: 30_000 });
    try {
      const uncovered = await ask(tenant.id, manager.id, PETS);
      expect(uncovered.result.covered).toBe(false);
      expect(uncovered.result.citations).toEqual([]);
      expect(uncovered.result.reply).toMatch(/guidance does not cover this/);
      expect(uncovered.lineage.params.answerability).toBe('not_covered');
      expect(uncovered.lineage.params.grounding.rewrite).toMatchObject({ status: 'error', reason: 'timeout', cached: false });
      // Cut at the timeout, not after the model's 30 s; and the model is not asked a second time.
      expect(uncovered.lineage.params.grounding.rewrite.latencyMs).toBeGreaterThanOrEqual(GROUNDING_TIMEOUT_MS - 50);
      expect(uncovered.lineage.params.grounding.rewrite.latencyMs).toBeLessThan(GROUNDING_TIMEOUT_MS + 10_000);
      expect(uncovered.lineage.params.grounding.check).toMatchObject({ status: 'skipped', reason: 'model unavailable' });
      expect(uncovered).toMatchObject({ judgeEvents: 1, failedJudgeEvents: 1 });

      // A narrative the pack answers: the offline score finds and cites it without the model.
      const covered = await ask(tenant.id, manager.id, NARRATIVE);
      const offline = await ask(tenant.id, manager.id, NARRATIVE, { env: { ...OPTIONS().env, RAPPORT_GROUNDING_MODEL: '' } });
      expect(offline.lineage.params.grounding).toBeUndefined();
      expect(covered.result.citations).toEqual(offline.result.citations);
      expect(covered.result.covered).toBe(true);
      expect(covered.result.citations.some((c) => /Leave and Time Off/.test(c.document))).toBe(true);
      expect(covered.lineage.params.answerability).toBe('covered');
      expect(covered.lineage.params.grounding.rewrite).toMatchObject({ status: 'error', reason: 'timeout' });
    } finally {
      server.configure({ responseDelayMs: 0 });
    }
  });

  it('keeps the offline decision when the model is down, and still answers', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    server.configure({ mode: 'http-500' });
    try {
      const { result, lineage, judgeEvents, failedJudgeEvents } = await ask(tenant.id, manager.id, PETS);
      expect(result.covered).toBe(false);
      expect(result.citations).toEqual([]);
      expect(result.reply).toMatch(/guidance does not cover this/);
      expect(lineage.params.answerability).toBe('not_covered');
      expect(lineage.params.grounding.rewrite).toMatchObject({ status: 'error', reason: 'HTTP 500' });
      expect(lineage.params.grounding.check).toMatchObject({ status: 'skipped', reason: 'model unavailable' });
      expect({ judgeEvents, failedJudgeEvents }).toEqual({ judgeEvents: 1, failedJudgeEvents: 1 });
    } finally {
      server.configure({ mode: 'ok' });
    }
  });

  it('skips the rewrite for a short, specific question', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const { lineage, judgeEvents } = await ask(tenant.id, manager.id, 'How many days of bereavement leave do we give?');
    expect(lineage.params.grounding.rewrite).toMatchObject({ status: 'skipped', reason: 'short and specific' });
    expect(judgeEvents).toBe(1);
  });

  it('rewrites a short question in another language than the pack’s, into the pack’s language (ADR 049)', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const before = server.stats.chatBodies.length;
    const text = '¿Cuántos días de permiso tiene por el funeral de su abuela?';
    expect(isShortAndSpecific(text)).toBe(true);
    const { result, lineage } = await ask(tenant.id, manager.id, text);
    expect(lineage.params.grounding.rewrite).toMatchObject({ status: 'ok' });
    const rewrite = server.stats.chatBodies.slice(before).find((r) => systemOf(r).includes('into the one workplace-policy question'));
    expect(systemOf(rewrite!)).toContain("in English (the handbook's language)");
    expect(systemOf(rewrite!)).not.toContain("message's language");
    expect(userOf(rewrite!)).toContain(text);
    // Retrieval searched the English rewrite, not a gloss of the message.
    expect(lineage.params.retrievalGloss).toBeUndefined();
    expect(result.citations.map((c) => c.document)).toContain('Leave and Time Off');
  });

  it('normalises text for the cache and tells short specific messages from stories', () => {
    expect(normaliseForCache('  Can I SWAP   shifts?! ')).toBe('can i swap shifts');
    expect(isShortAndSpecific('Can two associates swap a shift?')).toBe(true);
    expect(isShortAndSpecific(NARRATIVE)).toBe(false);
  });
});
