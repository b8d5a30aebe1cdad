import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectMessageLanguage, languageForTurn } from '~/.server/i18n/language';
import { SUPPORTED_LANGUAGES } from '~/lib/i18n';

describe('detectMessageLanguage', () => {
  it.each([
    ['en', 'I feel like everyone would be better off without me.'],
    ['es', 'Ya no aguanto más, este fin de semana me voy a quitar la vida.'],
    ['fr', "J'ai décidé d'en finir ce week-end."],
    ['de', 'Ich kann nicht mehr, ich habe alles vorbereitet.'],
    ['pt', 'Não aguento mais, já decidi.'],
    ['it', 'Non ce la faccio più con questi turni.'],
    ['pl', 'Nie daję już rady w tej pracy.'],
    ['nl', 'Ik kan het niet meer aan op het werk.'],
    ['ro', 'Nu mai pot, sunt epuizată.'],
    ['uk', 'Я більше не можу так жити.'],
    ['tl', 'Hindi ko na kaya ang trabaho ko.'],
    ['vi', 'Tôi không chịu nổi nữa.'],
    ['ar', 'لم أعد أحتمل هذا العمل.'],
    ['zh', '我撑不下去了。'],
    ['hi', 'मैं अब और नहीं सह सकता।'],
  ])('tells %s from a short message', (lang, text) => {
    expect(detectMessageLanguage(text).language).toBe(lang);
  });

  it.each([
    ['a word or two', 'ok sure'],
    ['a single thank-you', 'Gracias'],
    ['emoji only', '😢😢😢 🙏'],
    ['numbers and punctuation', '12345 !!! ???'],
    ['a link', 'https://example.com/a/b?c=d'],
    ['empty', ''],
    ['whitespace', '   \n\t '],
    ['slang too short to tell', 'kms'],
    ['English slang that n-grams call Tagalog', 'kms tonight'],
    ['a short English fragment eld calls Italian', 'i cant anymore'],
  ])('declines to guess on %s', (_, text) => {
    expect(detectMessageLanguage(text).language).toBeNull();
  });

  it.each([
    ['Hindi in Latin letters', 'mujhe bahut dukh hai, main mar jana chahta hoon'],
    ['Hinglish', 'main theek nahi hoon yaar, kuch samajh nahi aa raha'],
    ['Arabic chat alphabet', 'ana ta3ban jiddan w mish 3aref a3mel eh'],
  ])('does not switch language on transliterated text (%s)', (_, text) => {
    expect(detectMessageLanguage(text).language).toBeNull();
  });

  it('reads the main language of a mixed message', () => {
    expect(detectMessageLanguage('I just cannot, ya no puedo más con todo esto de verdad').language).toBe('es');
    expect(detectMessageLanguage('ok so basically the rota for next week is a mess and nobody wants the late shift, merci').language).toBe('en');
  });

  it('is bounded on a 4,000-character rant and on mostly quoted text', () => {
    const rant = 'Estoy harta de los turnos, nadie me escucha y todo sale mal. '.repeat(70).slice(0, 4000);
    const started = performance.now();
    expect(detectMessageLanguage(rant).language).toBe('es');
    expect(performance.now() - started).toBeLessThan(200);
    const quoted = `${'> Employees must request leave two weeks in advance using the form.\n'.repeat(20)}\n¿Qué significa esto para mí?`;
    expect(detectMessageLanguage(quoted).language).toBe('en');
  });

  it('never throws on odd input', () => {
    for (const text of ['\u0000\uFFFD\uD800\u202E', 'x'.repeat(100_000), '🏳️‍🌈'.repeat(500), 'ﷺ'.repeat(30)]) {
      expect(() => detectMessageLanguage(text)).not.toThrow();
    }
  });

  it('gets almost every message of the measured set right', () => {
    const rows = fs
      .readFileSync('tests/fixtures/language-messages.jsonl', 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { lang: string; text: string });
    expect(new Set(rows.map((r) => r.lang))).toEqual(new Set(SUPPORTED_LANGUAGES));
    const wrong = rows.filter((r) => {
      const got = detectMessageLanguage(r.text).language;
      return got !== null && got !== r.lang;
    });
    // Unsure answers fall back (see languageForTurn); a confident wrong answer is what hurts.
    expect(wrong.length).toBeLessThanOrEqual(3);
  });
});

describe('languageForTurn', () => {
  it('uses the message when it can tell', () => {
    expect(languageForTurn({ text: 'Je ne sais plus quoi faire avec mon équipe', previousUserMessages: ['Hola, ¿qué tal?'], tenantLanguage: 'de' })).toMatchObject({ language: 'fr', source: 'message' });
  });
  it('falls back to the conversation’s previous language, latest first', () => {
    const previous = ['How do I run the huddle tomorrow morning?', 'Mi equipo está agotado y no sé qué hacer'];
    expect(languageForTurn({ text: 'ok', previousUserMessages: previous, tenantLanguage: 'fr' })).toMatchObject({ language: 'es', source: 'conversation' });
  });
  it('then to the tenant’s language, then English', () => {
    expect(languageForTurn({ text: '🙏', previousUserMessages: ['ok', '👍'], tenantLanguage: 'pl' })).toMatchObject({ language: 'pl', source: 'tenant' });
    expect(languageForTurn({ text: '🙏', tenantLanguage: 'xx' })).toMatchObject({ language: 'en', source: 'default' });
    expect(languageForTurn({ text: 'thanks' })).toMatchObject({ language: 'en', source: 'default' });
  });
  it('short slang does not flip the language: the conversation’s or tenant’s language stands', () => {
    expect(languageForTurn({ text: 'kms tonight', tenantLanguage: 'en' })).toMatchObject({ language: 'en', source: 'tenant' });
    expect(languageForTurn({ text: 'kms tonight', previousUserMessages: ['The rota is a mess again and I am so tired'] })).toMatchObject({ language: 'en', source: 'conversation' });
  });
  it('a short message in another language still switches when its words say so', () => {
    expect(languageForTurn({ text: 'je veux mourir', tenantLanguage: 'en' })).toMatchObject({ language: 'fr', source: 'message' });
    expect(languageForTurn({ text: 'quiero morir', tenantLanguage: 'en' })).toMatchObject({ language: 'es', source: 'message' });
    expect(languageForTurn({ text: 'chcę umrzeć', tenantLanguage: 'en' })).toMatchObject({ language: 'pl', source: 'message' });
  });
});
