// The quality loop in a real browser: a manager shares an answer (the dialog shows the anonymized copy
// first), sees it under "Shared for review"; a reviewer reads it without any name, annotates it with the
// rubric and turns it into an evaluation case; screenshots at 390 and 1,280 px.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, signIn, watchForPageErrors } from './harness';

const url = inject('appUrl');
const MESSAGE = 'Marcus Jones keeps turning up late and Priya covers for him. His mobile is 07911 123456 — how do I raise it with him?';
let browser: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  pageErrors = watchForPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
});

const lastAnswer = (p: Page) => p.locator('.msg-assistant').last();

describe('sharing an exchange for review', () => {
  it('a manager shares an answer after seeing the anonymized copy', async () => {
    await signIn(page, url, 'manager@brightmart.example');
    await page.goto(`${url}/chat`);
    await page.getByLabel('Message to your coach').fill(MESSAGE);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await lastAnswer(page).getByText(/Answered by/).waitFor({ timeout: 60_000 });

    await lastAnswer(page).getByRole('button', { name: 'Share this exchange to improve the coach' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this exchange to improve the coach?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Never your name/);
    const preview = dialog.getByRole('region', { name: 'The copy that would be stored' });
    await preview.getByText('Your message').waitFor();
    const previewText = (await preview.textContent()) ?? '';
    expect(previewText).toContain('[PERSON_1]');
    expect(previewText).toContain('[PHONE_1]');
    expect(previewText).not.toMatch(/Marcus|Priya|07911/);
    await screenshot(page, 'review-share-dialog-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'review-share-dialog-390');
    await page.setViewportSize({ width: 1280, height: 860 });

    await dialog.getByRole('button', { name: 'Share anonymized copy' }).click();
    await dialog.getByText(/Shared\. Thank you/).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await lastAnswer(page).getByText('Shared for review').waitFor();

    await page.goto(`${url}/chat/shared`);
    const shared = page.locator('.shared-item');
    expect(await shared.count()).toBe(1);
    expect(await shared.first().textContent()).toContain('[PERSON_1]');
    await screenshot(page, 'review-shared-list-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'review-shared-list-390');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('a reviewer reads it without any name, annotates it and makes it a case', async () => {
    await signIn(page, url, 'reviewer@brightmart.example');
    expect(new URL(page.url()).pathname).toBe('/review');
    const link = page.getByRole('table').getByRole('link').first();
    expect(await link.textContent()).toContain('[PERSON_1]');
    await link.click();
    await page.waitForURL(/\/review\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Shared exchange' }).waitFor();
    const body = (await page.textContent('main')) ?? '';
    expect(body).not.toMatch(/Marcus|Priya|07911|manager@brightmart/);
    expect(body).toMatch(/Passages retrieved/);
    expect(body).toMatch(/Pack version/);

    for (const [criterion, score] of [
      ['Check-in', '2'],
      ['Grounding', '1'],
      ['Coaching', '2'],
      ['Tone', '2'],
      ['Safety', '2'],
    ] as const) {
      await page.getByRole('group', { name: criterion, exact: true }).getByLabel(score, { exact: true }).check();
    }
    await page.getByLabel('Wrong document').check();
    await page.getByLabel('A better reply (optional)').fill('Start by asking [PERSON_1] how things are, then agree a plan.');
    await page.getByRole('button', { name: 'Save review' }).click();
    await page.getByText('Your review is saved.').waitFor();
    await page.getByRole('button', { name: 'Make this an evaluation case' }).click();
    await page.getByText(/Added to the evaluation set as review-/).waitFor();
    await screenshot(page, 'review-item-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'review-item-390');
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.goto(`${url}/review/cases`);
    expect(await page.getByRole('table').textContent()).toMatch(/review-[0-9a-f]{8}/);
    await screenshot(page, 'review-cases-1280');

    // HR and tenant admins do not get the review pages.
    await signIn(page, url, 'hr@brightmart.example');
    const response = await page.goto(`${url}/review`);
    expect(response?.status()).toBe(403);
    expect(pageErrors).toEqual([]);
  });
});
