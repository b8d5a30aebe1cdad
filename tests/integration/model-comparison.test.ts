// The model comparison on a real database, over the real provider code and the local mock OpenAI server:
// two configured models (a careful and a terse one) and the offline coach run the tenant's evaluation set;
// every case is judged (the judge is the mock too) and metered; runs are stored for the trend; evaluation
// conversations do not stay in the manager's history; `rapport eval --models … --json` prints one result
// object per model; the Compare models page is for tenant admins only; and no review or comparison loader
// returns un-anonymized text.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '~/.server/coach/run-turn';
import { listConversations } from '~/.server/coach/conversations';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import { db } from '~/.server/db/client';
import { resetEnvForTests } from '~/.server/env';
import { listEvalRuns, runComparison, type ModelRunResult } from '~/.server/evaluation/comparison';
import { listAuditLog } from '~/.server/governance/audit';
import { createCaseFromItem, importScenarios } from '~/.server/review/cases';
import { saveAnnotation } from '~/.server/review/queue';
import { shareExchange } from '~/.server/review/sharing';
import { mockCoachReply } from '../fixtures/mock-coach-replies';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { rapport } from '../helpers/cli';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

const database = useTestDatabase();
const CONTRACT = ['model', 'cases', 'passed', 'passRate', 'judgeMean', 'costPer1000TurnsUsd', 'ttftP50Ms', 'ttftP95Ms'];
const MODELS = ['openai:gpt-4o', 'openai:gpt-4o-mini', 'offline-coach'];
const PERSONAL = 'Marcus Okafor keeps turning up late to his shifts and Priya covers for him. His mobile is 07911 123456. How do I raise it with him?';
const SECRETS = ['Marcus', 'Okafor', 'Priya', '07911', '123456'];

type Member = Awaited<ReturnType<typeof makeMember>>;
let mock: MockOpenAIServer;
let tenantId: string;
let slug: string;
let manager: Member;
let admin: Member;
let reviewer: Member;
let hr: Member;
let results: ModelRunResult[];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  mock = await startMockOpenAIServer({ models: { 'gpt-4o': { reply: mockCoachReply('careful') }, 'gpt-4o-mini': { reply: mockCoachReply('terse') } } });
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL']) saved[key] = process.env[key];
  process.env.OPENAI_API_KEY = 'sk-mock';
  process.env.OPENAI_BASE_URL = mock.url;
  resetEnvForTests();
  const tenant = await makeTenant({ settings: { retentionDays: 30, monthlyBudgetUsd: 100_000, dailyMessageQuota: 10_000 } });
  tenantId = tenant.id;
  slug = tenant.slug;
  manager = await makeMember(tenantId, 'manager');
  admin = await makeMember(tenantId, 'tenant_admin');
  reviewer = await makeMember(tenantId, 'reviewer');
  hr = await makeMember(tenantId, 'hr_admin');
  const files = ['attendance-and-lateness.md', 'breaks-and-wellbeing.txt'].map((name) => {
    const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
    return { fileName: name, bytes, sizeBytes: bytes.length };
  });
  await ingestFilesNow({ tenantId, userId: null, files });
  await publishDraft({ tenantId, actor: { userId: null, label: 'test' } });
  await importScenarios({
    tenantId,
    actorLabel: 'test',
    scenarios: [
      { id: 'late', message: 'One of my team keeps turning up late for shifts. How do I raise it?', expect: { checkInFirst: false, document: 'attendance-and-lateness.md', mustNotContain: ['lazy'] } },
      { id: 'burnt-out', message: "I'm so burnt out I snapped at a cashier today and I feel terrible.", expect: { checkInFirst: true, document: null, mustNotContain: [] } },
    ],
  });
  // A case made from a shared, reviewed exchange that had personal details in it.
  const handle = await runTurn({ tenantId, userId: manager.id, text: PERSONAL }, { env: {} });
  await handle.result;
  const { itemId } = await shareExchange({ tenantId, userId: manager.id, messageId: handle.assistantMessageId });
  await saveAnnotation({
    tenantId,
    reviewer,
    itemId,
    input: { check_in_first: 2, grounding: 2, coaching: 2, tone: 2, safety: 2, labels: [], betterReply: 'Ask [PERSON_1] how things are going.', note: '', expectCheckIn: false, expectDocument: '', mustNotContain: [] },
  });
  await createCaseFromItem({ tenantId, reviewer, itemId });
}, 120_000);

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvForTests();
  await mock?.close();
});

describe('comparing models over the mock provider', () => {
  it('runs every model on the evaluation set, judged and metered, and stores the runs', async () => {
    const conversationsBefore = (await listConversations({ tenantId, userId: manager.id })).length;
    const judgeCallsBefore = Number((await db()`select count(*)::int as n from usage_event where tenant_id = ${tenantId} and purpose = 'judge'`)[0].n);
    ({ results } = await runComparison({ tenantId, models: MODELS, source: 'cli', actor: { userId: null, label: 'test' } }));
    expect(results.map((r) => r.model)).toEqual(MODELS);
    const [careful, terse, offline] = results;
    for (const r of results) {
      expect(r.cases).toBe(3);
      expect(r.passRate).toBeCloseTo(r.passed / 3, 3);
      // The judge (openai:gpt-4o on the mock) scored every case.
      expect(r.judgeModel).toBe('openai:gpt-4o');
      expect(r.scenarios.every((s) => s.judge !== null)).toBe(true);
      expect(r.judgeMean).toBeGreaterThan(0);
      expect(r.scenarios.every((s) => s.model === r.model || s.safetyLevel === 'crisis')).toBe(true);
    }
    // The careful model checks in and cites; the terse one does neither.
    expect(careful.scenarios.find((s) => s.id === 'burnt-out')?.pass).toBe(true);
    expect(terse.scenarios.find((s) => s.id === 'burnt-out')?.pass).toBe(false);
    expect(careful.passed).toBeGreaterThan(terse.passed);
    expect(careful.judgeMean!).toBeGreaterThan(terse.judgeMean!);
    // Cost from the metered calls: GPT-4o costs more than GPT-4o mini; the offline coach costs nothing.
    expect(careful.costPer1000TurnsUsd).toBeGreaterThan(terse.costPer1000TurnsUsd);
    expect(terse.costPer1000TurnsUsd).toBeGreaterThan(0);
    expect(offline.costPer1000TurnsUsd).toBe(0);
    for (const r of results) {
      expect(r.ttftP50Ms).not.toBeNull();
      expect(r.ttftP95Ms!).toBeGreaterThanOrEqual(r.ttftP50Ms!);
    }
    const judgeCalls = Number((await db()`select count(*)::int as n from usage_event where tenant_id = ${tenantId} and purpose = 'judge'`)[0].n);
    expect(judgeCalls - judgeCallsBefore).toBe(9);
    // Stored for the trend, with the versions they ran on.
    const runs = await listEvalRuns({ tenantId });
    expect(runs.filter((r) => r.status === 'done').map((r) => r.model).sort()).toEqual([...MODELS].sort());
    expect(runs[0].packVersion).toBe(1);
    expect(runs[0].promptVersions.persona).toMatch(/^v\d+ [0-9a-f]{12}$/);
    const [{ n }] = await db()`select count(*)::int as n from eval_run_case where tenant_id = ${tenantId}`;
    expect(n).toBe(9);
    // Evaluation turns leave no conversation in the manager's history.
    expect((await listConversations({ tenantId, userId: manager.id })).length).toBe(conversationsBefore);
    expect((await listAuditLog({ tenantId })).some((e) => e.action === 'eval.compare_models')).toBe(true);
  }, 120_000);

  it('rapport eval --models … --json prints one result object per model (JSON lines)', async () => {
    const r = await rapport(['eval', '--tenant', slug, '--models', MODELS.join(','), '--json'], { databaseUrl: database.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(Object.keys(line).slice(0, CONTRACT.length)).toEqual(CONTRACT);
      expect(line.cases).toBe(3);
      expect(line.scenarios).toHaveLength(3);
      expect(Object.keys(line.scenarios[0])).toEqual(expect.arrayContaining(['id', 'pass', 'checks', 'failures', 'judge', 'ttftMs']));
    }
    // Ranked: the offline coach is not good enough here, so it is not first.
    expect(lines.map((l) => l.rank)).toEqual([1, 2, 3]);
    expect(lines.filter((l) => l.recommended)).toHaveLength(1);
    const bad = await rapport(['eval', '--tenant', slug, '--models', 'openai:gpt-4o,nope:model', '--json'], { databaseUrl: database.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nope:model/);
  }, 120_000);

  it('the Compare models page is for tenant admins, shows the table and the trend, and no text', async () => {
    const page = await import('~/routes/admin.compare');
    const call = async (user: Member) => {
      try {
        const out = await page.loader({ request: new Request('http://localhost/admin/compare'), context: await contextFor(user), params: {} } as never);
        return { status: 200, body: JSON.stringify(out), data: out as Awaited<ReturnType<typeof page.loader>> };
      } catch (thrown) {
        return { status: thrown instanceof Response ? thrown.status : 500, body: '', data: null };
      }
    };
    for (const user of [manager, hr, reviewer]) expect((await call(user)).status).toBe(403);
    const seen = await call(admin);
    expect(seen.status).toBe(200);
    const data = seen.data!;
    expect(data.models.map((m) => m.id)).toEqual(expect.arrayContaining(MODELS));
    expect(data.latest?.rows).toHaveLength(3);
    expect(data.latest?.rows.filter((r) => r.recommended)).toHaveLength(1);
    expect(data.latest?.cases.map((c) => c.caseKey)).toEqual(expect.arrayContaining(['late', 'burnt-out']));
    expect(data.trend.points).toHaveLength(2); // two comparisons so far
    expect(data.trend.series.sort()).toEqual([...MODELS].sort());
    for (const leak of [...SECRETS, manager.email, 'turning up late', 'burnt out', 'Ask [PERSON_1]']) expect(seen.body).not.toContain(leak);
  });

  it('every review and comparison loader, found in app/routes, returns no un-anonymized text (ADR 062)', async () => {
    // Found by file name, so a review or comparison page added later is checked without editing this test.
    const files = fs.readdirSync('app/routes').filter((f) => /^(?:review(?:[.[]|\.tsx$)|admin\.compare|chat\.shared)/.test(f)).sort();
    expect(files).toEqual(expect.arrayContaining(['admin.compare.tsx', 'chat.shared.tsx', 'review.$id.tsx', 'review._index.tsx', 'review.cases.tsx', 'review.cases[.]jsonl.tsx', 'review.tsx']));
    const [{ id: itemId }] = await db()`select id from review_item where tenant_id = ${tenantId}`;
    const [{ id: answerId }] = await db()`select id from message where tenant_id = ${tenantId} and role = 'assistant' order by created_at limit 1`;
    const params: Record<string, string> = { id: itemId };
    let checked = 0;
    for (const file of files) {
      const mod = (await import(/* @vite-ignore */ `~/routes/${file.replace(/\.tsx$/, '')}`)) as { loader?: (a: never) => unknown };
      if (!mod.loader) continue;
      const audience = file.startsWith('review') ? reviewer : file.startsWith('admin.') ? admin : manager;
      const segments = file.replace(/\.tsx$/, '').split('.').filter((s) => s.startsWith('$')).map((s) => s.slice(1));
      for (const name of segments) expect(params[name], `${file}: no test value for $${name}`).toBeDefined();
      const path = `/${file.replace(/\.tsx$/, '').replace(/\[\.\]/g, '.').split('.').filter((s) => !s.startsWith('_')).map((s) => (s.startsWith('$') ? params[s.slice(1)] : s)).join('/')}`;
      // The manager's own shares page, and its consent dialog's preview of what would be shared.
      const urls = file === 'chat.shared.tsx' ? [path, `${path}?preview=${answerId}`] : [path];
      for (const url of urls) {
        const out = await mod.loader({ request: new Request(`http://localhost${url}`), context: await contextFor(audience), params: Object.fromEntries(segments.map((n) => [n, params[n]])) } as never);
        const body = out instanceof Response ? await out.text() : JSON.stringify(out);
        for (const leak of SECRETS) expect(body, `${url}: ${leak}`).not.toContain(leak);
        if (audience !== manager) expect(body, url).not.toContain(manager.email);
        if (url.includes('preview') || file === 'review.$id.tsx') expect(body, url).toContain('[PERSON_');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
