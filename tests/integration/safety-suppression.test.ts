// Issue 13 item 5: /hr/safety never shows a count from 1 to 4, nor a total that would reveal one,
// and shows weeks, not times.
import { describe, expect, it } from 'vitest';
import { withTenant } from '~/.server/db/tenant';
import { createHandoffCase } from '~/.server/safety/events';
import * as hrSafety from '~/routes/hr.safety';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';

useTestDatabase();

async function events(tenantId: string, level: 'crisis' | 'concern', categories: string[], count: number, daysAgo: number) {
  await withTenant(tenantId, async (tx) => {
    for (let i = 0; i < count; i++) {
      await tx`insert into safety_event (tenant_id, stage, level, categories, rule_ids, action, at)
        values (${tenantId}, 'input', ${level}, ${categories}, ${[]}, 'escalated', now() - make_interval(days => ${daysAgo}))`;
    }
  });
}

describe('HR safety counts', () => {
  it('suppresses cells under 5, keeps totals from revealing them, and dates cases by week', async () => {
    const tenant = await makeTenant();
    const hr = await makeMember(tenant.id, 'hr_admin');
    const manager = await makeMember(tenant.id, 'manager');
    await events(tenant.id, 'crisis', ['self_harm'], 6, 0);
    await events(tenant.id, 'crisis', ['self_harm'], 2, 14);
    await events(tenant.id, 'concern', [], 3, 0);
    await createHandoffCase({ tenantId: tenant.id, userId: manager.id, sharedText: 'please call', contactPreference: 'By phone: 555-0100' });

    const result = await hrSafety.loader({ request: new Request('http://localhost/hr/safety'), context: await contextFor(hr), params: {} } as never);
    const weeks = result.weekly.weeks.filter((w) => w.active);
    expect(weeks).toHaveLength(2);
    const [older, current] = weeks;
    expect(current).toMatchObject({ crisis: 6, concern: null, byCategory: { self_harm: 6, none: null } });
    expect(older).toMatchObject({ crisis: null, concern: 0, byCategory: { self_harm: null } });
    // 6 shown + 2 hidden: the exact total (8) would give the hidden 2 away.
    expect(result.weekly.totals.crisis).toEqual({ value: 6, atLeast: true });
    expect(result.weekly.totals.concern).toBeNull();
    // Nothing between 1 and 4 is in what the browser gets.
    expect(JSON.stringify(result.weekly)).not.toMatch(/":\s*[1-4][,}]/);

    // A case says the week it was asked in, not the time.
    expect(result.cases[0].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${result.cases[0].createdAt}T00:00:00Z`).getUTCDay()).toBe(1);
  });
});
