import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '~/cli/main';
import { resetEnvForTests } from '~/.server/env';
import { withTenant } from '~/.server/db/tenant';
import { applyRetention } from '~/.server/governance/retention';
import { getUsageDashboard } from '~/.server/metering/dashboard';
import { checkEntitlements, RESERVATION_TTL_MS } from '~/.server/metering/entitlements';
import { usageCsvStream } from '~/.server/metering/export';
import { changeTenantSettings } from '~/.server/metering/settings';
import { recordUsageEvent, recordUsageEvents, releaseReservation, usagePurposes, type UsageEventInput } from '~/.server/metering/usage';
import { makeUsageRangeSchema } from '~/lib/budget-form';
import { db, useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

const database = useTestDatabase();

const DAY_MS = 86_400_000;

function chatEvent(tenantId: string, userId: string, overrides: Partial<UsageEventInput> = {}): UsageEventInput {
  return {
    tenantId,
    userId,
    conversationId: crypto.randomUUID(),
    messageId: crypto.randomUUID(),
    purpose: 'chat',
    provider: 'openai',
    modelId: 'openai:gpt-4o-mini',
    inputTokens: 1_000,
    outputTokens: 500,
    latencyMs: 900,
    ttftMs: 250,
    status: 'ok',
    ...overrides,
  };
}

async function eventsOf(tenantId: string) {
  return withTenant(tenantId, (tx) => tx<{ purpose: string; model_id: string; cost_micros: bigint; priced: boolean; cost_source: string; price_version: string | null }[]>`
    select purpose, model_id, cost_micros, priced, cost_source, price_version from usage_event order by id`);
}

async function monthSpend(tenantId: string) {
  const [row] = await withTenant(tenantId, (tx) => tx<{ micros: string | null }[]>`select sum(cost_micros)::text as micros from usage_event`);
  return Number(row.micros ?? 0);
}

describe('usage events', () => {
  it('records every purpose, offline models at zero cost, unpriced models flagged, provider cost winning', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    await recordUsageEvent(chatEvent(tenant.id, user.id));
    await recordUsageEvent(chatEvent(tenant.id, user.id, { purpose: 'chat-sensitive', provider: 'anthropic', modelId: 'anthropic:claude-sonnet-4' }));
    await recordUsageEvent(chatEvent(tenant.id, user.id, { purpose: 'judge', provider: 'openai-compatible', modelId: 'compat:judge' }));
    await recordUsageEvent(chatEvent(tenant.id, null as unknown as string, { purpose: 'embedding', provider: 'offline', modelId: 'offline-embedder', outputTokens: 0, conversationId: null, messageId: null, ttftMs: null }));
    await recordUsageEvent(chatEvent(tenant.id, user.id, { purpose: 'moderation', providerCostUsd: '0.0042' }));
    await recordUsageEvent(chatEvent(tenant.id, user.id, { provider: 'offline', modelId: 'offline-coach' }));

    const events = await eventsOf(tenant.id);
    expect(events.map((e) => e.purpose).sort()).toEqual([...usagePurposes, 'chat'].sort());
    const byModel = Object.fromEntries(events.map((e) => [`${e.purpose}/${e.model_id}`, e]));
    // 1,000 × $0.15/M + 500 × $0.60/M = $0.00045
    expect(byModel['chat/openai:gpt-4o-mini']).toMatchObject({ cost_micros: 450n, priced: true, cost_source: 'price_book', price_version: '2025-06' });
    expect(byModel['chat-sensitive/anthropic:claude-sonnet-4']).toMatchObject({ cost_micros: 10_500n, priced: true });
    expect(byModel['judge/compat:judge']).toMatchObject({ cost_micros: 0n, priced: false, cost_source: 'unpriced' });
    expect(byModel['embedding/offline-embedder']).toMatchObject({ cost_micros: 0n, priced: true });
    expect(byModel['chat/offline-coach']).toMatchObject({ cost_micros: 0n, priced: true });
    expect(byModel['moderation/openai:gpt-4o-mini']).toMatchObject({ cost_micros: 4_200n, cost_source: 'provider', price_version: null });

    const dashboard = await getUsageDashboard({ tenantId: tenant.id, range: makeUsageRangeSchema().parse({}) });
    expect(dashboard.summary.calls).toBe(6);
    expect(dashboard.summary.costMicros).toBe(450 + 10_500 + 4_200);
    expect(dashboard.summary.unpricedCalls).toBe(1);
    const judge = dashboard.models.find((m) => m.modelId === 'compat:judge');
    expect(judge?.priced).toBe(false);
    expect(dashboard.users.find((u) => u.userId === user.id)?.email).toBe(user.email);
    expect(dashboard.users.find((u) => u.userId === '')?.email).toBe('(system)');
    expect(dashboard.summary.ttftP50).toBeGreaterThan(230);
    expect(dashboard.summary.ttftP50).toBeLessThan(270);
  });

  it('is append-only for the application, and the rollups are written only by the trigger', async () => {
    const tenant = await makeTenant();
    await recordUsageEvent(chatEvent(tenant.id, 'someone'));
    await expect(withTenant(tenant.id, (tx) => tx`update usage_event set cost_micros = 0`)).rejects.toThrow(/permission denied/);
    await expect(withTenant(tenant.id, (tx) => tx`delete from usage_event`)).rejects.toThrow(/permission denied/);
    await expect(withTenant(tenant.id, (tx) => tx`update usage_daily set cost_micros = 0`)).rejects.toThrow(/permission denied/);
  });

  it('batched inserts fold into the daily rollup exactly', async () => {
    const tenant = await makeTenant();
    const now = Date.now();
    const events = Array.from({ length: 300 }, (_, i) =>
      chatEvent(tenant.id, `u${i % 7}`, { at: new Date(now - (i % 5) * DAY_MS), modelId: i % 3 ? 'openai:gpt-4o-mini' : 'compat:chat', outputTokens: i }),
    );
    expect(await recordUsageEvents(events)).toBe(300);
    const [fromEvents] = await withTenant(tenant.id, (tx) => tx`select count(*)::int as calls, sum(cost_micros)::text as cost, sum(output_tokens)::int as out from usage_event`);
    const [fromRollup] = await withTenant(tenant.id, (tx) => tx`select sum(calls)::int as calls, sum(cost_micros)::text as cost, sum(output_tokens)::int as out, sum(unpriced_calls)::int as unpriced from usage_daily`);
    expect(fromRollup).toEqual({ ...fromEvents, unpriced: 100 });
    const [byUser] = await withTenant(tenant.id, (tx) => tx`select sum(calls)::int as calls, sum(cost_micros)::text as cost, count(distinct user_id)::int as users from usage_user_daily`);
    expect(byUser).toEqual({ calls: 300, cost: fromEvents.cost, users: 7 });
  });
});

describe('budget and quota, checked before the model call', () => {
  const ESTIMATE = { modelId: 'openai:gpt-4o-mini', estimatedInputTokens: 1_000, maxOutputTokens: 1_000 }; // 750 µ$

  it('50 simultaneous turns at the edge of the budget overshoot it by at most one turn each', async () => {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 1, budgetAction: 'hard_stop', dailyMessageQuota: 0 } });
    const users = await Promise.all([makeMember(tenant.id), makeMember(tenant.id)]);
    // $0.99 already spent: $0.01 left = 13 worst-case turns of 750 µ$.
    await recordUsageEvent(chatEvent(tenant.id, users[0].id, { providerCostUsd: '0.99' }));

    const turns = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const user = users[i % 2];
        const gate = await checkEntitlements({ tenantId: tenant.id, userId: user.id, ...ESTIMATE });
        if (!gate.allow) return gate;
        // The real turn: the full output allowance and more input than estimated (a tokenizer
        // mismatch), so each turn costs a little more than it reserved.
        await recordUsageEvent(chatEvent(tenant.id, user.id, { inputTokens: 1_200, outputTokens: 1_000, reservationId: gate.reservationId }));
        return gate;
      }),
    );
    const allowed = turns.filter((t) => t.allow);
    const blocked = turns.filter((t) => !t.allow);
    expect(allowed.length).toBe(13);
    expect(blocked.every((t) => t.action === 'blocked_budget' && t.message?.includes('budget'))).toBe(true);
    const turnCost = 1_200 * 0.15 + 1_000 * 0.6; // 780 µ$ against 750 reserved
    const overshoot = (await monthSpend(tenant.id)) - 1_000_000;
    expect(overshoot).toBeGreaterThan(0);
    expect(overshoot).toBe(13 * turnCost - 10_000); // 140 µ$: only the estimates' shortfall
    expect(overshoot).toBeLessThanOrEqual(turnCost);
    const [open] = await withTenant(tenant.id, (tx) => tx`select count(*)::int as n from budget_reservation`);
    expect(open.n).toBe(0);
  });

  it('counts open reservations, and expired ones stop counting', async () => {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 0.001, dailyMessageQuota: 0 } }); // 1,000 µ$: one turn
    const user = await makeMember(tenant.id);
    const past = new Date(Date.now() - RESERVATION_TTL_MS - 60_000);
    const crashed = await checkEntitlements({ tenantId: tenant.id, userId: user.id, ...ESTIMATE, now: past });
    expect(crashed.allow).toBe(true);
    // The crashed turn's hold has expired, so this turn fits.
    const first = await checkEntitlements({ tenantId: tenant.id, userId: user.id, ...ESTIMATE });
    expect(first).toMatchObject({ allow: true, action: 'ok' });
    // The first turn is still in flight: a second does not fit next to it.
    const second = await checkEntitlements({ tenantId: tenant.id, userId: user.id, ...ESTIMATE });
    expect(second).toMatchObject({ allow: false, action: 'blocked_budget' });
    expect(await releaseReservation({ tenantId: tenant.id, reservationId: first.reservationId! })).toBe(true);
    const third = await checkEntitlements({ tenantId: tenant.id, userId: user.id, ...ESTIMATE });
    expect(third.allow).toBe(true);
  });

  it('switches to the fallback model at 100% when the tenant chose it', async () => {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 1, budgetAction: 'fallback_model', dailyMessageQuota: 0 } });
    const user = await makeMember(tenant.id);
    await recordUsageEvent(chatEvent(tenant.id, user.id, { providerCostUsd: '1.00' }));
    const gate = await checkEntitlements({ tenantId: tenant.id, userId: user.id, ...ESTIMATE });
    expect(gate).toMatchObject({ allow: true, action: 'fallback_model', modelId: 'offline-coach', percentUsed: 100 });
    expect(gate.message).toMatch(/simpler model/);
    const [hold] = await withTenant(tenant.id, (tx) => tx`select model_id, amount_micros::int as amount from budget_reservation`);
    expect(hold).toEqual({ model_id: 'offline-coach', amount: 0 });
  });

  it('alerts past the threshold', async () => {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 10, budgetAlertPercent: 80, dailyMessageQuota: 0 } });
    const user = await makeMember(tenant.id);
    await recordUsageEvent(chatEvent(tenant.id, user.id, { providerCostUsd: '8.50' }));
    const gate = await checkEntitlements({ tenantId: tenant.id, userId: user.id, ...ESTIMATE });
    expect(gate).toMatchObject({ allow: true, action: 'alert', percentUsed: 85 });
    const dashboard = await getUsageDashboard({ tenantId: tenant.id, range: makeUsageRangeSchema().parse({}) });
    expect(dashboard.budget.state).toBe('alert');
  });

  it('enforces the daily message quota per user, counting turns in flight', async () => {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 100, dailyMessageQuota: 3 } });
    const [alice, bob] = await Promise.all([makeMember(tenant.id), makeMember(tenant.id)]);
    const messageId = crypto.randomUUID();
    // One turn that needed a fallback: two events, one message, one turn of the quota.
    await recordUsageEvent(chatEvent(tenant.id, alice.id, { messageId, status: 'error' }));
    await recordUsageEvent(chatEvent(tenant.id, alice.id, { messageId, status: 'fallback', modelId: 'offline-coach', provider: 'offline' }));
    await recordUsageEvent(chatEvent(tenant.id, alice.id, { purpose: 'embedding' })); // not a chat turn
    await recordUsageEvent(chatEvent(tenant.id, alice.id, { at: new Date(Date.now() - DAY_MS) })); // yesterday
    const second = await checkEntitlements({ tenantId: tenant.id, userId: alice.id, ...ESTIMATE });
    const third = await checkEntitlements({ tenantId: tenant.id, userId: alice.id, ...ESTIMATE }); // second still in flight
    const fourth = await checkEntitlements({ tenantId: tenant.id, userId: alice.id, ...ESTIMATE });
    expect([second.allow, third.allow]).toEqual([true, true]);
    expect(fourth).toMatchObject({ allow: false, action: 'blocked_quota' });
    expect(fourth.message).toMatch(/all 3 of today's messages/);
    expect((await checkEntitlements({ tenantId: tenant.id, userId: bob.id, ...ESTIMATE })).allow).toBe(true);
  });
});

async function makeConversation(tenantId: string, userId: string, at: Date, text: string) {
  return withTenant(tenantId, async (tx) => {
    const [conversation] = await tx<{ id: string }[]>`
      insert into conversation (tenant_id, user_id, created_at) values (${tenantId}, ${userId}, ${at}) returning id`;
    const [message] = await tx<{ id: string }[]>`
      insert into message (tenant_id, conversation_id, user_id, role, content, created_at)
      values (${tenantId}, ${conversation.id}, ${userId}, 'assistant', ${text}, ${at}) returning id`;
    await tx`insert into message_lineage (tenant_id, message_id, conversation_id, model_id, provider, created_at)
      values (${tenantId}, ${message.id}, ${conversation.id}, 'offline-coach', 'offline', ${at})`;
    return { conversationId: conversation.id, messageId: message.id };
  });
}

describe('retention', () => {
  it('deletes expired message text but keeps the messages, lineage and usage, and audits the run', async () => {
    const tenant = await makeTenant({ settings: { retentionDays: 30 } });
    const user = await makeMember(tenant.id);
    const now = new Date();
    const old = await makeConversation(tenant.id, user.id, new Date(now.getTime() - 40 * DAY_MS), 'old words');
    const fresh = await makeConversation(tenant.id, user.id, new Date(now.getTime() - 5 * DAY_MS), 'fresh words');
    await recordUsageEvent(chatEvent(tenant.id, user.id, { ...old, at: new Date(now.getTime() - 40 * DAY_MS) }));
    // The person's words beside the messages (ADR 065): titles and a feedback comment, old and fresh.
    await withTenant(tenant.id, async (tx) => {
      await tx`update conversation set title = 'Marcus keeps arriving late', updated_at = ${new Date(now.getTime() - 40 * DAY_MS)} where id = ${old.conversationId}`;
      await tx`update conversation set title = 'Rota for Priya' where id = ${fresh.conversationId}`;
      for (const [m, days] of [[old.messageId, 40], [fresh.messageId, 5]] as const) {
        await tx`insert into message_feedback (tenant_id, message_id, user_id, rating, comment, created_at)
          values (${tenant.id}, ${m}, ${user.id}, 1, ${`helped with ${days}`}, ${new Date(now.getTime() - days * DAY_MS)})`;
      }
    });

    const runs = await applyRetention({ now });
    const titles = await withTenant(tenant.id, (tx) => tx<{ id: string; title: string }[]>`select id, title from conversation`);
    expect(titles.find((c) => c.id === old.conversationId)?.title).toBe('New conversation');
    expect(titles.find((c) => c.id === fresh.conversationId)?.title).toBe('Rota for Priya');
    const comments = await withTenant(tenant.id, (tx) => tx<{ comment: string | null }[]>`select comment from message_feedback order by created_at`);
    expect(comments.map((c) => c.comment)).toEqual([null, 'helped with 5']);
    expect(runs.find((r) => r.tenantId === tenant.id)).toEqual({ tenantId: tenant.id, retentionDays: 30, deleted: 1 });
    const messages = await withTenant(tenant.id, (tx) => tx<{ id: string; content: string | null; deleted: boolean }[]>`
      select id, content, content_deleted_at is not null as deleted from message`);
    expect(messages.find((m) => m.id === old.messageId)).toEqual({ id: old.messageId, content: null, deleted: true });
    expect(messages.find((m) => m.id === fresh.messageId)).toEqual({ id: fresh.messageId, content: 'fresh words', deleted: false });
    const [kept] = await withTenant(tenant.id, (tx) => tx`
      select (select count(*)::int from message_lineage) as lineage, (select count(*)::int from usage_event where message_id = ${old.messageId}) as usage`);
    expect(kept).toEqual({ lineage: 2, usage: 1 });
    const [audit] = await withTenant(tenant.id, (tx) => tx`select actor_label, details from audit_log where action = 'retention.run' order by id desc limit 1`);
    expect(audit.actor_label).toBe('retention job');
    expect(audit.details).toMatchObject({ deleted: 1, titles: 1, comments: 1, retentionDays: 30 });
    expect(JSON.stringify(audit.details)).not.toContain('words');
  });

  it('switching to zero retention purges all stored text at once, audited with from/to', async () => {
    const tenant = await makeTenant({ settings: { retentionDays: 90 } });
    const admin = await makeMember(tenant.id, 'tenant_admin');
    const user = await makeMember(tenant.id);
    const recent = await makeConversation(tenant.id, user.id, new Date(), 'said a minute ago');
    await withTenant(tenant.id, (tx) => tx`update conversation set title = 'About Marcus' where id = ${recent.conversationId}`);
    const changed = await changeTenantSettings({ tenantId: tenant.id, patch: { retentionDays: 0 }, actor: { userId: admin.id, label: admin.email } });
    expect(changed).toEqual(['retention']);
    const [left] = await withTenant(tenant.id, (tx) => tx`select count(*)::int as n from message where content is not null`);
    expect(left.n).toBe(0);
    const [untitled] = await withTenant(tenant.id, (tx) => tx`select count(*)::int as n from conversation where title <> 'New conversation'`);
    expect(untitled.n).toBe(0);
    const audits = await withTenant(tenant.id, (tx) => tx<{ action: string; details: Record<string, unknown> }[]>`
      select action, details from audit_log where action in ('settings.retention', 'retention.run') order by id`);
    expect(audits[0]).toEqual({ action: 'settings.retention', details: { from: 90, to: 0 } });
    expect(audits[1]).toMatchObject({ action: 'retention.run', details: { deleted: 1, retentionDays: 0 } });
  });
});

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

// The CLI opens its own client; point it at this file's database the way an operator would
// (DATABASE_URL), since joining an embedded server owned by this very process is refused.
async function rapport(argv: string[]) {
  const out = capture();
  const err = capture();
  process.env.DATABASE_URL = database.url;
  resetEnvForTests();
  try {
    const code = await runCli(argv, { stdin: process.stdin, stdout: out.stream, stderr: err.stream });
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    delete process.env.DATABASE_URL;
    resetEnvForTests();
  }
}

describe('rapport usage report', () => {
  it('prints totals by model equal to the sum of the events', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id);
    const inMonth = (day: number) => new Date(Date.UTC(2025, 2, day, 12));
    await recordUsageEvents([
      ...Array.from({ length: 40 }, (_, i) => chatEvent(tenant.id, user.id, { at: inMonth(1 + (i % 28)), inputTokens: 100 + i * 37, outputTokens: 7 * i, cachedInputTokens: i % 4 === 0 ? 50 : 0 })),
      ...Array.from({ length: 5 }, (_, i) => chatEvent(tenant.id, user.id, { at: inMonth(3 + i), modelId: 'compat:chat', provider: 'openai-compatible' })),
      chatEvent(tenant.id, user.id, { at: inMonth(31), modelId: 'anthropic:claude-sonnet-4', provider: 'anthropic', providerCostUsd: 0.123456 }),
      chatEvent(tenant.id, user.id, { at: new Date(Date.UTC(2025, 3, 1, 0, 0, 0)) }), // April: excluded
      chatEvent(tenant.id, user.id, { at: new Date(Date.UTC(2025, 1, 28, 23, 59, 59)) }), // February: excluded
    ]);
    const { code, stdout, stderr } = await rapport(['usage', 'report', '--tenant', tenant.slug, '--month', '2025-03', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);

    const sums = await withTenant(tenant.id, (tx) => tx<{ model: string; calls: number; input: number; output: number; cost: string; unpriced: number }[]>`
      select model_id as model, count(*)::int as calls, sum(input_tokens)::int as input, sum(output_tokens)::int as output,
        sum(cost_micros)::text as cost, count(*) filter (where not priced)::int as unpriced
      from usage_event where at >= '2025-03-01T00:00:00Z' and at < '2025-04-01T00:00:00Z' group by model_id order by model_id`);
    expect(report.tenant).toBe(tenant.slug);
    expect(report.month).toBe('2025-03');
    expect(report.models.map((m: { model: string }) => m.model)).toEqual(sums.map((s) => s.model));
    for (const [i, s] of sums.entries()) {
      expect(report.models[i]).toMatchObject({ calls: s.calls, inputTokens: s.input, outputTokens: s.output, costMicros: Number(s.cost), costUsd: Number(s.cost) / 1e6, priced: s.unpriced === 0 });
    }
    const totalCost = sums.reduce((n, s) => n + Number(s.cost), 0);
    expect(report.total).toMatchObject({ calls: 46, costMicros: totalCost, priced: false });
    expect(report.models.find((m: { model: string }) => m.model === 'anthropic:claude-sonnet-4').costMicros).toBe(123_456);
  });

  it('refuses a bad month with a usage error', async () => {
    const tenant = await makeTenant();
    for (const month of ['2025-13', '2025-3', 'March', '2025-03-01']) {
      const { code, stderr } = await rapport(['usage', 'report', '--tenant', tenant.slug, '--month', month, '--json']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--month must be a month written YYYY-MM/);
    }
  });
});

describe('tenant isolation of usage', () => {
  it("tenant A's console, export and queries never see tenant B's events", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const aUser = await makeMember(a.id);
    const bUser = await makeMember(b.id);
    await recordUsageEvent(chatEvent(a.id, aUser.id));
    await recordUsageEvents(Array.from({ length: 20 }, () => chatEvent(b.id, bUser.id, { modelId: 'anthropic:claude-sonnet-4', provider: 'anthropic' })));

    const range = makeUsageRangeSchema().parse({});
    const dashboard = await getUsageDashboard({ tenantId: a.id, range });
    expect(dashboard.summary.calls).toBe(1);
    expect(dashboard.models.map((m) => m.modelId)).toEqual(['openai:gpt-4o-mini']);
    expect(JSON.stringify(dashboard)).not.toContain(bUser.email);

    const csv = await new Response(usageCsvStream({ tenantId: a.id, range })).text();
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain(aUser.email);
    expect(csv).not.toContain(bUser.id);

    const seen = await withTenant(a.id, (tx) => tx`select distinct tenant_id from usage_event`);
    expect(seen.map((r) => r.tenant_id)).toEqual([a.id]);
    // Even asking for B's rows by id through A's unit of work returns nothing.
    const [leak] = await withTenant(a.id, (tx) => tx`select count(*)::int as n from usage_daily where tenant_id = ${b.id}`);
    expect(leak.n).toBe(0);
    const [total] = await db()`select count(*)::int as n from usage_event where tenant_id = ${b.id}`;
    expect(total.n).toBe(20);
  });
});

describe('admin console routes', () => {
  async function adminArgs(url: string, init?: RequestInit) {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 100 } });
    const admin = await makeMember(tenant.id, 'tenant_admin');
    return { tenant, admin, args: { request: new Request(`http://localhost${url}`, init), context: (await contextFor(admin)) as never, params: {} } };
  }
  const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields) });

  it('rejects a reversed or over-long date range with a message, not a 500', async () => {
    const { loader } = await import('~/routes/admin.usage');
    const reversed = (await loader((await adminArgs('/admin/usage?from=2025-03-10&to=2025-03-01')).args)) as unknown as { init: ResponseInit; data: { rangeErrors: Record<string, string> } };
    expect(reversed.init.status).toBe(400);
    expect(Object.values(reversed.data.rangeErrors).join(' ')).toMatch(/start date must be before the end date/);
    const long = (await loader((await adminArgs('/admin/usage?from=2023-01-01&to=2025-01-01')).args)) as unknown as { init: ResponseInit; data: { rangeErrors: Record<string, string> } };
    expect(long.init.status).toBe(400);
    expect(Object.values(long.data.rangeErrors).join(' ')).toMatch(/at most 366 days/);
    const csv = await import('~/routes/admin.usage[.]csv');
    const badCsv = (await csv.loader((await adminArgs('/admin/usage.csv?from=abc')).args)) as Response;
    expect(badCsv.status).toBe(400);
  });

  it('streams the CSV export and audits it', async () => {
    const { tenant, admin, args } = await adminArgs('/admin/usage.csv');
    await recordUsageEvents(Array.from({ length: 4_500 }, () => chatEvent(tenant.id, admin.id)));
    const { loader } = await import('~/routes/admin.usage[.]csv');
    const response = (await loader(args)) as Response;
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    expect(response.body).toBeInstanceOf(ReadableStream);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^at,user_email,user_id,conversation_id/);
    expect(lines).toHaveLength(4_501);
    const [audit] = await withTenant(tenant.id, (tx) => tx`select actor_label, details from audit_log where action = 'usage.export'`);
    expect(audit.actor_label).toBe(admin.email);
  });

  it('refuses invalid settings with field messages (400) and audits valid changes with from/to', async () => {
    const { action } = await import('~/routes/admin.settings');
    const bad = await adminArgs('/admin/settings', form({ intent: 'budget', monthlyBudgetUsd: '-5', budgetAlertPercent: 'abc', budgetAction: 'hard_stop', dailyMessageQuota: '10' }));
    const refused = (await action(bad.args)) as unknown as { init: ResponseInit; data: { ok: boolean; fieldErrors: Record<string, string> } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.fieldErrors.monthlyBudgetUsd).toMatch(/cannot be negative/);
    expect(refused.data.fieldErrors.budgetAlertPercent).toMatch(/must be a number/);

    const temperature = (await action({ ...bad.args, request: new Request('http://localhost/admin/settings', form({ intent: 'temperature', temperatureCap: '1.5' })) })) as unknown as { init: ResponseInit };
    expect(temperature.init.status).toBe(400);
    const retention = (await action({ ...bad.args, request: new Request('http://localhost/admin/settings', form({ intent: 'retention', retentionMode: 'days', retentionDays: 'abc' })) })) as unknown as { init: ResponseInit };
    expect(retention.init.status).toBe(400);
    const model = (await action({ ...bad.args, request: new Request('http://localhost/admin/settings', form({ intent: 'models', chat: 'openai:gpt-4o', budgetFallbackModel: 'offline-coach' })) })) as unknown as { init: ResponseInit; data: { fieldErrors: Record<string, string> } };
    expect(model.init.status).toBe(400); // not configured in the test environment
    expect(model.data.fieldErrors.chat).toMatch(/available/);

    const good = await adminArgs('/admin/settings', form({ intent: 'budget', monthlyBudgetUsd: '250', budgetAlertPercent: '75', budgetAction: 'fallback_model', dailyMessageQuota: '40' }));
    const saved = (await action(good.args)) as unknown as { data: { ok: boolean } };
    expect(saved.data.ok).toBe(true);
    const { getTenant } = await import('~/.server/tenants/tenants');
    expect((await getTenant({ tenantId: good.tenant.id })).settings).toMatchObject({ monthlyBudgetUsd: 250, budgetAlertPercent: 75, budgetAction: 'fallback_model', dailyMessageQuota: 40 });
    const audits = await withTenant(good.tenant.id, (tx) => tx<{ action: string; target: string; details: unknown }[]>`
      select action, target, details from audit_log where action like 'settings.%' order by id`);
    expect(audits).toEqual([
      { action: 'settings.budget', target: 'monthlyBudgetUsd', details: { from: 100, to: 250 } },
      { action: 'settings.budget', target: 'budgetAlertPercent', details: { from: 80, to: 75 } },
      { action: 'settings.budget', target: 'budgetAction', details: { from: 'hard_stop', to: 'fallback_model' } },
      { action: 'settings.quota', target: 'dailyMessageQuota', details: { from: 200, to: 40 } },
    ]);
  });
});
