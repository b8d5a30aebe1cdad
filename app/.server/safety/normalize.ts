// Text normalisation for the safety classifier. People (and attackers) write "k1ll mys3lf",
// "s u i c i d e", "kil.l", fullwidth or script letters, and hide words with zero-width or
// bidi characters; the rules should see one plain lowercase form. Every step is a single
// linear regex pass (no nested quantifiers), so a 20,000-character message stays cheap.

/** Only this many characters are read; the rest of a huge message is ignored, never fatal. */
export const MAX_SCAN_CHARS = 20_000;

// Zero-width, soft hyphen, bidi embeddings/overrides/isolates and BOM: invisible, used to split words.
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// C0/C1 controls except tab and newline, the replacement character, and lone surrogates
// (what invalid UTF-8 or binary data turns into once decoded).
const CONTROL_OR_BROKEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NON_ASCII = /[^\u0000-\u007F]/;
const COMBINING_MARKS = /[\u0300-\u036F]/g;
const CARRIAGE_RETURN = /\r\n?/g;

// Latin look-alikes from Cyrillic and Greek, the usual homoglyph tricks.
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', ӏ: 'l',
  α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', η: 'n',
};
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

const APOSTROPHES = /['\u2018\u2019\u02BC`\u00B4]/g;
// "kil.l", "k-i-l-l", "su*cide", "self_harm": punctuation between two word characters is dropped.
const INNER_PUNCTUATION = /[.*_\-~^]/g;
// Leetspeak next to a letter: k1ll, mys3lf, 0verdose, su1c1de, d!e. Digits followed by a unit stay digits.
// Runs are found by a trivial regex and judged by their neighbours (faster than lookbehind).
const LEET_DIGITS = /[013457]+/g;
const LEET_SYMBOLS = /[@$!|]/g;
const UNIT_AFTER = /^(?:mg|ml|mcg|kg|g|am|pm|st|nd|rd|th|hrs?|h|k|m|s|x|p|mins?|min|km|mph|pcs?|yrs?|days?|weeks?|wks?|lbs?|ft|cm|mm)\b/;
const HAS_DIGIT = /[013457]/;
const HAS_SYMBOL = /[@$!|]/;
const LEET_MAP: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };
// "s u i c i d e", "e n d  m y  l i f e": runs of single letters separated by single spaces.
// A pair is joined only without the words "a" and "i", so "i a..." prose stays prose.
const SPACED_LETTERS = /(?<![a-z])[a-z](?: [a-z](?![a-z]))+/g;
const PAIR_WITH_WORD_LETTER = /^(?:[ai] .|. [ai])$/;
const SPACE_IN_RUN = / /g;
// "killlll" -> "kill", "soooo" -> "soo".
const REPEATED_LETTER = /([a-z])\1{2,}/g;
// Only runs that are not already a single plain space, so ordinary prose is not rewritten.
const HORIZONTAL_SPACE = / [^\S\n]+|[^\S\n ][^\S\n]*/g;
const BLANK_LINES = / ?\n[\s]*/g;

/** Removes what cannot be read or is invisible, and caps the length. Case and punctuation stay. */
export function sanitizeText(input: unknown): string {
  let text = typeof input === 'string' ? input : input == null ? '' : String(input);
  if (text.length > MAX_SCAN_CHARS) text = text.slice(0, MAX_SCAN_CHARS);
  return text.replace(INVISIBLE, '').replace(CONTROL_OR_BROKEN, ' ').replace(CARRIAGE_RETURN, '\n');
}

/**
 * The form the rules read: NFKC, no accents or homoglyphs, lowercase, no apostrophes,
 * obfuscation folded, single spaces, newlines kept (they separate dialogue turns and clauses).
 * Input should already be sanitised.
 */
export function foldForMatching(sanitized: string): string {
  let text = sanitized;
  if (NON_ASCII.test(text)) {
    text = text.normalize('NFKC');
    if (NON_ASCII.test(text)) {
      text = text.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
      text = text.toLowerCase().replace(HOMOGLYPH_RE, (ch) => HOMOGLYPHS[ch] ?? ch);
    }
  }
  text = text.toLowerCase().replace(APOSTROPHES, '');
  if (HAS_DIGIT.test(text)) text = text.replace(LEET_DIGITS, foldLeetDigits);
  if (HAS_SYMBOL.test(text)) text = text.replace(LEET_SYMBOLS, foldLeetSymbol);
  text = text.replace(INNER_PUNCTUATION, dropInnerPunctuation);
  // Before spaces collapse: a double space is the word break inside "e n d  m y  l i f e".
  text = text.replace(SPACED_LETTERS, joinSpacedLetters);
  text = text.replace(HORIZONTAL_SPACE, ' ').replace(REPEATED_LETTER, '$1$1').replace(BLANK_LINES, '\n');
  return text.trim();
}

/** sanitizeText + foldForMatching. */
export function normalizeForClassification(input: unknown): string {
  return foldForMatching(sanitizeText(input));
}

function joinSpacedLetters(run: string): string {
  return PAIR_WITH_WORD_LETTER.test(run) ? run : run.replace(SPACE_IN_RUN, '');
}

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch >= 'a' && ch <= 'z';
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'));
}

function foldLeetDigits(run: string, offset: number, whole: string): string {
  const after = offset + run.length;
  const foldable =
    isLetter(whole[offset - 1]) || (isLetter(whole[after]) && !UNIT_AFTER.test(whole.slice(after, after + 6)));
  if (!foldable) return run;
  let out = '';
  for (const ch of run) out += LEET_MAP[ch] ?? ch;
  return out;
}

function foldLeetSymbol(ch: string, offset: number, whole: string): string {
  const before = whole[offset - 1];
  const after = whole[offset + 1];
  // "d!e", "k|ll"; a leading "@" or "$" only when a word follows ("$uicide").
  if (isLetter(before) ? isLetter(after) : (ch === '@' || ch === '$') && isLetter(after) && (before === undefined || before === ' ' || before === '\n')) {
    return LEET_MAP[ch] ?? ch;
  }
  return ch;
}

function dropInnerPunctuation(ch: string, offset: number, whole: string): string {
  return isWordChar(whole[offset - 1]) && isWordChar(whole[offset + 1]) ? '' : ch;
}
