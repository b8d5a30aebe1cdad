// What a new user met (issue 13), in headless Chromium against its own app and DATA_DIR:
// an answer cut off by a server crash (SIGKILL mid-stream, restart on the same data), crisis
// numbers that are links to tap, and a crisis conversation whose title holds none of its words.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { launchBrowser, screenshot, signIn, startApp, watchForPageErrors, type RunningApp } from './harness';

const LONG_REPLY = Array.from(
  { length: 40 },
  (_, i) => `Point ${i + 1}: keep the huddle short, start on time, and close with one clear ask for the shift.`,
).join(' ');
const CRISIS = "I can't go on, I'm planning to end my life tonight";

let mock: MockOpenAIServer;
let app: RunningApp;
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];

function appEnv() {
  return { OPENAI_COMPATIBLE_BASE_URL: mock.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'e2e-slow-coach' };
}

beforeAll(async () => {
  mock = await startMockOpenAIServer({ tokenDelayMs: 40, reply: LONG_REPLY });
  app = await startApp({ env: appEnv() });
  browser = await launchBrowser();
  page = await browser.newPage();
  pageErrors = watchForPageErrors(page);
  await signIn(page, app.url, 'manager@brightmart.example');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await mock?.close();
});

const lastAnswer = (p: Page) => p.locator('.msg-assistant').last();
const answerText = async (p: Page) => (await lastAnswer(p).locator('.msg-bubble > .md').textContent({ timeout: 1000 }).catch(() => '')) ?? '';

async function startConversation(p: Page, text: string) {
  await p.goto(`${app.url}/chat`);
  await p.getByLabel('Message to your coach').fill(text);
  await p.getByRole('button', { name: 'Send' }).click();
  await p.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
}

describe('a server crash mid-reply', () => {
  it('keeps the conversation on screen, saves the partial answer and lets the person retry after the restart', async () => {
    await startConversation(page, 'How do I run a better morning huddle?');
    const conversationPath = new URL(page.url()).pathname;
    // Let a few checkpoints happen (one a second), then kill the server without warning.
    await expect.poll(() => answerText(page), { timeout: 60_000 }).toMatch(/Point 6:/);
    app.process.kill('SIGKILL');
    await new Promise<void>((resolve) => (app.process.exitCode !== null || app.process.signalCode ? resolve() : app.process.once('exit', () => resolve())));

    // The page keeps the conversation, marks the answer cut off, and offers Retry — no error page.
    const note = lastAnswer(page).getByText('This answer was cut off.');
    await note.waitFor({ timeout: 15_000 });
    expect(await page.getByRole('heading', { name: /Error|Something went wrong/i }).count()).toBe(0);
    expect(await page.locator('.msg-user').first().textContent()).toMatch(/morning huddle/);
    const shownBeforeCrash = await answerText(page);
    expect(shownBeforeCrash).toMatch(/Point 1:/);
    expect(await lastAnswer(page).getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 860 });
    await screenshot(page, 'newuser-crash-cut-off-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'newuser-crash-cut-off-390');
    await page.setViewportSize({ width: 1280, height: 860 });

    // Restart on the same DATA_DIR: the answer that was streaming is kept, marked interrupted.
    app = await startApp({ dataDir: app.dataDir, env: appEnv() });
    expect(app.output()).toMatch(/1 answer\(s\) were cut off when the server last stopped/);
    await page.goto(`${app.url}${conversationPath}`);
    if (new URL(page.url()).pathname.startsWith('/login')) await signIn(page, app.url, 'manager@brightmart.example');
    if (new URL(page.url()).pathname !== conversationPath) await page.goto(`${app.url}${conversationPath}`);
    await lastAnswer(page).getByText('This answer was cut off.').waitFor({ timeout: 15_000 });
    const saved = await answerText(page);
    // Checkpointed text: at least the first points, never more than the browser had been shown.
    expect(saved).toMatch(/Point 1:/);
    expect(shownBeforeCrash.startsWith(saved.slice(0, 40))).toBe(true);
    await screenshot(page, 'newuser-crash-after-restart');

    await lastAnswer(page).getByRole('button', { name: 'Retry' }).click();
    await lastAnswer(page).getByText(/Answered by/).waitFor({ timeout: 90_000 });
    await expect.poll(() => answerText(page), { timeout: 60_000 }).toMatch(/Point 40:/);
    expect(await lastAnswer(page).getByText('This answer was cut off.').count()).toBe(0);
    await page.reload();
    expect(await page.locator('.msg-user').count()).toBe(1);
    expect(await page.locator('.msg-assistant').count()).toBe(1);
    expect(await answerText(page)).toMatch(/Point 40:/);
  }, 300_000);
});

describe('a crisis conversation', () => {
  it('gives tappable call, text and web links with large targets, the emergency number first', async () => {
    await startConversation(page, CRISIS);
    const panel = page.getByRole('region', { name: 'Support resources' });
    await panel.waitFor({ timeout: 30_000 });
    const tel = panel.locator('a[href^="tel:"]');
    expect(await tel.count()).toBeGreaterThanOrEqual(2);
    expect(await tel.first().getAttribute('href')).toBe('tel:911');
    expect(await panel.locator('a[href="sms:988"]').count()).toBe(1);
    expect(await panel.locator('a[href^="https:"]').count()).toBeGreaterThanOrEqual(1);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const link of await panel.locator('a.contact-link').all()) {
      const box = await link.boundingBox();
      expect(box, await link.textContent() ?? '').not.toBeNull();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.width).toBeGreaterThanOrEqual(44);
    }
    // The escalation reply links the same numbers.
    await expect.poll(() => lastAnswer(page).locator('a[href="tel:911"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    expect(await lastAnswer(page).locator('a[href="sms:988"]').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'newuser-crisis-links-390');
    await page.setViewportSize({ width: 1280, height: 860 });
    await screenshot(page, 'newuser-crisis-links-1280');
  });

  it('titles the conversation neutrally, in the sidebar, the heading and the tab', async () => {
    await page.reload();
    const words = ['go on', 'end my life', 'tonight', 'planning'];
    const sidebar = (await page.getByRole('navigation', { name: 'Your conversations' }).innerText()) ?? '';
    expect(sidebar).toMatch(/Support conversation · \d{1,2} [A-Z][a-z]{2}/);
    const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    expect(heading).toMatch(/^Support conversation · \d{1,2} [A-Z][a-z]{2}$/);
    const tab = await page.title();
    // The earlier, ordinary conversation's title is in the sidebar (below), never in the tab or heading.
    expect(tab.includes('morning huddle') || heading.includes('morning huddle')).toBe(false);
    for (const w of words) {
      expect({ w, sidebar: sidebar.includes(w), tab: tab.includes(w), heading: heading.includes(w) }).toEqual({ w, sidebar: false, tab: false, heading: false });
    }
    expect(tab).toBe('Conversation · Coach · Rapport');
    // The earlier, ordinary conversation keeps the title from its question (cut at a word).
    expect(sidebar).toMatch(/How do I run a better morning huddle\?/);
    // The SIGKILL above cuts a chunked response: the browser reports it, which is the point of the test.
    expect(pageErrors.filter((e) => !/Failed to fetch|network|ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED_ENCODING|status of 5\d\d/i.test(e))).toEqual([]);
  });
});
