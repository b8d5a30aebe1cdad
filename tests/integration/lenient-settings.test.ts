// A tenant settings row the form would refuse (set directly in SQL, or left by an older version)
// must not break that tenant's chat turns or pages: read leniently, write strictly (issue 13, item 10).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runTurn } from '~/.server/coach/run-turn';
import { withSystem } from '~/.server/db/tenant';
import { changeTenantSettings } from '~/.server/metering/settings';
import { resetSettingsWarningsForTests } from '~/.server/tenants/settings-read';
import { getTenant } from '~/.server/tenants/tenants';
import { tenantSettingsSchema } from '~/lib/culture';
import { db, useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

const DEFAULTS = tenantSettingsSchema.parse({});
const BAD_ROW = {
  dailyMessageQuota: 10_000_000, // over the form's maximum
  temperatureCap: 'hot', // wrong type
  retentionDays: 12.5, // not a whole number: the chat-turn SQL function's cast failed on it (dropped on write, 023)
  monthlyBudgetUsd: 250, // valid: kept
  models: { chat: 5, judge: 'offline-coach' }, // one nested field wrong, one right
  budgetAction: 'panic', // an option from some other version
  legacyFlag: true, // unknown: ignored
};

afterEach(() => {
  vi.restoreAllMocks();
  resetSettingsWarningsForTests();
});

async function setRawSettings(tenantId: string, settings: unknown) {
  await withSystem((tx) => tx`update tenants set settings = ${tx.json(settings as never)} where id = ${tenantId}`);
}

describe('tenant settings set to invalid values directly in SQL', () => {
  it('still answers chat turns, using defaults for the invalid fields, and logs the fallback once', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id);
    await setRawSettings(tenant.id, BAD_ROW);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

    for (const text of ['How do I plan the holiday rota fairly?', 'And how do I tell the team about it?']) {
      const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text }, { env: {} });
      const reader = handle.stream.getReader();
      while (!(await reader.read()).done);
      const result = await handle.result;
      expect(result.status).toBe('complete');
    }

    const { settings } = await getTenant({ tenantId: tenant.id });
    expect(settings).toMatchObject({
      dailyMessageQuota: DEFAULTS.dailyMessageQuota,
      temperatureCap: DEFAULTS.temperatureCap,
      retentionDays: DEFAULTS.retentionDays,
      budgetAction: DEFAULTS.budgetAction,
      monthlyBudgetUsd: 250,
      models: { judge: 'offline-coach' },
    });
    expect(settings.models.chat).toBeUndefined();

    // Logged once per field, however many times the row was read.
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(tenant.id));
    expect(lines).toHaveLength(1);
    for (const field of ['dailyMessageQuota', 'temperatureCap', 'budgetAction', 'models.chat']) expect(lines[0]).toContain(field);
    expect(lines[0]).not.toContain('monthlyBudgetUsd');

    // The uncastable retentionDays never reached the stored row, so the SQL turn function read the
    // default (text kept, not zero retention).
    const [stored] = await db()<{ settings: Record<string, unknown> }[]>`select settings from tenants where id = ${tenant.id}`;
    expect(stored.settings).not.toHaveProperty('retentionDays');
    expect(stored.settings.dailyMessageQuota).toBe(10_000_000); // the rest is stored as written, read leniently
    const [{ n }] = await db()`select count(*)::int as n from message where tenant_id = ${tenant.id} and role = 'user' and content is not null`;
    expect(n).toBe(2);
  });

  it('validates strictly on write: a bad patch is refused, a good one repairs the row', async () => {
    const tenant = await makeTenant();
    await setRawSettings(tenant.id, BAD_ROW);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const actor = { userId: null, label: 'test' };
    await expect(changeTenantSettings({ tenantId: tenant.id, patch: { dailyMessageQuota: 10_000_000 }, actor })).rejects.toThrow();
    await changeTenantSettings({ tenantId: tenant.id, patch: { dailyMessageQuota: 300 }, actor });
    const [row] = await db()<{ settings: Record<string, unknown> }[]>`select settings from tenants where id = ${tenant.id}`;
    // The stored row is now valid as a whole: the invalid fields were written back as their defaults.
    expect(tenantSettingsSchema.safeParse(row.settings).success).toBe(true);
    expect(row.settings).toMatchObject({ dailyMessageQuota: 300, temperatureCap: DEFAULTS.temperatureCap, monthlyBudgetUsd: 250 });
  });
});
