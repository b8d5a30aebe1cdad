import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resourcesViewFor } from '~/.server/coach/culture-context';
import { composeEscalationReply, escalationSectionFor, escalationTemplateName, escalationTemplateVersion, loadLocalisedEscalationTemplate, type EscalationSection } from '~/.server/safety/escalation';
import { parsePromptFile } from '~/.server/coach/prompt';
import { defaultResources, type SupportResources } from '~/lib/culture';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Citations } from '~/components/chat/Citations';
import { CHAT_TEXT, SUPPORTED_LANGUAGES, SUPPORT_TEXT, chatText, fillText, type LanguageCode } from '~/lib/i18n';
import { REPLY_AFTER_CRISIS_RULE } from '~/lib/safety';

const SECTIONS: EscalationSection[] = ['self', 'still_here', 'third_party', 'medical', 'violence'];
const resources: SupportResources = {
  eap: { name: 'Acme EAP', phone: '0800 000', hours: '24/7' },
  hrContact: { name: 'People Team' },
  supportContact: { name: 'People Team' },
  defaultCountry: 'GB',
  byCountry: {},
};

function sectionText(template: string, section: string): string {
  const body = template.replace(/<!--[\s\S]*?-->/g, '');
  const start = body.indexOf(`## ${section}\n`);
  const rest = body.slice(start + section.length + 4);
  return rest.slice(0, rest.search(/^## /m) === -1 ? undefined : rest.search(/^## /m));
}

describe('escalation templates in every supported language', () => {
  it.each(SUPPORTED_LANGUAGES.map((l) => [l]))('%s has a versioned file with every section and the same placeholders as English', async (language) => {
    const english = await loadLocalisedEscalationTemplate('en');
    const template = await loadLocalisedEscalationTemplate(language as LanguageCode);
    expect(template.language).toBe(language);
    expect(template.name).toBe(escalationTemplateName(language as LanguageCode));
    expect(fs.existsSync(`prompts/${template.name}.md`)).toBe(true);
    expect(escalationTemplateVersion(template.text)).toBe('2');
    expect(() => parsePromptFile(template.name, template.text)).not.toThrow();
    for (const section of SECTIONS) {
      const placeholders = (t: string) => [...new Set(sectionText(t, section).match(/\{\{\s*[a-z_]+\s*\}\}/g))].sort();
      expect(placeholders(template.text), `${language} ${section}`).toEqual(placeholders(english.text));
      expect(sectionText(template.text, section).trim().length).toBeGreaterThan(120);
    }
  });

  it.each(SUPPORTED_LANGUAGES.map((l) => [l]))('%s composes a reply with the tenant’s lines and no English left over', async (language) => {
    const template = await loadLocalisedEscalationTemplate(language as LanguageCode);
    for (const section of SECTIONS) {
      const verdict =
        section === 'medical' ? { categories: ['medical_emergency' as const], thirdParty: false }
        : section === 'violence' ? { categories: ['harm_to_others' as const], thirdParty: false }
        : section === 'still_here' ? { categories: ['self_harm' as const], thirdParty: false, ruleIds: [REPLY_AFTER_CRISIS_RULE] }
        : { categories: ['self_harm' as const], thirdParty: section === 'third_party' };
      expect(escalationSectionFor(verdict)).toBe(section);
      const reply = composeEscalationReply({ verdict, resources, country: 'GB', template: template.text, language: template.language });
      expect(reply).not.toMatch(/\{\{|\}\}/);
      expect(reply).toContain('999');
      expect(reply).toContain('Samaritans');
      expect(reply).toContain('Acme EAP');
      expect(reply).toContain(fillText(SUPPORT_TEXT[language as LanguageCode].inAnEmergency, { number: '999' }));
      if (language !== 'en') expect(reply).not.toMatch(/In an emergency|employee assistance programme|call or text/);
    }
  });

  it('falls back to English for an unknown language', async () => {
    const template = await loadLocalisedEscalationTemplate('xx' as LanguageCode);
    expect(template).toMatchObject({ name: 'escalation', language: 'en' });
  });

  it('says "your local emergency number" in the person’s language when the country has none on file', async () => {
    const template = await loadLocalisedEscalationTemplate('es');
    const reply = composeEscalationReply({ verdict: { categories: ['self_harm'], thirdParty: false }, resources: defaultResources('ZZ'), country: 'ZZ', template: template.text, language: 'es' });
    expect(reply).toContain('llama ahora al número de emergencias de tu país');
    expect(reply).not.toContain('your local emergency number');
  });
});

describe('resources panel text', () => {
  it('has every string in every language, with its placeholders', () => {
    const keys = Object.keys(SUPPORT_TEXT.en) as (keyof typeof SUPPORT_TEXT.en)[];
    for (const language of SUPPORTED_LANGUAGES) {
      for (const key of keys) {
        const text = SUPPORT_TEXT[language][key];
        if (key === 'englishOnlyCoach' && language === 'en') continue;
        expect(text.trim().length, `${language}.${key}`).toBeGreaterThan(0);
        const wanted = SUPPORT_TEXT.en[key].match(/\{\w+\}/g) ?? [];
        expect((text.match(/\{\w+\}/g) ?? []).sort(), `${language}.${key}`).toEqual([...wanted].sort());
      }
    }
  });

  it('has every chat-chrome string in every language, with its placeholders', () => {
    const keys = Object.keys(CHAT_TEXT.en) as (keyof typeof CHAT_TEXT.en)[];
    for (const language of SUPPORTED_LANGUAGES) {
      expect(Object.keys(CHAT_TEXT[language]).sort(), language).toEqual([...keys].sort());
      for (const key of keys) {
        const text = CHAT_TEXT[language][key];
        expect(text.trim().length, `${language}.${key}`).toBeGreaterThan(0);
        const wanted = CHAT_TEXT.en[key].match(/\{\w+\}/g) ?? [];
        expect((text.match(/\{\w+\}/g) ?? []).sort(), `${language}.${key}`).toEqual([...wanted].sort());
      }
      if (language === 'en') continue;
      // The strings a person reads first are never left in English.
      for (const key of ['citationsTitle', 'ratingQuestion', 'placeholder', 'messageLabel', 'answeredBy', 'replaced', 'shareOpen', 'shareTitle', 'notHelpful'] as const) {
        expect(CHAT_TEXT[language][key], `${language}.${key}`).not.toBe(CHAT_TEXT.en[key]);
      }
    }
    expect(chatText('zz' as LanguageCode)).toBe(CHAT_TEXT.en);
    expect(chatText(null)).toBe(CHAT_TEXT.en);
  });

  it('renders the sources title in the conversation’s language, English unchanged', () => {
    const citations = [{ chunkId: 'c1', label: 'P1', document: 'Leave and Time Off', heading: 'Bereavement', version: 3, text: 'Three days.' }];
    const en = renderToStaticMarkup(createElement(Citations, { citations }));
    expect(en).toContain('>Sources from your company&#x27;s guidance</p>');
    expect(en).toContain(' · version 3');
    const es = renderToStaticMarkup(createElement(Citations, { citations, language: 'es' }));
    expect(es).toContain('<p class="citations-title" lang="es">Fuentes de las pautas de tu empresa</p>');
    expect(es).toContain(' · versión 3');
    expect(es).not.toMatch(/Sources from|version 3/);
  });

  it('builds the panel in the person’s language, tenant names as entered', () => {
    const view = resourcesViewFor(resources, 'GB', 'pl');
    expect(view.language).toBe('pl');
    expect(view.lines[0]).toEqual({ label: 'Numer alarmowy', detail: 'Zadzwoń pod 999' });
    expect(view.lines[1]).toEqual({ label: 'Samaritans', detail: 'zadzwoń lub napisz: 116 123 · https://www.samaritans.org' });
    expect(view.lines[2].label).toBe('Acme EAP');
    expect(view.lines[3]).toEqual({ label: 'People Team', detail: 'zapytaj przełożonego o dane kontaktowe' });
    expect(resourcesViewFor(resources, 'GB', 'zz').language).toBe('en');
    expect(resourcesViewFor(resources, 'GB').lines[0]).toEqual({ label: 'Emergency', detail: 'Call 999' });
  });

  it('joins two emergency numbers with the person’s own word for "or" (ADR 083)', async () => {
    const ireland: SupportResources = { ...resources, defaultCountry: 'IE', byCountry: { IE: { emergency: '112 or 999', crisisLine: 'Samaritans', crisisPhone: '116 123' } } };
    expect(resourcesViewFor(ireland, 'IE', 'es').lines[0].detail).toBe('Llama al 112 o 999');
    expect(resourcesViewFor(ireland, 'IE', 'de').lines[0].detail).toMatch(/112 oder 999/);
    const template = await loadLocalisedEscalationTemplate('pl');
    const reply = composeEscalationReply({ verdict: { categories: ['self_harm'], thirdParty: false }, resources: ireland, country: 'IE', template: template.text, language: 'pl' });
    expect(reply).toContain('112 lub 999');
    expect(reply).not.toMatch(/112 or 999/);
  });
});
