// Every role's pages on a 390 px phone: nothing widens the page past the screen (a wide table
// scrolls inside its card), so no page needs sideways scrolling to reach its buttons.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, signIn, watchForPageErrors } from './harness';

const url = inject('appUrl');
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];

const PAGES: [string, string[]][] = [
  ['manager@brightmart.example', ['/chat', '/chat/shared']],
  ['hr@brightmart.example', ['/hr', '/hr/pack', '/hr/pack/tone', '/hr/pack/resources', '/hr/pack/preview', '/hr/pack/versions', '/hr/safety', '/hr/gaps']],
  ['admin@brightmart.example', ['/admin', '/admin/usage', '/admin/settings', '/admin/members', '/admin/audit', '/admin/compare']],
  ['reviewer@brightmart.example', ['/review', '/review/cases']],
];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  pageErrors = watchForPageErrors(page);
});
afterAll(async () => {
  await browser?.close();
});

describe('pages on a 390 px screen', () => {
  for (const [email, paths] of PAGES) {
    it(`fit the screen for ${email.split('@')[0]}`, async () => {
      await signIn(page, url, email);
      for (const path of paths) {
        const response = await page.goto(`${url}${path}`);
        expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) await screenshot(page, `narrow${path.replace(/\//g, '-')}`);
        expect({ path, width }).toEqual({ path, width: 390 });
      }
      expect(pageErrors).toEqual([]);
    });
  }
});
