// Compare models in a real browser: an app of its own with two OpenAI models served by the local mock provider
// (one careful, one terse; the mock also judges), the BrightMart tenant admin runs a comparison of the demo
// evaluation set, sees the ranked table (the cheapest good-enough model highlighted) and, after a second run,
// the trend of pass rate by run and version; screenshots at 1,280 and 390 px.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockCoachReply } from '../fixtures/mock-coach-replies';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { launchBrowser, screenshot, signIn, startApp, watchForPageErrors, type RunningApp } from './harness';

let mock: MockOpenAIServer;
let app: RunningApp;
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  mock = await startMockOpenAIServer({ tokenDelayMs: 1, models: { 'gpt-4o': { reply: mockCoachReply('careful') }, 'gpt-4o-mini': { reply: mockCoachReply('terse') } } });
  app = await startApp({ env: { OPENAI_API_KEY: 'sk-mock', OPENAI_BASE_URL: mock.url } });
  browser = await launchBrowser();
  page = await browser.newPage();
  pageErrors = watchForPageErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await mock?.close();
});

async function runComparison(models: string[]) {
  await page.goto(`${app.url}/admin/compare`);
  const form = page.locator('form.compare-form');
  for (const box of await form.getByRole('checkbox').all()) {
    const value = await box.getAttribute('value');
    if (models.includes(value ?? '')) await box.check();
    else await box.uncheck();
  }
  await Promise.all([page.waitForURL(/comparison=/), form.getByRole('button', { name: 'Run comparison' }).click()]);
  await page.getByRole('heading', { name: /Latest comparison/ }).waitFor({ timeout: 150_000 });
}

describe('compare models', () => {
  it('the tenant admin runs a comparison and sees the ranked table', async () => {
    await signIn(page, app.url, 'admin@brightmart.example');
    await Promise.all([page.waitForURL(/\/admin\/compare$/), page.getByRole('navigation').getByRole('link', { name: 'Compare models' }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Compare models' }).waitFor();
    expect(await page.textContent('main')).toMatch(/evaluation set \(8 cases\)/);
    await screenshot(page, 'compare-start-1280');

    await runComparison(['openai:gpt-4o', 'openai:gpt-4o-mini', 'offline-coach']);
    const rows = page.locator('table.compare-table tbody tr');
    expect(await rows.count()).toBe(3);
    const table = (await page.locator('table.compare-table').textContent()) ?? '';
    for (const label of ['GPT-4o', 'GPT-4o mini', 'offline coach']) expect(table).toContain(label);
    expect(await page.locator('tr.recommended').count()).toBe(1);
    expect(await page.locator('tr.recommended').textContent()).toContain('Good enough, lowest cost');
    expect(await page.locator('.compare-verdict').textContent()).toMatch(/passes \d+% of cases/);
    // Cost per 1,000 turns and TTFT come from the metered calls: dollars and milliseconds in every row.
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allTextContents();
      expect(cells[3]).toMatch(/^\$/);
      expect(cells[4]).toMatch(/ms$/);
    }
    await page.locator('summary', { hasText: 'Case by case' }).click();
    expect(await page.locator('table.compare-cases tbody tr').count()).toBe(8);
    await page.locator('summary', { hasText: 'Case by case' }).click();
    await screenshot(page, 'compare-table-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'compare-table-390');
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 240_000);

  it('a second run adds a point to the trend', async () => {
    await runComparison(['openai:gpt-4o-mini', 'offline-coach']);
    const chart = page.locator('figure[data-chart="line-chart"]');
    // The second run may still be finishing when the page first shows the previous "Latest comparison":
    // reload until the trend holds both runs (bounded).
    await expect
      .poll(
        async () => {
          await page.goto(`${app.url}/admin/compare`);
          await chart.waitFor();
          return chart.locator('table tbody tr').count();
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toBe(2);
    expect(await page.locator('table.compare-table tbody tr').count()).toBe(2);
    expect(await chart.getAttribute('data-empty')).not.toBe('true');
    // The chart's data table: one row per run, labelled with the pack and persona versions.
    const rows = await chart.locator('table tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/pack v1 · persona v\d+/);
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-trend-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'compare-trend-390');
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
