// The language of a chat message, for the escalation reply, the resources panel and the coach's
// instructions. eld (Efficient Language Detector, n-gram tables shipped in the npm package, no
// download) restricted to the supported languages; ADR 010 has the measurements behind the choice.
// A message too short or too ambiguous to tell ("ok", "thanks", emoji, transliterated text) keeps
// the conversation's previous language, then the tenant's, then English.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { eld as EldInstance } from 'eld/extrasmall';
import { DEFAULT_LANGUAGE, isSupportedLanguage, SUPPORTED_LANGUAGES, type LanguageCode } from '~/lib/i18n';
import { LEXICONS } from '~/.server/safety/lexicon';
import { LEXICON_LANGUAGES } from '~/.server/safety/lexicon/cues';
import { foldForLexicon, tokenize } from '~/.server/safety/lexicon/match';

type Eld = typeof EldInstance;

// eld's n-gram tables are ≈ 28 MB of heap and ≈ 0.45 s to load: more than an idle web process holds in anything else
// (issue 14: idle RSS ≤ 150 MB). They load when a process first serves a signed-in person (preloadLanguageDetector,
// called by the web server, so their first message does not wait for them) or, at the latest, on the first
// detection (a command, a test, the job process). ADR 010 chose eld; ADR 054 (session 13) made it lazy.
let detector: Eld | undefined;
let preloading: Promise<void> | undefined;

function configured(eld: Eld): Eld {
  eld.setLanguageSubset([...SUPPORTED_LANGUAGES]);
  return eld;
}

/** Loads the detector in the background; resolves once it is loaded (never rejects: detection loads it then). */
export function preloadLanguageDetector(): Promise<void> {
  if (detector) return Promise.resolve();
  preloading ??= import('eld/extrasmall').then(
    ({ eld }) => void (detector ??= configured(eld)),
    () => undefined,
  );
  return preloading;
}

/**
 * The detector, loaded now if nobody preloaded it. eld ships ES modules only, with an "import" condition alone in its
 * exports, so a synchronous caller loads its entry file by path (require of an ES module: Node ≥ 20.19).
 */
function languageDetector(): Eld {
  if (detector) return detector;
  const require = createRequire(import.meta.url);
  const home = (require.resolve.paths('eld') ?? []).map((dir) => path.join(dir, 'eld')).find((dir) => fs.existsSync(path.join(dir, 'package.json')));
  if (!home) throw new Error('the language detector (eld) is not installed');
  const { eld } = require(path.join(home, 'src/entries/static.extrasmall.js')) as { eld: Eld };
  detector = configured(eld);
  return detector;
}

/** Long rants and pasted material: the opening is plenty to tell the language, and keeps detection cheap. */
const MAX_DETECT_CHARS = 1_000;
/** Fewer letters than this is a word or two in Latin script: not enough to switch language on. */
const MIN_LETTERS = 8;
/** Han, kana and Hangul carry a word per character or two. */
const MIN_CJK_CHARS = 2;

export interface MessageLanguage {
  /** The detector's answer when it is sure enough to act on; null for short or ambiguous text. */
  language: LanguageCode | null;
  /** What eld said, reliable or not (for lineage); '' when it saw no text. */
  guess: string;
  reliable: boolean;
}

export type LanguageSource = 'message' | 'conversation' | 'tenant' | 'default';

export interface TurnLanguage {
  language: LanguageCode;
  source: LanguageSource;
  /** The detector's raw guess for this message, for lineage. */
  guess: string;
}

export function detectMessageLanguage(text: string): MessageLanguage {
  const opening = text.slice(0, MAX_DETECT_CHARS);
  const sample = stripNonLanguage(opening);
  if (!enoughText(sample)) return { language: null, guess: '', reliable: false };
  const result = languageDetector().detect(sample);
  const guess = result.language ?? '';
  let reliable = result.isReliable() && !looksTransliterated(opening);
  let language: string = guess;
  if (isShortLatin(sample)) {
    // A few Latin-script words ("kms tonight", "i cant anymore") are where n-gram detection
    // guesses wildly. The words themselves vote: the lexicon's vocabulary per language. When they
    // name another language than eld, nothing is switched (the conversation/tenant language
    // stands); when eld is unsure and the words clearly name one language, that language is taken.
    const vote = wordVote(sample);
    if (!reliable && vote.best === guess && vote.count[guess] >= 2) reliable = !looksTransliterated(opening);
    else if (vote.best && vote.best !== guess && vote.count[vote.best] > (vote.count[guess] ?? 0)) {
      if (result.isReliable() || vote.count[vote.best] < 2) reliable = false;
      else {
        language = vote.best;
        reliable = !looksTransliterated(opening);
      }
    }
  }
  return { language: reliable && isSupportedLanguage(language) ? language : null, guess, reliable };
}

/** Latin-script text shorter than this many letters gets the word vote. */
const SHORT_LETTERS = 40;

function isShortLatin(sample: string): boolean {
  if (/(?=\p{L})\P{Script=Latin}/u.test(sample)) return false;
  return (sample.match(/\p{L}/gu)?.length ?? 0) < SHORT_LETTERS;
}

let vocabulary: Map<string, string[]> | null = null;

/** Each word of the safety lexicons (whole words only, no stems) → the languages it belongs to. */
function lexiconVocabulary(): Map<string, string[]> {
  if (vocabulary) return vocabulary;
  const map = new Map<string, Set<string>>();
  LEXICONS.forEach((lexicon, i) => {
    const lang = LEXICON_LANGUAGES[i];
    for (const source of Object.values(lexicon)) {
      for (const entry of (source ?? '').split('|')) {
        for (const raw of entry.trim().split(/\s+/)) {
          if (raw === '_' || raw.endsWith('*')) continue;
          for (const word of tokenize(foldForLexicon(raw))) {
            if (word.length < 2 && word !== 'i') continue;
            let set = map.get(word);
            if (!set) map.set(word, (set = new Set()));
            set.add(lang);
          }
        }
      }
    }
  });
  vocabulary = new Map([...map].map(([w, set]) => [w, [...set]]));
  return vocabulary;
}

function wordVote(sample: string): { best: string | null; count: Record<string, number> } {
  const vocab = lexiconVocabulary();
  const count: Record<string, number> = {};
  for (const word of tokenize(foldForLexicon(sample))) for (const lang of vocab.get(word) ?? []) count[lang] = (count[lang] ?? 0) + 1;
  let best: string | null = null;
  let tie = false;
  for (const [lang, n] of Object.entries(count)) {
    if (best === null || n > count[best]) {
      best = lang;
      tie = false;
    } else if (n === count[best]) tie = true;
  }
  return { best: tie ? null : best, count };
}

export interface LanguageForTurnInput {
  text: string;
  /** Earlier messages of the person in this conversation, oldest first. */
  previousUserMessages?: readonly string[];
  /** The tenant's configured language (tenant settings / tenant.json), if any. */
  tenantLanguage?: string | null;
}

/** This message's language, else the conversation's previous one, else the tenant's, else English. */
export function languageForTurn(input: LanguageForTurnInput): TurnLanguage {
  const own = detectMessageLanguage(input.text);
  if (own.language) return { language: own.language, source: 'message', guess: own.guess };
  const previous = input.previousUserMessages ?? [];
  for (let i = previous.length - 1; i >= 0; i--) {
    const earlier = detectMessageLanguage(previous[i]).language;
    if (earlier) return { language: earlier, source: 'conversation', guess: own.guess };
  }
  if (isSupportedLanguage(input.tenantLanguage)) return { language: input.tenantLanguage, source: 'tenant', guess: own.guess };
  return { language: DEFAULT_LANGUAGE, source: 'default', guess: own.guess };
}

/** Links, mentions, numbers and symbols say nothing about the language and confuse n-grams. */
function stripNonLanguage(text: string): string {
  return text
    .replace(/https?:\/\/\S+|www\.\S+/gi, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/[@#]\w+/g, ' ')
    .replace(/[^\p{L}\p{M}\s'’-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function enoughText(sample: string): boolean {
  const cjk = sample.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu)?.length ?? 0;
  if (cjk >= MIN_CJK_CHARS) return true;
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  return letters >= MIN_LETTERS;
}

// Hindi and Arabic typed in Latin letters ("main theek nahi hoon", "ana ta3ban") have no n-gram
// table; eld then picks some Latin-script language. Chat Arabic writes sounds as digits inside
// words (3, 7, 2, 5); common Hinglish function words are a second tell. Either way we keep the
// conversation's language rather than switch to a wrong one.
const ARABIZI = /\b[a-z]+[2375][a-z]+\b/i;
const HINGLISH = /\b(?:hai|hain|nahi|nahin|kya|mujhe|mera|meri|tum|aap|hoon|hun|kuch|bahut|yaar|kaise|kyun|accha|theek)\b/gi;

function looksTransliterated(text: string): boolean {
  if (/(?=\p{L})\P{Script=Latin}/u.test(text)) return false;
  if (ARABIZI.test(text)) return true;
  return (text.match(HINGLISH)?.length ?? 0) >= 2;
}
