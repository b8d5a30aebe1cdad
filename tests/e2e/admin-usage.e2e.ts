// The tenant admin's usage console and settings in a real browser: charts after some chats,
// a bad date range, the CSV export, a budget change (bad input refused, good input audited),
// the budget alert, and a manager refused.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDb, createSql, setDb } from '~/.server/db/client';
import { startEmbeddedDatabase } from '~/.server/db/embedded';
import { withSystem } from '~/.server/db/tenant';
import { recordUsageEvents, type UsageEventInput } from '~/.server/metering/usage';
import { launchBrowser, screenshot, signIn, signOut, watchForPageErrors } from './harness';

const url = inject('appUrl');
const DAY_MS = 86_400_000;
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];

// Usage as the chat turns record it (recordUsageEvent), written straight into the running app's
// database so the charts have a few weeks of history, which a browser test cannot chat up.
async function seedUsage() {
  const database = await startEmbeddedDatabase({ dataDir: inject('appDataDir'), join: true, owner: 'e2e admin-usage' });
  process.env.RAPPORT_DATABASE_URL = database.url;
  setDb(createSql(database.url, 2));
  try {
    const people = await withSystem((tx) => tx<{ id: string; tenantId: string; email: string }[]>`
      select u.id, u.tenant_id as "tenantId", u.email from app_user u join tenants t on t.id = u.tenant_id
      where t.slug = 'brightmart' order by u.email`);
    const now = Date.now();
    const models = [
      { modelId: 'openai:gpt-4o-mini', provider: 'openai' },
      { modelId: 'anthropic:claude-sonnet-4', provider: 'anthropic' },
      { modelId: 'compat:chat', provider: 'openai-compatible' },
      { modelId: 'offline-coach', provider: 'offline' },
    ];
    const events: UsageEventInput[] = [];
    const conversations = Array.from({ length: 40 }, () => crypto.randomUUID());
    for (let i = 0; i < 240; i++) {
      const person = people[i % people.length];
      const model = models[i % 7 === 0 ? 1 : i % 5 === 0 ? 2 : i % 3 === 0 ? 3 : 0];
      events.push({
        tenantId: person.tenantId,
        userId: person.id,
        conversationId: conversations[i % conversations.length],
        messageId: crypto.randomUUID(),
        purpose: 'chat',
        ...model,
        inputTokens: 800 + ((i * 137) % 2400),
        outputTokens: 120 + ((i * 61) % 500),
        latencyMs: 900 + ((i * 89) % 2000),
        ttftMs: 150 + ((i * 53) % 900),
        status: 'ok',
        at: new Date(now - (i % 21) * DAY_MS - (i % 9) * 3_600_000),
      });
    }
    await recordUsageEvents(events);
  } finally {
    await closeDb();
    await database.close();
  }
}

beforeAll(async () => {
  await seedUsage();
  browser = await launchBrowser();
  page = await browser.newPage();
  pageErrors = watchForPageErrors(page);
});
afterAll(async () => {
  await browser?.close();
});

describe('tenant admin usage console', () => {
  it('shows the charts, the unpriced model and the summary', async () => {
    await signIn(page, url, 'admin@brightmart.example');
    await page.goto(`${url}/admin/usage`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Usage & cost');
    const charts = page.locator('figure[data-chart]');
    expect(await charts.count()).toBe(5);
    expect(await page.locator('figure[data-chart][data-empty="true"]').count()).toBe(0);
    expect(await page.locator('figure[data-chart] svg rect').count()).toBeGreaterThan(20);
    const modelTable = page.locator('table.table');
    expect(await modelTable.textContent()).toContain('unpriced');
    expect(await page.locator('.stats').textContent()).toMatch(/Avg cost per conversation\$[\d.]+/);
    // Nothing pushes the page wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'admin-usage');
    expect(pageErrors).toEqual([]);
  });

  it('explains a reversed date range instead of failing', async () => {
    const response = await page.goto(`${url}/admin/usage?from=2025-03-10&to=2025-03-01`);
    expect(response?.status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toMatch(/start date must be before the end date/);
    await screenshot(page, 'admin-usage-bad-range');
  });

  it('exports the events as CSV', async () => {
    await page.goto(`${url}/admin/usage`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    const lines = fs.readFileSync(file!, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^at,user_email,user_id,conversation_id,message_id,purpose/);
    expect(lines.length).toBeGreaterThan(200);
    await page.goto(`${url}/admin/audit`);
    expect(await page.locator('table').textContent()).toContain('usage.export');
  });

  it('changes the budget: nonsense refused, a real amount saved and audited, the alert shown', async () => {
    await page.goto(`${url}/admin/settings`);
    const budget = page.getByLabel('Monthly budget (USD)');
    await budget.fill('abc');
    await page.locator('form:has(input[value="budget"])').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/correct the highlighted fields/);
    expect(await page.locator('.field-error').first().textContent()).toMatch(/must be a number of dollars/);
    await screenshot(page, 'admin-settings-error');

    await page.getByLabel('Monthly budget (USD)').fill('0.05');
    await page.locator('form:has(input[value="budget"])').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Saved: monthly budget/);
    await screenshot(page, 'admin-settings');

    await page.goto(`${url}/admin/audit`);
    const audit = await page.locator('table').textContent();
    expect(audit).toContain('settings.budget');
    expect(audit).toMatch(/Changed the monthly budget from \$[\d,.]+ to \$0\.05/);
    await screenshot(page, 'admin-audit');

    await page.goto(`${url}/admin/usage`);
    expect(await page.locator('[data-budget-state]').getAttribute('data-budget-state')).toMatch(/alert|reached/);
    await screenshot(page, 'admin-usage-budget-alert');
    await signOut(page);
  });

  it('refuses a manager', async () => {
    await signIn(page, url, 'manager@brightmart.example');
    for (const path of ['/admin/usage', '/admin/settings', '/admin/usage.csv']) {
      const response = await page.goto(`${url}${path}`).catch(() => null);
      if (response) expect(response.status()).toBe(403);
    }
    await page.goto(`${url}/chat`);
    await signOut(page);
  });
});
