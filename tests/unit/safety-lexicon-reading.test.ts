// How the lexicon reads words that folding or a second language makes ambiguous (ADR 060, session 14):
// a function word of the message's own language is not another language's cue, a Vietnamese message
// typed with its tones is read tone for tone, and `=` entries match only as written. Sentences here are
// written for the tests, not taken from the corpus.
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '~/.server/safety/classifier';
import { extractFeatures } from '~/.server/safety/features';
import { foldForLexicon, toneSignature } from '~/.server/safety/lexicon/match';
import { sanitizeText } from '~/.server/safety/normalize';

const cues = (text: string) => {
  const sanitized = sanitizeText(text);
  return extractFeatures(foldForLexicon(sanitized), [], false, sanitized).analysis.present;
};

describe("a function word of the message's language is not another language's cue", () => {
  it.each([
    'Die Übergabe im Lager ist um sechs, die Liste hängt im Büro neben der Tür',
    'Wer übernimmt die Frühschicht am Samstag im Markt? Ich bin im Urlaub',
    'Kun je die dozen naar de kelder brengen? Die vrachtwagen komt om acht uur',
  ])('German and Dutch "die" / German "im" are not the English death word or "I\'m": %s', (text) => {
    const present = cues(text);
    expect(present.has('die')).toBe(false);
    expect(present.has('self')).toBe(text.includes('Ich'));
  });

  it('the English words are still read in English and German death words in German', () => {
    expect(cues('honestly I just want to die tonight').has('die')).toBe(true);
    expect(cues('Manchmal möchte ich einfach sterben, die Tabletten liegen im Schrank').has('die')).toBe(true);
  });

  it('French "les" is not the Dutch "les" (lesson), so a French message is not read as talk about a topic', () => {
    expect(cues('Je range les cartons dans la réserve avant de partir, les clients attendent').has('about')).toBe(false);
    expect(cues('ik volg een les over preventie op het werk').has('about')).toBe(true);
  });
});

describe('a Vietnamese message typed with its tones is read tone for tone', () => {
  it('keeps the tone apart from the letters, wherever the mark sits', () => {
    expect(toneSignature('đứng')).not.toBe(toneSignature('đừng'));
    expect(toneSignature('hòa')).toBe(toneSignature('hòa'.normalize('NFD')));
    expect(toneSignature('cho')).toBe('cho|');
  });

  it('"đứng" (stand) is not the negation "đừng", "cho" (for) is not "chó" (dog), "đến" (to) not "đền" (temple)', () => {
    const present = cues('Em đứng quầy từ sáng đến giờ, chị cho em về sớm được không?');
    expect(present.has('neg')).toBe(true); // "không" at the end is one
    const standing = cues('Em đứng quầy từ sáng đến tối, chị cho em đổi ca với');
    expect(standing.has('neg')).toBe(false);
    expect(standing.has('place')).toBe(false);
    expect(standing.has('person')).toBe(false);
  });

  it('the words as the lexicon writes them are still read, and toneless texting is read folded', () => {
    expect(cues('Đừng tìm em nữa, em xin lỗi mọi người').has('farewell')).toBe(true);
    expect(cues('Tao sẽ giết con chó của nhà bên').has('person')).toBe(true);
    expect(cues('dung tim em nua, em xin loi moi nguoi').has('farewell')).toBe(true);
  });
});

describe('entries marked "=" match only as written', () => {
  it('the Spanish article "el" is not the pronoun "él" (someone else)', () => {
    expect(cues('el turno del lunes lo cubro yo, no te preocupes').has('third')).toBe(false);
    expect(cues('él me dijo anoche que ya no quiere seguir').has('third')).toBe(true);
  });

  it('Polish "ja" (I) is not "ją" (her), Portuguese "faça" (do) is not "faca" (knife)', () => {
    expect(cues('ja dziś zamykam sklep, klucze zostawię w biurze').has('person')).toBe(false);
    expect(cues('nie wiem, co mam zrobić, żeby ją przeprosić').has('person')).toBe(true);
    expect(cues('não sei o que eu faça com a escala de domingo').has('means')).toBe(false);
    expect(cues('tenho uma faca na bolsa').has('means')).toBe(true);
  });
});

describe('bullying and violence at work, in the forms people report them, are at least a check-in', () => {
  it.each([
    'desde hace meses mis compañeros se burlan de mí y hablan a mis espaldas en el almacén',
    'mes collègues se moquent de moi tous les jours et rient de moi devant les clients',
    'seit der Umstrukturierung lachen mich die Kollegen aus und grenzen mich aus, keiner redet mehr mit mir',
    'os colegas zombam de mim no refeitório e me excluem de tudo, já não aguento ir trabalhar',
    'i colleghi mi escludono da tutto e ridono di me alle mie spalle, non so più cosa fare',
    'collega’s lachen me uit en negeren me al weken, ik zie er tegenop om te gaan werken',
  ])('%s', (text) => {
    expect(classifyMessage(text).level).not.toBe('none');
  });
});

describe('thoughts of dying with distress are at least a check-in outside English; a death word in an idiom is not', () => {
  it.each([
    'estoy bien acompañada, pero llevo días con la idea de morirme en la cabeza y me siento vacía',
    'je ne ferai rien, mais je pense à la mort tout le temps et je me sens vide',
    'tô em casa com minha mãe, mas penso em morrer todo dia e me sinto um lixo',
  ])('%s', (text) => {
    const verdict = classifyMessage(text);
    expect(verdict.level).not.toBe('none');
    expect(verdict.ruleIds).toContain('lexicon.death_thoughts');
  });

  it('Dutch "tot" (until) is not the German death word', () => {
    expect(cues('ik blijf vanavond tot tien uur, daarna sluit Sanne af').has('die')).toBe(false);
    expect(cues('Mein Opa ist seit gestern tot, ich bin ganz leer').has('die')).toBe(true);
  });
});

describe('"I tell" is not "a tale": the story words are read as nouns', () => {
  it('Spanish "cuento", Portuguese "conto", Italian "racconto" as verbs do not frame a message as fiction', () => {
    expect(cues('no sé por qué te lo cuento, esta noche lo dejo todo').has('about')).toBe(false);
    expect(cues('conto pra minha chefe amanhã que preciso de ajuda').has('about')).toBe(false);
    expect(cues('ti racconto cosa è successo ieri in magazzino').has('about')).toBe(false);
    expect(cues('estoy escribiendo un cuento sobre una cajera').has('about')).toBe(true);
    expect(cues('li um conto de terror no intervalo').has('about')).toBe(true);
  });

  it('counting every calorie is read as an eating disorder in Spanish and Portuguese', () => {
    expect(cues('cuento cada caloría y ceno solo agua').has('sh')).toBe(true);
    expect(cues('conto cada caloria e pulo o almoço').has('sh')).toBe(true);
  });
});

describe('a question about the maximum dose is a safe-limit question outside English too', () => {
  const combos = (text: string) => {
    const sanitized = sanitizeText(text);
    return extractFeatures(foldForLexicon(sanitized), [], false, sanitized).analysis.combos;
  };
  it.each([
    '¿cuál es la dosis máxima de paracetamol al día para un adulto?',
    'người lớn uống paracetamol tối đa bao nhiêu viên một ngày?',
    'ile maksymalnie tabletek ibuprofenu można wziąć na dobę?',
  ])('%s', (text) => {
    expect(combos(text).has('request_self')).toBe(false);
  });

  it('the same amount asked to die by is still a method request', () => {
    expect(combos('cuántas pastillas de paracetamol me tomo para no despertar').has('request_self')).toBe(true);
  });
});
