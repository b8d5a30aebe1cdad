// What a person in crisis meets on their next message (ADR 075): a short reply to "Are you safe
// right now?" gets the escalation reply again (the coach is still there, the lines to call, the offer
// of a person), no model and no policy; a later message is coached with a check-in first.
import { describe, expect, it } from 'vitest';
import { runTurn, type RunTurnOptions, type TurnHandle } from '~/.server/coach/run-turn';
import { REPLY_AFTER_CRISIS_RULE } from '~/lib/safety';
import { withTenant } from '~/.server/db/tenant';
import { makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';

useTestDatabase();

async function finish(handle: TurnHandle) {
  const chunks = [];
  const reader = handle.stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return { chunks, result: await handle.result };
}

describe('the turn after a crisis', () => {
  it('stays with the person on a short reply, then checks in before coaching', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    let modelCalls = 0;
    const options: RunTurnOptions = { env: {}, resolveModel: () => { modelCalls += 1; throw new Error('no model on a crisis turn'); } };
    const owner = { tenantId: tenant.id, userId: user.id };

    const crisis = await finish(await runTurn({ ...owner, text: 'ive been giving my stuff away to the lads on the team this week and i think sunday is it for me' }, options));
    expect(crisis.result.decision).toBe('escalate');

    const reply = await finish(await runTurn({ ...owner, conversationId: crisis.result.conversationId, text: 'yes its now. im at home' }, options));
    expect(reply.result).toMatchObject({ decision: 'escalate', status: 'escalated', citations: [], covered: null });
    expect(reply.result.safety.level).toBe('crisis');
    expect(reply.result.reply).toMatch(/still here/i);
    expect(reply.result.reply).toMatch(/988/);
    expect(reply.result.reply).not.toMatch(/guidance|policy|next step/i);
    expect(reply.chunks.some((c) => c.type === 'data-resources')).toBe(true);
    expect(modelCalls).toBe(0);

    const events = await withTenant(tenant.id, (tx) => tx<{ action: string; ruleIds: string[] }[]>`select action, rule_ids as "ruleIds" from safety_event order by id`);
    expect(events.map((e) => e.action)).toEqual(['escalated', 'escalated']);
    expect(events[1].ruleIds).toContain(REPLY_AFTER_CRISIS_RULE);

    const later = await finish(await runTurn({ ...owner, conversationId: crisis.result.conversationId, text: 'Thanks. Separate thing: two of my cashiers keep swapping shifts without telling me and the rota is a mess again this week.' }, { env: {} }));
    expect(later.result.decision).toBe('check-in');
    expect(later.result.reply).toMatch(/are you okay/i);
    // The check-in records no new safety event: it is the same conversation's crisis.
    expect(await withTenant(tenant.id, (tx) => tx`select count(*)::int as n from safety_event`)).toEqual([{ n: 2 }]);
  });
});
