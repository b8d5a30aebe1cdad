// The quality loop on a real database: sharing stores only an anonymized copy, withdrawing deletes it
// and everything made from it, reviewers see only shared items of their own tenant (never who shared),
// zero-retention and review-off tenants cannot share, only a tenant admin makes reviewers, and a case
// made from an annotation runs in `rapport eval --from-db`.
import { tenantCipher } from '~/.server/privacy/tenant-keys';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '~/.server/coach/run-turn';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import { db } from '~/.server/db/client';
import { listAuditLog } from '~/.server/governance/audit';
import { summariseAuditEntry } from '~/lib/audit-summary';
import { createCaseFromItem, listEvalCases } from '~/.server/review/cases';
import { agreementSummary, getReviewItem, listReviewQueue, saveAnnotation, type AnnotationInput } from '~/.server/review/queue';
import { listOwnShares, previewShare, ShareError, shareExchange, withdrawShare } from '~/.server/review/sharing';
import { updateTenantSettings } from '~/.server/tenants/tenants';
import { resetEnvForTests } from '~/.server/env';
import { inJudgeSample, judgeSharedItem } from '~/.server/review/judge';
import { startMockOpenAIServer } from '../fixtures/mock-openai-server';
import { rapport } from '../helpers/cli';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

const database = useTestDatabase();

const PERSONAL = 'Marcus Jones has been late every shift this week. His email is marcus.jones@example.com and his mobile is 07911 123456. How do I raise it with him?';
const UNSHARED = 'ZEBRA-PLUM-7731 a private conversation Priya never shared';

async function answer(tenantId: string, userId: string, text: string) {
  const handle = await runTurn({ tenantId, userId, text }, { env: {} });
  const result = await handle.result;
  return { messageId: handle.assistantMessageId, conversationId: result.conversationId, reply: result.reply };
}

const ANNOTATION: AnnotationInput = {
  check_in_first: 2,
  grounding: 1,
  coaching: 2,
  tone: 2,
  safety: 2,
  labels: ['wrong_document'],
  betterReply: 'Ask [PERSON_1] how things are going first, then agree a plan together.',
  note: '',
  expectCheckIn: false,
  expectDocument: 'attendance-and-lateness.md',
  mustNotContain: ['write-up'],
};

type Role = Awaited<ReturnType<typeof makeMember>>;
let tenantId: string;
let manager: Role;
let otherManager: Role;
let reviewer: Role;
let secondReviewer: Role;
let admin: Role;
let hr: Role;
let shared: { messageId: string; conversationId: string; reply: string };
let itemId: string;

beforeAll(async () => {
  const tenant = await makeTenant({ settings: { retentionDays: 30 } });
  tenantId = tenant.id;
  manager = await makeMember(tenantId, 'manager');
  otherManager = await makeMember(tenantId, 'manager');
  reviewer = await makeMember(tenantId, 'reviewer');
  secondReviewer = await makeMember(tenantId, 'reviewer');
  admin = await makeMember(tenantId, 'tenant_admin');
  hr = await makeMember(tenantId, 'hr_admin');
  const files = ['attendance-and-lateness.md', 'shift-swaps.md'].map((name) => {
    const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
    return { fileName: name, bytes, sizeBytes: bytes.length };
  });
  await ingestFilesNow({ tenantId, userId: null, files });
  await publishDraft({ tenantId, actor: { userId: null, label: 'test' } });
  shared = await answer(tenantId, manager.id, PERSONAL);
  await answer(tenantId, otherManager.id, UNSHARED);
}, 120_000);

describe('sharing an exchange', () => {
  it('previews, then stores only the anonymized copy with its passages and lineage', async () => {
    const preview = await previewShare({ tenantId, userId: manager.id, messageId: shared.messageId });
    expect(preview.userText).toContain('[PERSON_1]');
    expect(preview.userText).toContain('[EMAIL_1]');
    expect(preview.userText).toContain('[PHONE_1]');
    // Nothing is stored by a preview.
    expect(await listOwnShares({ tenantId, userId: manager.id })).toEqual([]);

    const first = await shareExchange({ tenantId, userId: manager.id, messageId: shared.messageId });
    expect(first.created).toBe(true);
    itemId = first.itemId;
    const again = await shareExchange({ tenantId, userId: manager.id, messageId: shared.messageId });
    expect(again).toEqual({ itemId, created: false });

    // What is in the database, read as the owner role (no RLS): no name, email or phone anywhere.
    const [row] = await db()`select * from review_item where id = ${itemId}`;
    const stored = JSON.stringify({ ...row, shared_by: undefined });
    for (const secret of ['Marcus', 'Jones', 'marcus.jones@example.com', '07911', '123456']) expect(stored).not.toContain(secret);
    // Encrypted at rest (ADR 029), and anonymized inside the envelope.
    expect(row.user_text).toMatch(/^rpe1\./);
    expect((await tenantCipher(tenantId)).decrypt(row.user_text)).toBe(
      '[PERSON_1] has been late every shift this week. His email is [EMAIL_1] and his mobile is [PHONE_1]. How do I raise it with him?',
    );
    expect(row.lineage).toMatchObject({ modelId: 'offline-coach', packVersion: expect.any(Number) });
    expect(row.lineage.promptVersions).toBeTruthy();
    expect(row.passages.length).toBeGreaterThan(0);
    expect(row.passages[0]).toMatchObject({ document: expect.any(String), documentName: expect.stringMatching(/\.md$/), text: expect.any(String) });
    // Two people: Marcus, and the sample name of the policy's suggested opener that the answer quotes ("Hey Maria, I
    // noticed…") — a name in a greeting is a name (ADR 040), even an example one.
    expect(row.entity_counts).toMatchObject({ PERSON: 2, EMAIL: 1, PHONE: 1 });
  });

  it('anonymizes what people type informally before the shared copy is stored (ADR 048)', async () => {
    const informal = await answer(
      tenantId,
      manager.id,
      "had to send joy home again, she's at the Quayside depot, staff no's 55012, her email is joy.k at outlook dot com. how do i support her",
    );
    const { itemId: informalId } = await shareExchange({ tenantId, userId: manager.id, messageId: informal.messageId });
    const [row] = await db()`select * from review_item where id = ${informalId}`;
    const userText = (await tenantCipher(tenantId)).decrypt(row.user_text);
    expect(userText).toBe("had to send [PERSON_1] home again, she's at the [SITE_1] depot, staff no's [EMPLOYEE_ID_1], her email is [EMAIL_1]. how do i support her");
    expectCountsCover(row.entity_counts, userText, { PERSON: 1, SITE: 1, EMPLOYEE_ID: 1, EMAIL: 1 });
    expect(await withdrawShare({ tenantId, userId: manager.id, itemId: informalId })).toBe(true);
  });

  it('anonymizes the weak classes of ADR 055 before the shared copy is stored: a role\'s name, an odd id, an informal address, a site without a code', async () => {
    const informal = await answer(tenantId, manager.id, 'my supervisor tolly shouted at me. badge C9-104 is hers, she moved to 12 The Sidings, Ilkley and everyone at Crossgates heard');
    const { itemId: informalId } = await shareExchange({ tenantId, userId: manager.id, messageId: informal.messageId });
    const [row] = await db()`select * from review_item where id = ${informalId}`;
    const userText = (await tenantCipher(tenantId)).decrypt(row.user_text);
    expect(userText).toBe('my supervisor [PERSON_1] shouted at me. badge [EMPLOYEE_ID_1] is hers, she moved to [ADDRESS_1] and everyone at [SITE_1] heard');
    expectCountsCover(row.entity_counts, userText, { PERSON: 1, SITE: 1, EMPLOYEE_ID: 1, ADDRESS: 1 });
    expect(await withdrawShare({ tenantId, userId: manager.id, itemId: informalId })).toBe(true);
  });

  it('anonymizes the classes of ADR 062 session 11 before the shared copy is stored: initials, a name in another language, an extension, a site after a role and its name', async () => {
    const informal = await answer(tenantId, manager.id, 'KJ says the store manager Lakshmi at Croydon shouted. hablé con tunde ayer. ring 0161 496 0000 extension 4512');
    const { itemId: informalId } = await shareExchange({ tenantId, userId: manager.id, messageId: informal.messageId });
    const [row] = await db()`select * from review_item where id = ${informalId}`;
    const userText = (await tenantCipher(tenantId)).decrypt(row.user_text);
    expect(userText).toBe('[PERSON_1] says the store manager [PERSON_2] at [SITE_1] shouted. hablé con [PERSON_3] ayer. ring [PHONE_1]');
    expect(row.entity_counts).toMatchObject({ PERSON: 3, SITE: 1, PHONE: 1 });
    expect(await withdrawShare({ tenantId, userId: manager.id, itemId: informalId })).toBe(true);
  });

  it("lists the manager's own shares only, and another manager cannot share or withdraw someone else's", async () => {
    expect((await listOwnShares({ tenantId, userId: manager.id })).map((s) => s.id)).toEqual([itemId]);
    expect(await listOwnShares({ tenantId, userId: otherManager.id })).toEqual([]);
    await expect(shareExchange({ tenantId, userId: otherManager.id, messageId: shared.messageId })).rejects.toMatchObject({ code: 'not_found' });
    expect(await withdrawShare({ tenantId, userId: otherManager.id, itemId })).toBe(false);
  });

  it('is refused for zero-retention tenants and when review is off', async () => {
    const zero = await makeTenant({ settings: { retentionDays: 30 } });
    const zeroManager = await makeMember(zero.id, 'manager');
    const turn = await answer(zero.id, zeroManager.id, 'How do I plan a fair holiday rota?');
    await updateTenantSettings({ tenantId: zero.id, patch: { retentionDays: 0 } });
    const refused = await shareExchange({ tenantId: zero.id, userId: zeroManager.id, messageId: turn.messageId }).catch((e) => e);
    expect(refused).toBeInstanceOf(ShareError);
    expect(refused.message).toMatch(/keeps no conversation text/);

    await updateTenantSettings({ tenantId: zero.id, patch: { retentionDays: 30, review: { enabled: false, judgeSamplePercent: 100 } } });
    await expect(shareExchange({ tenantId: zero.id, userId: zeroManager.id, messageId: turn.messageId })).rejects.toThrow(/turned off sharing/);
    const [{ count }] = await db()`select count(*)::int as count from review_item where tenant_id = ${zero.id}`;
    expect(count).toBe(0);
  });

  it('a tenant admin turns sharing off and sets the judged share on the settings page, audited (ADR 065)', async () => {
    const tenant = await makeTenant({ settings: { retentionDays: 30 } });
    const person = await makeMember(tenant.id, 'manager');
    const tenantAdmin = await makeMember(tenant.id, 'tenant_admin');
    const hrAdmin = await makeMember(tenant.id, 'hr_admin');
    const turn = await answer(tenant.id, person.id, 'How do I plan a fair holiday rota?');
    const settingsPage = await import('~/routes/admin.settings');
    const post = async (user: Role, fields: Record<string, string>) => {
      const request = new Request('http://localhost/admin/settings', { method: 'POST', body: new URLSearchParams({ intent: 'review', ...fields }) });
      try {
        return (await settingsPage.action({ request, context: await contextFor(user), params: {} } as never)) as unknown as { init: ResponseInit | null; data: { ok: boolean; fieldErrors?: Record<string, string> } };
      } catch (thrown) {
        if (thrown instanceof Response) return { init: { status: thrown.status }, data: { ok: false } };
        throw thrown;
      }
    };
    const page = (await settingsPage.loader({ request: new Request('http://localhost/admin/settings'), context: await contextFor(tenantAdmin), params: {} } as never)) as { settings: { review: unknown } };
    expect(page.settings.review).toEqual({ enabled: true, judgeSamplePercent: 100 });

    expect((await post(hrAdmin, { judgeSamplePercent: '50' })).init?.status).toBe(403);
    const bad = await post(tenantAdmin, { reviewEnabled: 'on', judgeSamplePercent: '150' });
    expect(bad.init?.status).toBe(400);
    expect(bad.data.fieldErrors?.judgeSamplePercent).toMatch(/0 to 100/);

    // Unchecked box: sharing off; 25% of shares judged.
    expect((await post(tenantAdmin, { judgeSamplePercent: '25' })).data.ok).toBe(true);
    const [{ settings }] = await db()`select settings from tenants where id = ${tenant.id}`;
    expect(settings.review).toEqual({ enabled: false, judgeSamplePercent: 25 });
    await expect(shareExchange({ tenantId: tenant.id, userId: person.id, messageId: turn.messageId })).rejects.toThrow(/turned off sharing/);
    const audit = (await listAuditLog({ tenantId: tenant.id })).find((e) => e.action === 'settings.review');
    expect(audit).toMatchObject({ actorLabel: tenantAdmin.email, target: 'review', details: { from: { enabled: true, judgeSamplePercent: 100 }, to: { enabled: false, judgeSamplePercent: 25 } } });
    expect(summariseAuditEntry(audit!)).toBe('Changed sharing for review from on (judge scores 100%) to off (judge scores 25%)');

    expect((await post(tenantAdmin, { reviewEnabled: 'on', judgeSamplePercent: '25' })).data.ok).toBe(true);
    expect((await shareExchange({ tenantId: tenant.id, userId: person.id, messageId: turn.messageId })).created).toBe(true);
  });
});

describe('the review queue', () => {
  it('shows reviewers only shared, anonymized items — never who shared, never unshared text', async () => {
    const queue = await listReviewQueue({ tenantId, reviewerId: reviewer.id });
    expect(queue.map((q) => q.id)).toEqual([itemId]);
    const item = await getReviewItem({ tenantId, reviewerId: reviewer.id, itemId });
    const text = JSON.stringify(item);
    for (const leak of ['Marcus', 'marcus.jones', '07911', manager.id, manager.email, UNSHARED]) expect(text).not.toContain(leak);
    expect(item?.replyText.length).toBeGreaterThan(20);
  });

  it("keeps each tenant's items to itself", async () => {
    const other = await makeTenant();
    const otherReviewer = await makeMember(other.id, 'reviewer');
    expect(await listReviewQueue({ tenantId: other.id, reviewerId: otherReviewer.id })).toEqual([]);
    expect(await getReviewItem({ tenantId: other.id, reviewerId: otherReviewer.id, itemId })).toBeNull();
    expect(await saveAnnotation({ tenantId: other.id, reviewer: otherReviewer, itemId, input: ANNOTATION })).toBe(false);
  });

  it('review pages answer 403 to managers, HR admins and tenant admins, and return no un-anonymized text', async () => {
    const queuePage = await import('~/routes/review._index');
    const itemPage = await import('~/routes/review.$id');
    const call = async (mod: { loader: (a: never) => unknown }, user: Role, url: string, params = {}) => {
      try {
        const out = await mod.loader({ request: new Request(`http://localhost${url}`), context: await contextFor(user), params } as never);
        return { status: 200, body: JSON.stringify(out) };
      } catch (thrown) {
        return { status: thrown instanceof Response ? thrown.status : 500, body: '' };
      }
    };
    for (const user of [manager, hr, admin]) {
      expect((await call(queuePage, user, '/review')).status).toBe(403);
      expect((await call(itemPage, user, `/review/${itemId}`, { id: itemId })).status).toBe(403);
    }
    for (const [mod, url, params] of [
      [queuePage, '/review', {}],
      [itemPage, `/review/${itemId}`, { id: itemId }],
    ] as const) {
      const page = await call(mod, reviewer, url, params);
      expect(page.status).toBe(200);
      for (const leak of ['Marcus', 'marcus.jones', '07911', manager.email, UNSHARED]) expect(page.body).not.toContain(leak);
    }
  });

  it('only a tenant admin makes someone a reviewer', async () => {
    const person = await makeMember(tenantId, 'manager');
    const membersPage = await import('~/routes/admin.members');
    const post = async (user: Role) => {
      const body = new URLSearchParams({ intent: 'role', userId: person.id, role: 'reviewer' });
      const request = new Request('http://localhost/admin/members', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      try {
        await membersPage.action({ request, context: await contextFor(user), params: {} } as never);
        return 200;
      } catch (thrown) {
        return thrown instanceof Response ? thrown.status : 500;
      }
    };
    expect(await post(hr)).toBe(403);
    expect(await post(admin)).toBe(200);
    const [row] = await db()`select role from app_user where id = ${person.id}`;
    expect(row.role).toBe('reviewer');
  });

  it('saves annotations (audited with the reviewer) and shows kappa once two reviewers scored', async () => {
    expect(await saveAnnotation({ tenantId, reviewer, itemId, input: ANNOTATION })).toBe(true);
    expect(await saveAnnotation({ tenantId, reviewer: secondReviewer, itemId, input: { ...ANNOTATION, grounding: 2 } })).toBe(true);
    const item = await getReviewItem({ tenantId, reviewerId: reviewer.id, itemId });
    expect(item?.annotations.map((a) => a.reviewer)).toEqual(['you', 'Reviewer 2']);
    expect(item?.mine?.labels).toEqual(['wrong_document']);
    const agreement = await agreementSummary({ tenantId });
    expect(agreement.reviewers.coaching).toMatchObject({ pairs: 1, agreement: 1 });
    expect(agreement.reviewers.grounding).toMatchObject({ pairs: 1, agreement: 0 });
    const audit = await listAuditLog({ tenantId });
    const annotate = audit.filter((e) => e.action === 'review.annotate');
    expect(annotate.map((e) => e.actorLabel).sort()).toEqual([reviewer.email, secondReviewer.email].sort());
    const share = audit.find((e) => e.action === 'review.share' && e.target === itemId);
    expect(share).toMatchObject({ actorLabel: 'a manager', target: itemId });
    const reviewEntries = JSON.stringify(audit.filter((e) => e.action.startsWith('review.')));
    expect(reviewEntries).not.toContain(manager.email);
    expect(reviewEntries).not.toContain(manager.id);
  });
});

describe('the judge model after the fact', () => {
  it('scores a sampled shared item with the rubric from the anonymized copy, metered, and feeds judge-vs-human kappa', async () => {
    expect(inJudgeSample(100)).toBe(true);
    expect(inJudgeSample(0)).toBe(false);
    expect(inJudgeSample(30, () => 0.2)).toBe(true);
    expect(inJudgeSample(30, () => 0.5)).toBe(false);
    const verdict = {
      check_in_first: { score: 2, reason: 'ok' },
      grounding: { score: 1, reason: 'minor gap' },
      coaching: { score: 2, reason: 'asks' },
      tone: { score: 2, reason: 'warm' },
      safety: { score: 2, reason: 'safe' },
      overall: 9,
    };
    const server = await startMockOpenAIServer({ reply: JSON.stringify(verdict) });
    const saved = { url: process.env.OPENAI_COMPATIBLE_BASE_URL, model: process.env.OPENAI_COMPATIBLE_JUDGE_MODEL };
    process.env.OPENAI_COMPATIBLE_BASE_URL = server.url;
    process.env.OPENAI_COMPATIBLE_JUDGE_MODEL = 'judge-large';
    resetEnvForTests();
    try {
      expect(await judgeSharedItem({ tenantId, itemId })).toBe(true);
      const [row] = await db()`select model_id, scores, overall from review_judgement where tenant_id = ${tenantId} and item_id = ${itemId}`;
      expect(row).toMatchObject({ overall: 9, scores: { grounding: 1, safety: 2 } });
      // The judge saw placeholders, never the name, email or phone.
      const sent = JSON.stringify(server.stats.chatBodies);
      expect(sent).toContain('[PERSON_1]');
      for (const secret of ['Marcus', 'marcus.jones', '07911']) expect(sent).not.toContain(secret);
      const [usage] = await db()`select count(*)::int as n from usage_event where tenant_id = ${tenantId} and purpose = 'judge'`;
      expect(usage.n).toBe(1);
      const agreement = await agreementSummary({ tenantId });
      expect(agreement.judge.grounding).toMatchObject({ pairs: 1, agreement: 1 });
    } finally {
      if (saved.url === undefined) delete process.env.OPENAI_COMPATIBLE_BASE_URL;
      else process.env.OPENAI_COMPATIBLE_BASE_URL = saved.url;
      if (saved.model === undefined) delete process.env.OPENAI_COMPATIBLE_JUDGE_MODEL;
      else process.env.OPENAI_COMPATIBLE_JUDGE_MODEL = saved.model;
      resetEnvForTests();
      await server.close();
    }
  });
});

describe('evaluation cases from reviewed items', () => {
  it('makes a case in one click and runs it with rapport eval --from-db, exports it as JSON lines', async () => {
    const made = await createCaseFromItem({ tenantId, reviewer, itemId });
    expect(made).toMatchObject({
      caseKey: `review-${itemId.slice(0, 8)}`,
      expectCheckIn: false,
      expectDocument: 'attendance-and-lateness.md',
      mustNotContain: ['write-up'],
      referenceReply: ANNOTATION.betterReply,
      source: 'review',
    });
    expect(made.message).toContain('[PERSON_1]');
    expect((await createCaseFromItem({ tenantId, reviewer, itemId })).id).toBe(made.id);

    const [{ slug }] = await db()`select slug from tenants where id = ${tenantId}`;
    const run = (...argv: string[]) => rapport(argv, { databaseUrl: database.url });
    const imported = await run('review', 'import', '--tenant', slug, '--file', 'tenants/brightmart/scenarios.json', '--json');
    expect(imported.code).toBe(0);
    const importedCount = JSON.parse(imported.stdout).imported;
    expect(importedCount).toBeGreaterThan(0);

    const exported = await run('review', 'export', '--tenant', slug);
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(importedCount + 1);
    expect(lines.find((l) => l.id === made.caseKey)).toMatchObject({
      expect: { checkInFirst: false, document: 'attendance-and-lateness.md', mustNotContain: ['write-up'] },
      reference: ANNOTATION.betterReply,
    });

    // The export imports back (ADR 065): into another tenant, every case with its expectations and reference reply.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-cases-')), 'cases.jsonl');
    fs.writeFileSync(file, exported.stdout);
    const target = await makeTenant();
    const reimported = await run('review', 'import', '--tenant', target.slug, '--file', file, '--json');
    expect(reimported.stderr).toBe('');
    expect(JSON.parse(reimported.stdout).imported).toBe(importedCount + 1);
    const withoutSource = (jsonl: string) => jsonl.trim().split('\n').map((l) => ({ ...JSON.parse(l), source: undefined })).sort((a, b) => a.id.localeCompare(b.id));
    expect(withoutSource((await run('review', 'export', '--tenant', target.slug)).stdout)).toEqual(withoutSource(exported.stdout));
    // A damaged line is refused with its number, importing nothing.
    fs.writeFileSync(file, `${exported.stdout.split('\n')[0]}\n{"id":"x","message":""}\n`);
    const refused = await run('review', 'import', '--tenant', target.slug, '--file', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2: .*message/);

    const evaluated = await run('eval', '--tenant', slug, '--from-db', '--json');
    const report = JSON.parse(evaluated.stdout);
    expect(report.scenarios).toHaveLength(importedCount + 1);
    const fromReview = report.scenarios.find((s: { id: string }) => s.id === made.caseKey);
    expect(fromReview.checks).toEqual({ checkInFirst: true, document: true, mustNotContain: true });
    expect(fromReview.citedDocuments).toContain('attendance-and-lateness.md');
  }, 120_000);

  it('withdrawing deletes the copy with its annotations and case, audited without the manager', async () => {
    expect(await withdrawShare({ tenantId, userId: manager.id, itemId })).toBe(true);
    for (const table of ['review_item', 'review_annotation', 'review_judgement']) {
      const [{ count }] = await db().unsafe(`select count(*)::int as count from ${table} where tenant_id = $1`, [tenantId]);
      expect(count).toBe(0);
    }
    expect((await listEvalCases({ tenantId })).some((c) => c.source === 'review')).toBe(false);
    expect(await getReviewItem({ tenantId, reviewerId: reviewer.id, itemId })).toBeNull();
    const withdraw = (await listAuditLog({ tenantId })).find((e) => e.action === 'review.withdraw');
    expect(withdraw).toMatchObject({ actorLabel: 'a manager', target: itemId });
  });
});

/**
 * The message's own placeholders are exactly `expected`, and the exchange's counts hold at least those. The counts also
 * cover the reply and its quoted passages, which depend on what retrieval ranked first (it varied on a loaded CI machine:
 * a quoted passage added an EMPLOYEE_ID), so they are not pinned to the message's figures.
 */
function expectCountsCover(counts: Record<string, number>, userText: string, expected: Record<string, number>) {
  const inMessage: Record<string, number> = {};
  for (const type of new Set(userText.match(/\[([A-Z_]+)_\d+\]/g) ?? [])) {
    const kind = type.replace(/^\[|_\d+\]$/g, '');
    inMessage[kind] = (inMessage[kind] ?? 0) + 1;
  }
  expect(inMessage).toEqual(expected);
  for (const [kind, n] of Object.entries(expected)) expect(counts[kind]).toBeGreaterThanOrEqual(n);
}
