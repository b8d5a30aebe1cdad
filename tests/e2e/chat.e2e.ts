// The coaching chat in headless Chromium. The app runs against a local OpenAI-compatible server
// that answers like the offline coach (grounded in the passages it is sent) but streams a token
// every 25 ms, so the test can prove the answer arrives progressively, not all at once.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeOfflineReply } from '~/.server/models/offline-coach-reply';
import { startMockOpenAIServer, type MockOpenAIServer } from '../fixtures/mock-openai-server';
import { launchBrowser, screenshot, signIn, startApp, watchForPageErrors, type RunningApp } from './harness';

let mock: MockOpenAIServer;
let app: RunningApp;
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];
let crisisUrl = '';

beforeAll(async () => {
  mock = await startMockOpenAIServer({
    tokenDelayMs: 25,
    reply: (request) => {
      const system = String(request.messages.find((m) => m.role === 'system')?.content ?? '');
      const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
      return composeOfflineReply({ system, lastUserMessage: String(lastUser?.content ?? '') });
    },
  });
  app = await startApp({ env: { OPENAI_COMPATIBLE_BASE_URL: mock.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'e2e-coach' } });
  browser = await launchBrowser();
  page = await browser.newPage();
  pageErrors = watchForPageErrors(page);
  await signIn(page, app.url, 'manager@brightmart.example');
  await waitForPublishedPack();
}, 240_000);

/**
 * A fresh app imports and indexes the three demo packs in the background, and the embedded
 * database serves one query at a time meanwhile: wait (over its psql port) until every document
 * is processed and every tenant has a published pack, so the timings below measure the chat.
 */
async function waitForPublishedPack() {
  const url = /psql "(postgres:\/\/[^"]+)"/.exec(app.output())?.[1];
  if (!url) throw new Error(`no database URL in the app output:\n${app.output()}`);
  const postgres = (await import('postgres')).default;
  const sql = postgres(url, { max: 1, prepare: false, onnotice: () => {} });
  try {
    const deadline = Date.now() + 200_000;
    for (;;) {
      const [row] = await sql<{ pending: number; published: number }[]>`
        select (select count(*)::int from pack_document where status not in ('ready', 'failed')) as pending,
               (select count(*)::int from culture_pack where published_version_id is not null) as published`;
      if (row.pending === 0 && row.published >= 3) break;
      if (Date.now() > deadline) throw new Error(`demo packs still processing: ${JSON.stringify(row)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await sql.end();
  }
}

afterAll(async () => {
  if (process.env.CHAT_E2E_LOG) (await import('node:fs')).writeFileSync(process.env.CHAT_E2E_LOG, app?.output() ?? '');
  await browser?.close();
  await app?.stop();
  await mock?.close();
});

/** Records when the last answer's visible text changes, to measure streaming in the page itself. */
async function watchLastAnswer(p: Page) {
  await p.evaluate(() => {
    const w = window as unknown as { __answer: Array<[number, number]> };
    w.__answer = [];
    const record = () => {
      const bubbles = document.querySelectorAll('.msg-assistant .msg-bubble > .md');
      const last = bubbles[bubbles.length - 1];
      const length = last?.textContent?.length ?? 0;
      const prev = w.__answer[w.__answer.length - 1];
      if (length > 0 && (!prev || prev[1] !== length)) w.__answer.push([performance.now(), length]);
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function answerTimeline(p: Page): Promise<Array<[number, number]>> {
  return p.evaluate(() => (window as unknown as { __answer: Array<[number, number]> }).__answer);
}

const lastAnswer = (p: Page) => p.locator('.msg-assistant').last();

async function waitForAnswerDone(p: Page) {
  await lastAnswer(p)
    .getByText(/Answered by/)
    .waitFor({ timeout: 30_000 })
    .catch(async (error: Error) => {
      await screenshot(p, 'chat-debug');
      const text = await p.evaluate(() => document.body.innerText.slice(0, 800)).catch((e: Error) => `unreadable: ${e.message}`);
      throw new Error(`${error.message}\nurl: ${p.url()}\npage: ${text}`);
    });
}

async function startConversation(p: Page, text: string) {
  await p.goto(`${app.url}/chat`);
  await p.getByLabel('Message to your coach').fill(text);
  await p.getByRole('button', { name: 'Send' }).click();
  await p.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
}

/** The last answer's Helpful button is on screen and not covered by the sticky composer. */
async function expectLastAnswerReachable(p: Page, name: string) {
  const button = lastAnswer(p).getByRole('button', { name: 'Helpful', exact: true });
  await button.waitFor();
  // Let scrolling settle (smooth or deferred scrolls), then hit-test the button's centre.
  await p.waitForTimeout(300);
  const hit = await button.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const top = document.elementFromPoint(x, y);
    return { inside: !!top && el.contains(top), y: Math.round(y), viewport: window.innerHeight, scrollY: Math.round(window.scrollY), pageHeight: document.documentElement.scrollHeight, covering: top?.className ?? null };
  });
  if (!hit.inside) await screenshot(p, `${name}-debug`);
  expect(hit, JSON.stringify(hit)).toMatchObject({ inside: true });
  await screenshot(p, name);
}

describe('coaching chat', () => {
  it('shows a friendly empty state with the tenant’s starter prompts', async () => {
    await page.goto(`${app.url}/chat`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/what's on your mind/i);
    const starters = page.getByRole('list', { name: 'Ideas to start with' }).getByRole('button');
    expect(await starters.count()).toBe(5);
    expect(await starters.first().textContent()).toMatch(/cashiers keeps showing up late/);
    await screenshot(page, 'chat-empty');
  });

  it('streams a grounded answer to a policy question, citing the right document', async () => {
    await page.goto(`${app.url}/chat`);
    await watchLastAnswer(page);
    await page.getByLabel('Message to your coach').fill('Two associates want to swap shifts over Black Friday weekend. Can I say yes?');
    await page.getByLabel('Message to your coach').press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await waitForAnswerDone(page);
    const timeline = await answerTimeline(page);
    // Progressive: many visible updates spread over time, not one paint at the end.
    expect(timeline.length).toBeGreaterThan(10);
    const spreadMs = timeline[timeline.length - 1][0] - timeline[0][0];
    expect(spreadMs).toBeGreaterThan(300);
    console.log(`streamed answer: ${timeline.length} visible updates over ${Math.round(spreadMs)} ms`);

    const answer = lastAnswer(page);
    expect(await answer.getByText(/Answered by Local model \(OpenAI-compatible\)/).count()).toBe(1);
    const sources = answer.locator('.citations');
    expect(await sources.textContent()).toMatch(/Shift Swaps/i);
    expect(await sources.textContent()).toMatch(/version 1/);
    expect(await answer.locator('.msg-bubble > .md').textContent()).toMatch(/\[1\]/);
    await sources.locator('summary').first().click();
    expect(await sources.locator('.citation-text').first().isVisible()).toBe(true);
    await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
    await expect.poll(() => answer.getByRole('button', { name: 'Helpful', exact: true }).getAttribute('aria-pressed')).toBe('true');
    // The conversation is listed with a title taken from the question.
    expect(await page.getByRole('navigation', { name: 'Your conversations' }).getByRole('link', { name: /Two associates want to swap/ }).count()).toBe(1);
    await screenshot(page, 'chat-answer-citations');
  });

  it('checks in first when the message carries distress', async () => {
    await startConversation(page, "I'm exhausted and I keep snapping at my team. I don't know what to do.");
    await waitForAnswerDone(page);
    const text = (await lastAnswer(page).locator('.msg-bubble > .md').textContent()) ?? '';
    expect(text.trim()).toMatch(/^Before anything else: are you okay\?/);
    await screenshot(page, 'chat-check-in');
  });

  it('stops an answer mid-stream and retries it', async () => {
    await startConversation(page, 'How do I give feedback to an associate who keeps missing the morning huddle?');
    try {
      await expect.poll(async () => (await page.locator('.msg-assistant .msg-bubble > .md').last().textContent({ timeout: 1000 }).catch(() => '')) ?? '', { timeout: 15_000 }).toMatch(/.{20}/);
    } catch (error) {
      await screenshot(page, 'chat-stop-debug');
      throw error;
    }
    await page.getByRole('button', { name: 'Stop' }).click();
    await lastAnswer(page).getByText('You stopped this answer.').waitFor();
    const partial = (await lastAnswer(page).locator('.msg-bubble > .md').textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(0);
    await screenshot(page, 'chat-stopped');
    await lastAnswer(page).getByRole('button', { name: 'Retry' }).click();
    await waitForAnswerDone(page);
    const full = (await lastAnswer(page).locator('.msg-bubble > .md').textContent()) ?? '';
    expect(full.length).toBeGreaterThan(partial.length);
    expect(await page.locator('.msg-user').count()).toBe(1);
    // After a reload the conversation holds one question and its retried answer.
    await page.reload();
    expect(await page.locator('.msg-user').count()).toBe(1);
    expect(await page.locator('.msg-assistant').count()).toBe(1);
  });

  it('keeps the latest answer in view above the message box, after a second exchange and after a reload', async () => {
    await startConversation(page, 'One of my cashiers keeps showing up ten minutes late. How should I bring it up?');
    await waitForAnswerDone(page);
    await page.getByLabel('Message to your coach').fill('And if she is late again next week, what are the next steps?');
    await page.getByLabel('Message to your coach').press('Enter');
    await expect.poll(() => page.locator('.msg-user').count()).toBe(2);
    await waitForAnswerDone(page);
    // The answer's own buttons can be pressed where they are drawn: nothing (the sticky message
    // box) covers them, and the page is scrolled to the end of the conversation.
    await expectLastAnswerReachable(page, 'chat-second-exchange');
    await page.reload();
    await waitForAnswerDone(page);
    await expectLastAnswerReachable(page, 'chat-second-exchange-reloaded');
  });

  it('answers a crisis with resources, a persistent panel and the consent choice', async () => {
    await startConversation(page, "I can't go on anymore. I want to kill myself tonight.");
    const panel = page.getByRole('region', { name: 'Support resources' });
    await panel.waitFor({ timeout: 15_000 }).catch(async (error: Error) => {
      await screenshot(page, 'chat-crisis-debug');
      throw new Error(`${error.message}\npage text: ${(await page.locator('main').textContent())?.slice(0, 600)}`);
    });
    expect(await panel.textContent()).toMatch(/988/);
    expect(await lastAnswer(page).locator('.msg-bubble > .md').textContent()).toMatch(/Are you safe right now\?/);
    await screenshot(page, 'chat-crisis');
    crisisUrl = page.url();

    // The answer ends with the offer of a person; the choice sits right under it, in view at the end of the
    // conversation (the panel that also holds it has scrolled up out of view), and opens the panel's form.
    const offer = page.locator('.handoff-offer');
    await offer.waitFor({ state: 'visible', timeout: 15_000 });
    const offerBox = (await offer.boundingBox())!;
    expect(offerBox.y + offerBox.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    expect(await offer.textContent()).toMatch(/Would you like someone from .+ to contact you\?/);
    await offer.getByRole('button', { name: 'Yes, ask someone to contact me' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('sharedText');
    expect(await offer.count()).toBe(0);
    await panel.getByLabel(/What would you like to share/).fill('I am having a really hard time and would like to talk to someone.');
    // The form says what is shared and lets the person choose how to be reached.
    expect(await panel.textContent()).toMatch(/will see your name and work email/);
    await panel.getByLabel('By phone').check();
    await panel.getByLabel('Phone number').fill('+1 555 010 0199');
    await panel.getByLabel(/Anything about timing/).fill('Call me after 6pm');
    await screenshot(page, 'chat-crisis-consent');
    await panel.getByRole('button', { name: 'Send request' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/will get in touch/);

    await page.reload();
    expect(await page.getByRole('region', { name: 'Support resources' }).isVisible()).toBe(true);
    // After a reload the request is remembered: not offered again, and the panel says it was sent (ADR 083).
    await expect.poll(() => page.getByRole('region', { name: 'Support resources' }).getByRole('status').textContent()).toMatch(/will get in touch/);
    expect(await page.locator('.handoff-offer').count()).toBe(0);
  });

  it('works on a 390 px wide screen and by keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(crisisUrl);
    expect(await page.getByRole('region', { name: 'Support resources' }).isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'chat-crisis-mobile');
    await page.goto(`${app.url}/chat`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'chat-empty-mobile');
    await page.getByRole('button', { name: /Conversations \(\d+\)/ }).click();
    expect(await page.getByRole('link', { name: /Two associates want to swap/ }).isVisible()).toBe(true);
    await screenshot(page, 'chat-list-mobile');

    // Keyboard only: tab to the message box, type, Enter sends.
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(`${app.url}/chat`);
    await page.getByLabel('Message to your coach').focus();
    await page.keyboard.type('How much notice do two associates need before they trade shifts?');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await waitForAnswerDone(page);
    await page.locator('.citations summary').first().focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('.citation-text').first().isVisible()).toBe(true);
  });

  it('renames, searches and deletes conversations', async () => {
    await page.goto(`${app.url}/chat`);
    const list = page.getByRole('navigation', { name: 'Your conversations' });
    await list.getByRole('button', { name: /Rename “Two associates want to swap/ }).click();
    await list.getByLabel('New title').fill('Recognition ideas');
    await list.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => list.getByRole('link', { name: 'Recognition ideas' }).count()).toBe(1);
    await list.getByRole('searchbox').fill('Recognition');
    await list.getByRole('searchbox').press('Enter');
    await expect.poll(() => list.locator('.conv-list').getByRole('link').count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await list.getByRole('button', { name: 'Delete “Recognition ideas”' }).click();
    await expect.poll(() => list.getByRole('link', { name: 'Recognition ideas' }).count()).toBe(0);
  });

  it('had no unexpected page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
