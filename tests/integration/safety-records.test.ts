// Safety records: events hold no text and are append-only; hand-off cases are tenant-isolated;
// the HR safety page returns counts and consented cases, never conversation text.
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '~/.server/db/tenant';
import { listAuditLog } from '~/.server/governance/audit';
import { classifyMessage } from '~/.server/safety/classifier';
import {
  createHandoffCase,
  handoffRequestedIn,
  listHandoffCases,
  recordSafetyEvent,
  safetyCountsByWeek,
  safetyTotalsByWeek,
  setHandoffStatus,
} from '~/.server/safety/events';
import * as hrSafety from '~/routes/hr.safety';
import { db, useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

const SECRET = 'QUOKKA-SAFFRON-4412 nobody can know about the stockroom';
const CRISIS_MESSAGE = 'I have saved up my tablets and I plan to swallow them all tonight after closing';

type Member = Awaited<ReturnType<typeof makeMember>>;
type LoaderData = Awaited<ReturnType<typeof hrSafety.loader>>;

async function callLoader(user: Member): Promise<LoaderData> {
  return hrSafety.loader({ request: new Request('http://localhost/hr/safety'), context: await contextFor(user), params: {} } as never);
}

async function callAction(user: Member, form: Record<string, string>) {
  const request = new Request('http://localhost/hr/safety', { method: 'POST', body: new URLSearchParams(form) });
  try {
    return await hrSafety.action({ request, context: await contextFor(user), params: {} } as never);
  } catch (thrown) {
    return thrown;
  }
}

/** Status and body of whatever an action returned: plain data, data(), or a thrown Response. */
async function outcome(value: unknown): Promise<{ status: number; body: unknown }> {
  if (value instanceof Response) return { status: value.status, body: await value.text() };
  const v = value as { type?: string; data?: unknown; init?: ResponseInit };
  if (v?.type === 'DataWithResponseInit') return { status: v.init?.status ?? 200, body: v.data };
  return { status: 200, body: value };
}

async function insertEvent(tenantId: string, e: { daysAgo: number; stage?: string; level: string; categories: string[]; action?: string }) {
  await withTenant(tenantId, (tx) =>
    tx`insert into safety_event (tenant_id, at, stage, level, categories, rule_ids, action)
       values (${tenantId}, now() - make_interval(days => ${e.daysAgo}), ${e.stage ?? 'input'}, ${e.level}, ${e.categories}, ${['test.rule']}, ${e.action ?? 'escalated'})`,
  );
}

describe('safety events', () => {
  it('have no column that could hold message text', async () => {
    const columns = await db()<{ column_name: string; data_type: string }[]>`
      select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = 'safety_event' order by ordinal_position`;
    expect(Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]))).toEqual({
      tenant_id: 'uuid',
      id: 'bigint',
      at: 'timestamp with time zone',
      conversation_id: 'uuid',
      message_id: 'uuid',
      stage: 'text',
      level: 'text',
      categories: 'ARRAY',
      rule_ids: 'ARRAY',
      action: 'text',
      // A language code (checked below), never text.
      language: 'text',
    });
    // The three free-text columns are constrained to vocabularies, not prose.
    const checks = await db()<{ def: string }[]>`
      select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'safety_event'::regclass and contype = 'c'`;
    const defs = checks.map((c) => c.def).join('\n');
    expect(defs).toMatch(/stage/);
    expect(defs).toMatch(/level/);
    expect(defs).toMatch(/language ~ '\^\[a-z\]\{2,3\}\$'/);
    const tenant = await makeTenant();
    await expect(
      recordSafetyEvent({ tenantId: tenant.id, stage: 'input', level: 'crisis', categories: [], ruleIds: [], action: 'escalated', language: 'I want to die' }),
    ).rejects.toThrow();
  });

  it('recorded for a crisis message contains none of its words', async () => {
    const tenant = await makeTenant();
    const verdict = classifyMessage(CRISIS_MESSAGE);
    expect(verdict.level).toBe('crisis');
    await recordSafetyEvent({ tenantId: tenant.id, stage: 'input', level: verdict.level, categories: verdict.categories, ruleIds: verdict.ruleIds, action: 'escalated' });
    const rows = await withTenant(tenant.id, (tx) => tx<{ row: string }[]>`select safety_event::text as row from safety_event`);
    expect(rows).toHaveLength(1);
    const stored = rows[0].row.toLowerCase();
    expect(stored).toContain('crisis');
    expect(stored).toContain('self_harm');
    const words = CRISIS_MESSAGE.toLowerCase().split(/\W+/).filter((w) => w.length >= 4);
    expect(words.length).toBeGreaterThan(8);
    for (const word of words) expect({ word, stored: stored.includes(word) }).toEqual({ word, stored: false });
  });

  it('are append-only for the application role', async () => {
    const tenant = await makeTenant();
    await recordSafetyEvent({ tenantId: tenant.id, stage: 'input', level: 'concern', categories: [], ruleIds: ['distress.exhaustion'], action: 'checked_in' });
    await expect(withTenant(tenant.id, (tx) => tx`update safety_event set level = 'none'`)).rejects.toThrow(/permission denied/);
    await expect(withTenant(tenant.id, (tx) => tx`delete from safety_event`)).rejects.toThrow(/permission denied/);
    const [row] = await withTenant(tenant.id, (tx) => tx<{ level: string }[]>`select level from safety_event`);
    expect(row.level).toBe('concern');
  });

  it('are counted by week, level and category (input stage, concern and crisis only)', async () => {
    const tenant = await makeTenant();
    const other = await makeTenant();
    await insertEvent(tenant.id, { daysAgo: 0, level: 'crisis', categories: ['self_harm'] });
    await insertEvent(tenant.id, { daysAgo: 0, level: 'crisis', categories: ['self_harm'] });
    await insertEvent(tenant.id, { daysAgo: 0, level: 'concern', categories: [], action: 'checked_in' });
    await insertEvent(tenant.id, { daysAgo: 0, level: 'concern', categories: ['abuse_or_harassment', 'self_harm'], action: 'checked_in' });
    await insertEvent(tenant.id, { daysAgo: 0, level: 'none', categories: ['prompt_injection'], action: 'refused' });
    await insertEvent(tenant.id, { daysAgo: 0, stage: 'output', level: 'concern', categories: ['toxicity'], action: 'replaced' });
    await insertEvent(tenant.id, { daysAgo: 7, level: 'crisis', categories: ['medical_emergency'] });
    await insertEvent(tenant.id, { daysAgo: 7 * 20, level: 'crisis', categories: ['harm_to_others'] });
    await insertEvent(other.id, { daysAgo: 0, level: 'crisis', categories: ['self_harm'] });

    const [{ thisWeek, lastWeek }] = await db()<{ thisWeek: string; lastWeek: string }[]>`
      select to_char(date_trunc('week', now()), 'YYYY-MM-DD') as "thisWeek", to_char(date_trunc('week', now() - interval '7 days'), 'YYYY-MM-DD') as "lastWeek"`;

    const byCategory = await safetyCountsByWeek({ tenantId: tenant.id, weeks: 12 });
    expect(byCategory).toEqual([
      { week: thisWeek, level: 'concern', category: 'abuse_or_harassment', count: 1 },
      { week: thisWeek, level: 'concern', category: 'none', count: 1 },
      { week: thisWeek, level: 'concern', category: 'self_harm', count: 1 },
      { week: thisWeek, level: 'crisis', category: 'self_harm', count: 2 },
      { week: lastWeek, level: 'crisis', category: 'medical_emergency', count: 1 },
    ]);
    const totals = await safetyTotalsByWeek({ tenantId: tenant.id, weeks: 12 });
    expect(totals).toEqual([
      { week: thisWeek, level: 'concern', count: 2 },
      { week: thisWeek, level: 'crisis', count: 2 },
      { week: lastWeek, level: 'crisis', count: 1 },
    ]);
  });
});

describe('hand-off cases', () => {
  it('are visible only inside their own tenant', async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const managerA = await makeMember(a.id, 'manager');
    const hrB = await makeMember(b.id, 'hr_admin');
    const { id } = await createHandoffCase({ tenantId: a.id, userId: managerA.id, sharedText: 'Please call me about the night shifts', contactPreference: 'Phone after 6pm' });

    expect((await listHandoffCases({ tenantId: a.id })).map((c) => c.id)).toEqual([id]);
    expect(await listHandoffCases({ tenantId: b.id })).toEqual([]);
    expect(await withTenant(b.id, (tx) => tx`select * from handoff_case`)).toHaveLength(0);

    const seenByHrB = await callLoader(hrB);
    expect(seenByHrB.cases).toEqual([]);
    expect(JSON.stringify(seenByHrB)).not.toContain('night shifts');

    // Tenant B cannot change tenant A's case, even knowing its id.
    expect(await setHandoffStatus({ tenantId: b.id, caseId: id, status: 'closed' })).toBe(false);
    const { status, body } = await outcome(await callAction(hrB, { intent: 'status', caseId: id, status: 'closed' }));
    expect(status).toBe(404);
    expect(JSON.stringify(body)).not.toContain('night shifts');
    expect((await listHandoffCases({ tenantId: a.id }))[0].status).toBe('open');
  });

  it('tell the conversation page that this conversation already asked for one, and no other (ADR 083)', async () => {
    const tenant = await makeTenant();
    const other = await makeTenant();
    const manager = await makeMember(tenant.id, 'manager');
    const conversation = async (tenantId: string, userId: string) =>
      (await withTenant(tenantId, (tx) => tx<{ id: string }[]>`insert into conversation (tenant_id, user_id, safety_level) values (${tenantId}, ${userId}, 'crisis') returning id`))[0].id;
    const asked = await conversation(tenant.id, manager.id);
    const notAsked = await conversation(tenant.id, manager.id);
    expect(await handoffRequestedIn({ tenantId: tenant.id, conversationId: asked })).toBe(false);
    await createHandoffCase({ tenantId: tenant.id, userId: manager.id, conversationId: asked, sharedText: 'Please call me' });
    expect(await handoffRequestedIn({ tenantId: tenant.id, conversationId: asked })).toBe(true);
    expect(await handoffRequestedIn({ tenantId: tenant.id, conversationId: notAsked })).toBe(false);
    // Another tenant asking about the same id learns nothing.
    expect(await handoffRequestedIn({ tenantId: other.id, conversationId: asked })).toBe(false);
  });

  it('records a handoff_requested event without the shared text', async () => {
    const tenant = await makeTenant();
    const manager = await makeMember(tenant.id, 'manager');
    await createHandoffCase({ tenantId: tenant.id, userId: manager.id, sharedText: 'WALRUS-TEAPOT is what I want to talk about' });
    const rows = await withTenant(tenant.id, (tx) => tx<{ row: string; action: string }[]>`select safety_event::text as row, action from safety_event`);
    expect(rows.map((r) => r.action)).toEqual(['handoff_requested']);
    expect(rows[0].row).not.toContain('WALRUS');
  });
});

describe('the HR safety page', () => {
  let tenantId: string;
  let manager: Member;
  let hr: Member;
  let caseId: string;

  beforeAll(async () => {
    const tenant = await makeTenant();
    tenantId = tenant.id;
    manager = await makeMember(tenantId, 'manager');
    hr = await makeMember(tenantId, 'hr_admin');
    // A private conversation holding the secret in every text field it has.
    await withTenant(tenantId, async (tx) => {
      const [conversation] = await tx<{ id: string }[]>`
        insert into conversation (tenant_id, user_id, title, safety_level) values (${tenantId}, ${manager.id}, ${`${SECRET} title`}, 'crisis') returning id`;
      for (const role of ['user', 'assistant'] as const) {
        const [message] = await tx<{ id: string }[]>`
          insert into message (tenant_id, conversation_id, user_id, role, content, status, model_id)
          values (${tenantId}, ${conversation.id}, ${manager.id}, ${role}, ${`${SECRET} (${role})`}, ${role === 'user' ? 'complete' : 'escalated'}, 'offline-coach') returning id`;
        if (role === 'user') {
          const verdict = classifyMessage(CRISIS_MESSAGE);
          await tx`insert into safety_event (tenant_id, conversation_id, message_id, stage, level, categories, rule_ids, action)
            values (${tenantId}, ${conversation.id}, ${message.id}, 'input', ${verdict.level}, ${verdict.categories}, ${verdict.ruleIds}, 'escalated')`;
        }
      }
    });
    await recordSafetyEvent({ tenantId, stage: 'input', level: 'concern', categories: ['abuse_or_harassment'], ruleIds: ['harassment.bullied'], action: 'checked_in' });
    ({ id: caseId } = await createHandoffCase({
      tenantId,
      userId: manager.id,
      sharedText: 'I had a really hard week and would like to talk to someone.',
      contactPreference: 'Teams message, mornings',
    }));
  });

  it('returns counts and the consented case, and no conversation text', async () => {
    const result = await callLoader(hr);
    // One crisis and one concern: counts under 5 are "fewer than 5" (null), never the number.
    expect(result.weekly.totals).toEqual({ crisis: null, concern: null, thisWeek: null });
    expect(result.weekly.categories.map((c) => c.key)).toEqual(['self_harm', 'abuse_or_harassment']);
    const current = result.weekly.weeks.find((w) => w.active)!;
    expect(current).toMatchObject({ crisis: null, concern: null });
    expect(current.byCategory).toEqual({ self_harm: null, abuse_or_harassment: null });
    expect(result.weekly.weeks.length).toBeGreaterThanOrEqual(12);
    expect(result.cases).toHaveLength(1);
    expect(result.cases[0]).toMatchObject({
      id: caseId,
      status: 'open',
      sharedText: 'I had a really hard week and would like to talk to someone.',
      contactPreference: 'Teams message, mornings',
      email: manager.email,
    });
    const json = JSON.stringify(result);
    expect(json).not.toContain('QUOKKA');
    expect(json).not.toContain('stockroom');
    for (const word of ['tablets', 'swallow']) expect(json).not.toContain(word);
  });

  it('lets the HR admin move a case through its statuses, auditing each change without text', async () => {
    for (const status of ['in_progress', 'closed', 'open'] as const) {
      const { status: code, body } = await outcome(await callAction(hr, { intent: 'status', caseId, status }));
      expect(code).toBe(200);
      expect(body).toMatchObject({ ok: true });
      expect((await listHandoffCases({ tenantId }))[0].status).toBe(status);
    }
    const audit = await listAuditLog({ tenantId, action: 'safety.handoff_status' });
    expect(audit.map((a) => a.details)).toEqual([
      { from: 'closed', to: 'open' },
      { from: 'in_progress', to: 'closed' },
      { from: 'open', to: 'in_progress' },
    ]);
    for (const entry of audit) {
      expect(entry.target).toBe(`handoff_case:${caseId}`);
      expect(entry.actorLabel).toBe(hr.email);
      expect(JSON.stringify(entry)).not.toMatch(/hard week|Teams message/);
    }
  });

  it('rejects a malformed status change with a 400', async () => {
    const forms: Record<string, string>[] = [
      { intent: 'status', caseId, status: 'deleted' },
      { intent: 'status', caseId: 'not-a-uuid', status: 'open' },
      { intent: 'purge', caseId, status: 'open' },
      {},
    ];
    for (const form of forms) {
      expect((await outcome(await callAction(hr, form))).status).toBe(400);
    }
    expect((await outcome(await callAction(hr, { intent: 'status', caseId: '00000000-0000-4000-8000-000000000000', status: 'closed' }))).status).toBe(404);
  });

  it('is forbidden to a manager and a tenant admin, for the loader and the action', async () => {
    const admin = await makeMember(tenantId, 'tenant_admin');
    for (const user of [manager, admin]) {
      let thrown: unknown;
      try {
        await callLoader(user);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(403);
      const act = await outcome(await callAction(user, { intent: 'status', caseId, status: 'closed' }));
      expect(act.status).toBe(403);
    }
    expect((await listHandoffCases({ tenantId }))[0].status).toBe('open');
  });

  it('shows empty states for a tenant with no events and no cases', async () => {
    const quiet = await makeTenant();
    const quietHr = await makeMember(quiet.id, 'hr_admin');
    const result = await callLoader(quietHr);
    expect(result.cases).toEqual([]);
    const zero = { value: 0, atLeast: false };
    expect(result.weekly.totals).toEqual({ crisis: zero, concern: zero, thisWeek: zero });
    expect(result.weekly.categories).toEqual([]);
  });
});
