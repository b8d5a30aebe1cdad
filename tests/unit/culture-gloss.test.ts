// Cross-language retrieval (ADR 049): the English gloss retrieval reads for a message written in
// another language than the pack's. Sentences here are written for the tests, by concept (leave,
// lateness, swaps, breaks, sickness, conduct), not taken from the benchmark's questions.
import { describe, expect, it } from 'vitest';
import { splitCitationsBySupport } from '~/.server/coach/passages';
import { glossForRetrieval, glossMessage, inOtherLanguageThanPack, keptWord, PACK_LANGUAGE, retrievalText } from '~/.server/culture/gloss';
import { GLOSSARIES } from '~/.server/culture/glossary';
import { SUPPORTED_LANGUAGES } from '~/lib/i18n';

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z-]+/g) ?? []);

describe('glossForRetrieval', () => {
  it('leaves a message in the pack’s language alone', () => {
    expect(PACK_LANGUAGE).toBe('en');
    expect(glossForRetrieval('How do I tell someone they are late too often?')).toBeNull();
    expect(glossForRetrieval('Can my cashier swap a shift?', { language: 'en' })).toBeNull();
    expect(retrievalText('Can my cashier swap a shift?')).toBe('Can my cashier swap a shift?');
  });

  it('does not gloss when the pack is written in another language than English', () => {
    expect(glossForRetrieval('¿Cuántos días de vacaciones tiene un cajero al año?', { packLanguage: 'es' })).toBeNull();
  });

  // One workplace concept per language, each in a sentence of its own: the policy words come out.
  const CASES: Array<[string, string, string[]]> = [
    ['es', '¿Cuántos días de vacaciones tiene un cajero al año?', ['vacation', 'cashier', 'days']],
    ['fr', 'Mon chauffeur a dépassé ses heures, que dois-je faire ?', ['driver', 'hours']],
    ['de', 'Darf ein Lagerarbeiter seine Schicht mit einem Kollegen tauschen?', ['warehouse', 'worker', 'shift', 'swap', 'colleague']],
    ['pl', 'Ile przerw przysługuje pracownikowi na nocnej zmianie?', ['break', 'employee', 'night', 'shift']],
    ['nl', 'Mijn medewerker heeft zich ziek gemeld voor de derde keer deze maand.', ['employee', 'sick']],
    ['zh', '一名员工想请病假,需要医生证明吗?', ['employee', 'sick', 'certificate']],
    ['ar', 'هل يمكن للموظف أن يأخذ إجازة لحضور جنازة والده؟', ['employee', 'leave', 'death']],
    ['hi', 'क्या कर्मचारी को बीमार होने पर छुट्टी मिलती है?', ['employee', 'sick', 'leave']],
    ['vi', 'Nhân viên của tôi muốn đổi ca với đồng nghiệp.', ['employee', 'swap', 'shift', 'colleague']],
    ['uk', 'Працівниця хоче взяти відпустку по догляду за дитиною.', ['employee', 'leave', 'care', 'child']],
    ['tl', 'Gusto ng empleyado ko na mag-leave dahil may sakit ang anak niya.', ['employee', 'leave', 'sick', 'child']],
    ['ro', 'Un angajat a întârziat de trei ori săptămâna asta.', ['employee', 'late', 'week']],
    // The grace period before a late clock-in counts (ADR 067): asked in a manager's words, not the policy's.
    ['es', '¿Cuántos minutos de margen tiene una cajera antes de que cuente como tardanza?', ['grace', 'period', 'late']],
    ['fr', 'Il y a combien de minutes de tolérance avant que ce soit un retard ?', ['grace', 'period']],
    ['de', 'Gibt es eine Karenzzeit, bevor eine Verspätung zählt?', ['grace', 'period']],
    ['pt', 'Qual é o período de tolerância antes de contar como atraso?', ['grace', 'period']],
    ['it', 'Quanti minuti di tolleranza ci sono prima che sia un ritardo?', ['grace', 'period']],
  ];
  it.each(CASES)('%s: glosses workplace words into the pack’s words', (language, text, expected) => {
    const gloss = glossForRetrieval(text);
    expect(gloss?.language).toBe(language);
    expect(gloss?.packLanguage).toBe('en');
    const got = words(gloss!.text);
    for (const word of expected) expect(got, gloss!.text).toContain(word);
    expect(gloss!.glossed).toBeGreaterThanOrEqual(expected.length - 1);
  });

  it('keeps each asking sentence a question, and a statement a statement', () => {
    const gloss = glossMessage('Mi cajera llegó tarde otra vez. ¿Qué dice la política?', 'es');
    expect(gloss.text).toMatch(/^[^?]*late[^?]*\.\s[^.]*\?$/);
  });

  it('uses the turn’s language for a message too short to detect', () => {
    expect(glossForRetrieval('Urlaub?')).toBeNull();
    expect(glossForRetrieval('Urlaub?', { language: 'de' })?.text).toBe('vacation?');
  });

  it('matches without accents in Latin-script languages (managers often type without them)', () => {
    expect(glossMessage('Cuantos dias de vacaciones?', 'es').text).toBe(glossMessage('¿Cuántos días de vacaciones?', 'es').text);
  });

  it('never takes a function word for a glossary word that only its accents tell apart (es de / dé, si / sí; pt da / dá; it da / dà)', () => {
    expect(glossMessage('Mi camarera de pisos se resbaló. Si vuelve tarde, ¿qué hago?', 'es').text).not.toMatch(/\b(?:give|yes)\b/);
    expect(glossMessage('¿Le digo que sí? ¿Le dé el día libre?', 'es').text).toMatch(/yes.*give/);
    expect(glossMessage('Uma hóspede da cidade quer o reembolso. Ele dá o dinheiro?', 'pt').text.match(/give/g)).toHaveLength(1);
    expect(glossMessage('Un cameriere da Roma. Gli dà il giorno libero?', 'it').text.match(/give/g)).toHaveLength(1);
  });

  it('splits German and Dutch compounds into glossary stems, keeping an unknown part', () => {
    expect(words(glossMessage('Wie viele Urlaubstage bekommt ein Lagerarbeiter?', 'de').text)).toEqual(new Set(['how', 'many', 'vacation', 'days', 'get', 'warehouse', 'worker']));
    // A Christmas *party* is not the holiday peak: "feier" stays as an unknown word.
    const party = glossMessage('Darf sie ihre Weihnachtsfeier im Lager machen?', 'de');
    expect(party.text).toContain('feier');
    expect(party.kept).toBe(1);
  });

  it('strips Arabic proclitics (and, the) before looking a word up', () => {
    expect(words(glossMessage('والإجازة المرضية كم يوما؟', 'ar').text)).toEqual(new Set(['sick', 'leave', 'how', 'many', 'days']));
  });

  it('keeps a word no glossary knows, so an unknown topic still counts as one', () => {
    const dog = glossMessage('¿Puede traer su perro a la tienda?', 'es');
    expect(dog.text).toContain('perro');
    expect(dog.kept).toBe(1);
    // Another script: one opaque, stable letter token (an unknown noun to the English pipeline).
    expect(keptWord('таксі')).toMatch(/^q[a-z]{5}$/);
    expect(keptWord('таксі')).toBe(keptWord('Таксі'));
    expect(keptWord('siłownię')).toBe('silownie');
  });

  it('has a glossary for every supported language but English, and each one compiles', () => {
    expect(Object.keys(GLOSSARIES).sort()).toEqual(SUPPORTED_LANGUAGES.filter((l) => l !== 'en').sort());
    for (const language of Object.keys(GLOSSARIES)) expect(() => glossMessage('x', language as never)).not.toThrow();
  });
});

describe('inOtherLanguageThanPack', () => {
  it('reads the turn’s language when there is one, else detects it', () => {
    expect(inOtherLanguageThanPack('Can my cashier swap a shift?')).toBe(false);
    expect(inOtherLanguageThanPack('¿Puede mi cajera cambiar su turno del sábado con una compañera?')).toBe(true);
    expect(inOtherLanguageThanPack('Sí', 'es')).toBe(true);
    expect(inOtherLanguageThanPack('ok', 'en')).toBe(false);
  });
});

describe('splitCitationsBySupport across languages', () => {
  const citations = [
    { document: 'Leave and Time Off', heading: 'Bereavement leave', text: 'Associates get three days of paid bereavement leave for a grandparent.' },
    { document: 'Recognition', heading: 'Thank-you cards', text: 'Managers can send thank-you cards.' },
  ];
  it('compares a question in another language through its gloss: the answering passage is kept', () => {
    const { kept, dropped } = splitCitationsBySupport(citations, '¿Cuántos días de permiso por fallecimiento de una abuela?', 'es');
    expect(kept.map((c) => c.heading)).toEqual(['Bereavement leave']);
    expect(dropped.map((c) => c.heading)).toEqual(['Thank-you cards']);
  });
  it('uses the turn’s language for a question too short to detect', () => {
    const { kept } = splitCitationsBySupport(citations, 'Trauerfall, Oma?', 'de');
    expect(kept.map((c) => c.heading)).toEqual(['Bereavement leave']);
  });
});
