// Compiles the per-language cue lexicons into one index over word tokens and finds every cue in
// a message in one pass: each token looks up the entries that start with it (exactly, or by a
// stem of 3 characters for `word*` entries), then checks the rest of the entry in place.
// CJK entries are found by substring. Cost is linear in the number of tokens.
import { CUES, LEXICON_LANGUAGES, type Cue, type LanguageLexicon } from './cues';
import { ALL_LANGUAGES, functionWordVoters, languageVote, wordLanguages } from './languages';
import { foldForMatching } from '../normalize';

export interface CueHit {
  cue: Cue;
  /** Token index of the first word of the entry (for CJK entries, the token that contains it). */
  at: number;
  /** Number of tokens the entry spans. */
  span: number;
  /** Sentence index of the hit. */
  sentence: number;
  /** For CJK entries (one token may hold a whole sentence): the characters matched. */
  chars?: [number, number];
}

interface Piece {
  text: string;
  prefix: boolean;
  any: boolean;
}

interface Entry {
  cue: Cue;
  pieces: Piece[];
  /**
   * The lexicon languages that list this entry (bitmask, LEXICON_LANGUAGES order). An entry in a
   * script other than Latin carries every bit: its script already keeps it to its language.
   */
  langs: number;
  /**
   * Vietnamese entries: each piece's tone signature as written (`toneSignature`), one list per way the
   * lexicon writes the entry; a message typed with its tones must match one of them (see `toneSignatures`).
   */
  tones?: string[][];
  /** Entries written `=…`: each word as it must be written (a fold would make it another word). */
  exact?: string[];
}

export interface CompiledLexicon {
  exact: Map<string, Entry[]>;
  stems: Map<string, Entry[]>;
  cjk: { text: string; cue: Cue }[];
}

const STEM = 3;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
// Arabic diacritics and tatweel; alef/yeh/teh marbuta variants folded to one letter.
const ARABIC_MARKS = /[\u064B-\u065F\u0670\u0640]/g;
const ARABIC_VARIANTS = /[أإآٱىة]/g;
const ARABIC_FOLD: Record<string, string> = { أ: 'ا', إ: 'ا', آ: 'ا', ٱ: 'ا', ى: 'ي', ة: 'ه' };
const ARABIC = /[\u0600-\u06FF]/;

/** foldForMatching plus the script folds the lexicon needs (Arabic marks and letter variants). */
export function foldForLexicon(sanitized: string): string {
  return foldScripts(foldForMatching(sanitized));
}

/** The script folds on top of an already folded text. */
export function foldScripts(folded: string): string {
  let text = folded;
  if (ARABIC.test(text)) text = text.replace(ARABIC_MARKS, '').replace(ARABIC_VARIANTS, (ch) => ARABIC_FOLD[ch] ?? ch);
  if (text.includes('ß')) text = text.replace(SHARP_S, 'ss');
  return text;
}
const SHARP_S = /ß/g;

export function compileLexicons(lexicons: readonly LanguageLexicon[]): CompiledLexicon {
  const exact = new Map<string, Entry[]>();
  const stems = new Map<string, Entry[]>();
  const cjk: { text: string; cue: Cue }[] = [];
  const seen = new Map<string, Entry | null>();
  lexicons.forEach((lexicon, language) => {
    for (const cue of CUES) {
      const source = lexicon[cue];
      if (!source) continue;
      for (const item of source.split('|')) {
        // "=él": only "él" as written, not the article "el" that folding makes of it.
        const written = item.trim().startsWith('=') ? item.trim().slice(1).trim().normalize('NFC').toLowerCase() : undefined;
        const raw = written ?? item;
        const folded = foldForLexicon(raw.trim());
        if (!folded) continue;
        const key = written === undefined ? `${cue}:${folded}` : `${cue}:=${written}`;
        const tones = language === VIETNAMESE ? entryTones(raw.trim()) : null;
        // The same entry in several languages is one entry that belongs to all of them.
        const known = seen.get(key);
        if (known !== undefined) {
          if (known) {
            known.langs |= 1 << language;
            if (tones && tones.length === known.pieces.length) (known.tones ??= []).push(tones);
          }
          continue;
        }
        if (CJK.test(folded)) {
          cjk.push({ text: folded.replace(/\s+/g, ''), cue });
          seen.set(key, null);
          continue;
        }
        const pieces = tokenize(folded.replace(/\*/g, '\u0001').replace(/(^|\s)_(?=\s|$)/g, '$1\u0002'))
          .map((t): Piece => ({ text: t.replace(/[\u0001\u0002]/g, ''), prefix: t.endsWith('\u0001'), any: t === '\u0002' }));
        if (pieces.length === 0 || pieces[0].any) {
          seen.set(key, null);
          continue;
        }
        const entry: Entry = { cue, pieces, langs: LATIN_WORD.test(pieces[0].text) ? 1 << language : ALL_LANGUAGES };
        if (tones && tones.length === pieces.length) entry.tones = [tones];
        if (written !== undefined) {
          const words = tokenize(written);
          if (words.length === pieces.length) entry.exact = words;
        }
        seen.set(key, entry);
        const first = pieces[0];
        if (first.prefix && first.text.length >= STEM) push(stems, first.text.slice(0, STEM), entry);
        else push(exact, first.text, entry);
      }
    }
  });
  return { exact, stems, cjk };
}

// A word written in Latin letters (after folding: a-z, digits, and the few letters folding keeps).
const LATIN_WORD = /^[a-z0-9\u00c0-\u024f]+$/;

// ── Vietnamese tones ─────────────────────────────────────────────────────────────────────
// Folding drops the tone marks, and in Vietnamese a tone is the difference between two words:
// đứng (stand) and đừng (don't), chó (dog) and cho (for), bạn (friend) and bắn (shoot), học (study)
// and hóc (choke), đến (to) and đền (temple). A message typed with its tones is therefore matched
// against the Vietnamese entries as written, tone for tone; one typed without them (texting) is
// matched folded, as before, and the lexicon lists the toneless forms it means there.
const VIETNAMESE = LEXICON_LANGUAGES.indexOf('vi');
/** The five tone marks (combining grave, acute, tilde, hook above, dot below). */
const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
/**
 * Letters only Vietnamese writes (ã and õ are Portuguese too; đ survives folding, so an already folded
 * passage that keeps it is not taken for a toned message).
 */
const VIETNAMESE_LETTERS = /[ảạằắẳẵặầấẩẫậẻẽẹềếểễệỉĩịỏọồốổỗộờớởỡợủũụừứửữựỳỷỹỵơưă]/gi;
/** A message with at least this many of them is typed with its tones. */
const TONED_FROM = 2;

/** A word's letters without its tone, and the tone: "đứng" → "đưng|\u0301", "cho" → "cho|". */
export function toneSignature(word: string): string {
  let base = '';
  let tone = '';
  for (const ch of word.normalize('NFD')) {
    if (TONE_MARKS.has(ch)) tone = ch;
    else base += ch;
  }
  return `${base.normalize('NFC')}|${tone}`;
}

function entryTones(raw: string): string[] | null {
  const words = tokenize(raw.toLowerCase().normalize('NFC').replace(/\*/g, '').replace(/(^|\s)_(?=\s|$)/g, '$1\u0002'));
  return words.map((w) => (w === '\u0002' ? '' : toneSignature(w)));
}

/**
 * The tone signature of each word of a Vietnamese message typed with its tones, aligned with the words
 * the lexicon reads (`tokens`, from the folded text); null when the message is not such a message or
 * its words do not line up one for one (a spaced-out or obfuscated word).
 */
export function toneSignatures(source: string, tokens: Tokens): string[] | null {
  const marks = source.match(VIETNAMESE_LETTERS);
  if (!marks || marks.length < TONED_FROM) return null;
  const words = writtenWords(source, tokens);
  return words ? words.map(toneSignature) : null;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Each word the lexicon reads (`tokens`, from the folded text) as the message wrote it (lowercase, NFC,
 * accents kept); null when they do not line up one for one (a spaced-out or obfuscated word).
 */
export function writtenWords(source: string, tokens: Tokens): string[] | null {
  if (!NON_ASCII.test(source)) return tokens.words;
  const lower = source.normalize('NFC').toLowerCase();
  const words = tokenize(lower);
  const n = tokens.words.length;
  if (words.length < n) return null;
  // Marks are word characters, so the text without them splits into the same words: most words then
  // match the folded ones as they are, and only the rest (homoglyphs, digits, repeated letters) are
  // folded one by one.
  const bare = tokenize(lower.normalize('NFD').replace(COMBINING, ''));
  const aligned = bare.length === words.length;
  for (let i = 0; i < n; i++) {
    if (aligned && bare[i] === tokens.words[i]) continue;
    if (foldScripts(foldForMatching(words[i])) !== tokens.words[i]) return null;
  }
  return words.length === n ? words : words.slice(0, n);
}
const COMBINING = /[\u0300-\u036f]/g;

/** An entry marked `=` in the lexicon matches only as written, accents and all (a plural "s" allowed). */
function writtenAs(entry: Entry, written: readonly string[] | null, at: number): boolean {
  if (entry.exact === undefined) return true;
  if (!written) return false;
  return entry.exact.every((want, k) => {
    const word = written[at + k];
    return word !== undefined && (word === want || word === `${want}s`);
  });
}

/** A Vietnamese entry, in a message typed with its tones: does some written form of it match tone for tone? */
function tonesMatch(entry: Entry, tones: readonly string[] | null, at: number): boolean {
  if (!tones || !entry.tones) return true;
  return entry.tones.some((form) => form.every((sig, k) => sig === '' || entry.pieces[k].prefix || sig === tones[at + k]));
}

function push(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

// Letters, combining marks (Devanagari vowel signs) and digits; \u0001/\u0002 are the compile-time markers.
const TOKEN = /[\p{L}\p{M}\p{N}\u0001\u0002]+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export interface Tokens {
  words: string[];
  /** Sentence index of each word. */
  sentence: number[];
  /** Character offset of each word in the folded text. */
  offset: number[];
  /** Each word's entry in the word table (words[i] === info[i].text). */
  info: WordInfo[];
}

/**
 * A distinct word, interned by the tokenizer: what each reader works out about a word (the lexicon
 * entries that can start at it, its n-gram indices, which word lists it is in, its summed model
 * weights) is worked out once per word and kept here, so a message's words cost one table lookup
 * each, not one per reader. Words repeat across messages; the table is cleared when it is full.
 */
export interface WordInfo {
  readonly text: string;
  /** The lexicon entries that can start at this word, for `candidatesOf` (findCues). */
  candidates: Candidates | null;
  candidatesOf: CompiledLexicon | null;
  /** features.ts: the word's hash, then its unigram and character n-gram indices. */
  grams: Int32Array | null;
  /** features.ts: the answers of its word-list tests, two bits each (known, yes). */
  flags: number;
  /** model.ts: the weight rows of `grams` summed, for the model `sumOf`. */
  sum: Float32Array | null;
  sumOf: object | null;
  /** languages.ts: the languages this word is a function word of (bitmask), -1 until asked. */
  langs: number;
}

const WORD_TABLE_LIMIT = 50_000;
const wordTable = new Map<string, WordInfo>();

function internWord(word: string): WordInfo {
  let info = wordTable.get(word);
  if (info) return info;
  if (wordTable.size >= WORD_TABLE_LIMIT) wordTable.clear();
  info = { text: word, candidates: null, candidatesOf: null, grams: null, flags: 0, sum: null, sumOf: null, langs: -1 };
  wordTable.set(word, info);
  return info;
}

const SENTENCE_BREAKS = new Set(['.', '!', '?', '\n', '。', '！', '？', '؟', '।']);

// Which UTF-16 code units are TOKEN characters, computed once from TOKEN's own class (the same
// answer, without running a Unicode-property regex per word). Surrogates are judged as pairs.
let tokenUnits: Uint8Array | null = null;
const TOKEN_CHAR = /^[\p{L}\p{M}\p{N}\u0001\u0002]$/u;
const astralTokenChars = new Map<number, boolean>();

function tokenUnitTable(): Uint8Array {
  if (tokenUnits) return tokenUnits;
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if ((c < 0xd800 || c > 0xdfff) && TOKEN_CHAR.test(String.fromCharCode(c))) table[c] = 1;
  return (tokenUnits = table);
}

/** Code units of the token character at i (1 or 2), or 0 when text[i] does not start one. */
function tokenCharAt(text: string, i: number, table: Uint8Array): number {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdfff) return table[code];
  if (code > 0xdbff || i + 1 >= text.length) return 0;
  const low = text.charCodeAt(i + 1);
  if (low < 0xdc00 || low > 0xdfff) return 0;
  const point = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  let isToken = astralTokenChars.get(point);
  if (isToken === undefined) {
    isToken = TOKEN_CHAR.test(String.fromCodePoint(point));
    if (astralTokenChars.size < 10_000) astralTokenChars.set(point, isToken);
  }
  return isToken ? 2 : 0;
}

/** The words (runs of TOKEN characters) with their sentence index and offset. */
export function tokenizeWithSentences(text: string): Tokens {
  const words: string[] = [];
  const sentence: number[] = [];
  const offset: number[] = [];
  const info: WordInfo[] = [];
  const table = tokenUnitTable();
  let s = 0;
  let last = 0;
  let i = 0;
  while (i < text.length) {
    let width = tokenCharAt(text, i, table);
    if (width === 0) {
      // Not a token character: one code point on (a whole surrogate pair, as the u-flag regex steps).
      const code = text.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      continue;
    }
    const start = i;
    while (width > 0) {
      i += width;
      width = i < text.length ? tokenCharAt(text, i, table) : 0;
    }
    for (let k = last; k < start; k++) {
      if (SENTENCE_BREAKS.has(text[k])) {
        s++;
        break;
      }
    }
    const word = internWord(text.slice(start, i));
    words.push(word.text);
    info.push(word);
    sentence.push(s);
    offset.push(start);
    last = i;
  }
  return { words, sentence, offset, info };
}

function pieceMatches(piece: Piece, word: string | undefined): boolean {
  if (word === undefined) return false;
  if (piece.any) return true;
  // "rope's" folds to "ropes", and plurals: an exact word also matches with a trailing "s".
  return piece.prefix ? word.startsWith(piece.text) : word === piece.text || (word.length === piece.text.length + 1 && word.endsWith('s') && word.startsWith(piece.text));
}

// Words repeat across messages: the entries that can start at a word are looked up once per word
// (kept in its WordInfo). A common word ("a", "my", "the") starts dozens of multi-word entries; most
// of them name their second word exactly, so they are also indexed by it, and only those the next
// word can satisfy are checked (in their original order, so the hits come out exactly as a check of
// every entry gives).
/** Below this many entries a word's entries are simply all checked. */
const INDEX_FROM = 4;

export interface Candidates {
  entries: Entry[];
  /** Ordinals (into entries) always checked: one-word entries, and those whose second piece is a stem or "_". */
  open: number[] | null;
  /** Ordinals of the entries whose second piece is this exact word. */
  byNext: Map<string, number[]> | null;
}
const NO_CANDIDATES: Candidates = { entries: [], open: null, byNext: null };

function candidatesOf(lexicon: CompiledLexicon, info: WordInfo): Candidates {
  if (info.candidatesOf === lexicon) return info.candidates!;
  const candidates = candidatesFor(lexicon, info.text);
  info.candidates = candidates;
  info.candidatesOf = lexicon;
  return candidates;
}

function candidatesFor(lexicon: CompiledLexicon, word: string): Candidates {
  const found: Entry[] = [];
  const exact = lexicon.exact.get(word);
  if (exact) found.push(...exact);
  if (word.length > 3 && word.endsWith('s')) {
    const singular = lexicon.exact.get(word.slice(0, -1));
    if (singular) found.push(...singular);
  }
  if (word.length >= STEM) {
    const stemmed = lexicon.stems.get(word.slice(0, STEM));
    if (stemmed) for (const e of stemmed) if (word.startsWith(e.pieces[0].text)) found.push(e);
  }
  return found.length === 0 ? NO_CANDIDATES : indexByNext(found);
}

function indexByNext(entries: Entry[]): Candidates {
  if (entries.length < INDEX_FROM) return { entries, open: null, byNext: null };
  const open: number[] = [];
  const byNext = new Map<string, number[]>();
  entries.forEach((e, k) => {
    const second = e.pieces[1];
    if (!second || second.prefix || second.any) open.push(k);
    else {
      const list = byNext.get(second.text);
      if (list) list.push(k);
      else byNext.set(second.text, [k]);
    }
  });
  return { entries, open, byNext };
}

// Reused scratch list of the ordinals to check at one word.
const toCheck: number[] = [];

/**
 * The languages whose Latin-script entries a message reads (bitmask): those its function words
 * vote for, or all of them when it is too short to tell (languages.ts).
 */
export function messageLanguages(tokens: Tokens): number {
  return messageLanguageVote(tokens).allowed;
}

/** messageLanguages, with the leading languages of the vote (languages.ts `languageVote`). */
export function messageLanguageVote(tokens: Tokens): { allowed: number; leading: number } {
  const table = functionWordVoters(foldForLexicon);
  const votes: number[] = [];
  for (const info of tokens.info) {
    if (info.langs < 0) info.langs = wordLanguages(info.text, table);
    votes.push(info.langs);
  }
  return languageVote(votes);
}

/**
 * A one-word entry of another language that is a function word of the language the message is
 * written in reads that function word, not the entry: German and Dutch "die" (the) is not the English
 * death word, German "im" (in the) not English "I'm", French "les" not Dutch "les" (lesson), Spanish
 * "no" not Vietnamese "nó" (he). Only when the vote has a leader and the entry is not from it.
 */
function foreignFunctionWord(entry: Entry, word: WordInfo, leading: number): boolean {
  return leading !== 0 && (entry.langs & leading) === 0 && (word.langs & leading) !== 0 && entry.pieces.length === 1 && !entry.pieces[0].prefix;
}

/** Every cue entry found in the folded text, in token order, from the languages the text is in. */
export function findCues(
  lexicon: CompiledLexicon,
  folded: string,
  tokens: Tokens,
  vote: { allowed: number; leading: number } = messageLanguageVote(tokens),
  source: string | null = null,
): CueHit[] {
  const languages = vote.allowed;
  const { leading } = vote;
  // The message as written, for the Vietnamese entries (tone for tone) and the `=` entries (as written).
  const tones = source ? toneSignatures(source, tokens) : null;
  let written: readonly string[] | null | undefined;
  const asWritten = (e: Entry, at: number): boolean => {
    if (e.exact === undefined) return true;
    if (written === undefined) written = source ? writtenWords(source, tokens) : null;
    return writtenAs(e, written, at);
  };
  const hits: CueHit[] = [];
  const { words, sentence, info } = tokens;
  for (let i = 0; i < words.length; i++) {
    const { entries, open, byNext } = candidatesOf(lexicon, info[i]);
    if (entries.length === 0) continue;
    if (!byNext) {
      for (let c = 0; c < entries.length; c++) {
        const e = entries[c];
        if ((e.langs & languages) === 0 || foreignFunctionWord(e, info[i], leading)) continue;
        if ((e.pieces.length === 1 || restMatches(e, words, i)) && tonesMatch(e, tones, i) && asWritten(e, i)) hits.push({ cue: e.cue, at: i, span: e.pieces.length, sentence: sentence[i] });
      }
      continue;
    }
    // The entries the next word can satisfy: those naming it, or its singular ("ropes" -> "rope").
    const next = words[i + 1];
    toCheck.length = 0;
    for (const k of open!) toCheck.push(k);
    let sources = open!.length > 0 ? 1 : 0;
    if (next !== undefined) {
      const named = byNext.get(next);
      if (named) {
        for (const k of named) toCheck.push(k);
        sources++;
      }
      if (next.endsWith('s')) {
        const singular = byNext.get(next.slice(0, -1));
        if (singular) {
          for (const k of singular) toCheck.push(k);
          sources++;
        }
      }
    }
    if (sources > 1) toCheck.sort(ascending);
    for (let c = 0; c < toCheck.length; c++) {
      const e = entries[toCheck[c]];
      if ((e.langs & languages) === 0 || foreignFunctionWord(e, info[i], leading)) continue;
      if ((e.pieces.length === 1 || restMatches(e, words, i)) && tonesMatch(e, tones, i) && asWritten(e, i)) hits.push({ cue: e.cue, at: i, span: e.pieces.length, sentence: sentence[i] });
    }
  }
  if (lexicon.cjk.length > 0 && CJK.test(folded)) {
    for (const { text, cue } of lexicon.cjk) {
      let from = 0;
      for (let n = 0; n < 4; n++) {
        const index = folded.indexOf(text, from);
        if (index < 0) break;
        const at = tokenAt(tokens, index);
        hits.push({ cue, at, span: 1, sentence: sentence[at] ?? 0, chars: [index, index + text.length] });
        from = index + text.length;
      }
    }
  }
  return hits;
}

function ascending(a: number, b: number): number {
  return a - b;
}

function restMatches(entry: Entry, words: string[], at: number): boolean {
  const { pieces } = entry;
  for (let k = 1; k < pieces.length; k++) if (!pieceMatches(pieces[k], words[at + k])) return false;
  return true;
}

/** The last token starting at or before a character (0 when there is none). */
export function tokenAt(tokens: Tokens, charIndex: number): number {
  const { offset } = tokens;
  let lo = 0;
  let hi = offset.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offset[mid] <= charIndex) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}
