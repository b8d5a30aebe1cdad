// Cross-language retrieval (ADR 049): a manager writes in their own language, the tenant's pack is
// written in another (English for every pack today: the chunks' tsvectors are built with the
// 'english' text search configuration). Retrieval and answerability read an English *gloss* of the
// message instead of the message:
//   - each sentence stays a sentence, with its "?" (answerability reads the asking sentences);
//   - the message's words are looked up, longest phrase first, in a per-language workplace glossary
//     (glossary/<lang>.ts): word patterns with stems ("retras*" → late), and the English words a
//     policy uses for them; German and Dutch compounds are split into glossary stems;
//   - function words are dropped with the language's stopword list (the stopwords-iso package);
//   - a word neither knows is kept as written: an unknown topic ("perro", "Fahrräder") still counts
//     as a topic the pack does not cover, which is the honest outcome.
// The gloss is only ever a retrieval query: the model and the safety layer read the person's own
// text, and lineage records that a gloss was used and its language, never its text.
import { createRequire } from 'node:module';
import { detectMessageLanguage } from '~/.server/i18n/language';
import type { LanguageCode } from '~/lib/i18n';
import { GLOSSARIES, type GlossaryLanguage } from './glossary';
import { TEXT_SEARCH_CONFIG } from './query-terms';

const require = createRequire(import.meta.url);

/** The language packs are indexed in (TEXT_SEARCH_CONFIG): the gloss is written in it. */
const CONFIG_LANGUAGES: Record<string, LanguageCode> = { english: 'en' };
export const PACK_LANGUAGE: LanguageCode = CONFIG_LANGUAGES[TEXT_SEARCH_CONFIG] ?? 'en';

export interface Gloss {
  /** The message as retrieval reads it, in the pack's language. */
  text: string;
  /** The message's language. */
  language: GlossaryLanguage;
  /** The pack's language (what the gloss is written in). */
  packLanguage: LanguageCode;
  /** Words of the message the glossary translated, and words it kept as written (lineage: counts, no text). */
  glossed: number;
  kept: number;
}

/**
 * The gloss retrieval should search with, or null when the message is in the pack's language (or in
 * one the glossary does not cover): then retrieval reads the message itself, exactly as before.
 * `language` is the turn's language when the caller knows it (the message's, or the conversation's
 * for a message too short to tell); otherwise it is detected here.
 */
export function glossForRetrieval(text: string, opts: { language?: LanguageCode | null; packLanguage?: LanguageCode } = {}): Gloss | null {
  const packLanguage = opts.packLanguage ?? PACK_LANGUAGE;
  if (packLanguage !== 'en') return null;
  const language = opts.language ?? detectMessageLanguage(text).language;
  if (!language || language === packLanguage || !isGlossaryLanguage(language)) return null;
  return glossMessage(text, language);
}

/** Whether a message is written in another language than the pack's (the turn's language, or detected). */
export function inOtherLanguageThanPack(text: string, language?: LanguageCode | null): boolean {
  const detected = language ?? detectMessageLanguage(text).language;
  return detected !== null && detected !== PACK_LANGUAGE;
}

/** The text retrieval reads for a message: its gloss when it is in another language than the pack's, else itself. */
export function retrievalText(text: string, language?: LanguageCode | null): string {
  return glossForRetrieval(text, { language })?.text ?? text;
}

export function isGlossaryLanguage(language: string): language is GlossaryLanguage {
  return Object.prototype.hasOwnProperty.call(GLOSSARIES, language);
}

// ---------------------------------------------------------------------------------------------
// The glossary, compiled once per language.

interface Entry {
  /** Word patterns, one per token: [stem, prefix?]. */
  words: Array<{ stem: string; prefix: boolean }>;
  english: string;
  /**
   * A one-word entry whose accents tell it from a function word (Spanish "dé" give / "de" of, "sí" yes / "si" if,
   * Portuguese "dá" / "da", Italian "dà" / "da", Romanian "dă" / "da" yes): matched only as written, accents and all
   * (lower case). Folded, it took the commonest word of the language for a verb ("de" → give in nearly every message).
   */
  written?: string;
}

interface Compiled {
  /** Entries by the first letter of their first word, longest phrase first, then longest stem. */
  byFirst: Map<string, Entry[]>;
  /** Single-word entries (compound parts), longest stem first. */
  single: Entry[];
  stopwords: Set<string>;
  /** Multi-word stopwords (Vietnamese), as token arrays, longest first. */
  stopPhrases: Map<string, string[][]>;
  /** Chinese: exact strings → English ('' drops), and the longest key. */
  chars?: Map<string, string>;
  maxChars?: number;
}

const compiled = new Map<GlossaryLanguage, Compiled>();

/** Languages written in Latin script whose accents managers often leave out: matched without diacritics. */
const FOLDED = new Set<GlossaryLanguage>(['es', 'fr', 'de', 'pt', 'it', 'pl', 'nl', 'ro', 'tl']);
/** Languages that capitalise every noun: capitals say nothing about names there. */
const NOUN_CAPITALS = new Set<GlossaryLanguage>(['de']);
/** Languages whose compounds are written as one word. */
const COMPOUNDING = new Set<GlossaryLanguage>(['de', 'nl']);

/** Lower-cased and, for the languages above, without diacritics (ł, ß are letters of their own: ł stays, ß → ss). */
export function foldWord(word: string, language: GlossaryLanguage): string {
  let w = word.toLowerCase().normalize('NFC');
  if (language === 'ar') return foldArabic(w);
  if (FOLDED.has(language)) w = w.normalize('NFD').replace(/\p{M}+/gu, '').replace(/ß/g, 'ss');
  if (language === 'uk') w = w.replace(/['’ʼ]/g, '');
  return w;
}

/** Arabic without short vowels and tatweel, alef forms unified, final yeh/teh marbuta unified. */
function foldArabic(word: string): string {
  return word
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه');
}

function compile(language: GlossaryLanguage): Compiled {
  const hit = compiled.get(language);
  if (hit) return hit;
  const entries: Entry[] = [];
  const chars = language === 'zh' ? new Map<string, string>() : undefined;
  const functionWords = new Set(((require('stopwords-iso') as Record<string, string[]>)[language] ?? []).map((w) => foldWord(w, language)));
  for (const raw of GLOSSARIES[language].split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`glossary ${language}: no "=" in "${line}"`);
    const english = line.slice(eq + 1).trim();
    for (const alternative of line.slice(0, eq).split('|')) {
      const phrase = alternative.trim();
      if (!phrase) continue;
      if (chars) {
        chars.set(phrase, english);
        continue;
      }
      // Split as the message's words are (elisions and hyphens too: "chef d'équipe", "grand-mère"); a
      // trailing * makes the last piece a stem.
      const words = phrase.split(/\s+/).flatMap((w) => {
        const prefix = w.endsWith('*');
        const pieces = (prefix ? w.slice(0, -1) : w).match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
        return pieces.map((piece, k) => ({ stem: foldWord(piece, language), prefix: prefix && k === pieces.length - 1 }));
      });
      const written = phrase.toLowerCase().normalize('NFC');
      const collides = words.length === 1 && !words[0].prefix && written !== words[0].stem && functionWords.has(words[0].stem);
      if (words.length > 0) entries.push({ words, english, ...(collides ? { written } : {}) });
    }
  }
  const byLength = (a: Entry, b: Entry) => b.words.length - a.words.length || stemLength(b) - stemLength(a);
  const byFirst = new Map<string, Entry[]>();
  for (const entry of entries) {
    const first = entry.words[0].stem[0];
    byFirst.set(first, [...(byFirst.get(first) ?? []), entry]);
  }
  for (const list of byFirst.values()) list.sort(byLength);
  const stopwords = new Set<string>();
  const stopPhrases = new Map<string, string[][]>();
  const iso = (require('stopwords-iso') as Record<string, string[]>)[language] ?? [];
  for (const word of [...iso, ...(EXTRA_STOPWORDS[language] ?? [])]) {
    const tokens = (word.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).map((w) => foldWord(w, language)).filter(Boolean);
    if (tokens.length === 1) stopwords.add(tokens[0]);
    else if (tokens.length > 1) stopPhrases.set(tokens[0], [...(stopPhrases.get(tokens[0]) ?? []), tokens].sort((a, b) => b.length - a.length));
    if (chars && tokens.length === 1 && !chars.has(tokens[0])) chars.set(tokens[0], '');
  }
  const result: Compiled = {
    byFirst,
    single: entries.filter((e) => e.words.length === 1).sort(byLength),
    stopwords,
    stopPhrases,
    ...(chars ? { chars, maxChars: Math.max(...[...chars.keys()].map((k) => k.length)) } : {}),
  };
  compiled.set(language, result);
  return result;
}

function stemLength(entry: Entry): number {
  return entry.words.reduce((sum, w) => sum + w.stem.length, 0);
}

/**
 * Function words stopwords-iso leaves out (measured on its lists: Ukrainian has 73 words and lacks
 * на, у, в, і, не, за; Hindi lacks क्या; Tagalog lacks the particles ba, rin, po; Chinese the
 * classifiers 名, 位).
 */
const EXTRA_STOPWORDS: Partial<Record<GlossaryLanguage, string[]>> = {
  uk: (
    'на у в і не за нас нам наш наша наше наші мені мене мій моя моє мої ти тобі тебе твій ви вам вас ваш він вона воно вони їм їх його її їй ' +
    'цей ця це ці той та те ті який яка яке які якщо коли де куди чому навіщо тому бо але або чи ще вже тільки лише дуже також теж ' +
    'щоб від для під над між після перед через без біля по при із зі зо об о ж же б би хіба ось там тут його собі себе свій своя своє свої ' +
    'був була було були буде будуть є бути один одна одне одного два дві три чотири п\'ять кілька кожен кожна весь вся все всі інший інша інші'
  ).split(' '),
  hi: 'क्या बारे हर वाला वाली वाले भी तो ही अगर लेकिन और या कि जो यह वह ये वे इसे उसे इसका उसका उसकी उनका मेरा मेरी मेरे हमारा हमारी हमारे अपना अपनी अपने रहा रही रहे है हैं था थी थे हूँ हूं ने तक साथ बाद पहले दे'.split(' '),
  tl: 'ba rin din po ho bang lang naman pa na nga kaya ito iyan iyon yung yun niya nila namin natin ko mo siya sila kami tayo ni kay kina sa ng ang mga'.split(' '),
  zh: ['名', '位', '个', '些', '这', '那', '吗', '呢', '吧', '啊'],
  de: ['obwohl', 'fast', 'vorbei', 'noch', 'schon', 'eigentlich', 'einfach', 'halt', 'mal', 'eben'],
  nl: ['toch', 'eigenlijk', 'gewoon', 'even', 'nog', 'al', 'wel', 'daar', 'er'],
};

function wordMatches(pattern: { stem: string; prefix: boolean }, token: string): boolean {
  return pattern.prefix ? token.startsWith(pattern.stem) : token === pattern.stem;
}

// ---------------------------------------------------------------------------------------------
// Glossing.

interface Token {
  /** As written. */
  surface: string;
  /** foldWord(surface). */
  folded: string;
}

/** The message's sentences, each with its end mark as "?" or "." (Arabic ؟, Chinese ？。, Devanagari danda). */
function sentencesOf(text: string): Array<{ body: string; asks: boolean }> {
  const out: Array<{ body: string; asks: boolean }> = [];
  for (const m of text.matchAll(/[^.!?。！？؟।\n]+(?:[.!?。！？؟।]+|\n|$)/gu)) {
    const chunk = m[0].trim();
    if (!chunk) continue;
    out.push({ body: chunk.replace(/[.!?。！？؟।]+$/u, ''), asks: /[?？؟]\s*$/u.test(chunk) });
  }
  return out;
}

/** The words of a sentence: letters and digits, elisions ("l'", "dell'") and hyphens split off. */
function tokensOf(body: string, language: GlossaryLanguage): Token[] {
  const tokens: Token[] = [];
  for (const m of body.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    const surface = m[0];
    tokens.push({ surface, folded: foldWord(surface, language) });
  }
  return tokens;
}

export function glossMessage(text: string, language: GlossaryLanguage): Gloss {
  const glossary = compile(language);
  let glossed = 0;
  let kept = 0;
  const sentences: string[] = [];
  for (const sentence of sentencesOf(text)) {
    const out: string[] = [];
    const emit = (english: string) => {
      if (english) out.push(english);
    };
    const keep = (surface: string) => {
      out.push(keptWord(NOUN_CAPITALS.has(language) ? surface.toLowerCase() : surface));
      kept += 1;
    };
    for (const run of scriptRuns(sentence.body, language)) {
      if (run.han) {
        for (const piece of segmentHan(run.text, glossary)) {
          if (piece.english === undefined) keep(piece.text);
          else if (piece.english) {
            emit(piece.english);
            glossed += 1;
          }
        }
        continue;
      }
      const tokens = tokensOf(run.text, language);
      for (let i = 0; i < tokens.length; ) {
        const phrase = longestEntry(glossary, tokens, i, language);
        const stop = longestStopPhrase(glossary, tokens, i);
        if (phrase && phrase.length >= stop) {
          emit(phrase.entry.english);
          glossed += phrase.length;
          // A German or Dutch compound whose head is a glossary stem ("Urlaubstage", "kerstfeest"): its
          // other part is glossed too, or kept as an unknown word (a Christmas *party* is not Christmas).
          const rest = COMPOUNDING.has(language) && phrase.length === 1 ? compoundRest(phrase.entry, tokens[i].folded) : null;
          if (rest) {
            const tail = tailOf(glossary, rest);
            if (tail !== null) emit(tail);
            else keep(rest.replace(/^(?:en|es|s|n)(?=[^aeiouy]?[\p{L}]{3})/u, (link, offset, whole) => (whole.length - link.length >= 4 ? '' : link)));
          }
          i += phrase.length;
          continue;
        }
        if (stop > 0) {
          i += stop;
          continue;
        }
        const token = tokens[i];
        i += 1;
        if (/^\p{N}+$/u.test(token.folded)) {
          out.push(token.folded);
          continue;
        }
        const split = (COMPOUNDING.has(language) && compoundOf(glossary, token.folded)) || (language === 'ar' && arabicStem(glossary, token.folded, tokens, i - 1));
        if (split) {
          emit(split);
          glossed += 1;
        } else keep(token.surface);
      }
    }
    if (out.length > 0) sentences.push(`${out.join(' ')}${sentence.asks ? '?' : '.'}`);
  }
  return { text: sentences.join(' '), language, packLanguage: PACK_LANGUAGE, glossed, kept };
}

/**
 * A word the glossary does not know, as the English pipeline can read it: the noun tagger (compromise)
 * folds letters to ASCII, so a word kept with its accents ("siłownię") or in another script ("таксі",
 * "स्कूल") never matched its own noun and the question's unknown topic went unnoticed. Latin-script
 * words are folded to ASCII (English loanwords and names stay as they are, capitals kept); words in
 * other scripts become one opaque letter token each ("q" and five letters of the word's hash): a
 * word no pack and no English word list holds, which the tagger reads as a noun — an unknown topic.
 */
export function keptWord(surface: string): string {
  if (/^[\p{Script=Latin}\p{M}\p{N}]+$/u.test(surface)) {
    return surface.normalize('NFD').replace(/\p{M}+/gu, '').replace(/ß/g, 'ss').replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L')).replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D')).replace(/æ/g, 'ae').replace(/ø/g, 'o');
  }
  let hash = 0x811c9dc5;
  for (const ch of surface.toLowerCase()) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let token = 'q';
  for (let i = 0; i < 5; i++) {
    token += String.fromCharCode(97 + (hash % 26));
    hash = Math.floor(hash / 26);
  }
  return token;
}

/** The longest glossary phrase starting at token i (ties: the longest stem). */
function longestEntry(glossary: Compiled, tokens: Token[], i: number, language: GlossaryLanguage): { entry: Entry; length: number } | null {
  const token = tokens[i].folded;
  // Arabic words carry their conjunction, preposition and article ("والإجازة"): the entry may match without them.
  const candidates = language === 'ar' ? [token, ...arabicProclitics(token)] : [token];
  for (const first of candidates) {
    for (const entry of glossary.byFirst.get(first[0]) ?? []) {
      if (i + entry.words.length > tokens.length) continue;
      if (!wordMatches(entry.words[0], first)) continue;
      if (entry.written !== undefined && tokens[i].surface.toLowerCase().normalize('NFC') !== entry.written) continue;
      let ok = true;
      for (let j = 1; j < entry.words.length && ok; j++) ok = wordMatches(entry.words[j], language === 'ar' ? withoutProclitics(tokens[i + j].folded, entry.words[j]) : tokens[i + j].folded);
      if (ok) return { entry, length: entry.words.length };
    }
  }
  return null;
}

function longestStopPhrase(glossary: Compiled, tokens: Token[], i: number): number {
  const token = tokens[i].folded;
  for (const phrase of glossary.stopPhrases.get(token) ?? []) {
    if (phrase.every((w, j) => tokens[i + j]?.folded === w)) return phrase.length;
  }
  return glossary.stopwords.has(token) ? 1 : 0;
}

/** Endings of German and Dutch words (inflection, derivation): what follows a stem without being a word of its own. */
const ENDINGS = /^(?:e|en|er|es|ern|ens|em|n|s|st|t|te|ten|ter|tes|in|innen|ung|ungen|heit|heiten|keit|keiten|lich|liche|lichen|isch|ische|ig|ige|igen|ing|ingen|je|jes|tje|tjes|baar|elijk|ste)$/;

/** What a one-word prefix match leaves of a longer word, when it is more than an ending. */
function compoundRest(entry: Entry, word: string): string | null {
  const pattern = entry.words[0];
  if (!pattern.prefix) return null;
  const rest = word.slice(pattern.stem.length);
  return rest.length >= 4 && !ENDINGS.test(rest) ? rest : null;
}

/** The English of a compound's other part (after an optional linking -s-, -e-, -n-, -en-, -er-, -es-), or null. */
function tailOf(glossary: Compiled, rest: string): string | null {
  for (const link of ['', 's', 'e', 'n', 'en', 'er', 'es']) {
    if (!rest.startsWith(link)) continue;
    const tail = rest.slice(link.length);
    if (tail.length < 3) continue;
    if (link === '' && ENDINGS.test(tail)) return '';
    const whole = glossary.single.find((e) => wordMatches(e.words[0], tail));
    if (whole) return whole.english;
    const split = compoundOf(glossary, tail, 1);
    if (split) return split;
  }
  return null;
}

/**
 * A German or Dutch compound as glossary stems: "Bildschirmpausen" → screen + break, "Lagerarbeiters"
 * → warehouse + worker. The head (first part) is the longest stem of at least 3 letters that begins the
 * word; a linking -s-/-e-/-n-/-en-/-er- may follow it; the rest is a glossary word or another compound.
 */
function compoundOf(glossary: Compiled, word: string, depth = 0): string | null {
  if (word.length < 6 || depth > 3) return null;
  for (const entry of glossary.single) {
    const stem = entry.words[0].stem;
    if (stem.length < 3 || stem.length >= word.length - 2 || !word.startsWith(stem)) continue;
    const rest = word.slice(stem.length);
    for (const link of ['', 's', 'e', 'n', 'en', 'er', 'es']) {
      if (!rest.startsWith(link)) continue;
      const tail = rest.slice(link.length);
      if (tail.length < 3) continue;
      const whole = glossary.single.find((e) => wordMatches(e.words[0], tail));
      const english = whole ? whole.english : compoundOf(glossary, tail, depth + 1);
      if (english !== null && english !== undefined) return [entry.english, english].filter(Boolean).join(' ') || null;
    }
  }
  return null;
}

const ARABIC_PROCLITICS = ['وبال', 'وال', 'بال', 'كال', 'فال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];

function arabicProclitics(word: string): string[] {
  return ARABIC_PROCLITICS.filter((p) => word.startsWith(p) && word.length - p.length >= 2).map((p) => word.slice(p.length));
}

function withoutProclitics(word: string, pattern: { stem: string; prefix: boolean }): string {
  if (wordMatches(pattern, word)) return word;
  return arabicProclitics(word).find((w) => wordMatches(pattern, w)) ?? word;
}

/** An Arabic word whose clitics hid it from the glossary and the stopwords: nothing more to try (proclitics are in longestEntry). */
function arabicStem(glossary: Compiled, word: string, _tokens: Token[], _i: number): string | null {
  // A stopword behind a conjunction or preposition ("وهذا", "فهل"): still a stopword.
  for (const bare of arabicProclitics(word)) if (glossary.stopwords.has(bare)) return '';
  return null;
}

/** Han characters and everything else, in order (a Chinese message may hold Latin words and digits). */
function scriptRuns(body: string, language: GlossaryLanguage): Array<{ text: string; han: boolean }> {
  if (language !== 'zh') return [{ text: body, han: false }];
  const runs: Array<{ text: string; han: boolean }> = [];
  for (const m of body.matchAll(/(\p{Script=Han}+)|([^\p{Script=Han}]+)/gu)) runs.push({ text: m[0], han: m[1] !== undefined });
  return runs;
}

/**
 * Chinese has no spaces: the longest glossary or stopword string at each position, left to right;
 * characters neither knows are kept together as one unknown word.
 */
function segmentHan(text: string, glossary: Compiled): Array<{ text: string; english?: string }> {
  const chars = glossary.chars!;
  const out: Array<{ text: string; english?: string }> = [];
  let unknown = '';
  const flush = () => {
    if (unknown) out.push({ text: unknown });
    unknown = '';
  };
  for (let i = 0; i < text.length; ) {
    let matched = 0;
    for (let n = Math.min(glossary.maxChars ?? 1, text.length - i); n >= 1; n--) {
      const piece = text.slice(i, i + n);
      if (chars.has(piece)) {
        flush();
        out.push({ text: piece, english: chars.get(piece) });
        matched = n;
        break;
      }
    }
    if (matched) i += matched;
    else {
      unknown += text[i];
      i += 1;
    }
  }
  flush();
  return out;
}
