import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coverageGapsByWeek, K_ANONYMITY } from '~/.server/coach/coverage-gaps';
import { runTurn, type RunTurnOptions } from '~/.server/coach/run-turn';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { retrieveCulturePassages } from '~/.server/culture/retrieve';
import { publishDraft, rollbackToVersion } from '~/.server/culture/versions';
import { db } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import * as hrGaps from '~/routes/hr.gaps';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';
import type { TenantSettings } from '~/lib/culture';

useTestDatabase();

const OFFLINE: RunTurnOptions = { env: {} };
const PACK = ['shift-swaps.md', 'leave-and-time-off.md', 'code-of-conduct.md'];
// Ingesting a pack takes seconds on the embedded database; a loaded machine needs more.
const SLOW = { timeout: 180_000 };

async function tenantWithPack(settings: Partial<TenantSettings> = {}, pack = PACK) {
  const tenant = await makeTenant({ settings });
  const files = pack.map((name) => {
    const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
    return { fileName: name, bytes, sizeBytes: bytes.length };
  });
  await ingestFilesNow({ tenantId: tenant.id, userId: null, files });
  await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
  return tenant;
}

async function ask(tenantId: string, userId: string, text: string, conversationId?: string) {
  const handle = await runTurn({ tenantId, userId, text, conversationId }, OFFLINE);
  const reader = handle.stream.getReader();
  const chunks: Array<{ type: string }> = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value as { type: string });
  const result = await handle.result;
  const [lineage] = await withTenant(tenantId, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${result.assistantMessageId}`);
  return { result, chunks, lineage };
}

const NOT_COVERED = 'Is there a 401k match, and when can new associates sign up?';
const SAME_TOPIC = [
  'When can a new associate join the retirement plan?',
  'Does the company contribute anything to a pension?',
  'How long until the 401k match vests?',
];

describe('grounded answers', () => {
  it('says plainly that the pack does not cover a question, names the HR contact, cites nothing, and records not_covered', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const { result, chunks, lineage } = await ask(tenant.id, manager.id, NOT_COVERED);
    expect(result.status).toBe('complete');
    expect(result.covered).toBe(false);
    expect(result.citations).toEqual([]);
    expect(result.reply).toMatch(/guidance does not cover this/);
    expect(result.reply).toMatch(/check with your HR team/);
    expect(result.reply).not.toMatch(/\[P\d\]/);
    // Still coaches the human side.
    expect(result.reply).toMatch(/question to consider/i);
    expect(chunks.some((c) => c.type === 'data-citations')).toBe(false);
    expect(lineage.params.answerability).toBe('not_covered');
    expect(lineage.params.relevance).toBeLessThan(lineage.params.relevanceThreshold);
    expect(lineage.chunks.every((c: { used: boolean }) => !c.used)).toBe(true);
  });

  it('gives a not-covered question the same answer after an upload, publish and rollback (statistics are the version’s own)', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const pets = 'An associate asked whether she can bring her dog to work on slow weekday mornings. What do I tell her?';
    const before = await ask(tenant.id, manager.id, pets);
    const retrievedBefore = await retrieveCulturePassages({ tenantId: tenant.id, query: pets });
    expect(before.result.covered).toBe(false);

    // Version 2 adds documents that talk about pets and dogs; then HR rolls back to version 1.
    const extra = (name: string, text: string) => ({ fileName: name, bytes: new TextEncoder().encode(text), sizeBytes: Buffer.byteLength(text) });
    await ingestFilesNow({
      tenantId: tenant.id,
      userId: null,
      files: [
        extra('pets-at-work.md', '# Pets at Work\n\nDogs and other pets are welcome in the back office on weekday mornings when the store manager agrees. Service animals are always welcome.\n\n## Allergies\n\nAsk the team before a dog visits.'),
        extra('store-dogs.md', '# Store Dogs\n\nA dog visiting the store stays on a lead. Pets never go on the sales floor. Associates clean up after their dog.'),
      ],
    });
    await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
    const withPets = await retrieveCulturePassages({ tenantId: tenant.id, query: pets });
    expect(withPets.passages.some((p) => p.document === 'Pets at Work')).toBe(true);
    await rollbackToVersion({ tenantId: tenant.id, actor: { userId: null, label: 'test' }, number: 1 });

    const after = await ask(tenant.id, manager.id, pets);
    expect(after.result.covered).toBe(false);
    expect(after.result.citations).toEqual([]);
    expect(after.result.reply).toBe(before.result.reply);
    expect(after.lineage.params.relevance).toBe(before.lineage.params.relevance);
    // The restored version scores every passage exactly as version 1 did.
    const retrievedAfter = await retrieveCulturePassages({ tenantId: tenant.id, query: pets });
    const scores = (r: typeof retrievedBefore) => r.passages.map((p) => [p.chunkId, p.bm25, p.answerScore, p.corpusChunks, p.questionIdf]);
    expect(scores(retrievedAfter)).toEqual(scores(retrievedBefore));
  });

  it('finds the policy inside a manager’s story and cites the right document', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const { result, lineage } = await ask(
      tenant.id,
      manager.id,
      "Tanya's grandmother passed away last night and she's devastated. The funeral is out of state next week. How many days can I give her without it costing her PTO?",
    );
    expect(result.covered).toBe(true);
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.citations[0].document).toMatch(/Leave and Time Off/);
    expect(lineage.params.answerability).toBe('covered');
  });

  it('reads a follow-up that points back with the message before it, and a new topic alone', SLOW, async () => {
    const tenant = await tenantWithPack({}, ['attendance-and-lateness.md', 'giving-feedback.md', 'shift-swaps.md', 'leave-and-time-off.md']);
    const manager = await makeMember(tenant.id, 'manager');
    const first = await ask(tenant.id, manager.id, "One of my cashiers keeps coming in 20 minutes late. I've talked to him twice. What should I do now?");
    expect(first.result.citations[0]?.document).toMatch(/Attendance and Lateness/);
    const conversationId = first.result.conversationId;
    // Alone, 'next week' found Giving Feedback's "Next week is too late for a small thing".
    const followUp = await ask(tenant.id, manager.id, 'And if he is late again next week, what are the next steps?', conversationId);
    expect(followUp.result.covered).toBe(true);
    expect(followUp.result.citations.map((c) => c.document)).toContainEqual(expect.stringMatching(/Attendance and Lateness/));
    // "Is that paid?" says nothing a search could use on its own.
    const leave = await ask(tenant.id, manager.id, 'One of my team told me her dad died last night. How much time can she take?');
    const paid = await ask(tenant.id, manager.id, 'Is that paid?', leave.result.conversationId);
    expect(paid.result.citations[0]?.document).toMatch(/Leave and Time Off/);
    expect(followUp.lineage.params.retrievalFollowUp).toBe(true);
    expect(paid.lineage.params.retrievalFollowUp).toBe(true);
    // An acknowledgement asks nothing: no search, no citation, and lineage says why (not "not covered").
    for (const thanks of ['Thanks, that helps!', 'gracias']) {
      const ack = await ask(tenant.id, manager.id, thanks, leave.result.conversationId);
      expect(ack.result.citations, thanks).toEqual([]);
      expect(ack.lineage.params.retrievalSkipped).toBe('acknowledgement');
      expect(ack.lineage.params.answerability).toBeUndefined();
      expect(ack.lineage.params.retrievalFollowUp).toBeUndefined();
      expect(ack.lineage.chunks).toEqual([]);
      expect(ack.result.reply).not.toMatch(/does not cover/);
    }
    // A new topic in the same conversation is searched alone.
    const swap = await ask(tenant.id, manager.id, 'Different question: how much notice does someone need to give to swap a shift?', conversationId);
    expect(swap.result.citations[0]?.document).toMatch(/Shift Swaps/);
    expect(swap.lineage.params.retrievalFollowUp).toBeUndefined();
    // A follow-up that names a topic the pack never uses is not answered from the previous message's document.
    const parking = await ask(tenant.id, manager.id, 'Can he get a parking space closer to the door instead?', conversationId);
    expect(parking.lineage.params.retrievalFollowUp).toBe(true);
    expect(parking.result.covered).toBe(false);
    expect(parking.result.citations).toEqual([]);
    expect(parking.lineage.params.answerability).toBe('not_covered');
  });

  it('shows HR a gap topic only once five different people asked, and never any message text', SLOW, async () => {
    const tenant = await tenantWithPack();
    const other = await tenantWithPack();
    const managers = await Promise.all(Array.from({ length: K_ANONYMITY }, () => makeMember(tenant.id, 'manager')));
    // Four people (one of them twice): below the threshold, nothing is shown.
    for (const [i, m] of managers.slice(0, 4).entries()) expect((await ask(tenant.id, m.id, i === 0 ? NOT_COVERED : SAME_TOPIC[i - 1])).result.covered, SAME_TOPIC[i - 1]).toBe(false);
    expect((await ask(tenant.id, managers[0].id, 'Is there a retirement savings plan?')).result.covered).toBe(false);
    expect(await coverageGapsByWeek({ tenantId: tenant.id, weeks: 4 })).toEqual([]);
    expect((await ask(tenant.id, managers[4].id, 'Do we have a 401k?')).result.covered).toBe(false);
    const gaps = await coverageGapsByWeek({ tenantId: tenant.id, weeks: 4 });
    expect(gaps).toEqual([expect.objectContaining({ topic: 'Pensions and retirement', people: 5, questions: 6 })]);
    // The stored rows hold a fixed label and a pseudonym: no text, no user, message or conversation id.
    const stored = await db()`select * from coverage_gap where tenant_id = ${tenant.id}`;
    const columns = Object.keys(stored[0]).sort();
    expect(columns).toEqual(['id', 'person', 'tenant_id', 'topic', 'week']);
    const everything = JSON.stringify(stored);
    for (const word of ['401k', 'vests', 'match', 'savings', 'sign up']) expect(everything).not.toContain(word);
    for (const m of managers) expect(everything).not.toContain(m.id);
    // The HR page's data: the label and counts, nothing else; HR only.
    const hr = await makeMember(tenant.id, 'hr_admin');
    const page = (await hrGaps.loader({ request: new Request('http://localhost/hr/gaps'), context: await contextFor(hr), params: {} } as never)) as Awaited<ReturnType<typeof hrGaps.loader>>;
    expect(page.byWeek).toHaveLength(1);
    expect(page.byWeek[0].topics).toEqual([{ topic: 'Pensions and retirement', people: 5, questions: 6 }]);
    for (const word of ['401k', 'vests', 'savings', 'sign up', 'pension?']) expect(JSON.stringify(page)).not.toContain(word);
    await expect(hrGaps.loader({ request: new Request('http://localhost/hr/gaps'), context: await contextFor(managers[0]), params: {} } as never)).rejects.toBeInstanceOf(Response);
    // Another tenant sees none of it.
    expect(await coverageGapsByWeek({ tenantId: other.id, weeks: 4 })).toEqual([]);
    const otherHr = await makeMember(other.id, 'hr_admin');
    const otherPage = (await hrGaps.loader({ request: new Request('http://localhost/hr/gaps'), context: await contextFor(otherHr), params: {} } as never)) as Awaited<ReturnType<typeof hrGaps.loader>>;
    expect(otherPage.byWeek).toEqual([]);
    const visible = await withTenant(other.id, (tx) => tx`select count(*)::int as n from coverage_gap`);
    expect(visible[0].n).toBe(0);
  });

  it('stores nothing for the gap report in zero-retention mode', SLOW, async () => {
    const tenant = await tenantWithPack({ retentionDays: 0 });
    const manager = await makeMember(tenant.id, 'manager');
    const { result } = await ask(tenant.id, manager.id, NOT_COVERED);
    expect(result.covered).toBe(false);
    expect((await db()`select count(*)::int as n from coverage_gap where tenant_id = ${tenant.id}`)[0].n).toBe(0);
  });
});
