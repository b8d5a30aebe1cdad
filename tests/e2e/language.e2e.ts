// A crisis written in another language, in a real browser: the escalation reply and the resources
// panel come in that language (and stay in it after a reload), at phone and desktop widths.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, signIn, signOut, watchForPageErrors } from './harness';

const url = inject('appUrl');
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

async function sendCrisis(text: string) {
  await signIn(page, url, 'manager@brightmart.example');
  await page.getByLabel('Message to your coach').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
}

describe('a crisis in the person’s language', () => {
  for (const [width, height] of [[390, 844], [1280, 900]] as const) {
    it(`shows the Spanish reply and resources panel at ${width} px`, async () => {
      await page.setViewportSize({ width, height });
      await sendCrisis('Ya no puedo más. Tengo las pastillas preparadas y quiero suicidarme esta noche.');
      const panel = page.getByRole('region', { name: 'Recursos de apoyo' });
      await panel.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await panel.getAttribute('lang')).toBe('es');
      const panelText = await panel.innerText();
      expect(panelText).toContain('Aquí tienes apoyo');
      expect(panelText).toContain('Si alguien está en peligro inmediato, llama ahora al número de emergencias.');
      expect(panelText).toMatch(/Emergencias:\s*Llama al\s*911/);
      expect(panelText).toMatch(/988 Suicide & Crisis Lifeline:\s*llama o escribe al\s*988/);
      expect(panelText).not.toMatch(/Support is here|Emergency:|Not now/);
      expect(await panel.getByRole('button', { name: 'Sí, quiero que me contacten' }).isVisible()).toBe(true);
      expect(await panel.getByRole('button', { name: 'Ahora no' }).isVisible()).toBe(true);
      const log = page.getByRole('log', { name: 'Messages' });
      await expect.poll(() => log.innerText(), { timeout: 30_000 }).toMatch(/¿Estás a salvo ahora mismo\?/);
      expect(await log.innerText()).toMatch(/En una emergencia: llama al\s*911/);
      // The panel fits the screen: no sideways scrolling on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await screenshot(page, `language-crisis-es-${width}`);

      await panel.getByRole('button', { name: 'Ahora no' }).click();
      expect(await panel.getByRole('status').textContent()).toBe('De acuerdo. Este panel seguirá aquí si cambias de opinión.');

      // Reopened, the conversation keeps its language.
      await page.reload();
      const again = page.getByRole('region', { name: 'Recursos de apoyo' });
      await again.waitFor({ state: 'visible' });
      expect(await again.innerText()).toContain('Aquí tienes apoyo');
      await signOut(page);
      expect(pageErrors).toEqual([]);
    });
  }

  it('shows the French panel and consent form for a French crisis', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await sendCrisis('Je veux me suicider ce soir, je ne vois plus aucune issue.');
    const panel = page.getByRole('region', { name: 'Ressources de soutien' });
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.getByRole('log', { name: 'Messages' }).innerText(), { timeout: 30_000 }).toMatch(/Êtes-vous en sécurité en ce moment \?/);
    await panel.getByRole('button', { name: 'Oui, je veux être contacté·e' }).click();
    expect(await panel.innerText()).toMatch(/Comment peut-on vous joindre \?/);
    expect(await panel.getByRole('button', { name: 'Envoyer la demande' }).isVisible()).toBe(true);
    await screenshot(page, 'language-crisis-fr-consent-1280');
    await panel.getByRole('button', { name: 'Annuler' }).click();
    await signOut(page);
    expect(pageErrors).toEqual([]);
  });
});

describe('a question in the person’s language to an English pack (ADR 049)', () => {
  const lastAnswer = () => page.locator('.msg-assistant').last();
  async function ask(text: string) {
    await signIn(page, url, 'manager@brightmart.example');
    await page.goto(`${url}/chat`);
    await page.getByLabel('Message to your coach').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    // The model line is in the conversation's language: wait for it by its place, not its words.
    await lastAnswer().locator('.msg-model').waitFor({ timeout: 60_000 });
  }

  it('answers a Spanish question in Spanish and cites the English passage that answers it', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await ask('A mi cajera se le murió la abuela anoche y el funeral es el viernes. ¿Cuántos días de permiso le corresponden?');
    const answer = lastAnswer();
    const text = (await answer.locator('.msg-bubble > .md').textContent()) ?? '';
    expect(text).toMatch(/Esto es lo que dicen las pautas de Brightmart/);
    expect(text).toMatch(/Una pregunta para pensar:/);
    expect(text).not.toMatch(/A question to consider|only coach in English|solo puedo darte orientación en inglés/);
    const sources = answer.locator('.citations');
    expect(await sources.count()).toBe(1);
    expect(await sources.locator('summary').first().textContent()).toMatch(/Leave and Time Off/);
    // The chrome around the answer speaks Spanish too, marked as such for screen readers.
    const title = sources.locator('.citations-title');
    expect(await title.textContent()).toBe('Fuentes de las pautas de tu empresa');
    expect(await title.getAttribute('lang')).toBe('es');
    expect(await answer.locator('.msg-model').textContent()).toMatch(/^Respondido por /);
    const rating = answer.getByRole('group', { name: '¿Te ha sido útil esta respuesta?' });
    expect(await rating.getByRole('button', { name: 'Útil', exact: true }).isVisible()).toBe(true);
    expect(await rating.getByRole('button', { name: 'No útil' }).isVisible()).toBe(true);
    const composer = page.getByLabel('Mensaje para tu coach');
    expect(await composer.getAttribute('placeholder')).toBe('Cuéntame qué está pasando…');
    expect(await page.getByRole('button', { name: 'Enviar', exact: true }).count()).toBe(1);
    expect(await page.locator('.composer').innerText()).toMatch(/Intro para enviar/);
    expect(await answer.innerText()).not.toMatch(/Sources from|Answered by|Was this answer helpful|Share this exchange/);
    await screenshot(page, 'language-question-es-cited');
    await signOut(page);
    expect(pageErrors).toEqual([]);
  });

  it('tells a Polish manager in Polish that the guidance does not cover it, naming HR, citing nothing', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await ask('Czy firma dopłaca pracownikom do karnetu na siłownię?');
    const answer = lastAnswer();
    const text = (await answer.locator('.msg-bubble > .md').textContent()) ?? '';
    expect(text).toMatch(/Wytyczne Brightmart[^.]* tego nie obejmują/);
    expect(text).toMatch(/skonsultuj to z Brightmart People Team/);
    expect(await answer.locator('.citations').count()).toBe(0);
    expect(await page.getByLabel('Wiadomość do coacha').getAttribute('placeholder')).toBe('Opisz, co się dzieje…');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'language-question-pl-not-covered-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
    expect(pageErrors).toEqual([]);
  });
});
