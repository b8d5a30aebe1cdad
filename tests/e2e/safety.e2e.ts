// The HR safety page in a real browser: weekly counts (chart and table) and the consented
// hand-off cases, with status changes — and never any conversation text.
// First with records written as the chat turns would (a few weeks of history), then the real
// flow: a manager types a crisis message, sees the resources panel and consents; HR sees the case.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDb, createSql, setDb } from '~/.server/db/client';
import { startEmbeddedDatabase } from '~/.server/db/embedded';
import { withSystem, withTenant } from '~/.server/db/tenant';
import { classifyMessage } from '~/.server/safety/classifier';
import { createHandoffCase, recordSafetyEvent } from '~/.server/safety/events';
import { launchBrowser, screenshot, signIn, signOut, watchForPageErrors } from './harness';

const url = inject('appUrl');
const SECRET = 'MARMOSET-LANTERN-5509';
const CRISIS_MESSAGE = "I can't do this any more, I'm going to take all my pills tonight";
const SHARED_TEXT = "Things at home are really hard right now and it's affecting my shifts. I'd like to talk to someone this week.";
const CONTACT = 'Phone 555-0142 after 6pm, or Teams';
const CHAT_CRISIS = 'I am going to take all my pills tonight, nobody on the ORCHID-SEVEN shift will even notice';
const CHAT_SHARED = 'Please could someone call me today. I am not okay.';
const CHAT_CONTACT = 'Mobile 555-0199, any time';
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];

// What a few weeks of chat turns and one consent would have recorded, written straight into the
// running app's database: a private conversation holding the secret, its safety events, a case.
async function seedSafetyRecords() {
  // The app's data key is wrapped by the master key it generated in its DATA_DIR (encryption at rest).
  process.env.DATA_DIR = inject('appDataDir');
  const database = await startEmbeddedDatabase({ dataDir: inject('appDataDir'), join: true, owner: 'e2e safety' });
  process.env.RAPPORT_DATABASE_URL = database.url;
  setDb(createSql(database.url, 2));
  try {
    const [manager] = await withSystem((tx) => tx<{ id: string; tenantId: string }[]>`
      select u.id, u.tenant_id as "tenantId" from app_user u where u.email = 'manager@brightmart.example'`);
    const tenantId = manager.tenantId;
    const verdict = classifyMessage(CRISIS_MESSAGE);
    await withTenant(tenantId, async (tx) => {
      const [conversation] = await tx<{ id: string }[]>`
        insert into conversation (tenant_id, user_id, title, safety_level) values (${tenantId}, ${manager.id}, ${`${SECRET} rota trouble`}, 'crisis') returning id`;
      const [message] = await tx<{ id: string }[]>`
        insert into message (tenant_id, conversation_id, user_id, role, content) values (${tenantId}, ${conversation.id}, ${manager.id}, 'user', ${`${SECRET} ${CRISIS_MESSAGE}`}) returning id`;
      await tx`insert into message (tenant_id, conversation_id, user_id, role, content, status)
        values (${tenantId}, ${conversation.id}, ${manager.id}, 'assistant', ${`${SECRET} I'm really glad you told me.`}, 'escalated')`;
      await recordSafetyEvent({ tenantId, conversationId: conversation.id, messageId: message.id, stage: 'input', level: verdict.level, categories: verdict.categories, ruleIds: verdict.ruleIds, action: 'escalated' }, tx);
      // Earlier weeks, as the chat turns would have recorded them.
      const history: [number, string, string[]][] = [
        [3, 'concern', []],
        [8, 'concern', ['abuse_or_harassment']],
        [9, 'crisis', ['abuse_or_harassment']],
        [15, 'concern', []],
        [16, 'concern', []],
        [22, 'crisis', ['self_harm']],
        [23, 'concern', ['self_harm']],
        [30, 'crisis', ['medical_emergency']],
        [44, 'concern', ['harm_to_others']],
        [45, 'concern', []],
      ];
      for (const [daysAgo, level, categories] of history) {
        await tx`insert into safety_event (tenant_id, at, stage, level, categories, rule_ids, action)
          values (${tenantId}, now() - make_interval(days => ${daysAgo}), 'input', ${level}, ${categories}, ${['e2e.seed']}, ${level === 'crisis' ? 'escalated' : 'checked_in'})`;
      }
    });
    await createHandoffCase({ tenantId, userId: manager.id, sharedText: SHARED_TEXT, contactPreference: CONTACT });
  } finally {
    await closeDb();
    await database.close();
  }
}

beforeAll(async () => {
  await seedSafetyRecords();
  browser = await launchBrowser();
  page = await browser.newPage();
  pageErrors = watchForPageErrors(page);
});
afterAll(async () => {
  await browser?.close();
});

describe('HR safety page', () => {
  it('shows counts and the consented case, and no conversation text', async () => {
    await signIn(page, url, 'hr@brightmart.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Safety & hand-offs' }).click();
    await page.waitForURL(/\/hr\/safety$/);
    // The URL changes as the client-side navigation commits; the new page renders just after.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Safety & hand-offs');

    const stats = await page.getByTestId('safety-stats').innerText();
    expect(stats).toMatch(/Open cases\s+1/);
    // 4 crises and 7 concerns over weeks with 1 or 2 each: no count under 5 is shown or drawn
    // (issue 13 item 5), and the concern total does not give the hidden weeks away.
    expect(stats).toMatch(/Crisis, last 12 weeks\s+fewer than 5/);
    expect(stats).toMatch(/Concern, last 12 weeks\s+at least 5/);

    const chart = page.locator('figure[data-chart="bar-chart"]');
    expect(await chart.getAttribute('data-empty')).toBe('true');
    expect(await chart.locator('.chart__empty').textContent()).toMatch(/Every weekly count is under 5/);
    const table = page.getByTestId('safety-counts-table');
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(5);
    expect(await table.locator('tbody').innerText()).toMatch(/fewer than 5/);
    // Every count cell (not the week column) is 0, 5 or more, or "fewer than 5".
    const cells = await table.locator('tbody td').allTextContents();
    expect(cells.filter((c) => /^[1-4]$/.test(c.trim()))).toEqual([]);
    expect(await table.locator('thead').textContent()).toMatch(/Self-harm[\s\S]*Abuse or harassment/);
    // A category gets a column only when it occurred, and every seeded category occurred 1–4 times in a week:
    // each column has a "fewer than 5" cell (a hidden count must never read as 0).
    const headers = await table.locator('thead th').allTextContents();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')));
    for (let col = 3; col < headers.length; col++) {
      expect({ column: headers[col], hidden: rows.some((r) => r[col] === 'fewer than 5') }).toEqual({ column: headers[col], hidden: true });
    }

    const cases = page.getByTestId('handoff-cases');
    expect(await cases.locator('li.handoff-case').count()).toBe(1);
    const caseText = await cases.innerText();
    expect(caseText).toContain(SHARED_TEXT);
    expect(caseText).toContain(CONTACT);
    expect(caseText).toContain('manager@brightmart.example');
    // Reached by work email: the address is said once, as a mailto link, not three times over.
    expect(caseText.split('manager@brightmart.example').length - 1).toBe(1);
    expect(await cases.locator('a[href="mailto:manager@brightmart.example"]').count()).toBe(1);
    expect(caseText).toMatch(/Open/);

    const html = await page.content();
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain('all my pills');
    await screenshot(page, 'safety-hr-page');
    expect(pageErrors).toEqual([]);
  });

  it('lets HR move the case to in progress and closed, audited without text', async () => {
    const item = page.locator('li.handoff-case').first();
    await item.getByRole('combobox').selectOption('in_progress');
    await item.getByRole('button', { name: 'Update status' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/marked in progress/);
    // The action's message shows while the page data is still reloading; wait for the case itself.
    await expect.poll(() => page.locator('li.handoff-case .status-pill').first().textContent()).toBe('In progress');
    expect(await page.getByTestId('safety-stats').innerText()).toMatch(/Cases in progress\s+1/);
    await screenshot(page, 'safety-hr-in-progress');

    await page.locator('li.handoff-case').first().getByRole('combobox').selectOption('closed');
    await page.locator('li.handoff-case').first().getByRole('button', { name: 'Update status' }).click();
    await expect.poll(() => page.getByTestId('handoff-empty').count()).toBe(1);
    expect(await page.getByTestId('handoff-empty').textContent()).toMatch(/No open hand-off cases/);
    await page.getByText('Closed cases (1)').click();
    expect(await page.locator('details.handoff-closed li.handoff-case').innerText()).toContain(SHARED_TEXT);
    await screenshot(page, 'safety-hr-closed');
    await signOut(page);

    await signIn(page, url, 'admin@brightmart.example');
    await page.goto(`${url}/admin/audit`);
    const audit = await page.locator('main').innerText();
    expect(audit).toContain('safety.handoff_status');
    expect(audit).not.toContain('Things at home');
    expect(audit).not.toContain(SECRET);
    await signOut(page);
    expect(pageErrors).toEqual([]);
  });

  it('shows empty states to HR of a tenant with nothing recorded', async () => {
    await signIn(page, url, 'hr@northwind-logistics.example');
    await page.goto(`${url}/hr/safety`);
    expect(await page.getByTestId('handoff-empty').textContent()).toMatch(/No open hand-off cases/);
    expect(await page.locator('figure[data-chart="bar-chart"]').getAttribute('data-empty')).toBe('true');
    expect(await page.locator('figure[data-chart] .chart__empty').textContent()).toMatch(/No safety events in the last 12 weeks/);
    expect(await page.getByTestId('safety-stats').innerText()).toMatch(/Open cases\s+0/);
    const html = await page.content();
    expect(html).not.toContain(SHARED_TEXT);
    await screenshot(page, 'safety-hr-empty');
    await signOut(page);
  });

  it('refuses a manager with the 403 page', async () => {
    await signIn(page, url, 'manager@brightmart.example');
    const res = await page.goto(`${url}/hr/safety`);
    expect(res?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/do not have access/);
    expect(await page.content()).not.toContain(SHARED_TEXT);
    await signOut(page);
  });
});

describe('a crisis in the chat, consented to a hand-off', () => {
  it('shows the manager the resources panel and the consent choice, and sends only what they wrote', async () => {
    await signIn(page, url, 'manager@brightmart.example');
    expect(new URL(page.url()).pathname).toBe('/chat');
    await page.getByLabel('Message to your coach').fill(CHAT_CRISIS);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const panel = page.getByRole('region', { name: 'Support resources' });
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await panel.innerText()).toMatch(/emergency/i);
    await expect.poll(() => page.getByRole('log', { name: 'Messages' }).innerText(), { timeout: 30_000 }).toMatch(/safe/i);
    expect(await panel.getByRole('button', { name: 'Yes, ask someone to contact me' }).isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Not now' }).isVisible()).toBe(true);
    await screenshot(page, 'safety-chat-resources');
    // The page follows the answer to its end although the panel arrived above the messages mid-answer (the browser's
    // scroll from the follow, read after the panel grew the page, was taken for the person scrolling away: 1 in 3).
    await expect
      .poll(() => page.evaluate(() => document.querySelector('.msg-assistant:last-of-type')!.getBoundingClientRect().bottom <= document.querySelector('.composer')!.getBoundingClientRect().top + 1), { timeout: 10_000 })
      .toBe(true);

    // The panel scrolls with the conversation: kept in view, it covered the top 523 px of an 860 px window, and the
    // answer could only be read in the 170 px between it and the message box.
    const answerText = page.locator('.msg-assistant').last().locator('.msg-bubble > .md p').first();
    await answerText.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const covered = await answerText.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return document.elementFromPoint(box.left + 10, box.top + box.height / 2)?.closest('.resources-panel, .resources-bar') !== null;
    });
    expect(covered).toBe(false);
    // Once the panel is out of view, a one-line bar keeps the emergency number a tap away and brings the panel back.
    const viewport = page.viewportSize()!;
    await page.setViewportSize({ width: viewport.width, height: 600 });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const bar = page.locator('.resources-bar');
    await bar.waitFor({ state: 'visible' });
    const barBox = (await bar.boundingBox())!;
    expect(barBox.y).toBeLessThanOrEqual(1);
    expect(barBox.height).toBeLessThanOrEqual(72);
    const call = bar.locator('a[href^="tel:"]').first();
    expect(await call.getAttribute('href')).toBe('tel:911');
    expect((await call.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    // Scrolled to the end of a long conversation, the conversation list and "New conversation" are still in view.
    const newConversation = (await page.getByRole('navigation', { name: 'Your conversations' }).getByRole('link', { name: 'New conversation' }).boundingBox())!;
    expect(newConversation.y).toBeGreaterThanOrEqual(0);
    expect(newConversation.y + newConversation.height).toBeLessThanOrEqual(600);
    await screenshot(page, 'safety-chat-resources-bar');
    await bar.getByRole('button', { name: 'All support options' }).click();
    await expect.poll(async () => Math.round((await panel.boundingBox())!.y)).toBeLessThanOrEqual(2);
    await bar.waitFor({ state: 'hidden' });
    await page.setViewportSize(viewport);

    await panel.getByRole('button', { name: 'Yes, ask someone to contact me' }).click();
    expect(await panel.innerText()).toMatch(/will see your name and work email/);
    await panel.locator('textarea[name=sharedText]').fill(CHAT_SHARED);
    await panel.locator('input[name=contactPreference]').fill(CHAT_CONTACT);
    await screenshot(page, 'safety-chat-consent-form');
    await panel.getByRole('button', { name: 'Send request' }).click();
    // The confirmation says exactly what was shared: name, work email and what they wrote.
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/They received your name, work email and what you wrote, nothing else/);
    await screenshot(page, 'safety-chat-consent-sent');

    // The panel stays with the conversation.
    await page.reload();
    await page.getByRole('region', { name: 'Support resources' }).waitFor({ state: 'visible' });
    await signOut(page);
    expect(pageErrors).toEqual([]);
  });

  it('gives HR the case and one more crisis count, but none of the conversation', async () => {
    await signIn(page, url, 'hr@brightmart.example');
    await page.goto(`${url}/hr/safety`);
    const cases = page.getByTestId('handoff-cases');
    expect(await cases.locator('li.handoff-case').count()).toBe(1);
    const caseText = await cases.innerText();
    expect(caseText).toContain(CHAT_SHARED);
    expect(caseText).toContain(CHAT_CONTACT);
    expect(await page.getByTestId('safety-stats').innerText()).toMatch(/Crisis, last 12 weeks\s+at least 5/);
    const html = await page.content();
    for (const hidden of ['ORCHID-SEVEN', 'all my pills', SECRET]) expect({ hidden, shown: html.includes(hidden) }).toEqual({ hidden, shown: false });
    await screenshot(page, 'safety-hr-after-chat');
    await signOut(page);
    expect(pageErrors).toEqual([]);
  });
});
