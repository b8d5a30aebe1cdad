// Grounded answers in a real browser: a manager asks something the Brightmart pack does not cover
// and sees the honest answer (the guidance does not cover it, HR is named, no citations); once five
// different managers asked about the same topic, HR sees the topic — never the words — on the
// "Pack gaps" page, at desktop and phone widths.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, createSql, setDb } from '~/.server/db/client';
import { startEmbeddedDatabase } from '~/.server/db/embedded';
import { withSystem } from '~/.server/db/tenant';
import { createMember } from '~/.server/tenants/members';
import { DEMO_PASSWORD, launchBrowser, screenshot, signIn, signOut, startApp, watchForPageErrors, type RunningApp } from './harness';

// Its own app on a fresh DATA_DIR: the gap counts and the pack must not depend on what the other
// browser tests did to the shared app (uploads, publishes and rollbacks of the same demo pack).
let app: RunningApp;
let url: string;
// Five managers' own words about one topic the pack has no policy on (pets at work).
const QUESTIONS = [
  'One of my associates asked whether she can bring her dog to work on slow weekday mornings. What do I tell her?',
  'Can a cashier keep his small dog in the break room during his shift?',
  'A stocker wants to bring his puppy in on Sundays because nobody is home. Are pets allowed?',
  'Is it OK for a team member to bring their cat to the store for an hour?',
  'Someone asked if well-behaved dogs can come to work. Do we have a rule?',
];
const MARKER = 'weekday mornings';
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];
const managers: string[] = ['manager@brightmart.example'];

beforeAll(async () => {
  app = await startApp();
  url = app.url;
  // Four more managers of the demo tenant, created in the running app's database.
  const database = await startEmbeddedDatabase({ dataDir: app.dataDir, join: true, owner: 'e2e grounded' });
  process.env.RAPPORT_DATABASE_URL = database.url;
  setDb(createSql(database.url, 2));
  try {
    const [tenant] = await withSystem((tx) => tx<{ id: string }[]>`select id from tenants where slug = 'brightmart'`);
    for (let i = 2; i <= 5; i += 1) {
      const email = `gap-manager-${i}@brightmart.example`;
      await createMember({ tenantId: tenant.id, email, role: 'manager', password: DEMO_PASSWORD });
      managers.push(email);
    }
  } finally {
    await closeDb();
    await database.close();
  }
  browser = await launchBrowser();
  page = await browser.newPage();
  pageErrors = watchForPageErrors(page);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const lastAnswer = (p: Page) => p.locator('.msg-assistant').last();

async function ask(p: Page, text: string) {
  await p.goto(`${url}/chat`);
  await p.getByLabel('Message to your coach').fill(text);
  await p.getByRole('button', { name: 'Send' }).click();
  await p.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  await lastAnswer(p).getByText(/Answered by/).waitFor({ timeout: 60_000 });
}

describe('grounded answers', () => {
  it('tells a manager plainly that the pack does not cover the question, names HR and cites nothing', async () => {
    await signIn(page, url, managers[0]);
    await ask(page, QUESTIONS[0]);
    const answer = lastAnswer(page);
    const text = (await answer.locator('.msg-bubble > .md').textContent()) ?? '';
    expect(text).toMatch(/guidance does not cover this/);
    expect(text).toMatch(/check with Brightmart People Team/);
    expect(text).not.toMatch(/\[\d\]/);
    expect(await answer.locator('.citations').count()).toBe(0);
    await screenshot(page, 'grounded-not-covered');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'grounded-not-covered-mobile');
    await page.setViewportSize({ width: 1280, height: 860 });
    await signOut(page);
  });

  it("cites the policy a manager's story is about", async () => {
    await signIn(page, url, managers[0]);
    // The example: this cited Attendance and Lateness and Giving Feedback, not Breaks and Wellbeing.
    await ask(page, "I'm honestly so burnt out after Black Friday. I snapped at one of my cashiers today in front of everyone and I feel terrible about it.");
    const answer = lastAnswer(page);
    const sources = answer.locator('.citations');
    expect(await sources.count()).toBe(1);
    // The wellbeing guidance comes first ([1]), not the attendance policy that shares the story's words.
    expect(await sources.locator('summary').first().textContent()).toMatch(/\[1\] Breaks and wellbeing · version 1/);
    expect(await answer.locator('.msg-bubble > .md').textContent()).toMatch(/\[1\]/);
    await sources.locator('summary').first().click();
    expect(await sources.locator('.citation-text').first().isVisible()).toBe(true);
    await screenshot(page, 'grounded-narrative-cited');
    await signOut(page);
  });

  it('shows HR the topic once five different managers asked, and never their words', async () => {
    for (const [i, email] of managers.entries()) {
      if (i === 0) continue;
      await signIn(page, url, email);
      await ask(page, QUESTIONS[i]);
      expect(await lastAnswer(page).locator('.citations').count()).toBe(0);
      await signOut(page);
    }
    await signIn(page, url, 'hr@brightmart.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pack gaps' }).click();
    await page.waitForURL(/\/hr\/gaps$/);
    // Client-side navigation: the address changes before the new page renders.
    await page.getByRole('heading', { level: 1, name: 'Questions the pack did not cover' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Questions the pack did not cover');
    const table = page.getByTestId('gap-table');
    await table.waitFor();
    const row = table.getByRole('row', { name: /Pets at work/ });
    expect(await row.count()).toBe(1);
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('5');
    const body = (await page.locator('main').textContent()) ?? '';
    for (const q of QUESTIONS) expect(body).not.toContain(q.slice(0, 30));
    expect(body).not.toContain(MARKER);
    await screenshot(page, 'hr-gaps');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'hr-gaps-mobile');
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(pageErrors).toEqual([]);
  });
});
