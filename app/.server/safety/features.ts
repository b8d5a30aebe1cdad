// What the statistical safety model reads: hashed word unigrams, bigrams and skip-bigrams, character 3–5-grams
// inside words (they carry inflections, typos, slang and scripts without spaces), the lexicon's
// cues and how the cues combine in a sentence (a request frame with a harm verb and a person,
// a plan with a means, a negated or distant-past self-harm word...). The cue analysis also
// gives the classifier its deterministic floors.
import { CUES, type Cue } from './lexicon/cues';
import { cueLexicon } from './lexicon';
import { findCues, foldForLexicon, tokenAt, tokenizeWithSentences, type CueHit, type Tokens, type WordInfo } from './lexicon/match';
import { incidentOver } from './input-rules';

// 2^20 buckets: at 2^18 the ≈ 320k distinct features of the corpus collided for most buckets (ADR 030).
export const FEATURE_BITS = 20;
export const FEATURE_DIM = 1 << FEATURE_BITS;
const MASK = FEATURE_DIM - 1;
/** Words read for n-grams; a longer message is read for cues in full but its n-grams are capped. */
const MAX_NGRAM_WORDS = 600;
export const MAX_FEATURE_CHARS = 8_000;
const NEG_WINDOW = 3;
const PAIR_WINDOW = 12;
/** How far after a request frame the harm verb or method may come, in words. */
const REQUEST_REACH = 6;
/** From this many words a message is read sentence by sentence for some frames (a long work message). */
const LONG_MESSAGE_WORDS = 40;
/** How far after the harm verb its target may come ("how do i get rid of my neighbours dog"). */
const TARGET_REACH = 5;

export interface CueAnalysis {
  /** Cues present anywhere (not negated, not inside an idiom). */
  present: Set<Cue>;
  /** Combinations that decide floors and feed the model. */
  combos: Set<Combo>;
  hits: CueHit[];
}

export type Combo =
  | 'explicit'
  | 'explicit_negated'
  | 'want_die'
  | 'plan'
  | 'time_final'
  | 'have_means'
  | 'request_harm'
  | 'request_self'
  | 'threat_harm'
  | 'harm_self'
  | 'sh_ongoing'
  | 'sh_past'
  | 'suicide_past'
  | 'about_frame'
  | 'idiom_frame'
  | 'third_frame'
  | 'support_frame'
  | 'distress_self'
  | 'medical_now'
  | 'anticipation_frame'
  | 'leave_frame'
  | 'work_question_frame'
  | 'harass_self'
  | 'means_self'
  | 'die_self'
  | 'farewell_plan'
  | 'lethal_query'
  | 'harm_now'
  | 'overdose_taken'
  | 'explicit_self'
  | 'poison_target'
  | 'parting_reason'
  | 'return_marker'
  | 'incident_over'
  | 'other_person_question'
  | 'other_at_risk'
  | 'harm_asked_later'
  | 'threat_now';

export interface Features {
  wordCount: number;
  /** The text holds a question mark (Latin or full-width). */
  question: boolean;
  /** Character offset of each word in the text read (for reading a window of a long message again). */
  tokenOffsets: number[];
  /** Share of the first words that are common English function words (0..1): how English the text reads. */
  englishShare: number;
  indices: Int32Array;
  values: Float32Array;
  analysis: CueAnalysis;
  /**
   * Inference only: the words whose own n-grams (unigram and character grams, WordInfo.grams, index 0
   * being the word hash) the model reads, with the scale they all share; `indices` then holds the
   * rest (bigrams, CJK grams, cues). Training reads every index in `indices` instead.
   */
  words?: { refs: readonly WordInfo[]; count: number; scale: number };
}

// ── hashing ──────────────────────────────────────────────────────────────────────────────
function hashString(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2)), 2246822519);
  h ^= h >>> 13;
  return h >>> 0;
}

const SEED_WORD = 0x811c9dc5;
const SEED_CHAR = 0x01000193;
const SEED_CUE = 0x2545f491;
const SEED_SKIP = 0x5555;

export function cueFeatureIndex(name: string): number {
  return hashString(name, SEED_CUE) & MASK;
}

// Reused output buffer: every n-gram occurrence is one entry (repeats simply add up in the dot
// product), so there is no per-message map or dense accumulator to clear.
const MAX_FEATURES = 1 << 15;
const outIndex = new Int32Array(MAX_FEATURES);
const outValue = new Float32Array(MAX_FEATURES);
let outCount = 0;

function add(index: number, value: number): void {
  if (outCount >= MAX_FEATURES) return;
  outIndex[outCount] = index;
  outValue[outCount++] = value;
}

function isCjk(code: number): boolean {
  return (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff);
}

// Inference mode: a word's own n-grams are not copied out one by one but handed over as the
// word itself; the model sums its gram array's weight rows once and keeps the sum with the word
// (model.ts), so a 2,000-character message costs a few hundred row additions, not thousands.
const wordRefs: WordInfo[] = [];
let wordRefCount = 0;
let wordGramTotal = 0;

function addNgrams(tokens: Tokens, compact: boolean): void {
  const { words, info } = tokens;
  const n = Math.min(words.length, MAX_NGRAM_WORDS);
  let prev = 0;
  let prev2 = 0;
  let prevSentence = -1;
  for (let i = 0; i < n; i++) {
    const word = words[i];
    if (isCjk(word.charCodeAt(0))) {
      addCjk(word);
      prev = 0;
      continue;
    }
    const grams = wordGrams(info[i]);
    const h = grams[0];
    if (compact) {
      wordRefs[wordRefCount++] = info[i];
      wordGramTotal += grams.length - 1;
    } else for (let k = 1; k < grams.length; k++) add(grams[k], 1);
    if (prev !== 0 && tokens.sentence[i] === prevSentence) add(mix(prev, h) & MASK, 1);
    // Skip-bigrams (one word between): "without _ me", "take _ life" read across fillers and inflections.
    if (prev2 !== 0 && tokens.sentence[i] === prevSentence) add(mix(prev2 ^ SEED_SKIP, h) & MASK, 1);
    prev2 = tokens.sentence[i] === prevSentence ? prev : 0;
    prev = h;
    prevSentence = tokens.sentence[i];
  }
}

// A word's own features (its hash, its unigram index and its character n-grams) computed once per word.
function wordGrams(info: WordInfo): Int32Array {
  if (info.grams) return info.grams;
  const word = info.text;
  const start = outCount;
  const h = hashString(word, SEED_WORD);
  add(h & MASK, 1);
  addCharGrams(word);
  const grams = new Int32Array(1 + outCount - start);
  grams[0] = h | 0;
  grams.set(outIndex.subarray(start, outCount), 1);
  outCount = start;
  info.grams = grams;
  return grams;
}

// The word-list tests below, answered once per distinct word and kept in its WordInfo.flags.
const IS_DRUG = 0;
const IS_WORK_EVENT = 1;
const IS_LEAVE = 2;
const IS_ANTICIPATION = 3;
const IS_GERMANIC = 4;
const IS_ENGLISH = 5;
const IS_SELF_FIRST = 6;

function wordIs(info: WordInfo, test: number, answer: (word: string) => boolean): boolean {
  const known = 1 << (2 * test);
  const yes = known << 1;
  const flags = info.flags;
  if (flags & known) return (flags & yes) !== 0;
  const is = answer(info.text);
  info.flags = flags | known | (is ? yes : 0);
  return is;
}

function anyWordIs(tokens: Tokens, test: number, answer: (word: string) => boolean): boolean {
  for (const info of tokens.info) if (wordIs(info, test, answer)) return true;
  return false;
}

function addCharGrams(word: string): void {
  // " word " with boundary marks; 3..5-grams.
  const padded = ` ${word} `;
  const len = padded.length;
  if (len <= 4) {
    add(hashString(padded, SEED_CHAR) & MASK, 1);
    return;
  }
  for (let i = 0; i < len; i++) {
    let h = SEED_CHAR;
    for (let k = 0; k < 5 && i + k < len; k++) {
      h ^= padded.charCodeAt(i + k);
      h = Math.imul(h, 16777619);
      if (k >= 2) add((h >>> 0) & MASK, 1);
    }
  }
}

function addCjk(run: string): void {
  // Scripts without spaces: character 1..3-grams.
  for (let i = 0; i < run.length; i++) {
    let h = SEED_CHAR ^ 0x5bd1e995;
    for (let k = 0; k < 3 && i + k < run.length; k++) {
      h ^= run.charCodeAt(i + k);
      h = Math.imul(h, 16777619);
      add((h >>> 0) & MASK, 1);
    }
  }
}

// ── cue analysis ─────────────────────────────────────────────────────────────────────────
const SELF_FIRST = new Set(['i', 'im', 'ive', 'id', 'ill', 'me', 'my', 'myself', 'meself']);

const BIT = Object.fromEntries(CUES.map((c, i) => [c, 1 << i])) as Record<Cue, number>;
const VIOLENT_BITS = BIT.harm | BIT.suicide | BIT.die | BIT.means | BIT.final | BIT.medical | BIT.sh;
const NEGATABLE_BITS = BIT.suicide | BIT.die | BIT.harm | BIT.sh | BIT.final | BIT.distress | BIT.ingest;

// Medicines named in passing ("wieviel Amitriptylin", "40 diazepam", "ile amitryptyliny"): the
// lexicon cannot list every brand and spelling, but pharmacological name endings carry across the
// Latin-script languages. A word with such an ending counts as a means.
const DRUG_ENDINGS = /(?:azepam|azolam|zolam|zepam|pram|oxetin|oxetine|triptylin|triptyline|tryptylin|iptylin|tiapin|tiapine|zapin|zapine|apina|idone|idon|odone|odon|orphin|orphine|etamol|ceta?mol|profen|amadol|pidem|piclon|piclone|barbital|fenac|codein|codeine|tanyl|azepin|azepine|xetina|pramu|tylinu|tyliny)$/;
const MIN_DRUG_WORD = 7;

function isDrugWord(w: string): boolean {
  return w.length >= MIN_DRUG_WORD && DRUG_ENDINGS.test(w);
}

function drugHits(tokens: Tokens): CueHit[] {
  let out: CueHit[] | null = null;
  const { info, sentence } = tokens;
  for (let i = 0; i < info.length; i++) {
    if (wordIs(info[i], IS_DRUG, isDrugWord)) (out ??= []).push({ cue: 'means', at: i, span: 1, sentence: sentence[i] });
  }
  return out ?? [];
}

// A time of day is a time marker like "tonight": "he's coming round at 4", "she walks to her car at 5:30",
// "the email sends at 6am". Read from the shape of the words (English prepositions), not a list of times.
const CLOCK_BEFORE = new Set(['at', 'by', 'till', 'until', 'around', 'before']);
const CLOCK_SUFFIX = /^(?:[1-9]|1[0-2])(?:am|pm)$/;
function isClockNumber(w: string): boolean {
  if (w.length > 2 || w.charCodeAt(0) < 48 || w.charCodeAt(0) > 57 || (w.length === 2 && (w.charCodeAt(1) < 48 || w.charCodeAt(1) > 57))) return false;
  const n = Number(w);
  return n >= 1 && n <= 24;
}
function clockHits(tokens: Tokens): CueHit[] {
  let out: CueHit[] | null = null;
  const { words, sentence } = tokens;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const first = w.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const clock = CLOCK_SUFFIX.test(w) || (i > 0 && CLOCK_BEFORE.has(words[i - 1]) && isClockNumber(w) && sentence[i - 1] === sentence[i]);
    if (clock) (out ??= []).push({ cue: 'time', at: i, span: 1, sentence: sentence[i] });
  }
  return out ?? [];
}

// Emoji carry meaning in short goodbyes ("👋👋 bye everyone ⚰️", "tonight 🪦"): a few read as cues.
// They are not word tokens, so their hits carry the characters they cover, like CJK entries.
const EMOJI_CUES = new Map<number, Cue>([
  [0x1f48a, 'means'], // 💊
  [0x1f52a, 'means'], // 🔪
  [0x1f52b, 'means'], // 🔫
  [0x1faa2, 'means'], // 🪢
  [0x1f309, 'means'], // 🌉
  [0x26b0, 'die'], // ⚰
  [0x26b1, 'die'], // ⚱
  [0x1faa6, 'die'], // 🪦
  [0x1f44b, 'farewell'], // 👋
  [0x1f494, 'distress'], // 💔
]);
/** A row of this many of one means emoji ("💊💊💊💊") pictures a stash: a means at hand. */
const EMOJI_STASH = 3;
const MAYBE_EMOJI = /[\u26b0\u26b1\ud83c\ud83d\ud83e]/;

function emojiHits(folded: string, tokens: Tokens): CueHit[] {
  if (!MAYBE_EMOJI.test(folded)) return [];
  const out: CueHit[] = [];
  let run = 0;
  let runCode = 0;
  for (let i = 0; i < folded.length; i++) {
    const code = folded.codePointAt(i)!;
    const wide = code > 0xffff;
    const cue = EMOJI_CUES.get(code);
    if (cue) {
      const at = tokenAt(tokens, i);
      out.push({ cue, at, span: 1, sentence: tokens.sentence[at] ?? 0, chars: [i, i + (wide ? 2 : 1)] });
      run = code === runCode ? run + 1 : 1;
      runCode = code;
      if (cue === 'means' && run === EMOJI_STASH) out.push({ cue: 'have', at, span: 1, sentence: tokens.sentence[at] ?? 0, chars: [i, i + (wide ? 2 : 1)] });
    } else if (code !== 0x20 && code !== 0xfe0f) {
      run = 0;
      runCode = 0;
    }
    if (wide) i++;
  }
  return out;
}

// "how much would kill someone my size": the person is the asker, not someone else.
const BODY_WORDS = new Set(['size', 'weight', 'build', 'height', 'age', 'weighing']);
function asksAboutOwnBody(words: readonly string[], h: CueHit): boolean {
  const next = words[h.at + h.span];
  const after = words[h.at + h.span + 1];
  return (next === 'my' && after !== undefined && BODY_WORDS.has(after)) || (next === 'like' && after === 'me');
}

// Farewells and arrangements for after are ordinary alone (a leaving do, a will, a holiday cover
// note); with a time, a plan, a means, a death or finality word, or both together, they read as a plan...
const PARTING_WITH: readonly Cue[] = ['time', 'intent', 'have', 'means', 'final', 'die', 'suicide', 'distress'];
// ...unless the message gives an ordinary reason for going (a holiday, a new job, a transfer, leave,
// retirement) and names no means, death or finality.
const PARTING_RISK: readonly Cue[] = ['means', 'final', 'die', 'suicide'];
const PARTING_REASONS = new Set(
  ('holiday holidays vacation leave maternity paternity retire retiring retired retirement transfer transferring transferred ' +
    'relocating relocation emigrating promotion branch course appointment dentist doctors wedding honeymoon trip ' +
    'contract temps temp placement internship secondment refurb refurbishment graduation covering swapped swapping exam exams interview gig concert baby babys newborn ' +
    // illness and treatment as the reason for an absence ("my daughter has chickenpox", "wisdom teeth out")
    'poorly unwell flu chickenpox teeth tooth surgery operation scan ' +
    // the same reasons in es, fr, de, pt, it, pl, nl (folded: no accents)
    'vacaciones baja maternidad paternidad jubilo jubilacion jubilarme traslado trasladan trasladado trasladada cambian curso boda viaje contrato practicas dentista medico cita examen entrevista concierto sucursal ' +
    'vacances conge conges maternite paternite retraite mutation mute mutee formation mariage voyage contrat stage dentiste medecin examen entretien ' +
    'urlaub elternzeit mutterschutz rente ruhestand versetzt versetzung filiale fortbildung schulung hochzeit reise vertrag praktikum zahnarzt arzt arzttermin zahnarzttermin prufung vorstellungsgesprach konzert ' +
    'ferias licenca aposentadoria transferida transferido transferencia unidade casamento viagem estagio consulta prova ' +
    'ferie maternita pensione trasferimento trasferiscono trasferita trasferito corso matrimonio viaggio contratto tirocinio visita esame colloquio concerto ' +
    'urlop urlopie urlopem urlopu macierzynski macierzynskim macierzynskiego emerytura emeryture emerytury kursu szkolenia slubu wesela wyjazdu umowy stazu dentysty lekarza wizyty egzaminu rozmowy koncertu przeniesienie przenosza przechodze kurs szkolenie slub wesele wyjazd umowa staz dentysta lekarz wizyta egzamin rozmowa koncert ' +
    'vakantie verlof zwangerschapsverlof pensioen overplaatsing overgeplaatst vestiging cursus bruiloft reis stage tandarts dokter afspraak sollicitatiegesprek ' +
    // ...and in ro, uk, tl, vi, ar, hi (folded; Vietnamese reasons are pairs below)
    'concediu concediul concediului vacanta pensie transfer mut muta mutam mutat mutata filiala filiale magazinul punctul nunta nunti curs cursul dentist doctor medic programare interviu examen ' +
    'відпустка відпустку відпустці відпустки декрет пенсію переводять переведення філію весілля лікаря лікар співбесіда курси навчання іспит ' +
    'bakasyon lilipat ililipat kasal seminar training dentista doktor ospital ' +
    'إجازة اجازة إجازتي اجازتي الإجازة الاجازة نقلي نقلوني نقلني نقل منقول منقولة فرع الفرع عرس فرح زفاف دكتور طبيب الدكتور موعد ميعاد مقابلة دورة تدريب امتحان تقاعد ' +
    'छुट्टी छुट्टियाँ छुट्टियां ट्रांसफर तबादला शादी डॉक्टर इंटरव्यू ट्रेनिंग परीक्षा chutti chhutti transfer shaadi shadi doctor interview training exam').split(' '),
);
const PARTING_REASON_PAIRS = [
  'new job', 'new role', 'moving to', 'check up', 'leaving do', 'back on', 'back in', 'back by', 'back for', 'see you', 'starting at', 'starts at',
  // Vietnamese (folded): leave, transfer, wedding, dentist, doctor, business trip, training
  'nghi phep', 'chuyen sang', 'dam cuoi', 'kham rang', 'di kham', 'cong tac', 'dao tao', 'nghi le',
];
const ARABIC_CLITICS = new Set(['و', 'ب', 'ل', 'ع', 'ف']);
// Reasons in scripts without spaces, matched as substrings: leave, transfer, a business trip, training, a wedding, travel, retirement, a doctor.
const PARTING_REASONS_CJK = ['休假', '年假', '产假', '產假', '请假', '請假', '出差', '调去', '調去', '调到', '調到', '培训', '培訓', '婚礼', '婚禮', '结婚', '結婚', '旅游', '旅遊', '退休', '看牙', '看医生', '看醫生', '面试', '面試', '放假'];
// A reason denied where it is named is no reason: "I'm not retiring, I'm finishing it", "it's not a
// holiday", "there's no retirement" (English). "Not retiring yet" still is one (it comes later).
const REASON_DENIALS = new Set(['not', 'no', 'isnt', 'aint', 'never', 'wasnt']);
const REASON_DENIAL_FILLERS = new Set(['a', 'an', 'the', 'my', 'on', 'going', 'really', 'actually', 'for', 'off', 'to', 'any', 'some', 'about', 'just', 'because', 'of']);
function reasonDenied(words: readonly string[], i: number, span = 1): boolean {
  if (words[i + span] === 'yet') return false;
  for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
    if (REASON_DENIALS.has(words[k])) return true;
    if (!REASON_DENIAL_FILLERS.has(words[k])) return false;
  }
  return false;
}
// A reason denied anywhere in the message outweighs the same reason said ("they think I'm retiring. I'm not
// retiring"): the words (and pairs) denied somewhere.
function deniedReasonWords(words: readonly string[]): ReadonlySet<string> | null {
  let denied: Set<string> | null = null;
  for (let i = 1; i < words.length; i++) {
    if (!REASON_DENIALS.has(words[i - 1]) && !(i > 1 && REASON_DENIALS.has(words[i - 2])) && !(i > 2 && REASON_DENIALS.has(words[i - 3]))) continue;
    if (reasonDenied(words, i)) (denied ??= new Set()).add(words[i]);
    if (i + 1 < words.length && reasonDenied(words, i, 2)) (denied ??= new Set()).add(`${words[i]} ${words[i + 1]}`);
  }
  return denied;
}
function partingReason(tokens: Tokens, denied = deniedReasonWords(tokens.words)): boolean {
  const words = tokens.words;
  for (let i = 0; i < words.length; i++) {
    if (PARTING_REASONS.has(words[i]) && !denied?.has(words[i])) return true;
    if (isCjk(words[i].charCodeAt(0)) && PARTING_REASONS_CJK.some((r) => words[i].includes(r))) return true;
    // Arabic writes some prepositions and "and" onto the word: "عفرع", "بإجازة", "والعرس".
    if (ARABIC_CLITICS.has(words[i][0]) && words[i].length > 3 && PARTING_REASONS.has(words[i].slice(1))) return true;
    if (i + 1 < words.length && PARTING_REASON_PAIRS.includes(`${words[i]} ${words[i + 1]}`) && !denied?.has(`${words[i]} ${words[i + 1]}`)) return true;
  }
  return false;
}

// English reasons for an absence that PARTING_REASONS does not list: a child's illness, school and
// nursery, a family occasion, a move or a broken boiler ("won't be in, kid's been sick all night",
// "parents' evening", "my nan's 90th"). "Sick" is not a reason when it is "sick of" / "sick and tired";
// "ill" is not listed ("I'll" folds to it).
const ABSENCE_REASONS_EN = new Set(
  ('sick illness bug temperature fever vomiting migraine tonsillitis covid dentists physio childcare nursery school schools ' +
    'christening birthday anniversary graduation exams removals boiler flooded plumber electrician mot jury').split(' '),
);
const ABSENCE_REASON_PAIRS_EN = [
  'parents evening', 'moving house', 'half term', 'sports day', 'school run', 'hen do', 'stag do', 'driving test', 'on days', 'on nights', 'on lates', 'on earlies',
  // a new way in to work (a bus or a train alone is also a means: "the last train that doesn't stop")
  'bus pass', 'train in', 'bus in', 'cycle scheme', 'car share', 'lift share',
  // leaving a workplace, not life: "my last close at this site", "last day at this store"
  'this site', 'this store', 'this depot', 'this shop', 'this ward', 'this office', 'this unit', 'this location', 'new manager',
];
const NOT_A_REASON_AFTER_SICK = new Set(['of', 'and', 'to']);
/** An ordinary reason for being away or leaving is named: a model feature (the model weighs it against the rest). */
function absenceReason(tokens: Tokens): boolean {
  const denied = deniedReasonWords(tokens.words);
  if (partingReason(tokens, denied)) return true;
  const words = tokens.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (ABSENCE_REASONS_EN.has(w) && !(w === 'sick' && NOT_A_REASON_AFTER_SICK.has(words[i + 1] ?? '')) && !denied?.has(w)) return true;
    // A family birthday by its number: "my nan's 90th", "dad's 70th".
    if (/^[1-9]0th$/.test(w)) return true;
    if (i + 1 < words.length && ABSENCE_REASON_PAIRS_EN.includes(`${w} ${words[i + 1]}`) && !denied?.has(`${w} ${words[i + 1]}`)) return true;
  }
  return false;
}

// A return, or an absence with an end ("back on Monday", "see you all Monday", "will be in by 11", "off
// till the 3rd", "away for two weeks"): whoever writes it expects to be back. A model feature, read from
// the English words. A bare "until Sunday" or "for a few weeks" is not one: plans are timed that way too
// ("waiting till Sunday when the house is empty"), so those need an absence word just before.
const DAY_WORDS = new Set(
  ('monday tuesday wednesday thursday friday saturday sunday mon tue tues wed weds thu thur thurs fri sat sun tomorrow tmrw tmr tomoz tomorow ' +
    'morning afternoon lunch lunchtime weekend christmas xmas easter jan january feb february march apr april june july aug august sept september oct october nov november dec december').split(' '),
);
const NEXT_WORDS = new Set(['week', 'weekend', 'month', 'shift', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const SPAN_WORDS = new Set('day days week weeks fortnight night nights weekend month months'.split(' '));
const SPAN_COUNTS = new Set('a one two three four five six few couple the 2 3 4 5 6'.split(' '));
const AWAY_WORDS = new Set('away off leave holiday holidays vacation out ooo absent abroad gone sick'.split(' '));
const RETURN_NEGATIONS = new Set(['not', 'wont', 'never', 'no', 'isnt', 'arent', 'cant', 'dont', 'aint']);
const TAKEN_BACK = new Set(['wont', 'isnt', 'never', 'except', 'aint']);
const REPORTING = new Set(['said', 'says', 'saying', 'told', 'tells']);
const ANSWER_SUBJECTS = new Set(['i', 'ill', 'im', 'id', 'ive', 'we', 'well', 'were', 'he', 'hes', 'she', 'shes', 'they', 'theyll', 'theyre', 'just', 'honestly', 'sorry', 'all', 'nothing', 'no', 'nah', 'its', 'thats']);
function isDayOrDate(words: readonly string[], k: number): boolean {
  const w = words[k];
  if (w === 'next') return NEXT_WORDS.has(words[k + 1] ?? '');
  return DAY_WORDS.has(w) || /^(?:[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)$/.test(w) || isClockNumber(w) || CLOCK_SUFFIX.test(w);
}
function returnMarker(tokens: Tokens): boolean {
  const { words, sentence } = tokens;
  const dayAhead = (from: number, reach: number) => {
    for (let k = from; k < Math.min(words.length, from + reach); k++) if (isDayOrDate(words, k)) return true;
    return false;
  };
  const awayBefore = (i: number, reach: number) => {
    for (let k = Math.max(0, i - reach); k < i; k++) if (AWAY_WORDS.has(words[k]) && sentence[k] === sentence[i]) return true;
    return false;
  };
  // "No" answering a question is not a denied return: "no, I'll be back Monday", "nah I'm back on the 14th"
  // ("no" followed by who comes back). "No coming back", "no way back" still deny it.
  const negationAt = (k: number) => {
    const w = words[k] ?? '';
    if (!RETURN_NEGATIONS.has(w)) return false;
    return w !== 'no' || !ANSWER_SUBJECTS.has(words[k + 1] ?? '');
  };
  const negatedAt = (i: number) => negationAt(i - 1) || negationAt(i - 2) || negationAt(i - 3);
  // "Not back till the 3rd", "won't be back until after my surgery", "won't be back for a year": an absence
  // with an end is a return, denied words and all.
  const laterEnd = (i: number) => {
    const next = words[i + 1] ?? '';
    if (next === 'until' || next === 'till' || next === 'til' || next === 'untill') return dayAhead(i + 2, 3) || words[i + 2] === 'after';
    return next === 'for' && SPAN_COUNTS.has(words[i + 2] ?? '') && (SPAN_WORDS.has(words[i + 3] ?? '') || ['year', 'while'].includes(words[i + 3] ?? ''));
  };
  // A return denied anywhere ("I said I'd be back Monday but I won't be back") outweighs one said.
  for (let i = 0; i < words.length; i++) if (words[i] === 'back' && negatedAt(i) && !laterEnd(i)) return false;
  // ...and so does one taken back after it is said ("see you tuesday. they won't", "see you tomorrow … there
  // isn't going to be a tomorrow"), or one someone else said ("my manager said see you tomorrow").
  const takenBack = (i: number) => {
    for (let k = i + 1; k < words.length; k++) if (TAKEN_BACK.has(words[k])) return true;
    return false;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    let marker = false;
    if (w === 'back' && negatedAt(i) && laterEnd(i)) marker = true;
    else if (negatedAt(i)) continue;
    else if (w === 'back' && dayAhead(i + 1, 4)) marker = true;
    else if (w === 'see' && words[i + 1] === 'you' && dayAhead(i + 2, 3) && !REPORTING.has(words[i - 1] ?? '')) marker = true;
    // "I'll be in by 11", "be in late": at work, later.
    else if (w === 'be' && words[i + 1] === 'in' && (['by', 'at', 'late', 'from'].includes(words[i + 2] ?? '') || (words[i + 2] === 'on' && dayAhead(i + 3, 2)))) marker = true;
    else if ((w === 'until' || w === 'till' || w === 'til' || w === 'untill') && dayAhead(i + 1, 3) && awayBefore(i, 6)) marker = true;
    else if (w === 'for' && SPAN_COUNTS.has(words[i + 1] ?? '') && (SPAN_WORDS.has(words[i + 2] ?? '') || SPAN_WORDS.has(words[i + 3] ?? '') || SPAN_WORDS.has(words[i + 4] ?? '')) && awayBefore(i, 5)) marker = true;
    if (marker) return !takenBack(i);
  }
  return false;
}

const PHRASES_OVER_ABOUT: ReadonlySet<Cue> = new Set(['means', 'affairs', 'farewell', 'final', 'have']);

// "Lethal" is a request frame in the lexicons ("dose letal", "welche sind tödlich"), and a death word
// too: alone, one word would make a method question of "zwei Kollegen sind tödlich verunglückt", "la
// réunion était mortelle" or "carbon monoxide can be lethal". Without a means named or a question, the
// lethal word is read as the death word only.
function lethalWordsAsRequests(hits: CueHit[], folded: string): CueHit[] {
  if (folded.includes('?') || folded.includes('？') || hits.some((h) => h.cue === 'means')) return hits;
  const deathAt = new Set<number>();
  for (const h of hits) if ((h.cue === 'die' || h.cue === 'suicide') && !h.chars) deathAt.add(h.at * 64 + h.span);
  if (deathAt.size === 0) return hits;
  return hits.filter((h) => h.cue !== 'request' || h.chars !== undefined || !deathAt.has(h.at * 64 + h.span));
}

export function analyseCues(folded: string, tokens: Tokens, source: string | null = null): CueAnalysis {
  const found = lethalWordsAsRequests(findCues(cueLexicon(), folded, tokens, undefined, source), folded);
  const drugs = drugHits(tokens);
  const emoji = emojiHits(folded, tokens);
  const clock = clockHits(tokens);
  const all = drugs.length > 0 || emoji.length > 0 || clock.length > 0 ? [...found, ...drugs, ...emoji, ...clock] : found;
  // Tokens inside an idiom are not read as violence or suicide ("killing it", "suicide mission").
  // In scripts without spaces a token is a whole run of text, so idioms there cover characters.
  let idiomTokens: Set<number> | null = null;
  let idiomChars: [number, number][] | null = null;
  const negAt: number[] = [];
  let negChars: number[] | null = null;
  for (const h of all) {
    if (h.cue === 'idiom') {
      if (h.chars) (idiomChars ??= []).push(h.chars);
      else {
        idiomTokens ??= new Set();
        for (let k = 0; k < h.span; k++) idiomTokens.add(h.at + k);
      }
    } else if (h.cue === 'neg') {
      if (h.chars) (negChars ??= []).push(h.chars[1]);
      else negAt.push(h.at);
    }
  }
  const insideIdiom = (h: CueHit): boolean =>
    h.chars ? (idiomChars?.some(([a, b]) => h.chars![0] < b && a < h.chars![1]) ?? false) : (idiomTokens?.has(h.at) ?? false);
  const present = new Set<Cue>();
  const hits: CueHit[] = [];
  const sentenceBits = new Map<number, number>();
  const bySentence = new Map<number, CueHit[]>();
  let negatedBits = 0;
  const germanic = readsGermanOrDutch(tokens);
  // A method or arrangement phrase that contains an about-the-topic word ("access to means", "bags for
  // the charity shop", "cancelled the paper") is not the topic word (what a word means, a charity).
  const meansPhrases = all.filter((h) => PHRASES_OVER_ABOUT.has(h.cue) && h.span > 1 && !h.chars);
  for (const h of all) {
    const bit = BIT[h.cue];
    if (h.cue === 'about' && meansPhrases.length > 0 && meansPhrases.some((m) => m.at <= h.at && h.at < m.at + m.span)) continue;
    if (h.cue === 'person' && !h.chars && asksAboutOwnBody(tokens.words, h)) continue;
    // The English "die" is the German and Dutch article/pronoun ("wie plane ich die Urlaube").
    if (germanic && h.cue === 'die' && !h.chars && h.span === 1 && tokens.words[h.at] === 'die') continue;
    if (bit & VIOLENT_BITS && (idiomTokens || idiomChars) && insideIdiom(h)) continue;
    // "不想死": a CJK negation ending at most two characters before the cue.
    const cjkNegated = h.chars && negChars?.some((end) => end <= h.chars![0] && h.chars![0] - end <= 2);
    if (bit & NEGATABLE_BITS && (cjkNegated || (!h.chars && negAt.length > 0 && isNegated(folded, tokens, negAt, h)))) {
      negatedBits |= bit;
      continue;
    }
    hits.push(h);
    present.add(h.cue);
    sentenceBits.set(h.sentence, (sentenceBits.get(h.sentence) ?? 0) | bit);
    const list = bySentence.get(h.sentence);
    if (list) list.push(h);
    else bySentence.set(h.sentence, [h]);
  }

  const combos = new Set<Combo>();
  const near = (s: number, a: Cue, b: Cue): boolean => {
    const list = bySentence.get(s) ?? [];
    for (const x of list) if (x.cue === a) for (const y of list) if (y.cue === b && Math.abs(x.at - y.at) <= PAIR_WINDOW) return true;
    return false;
  };
  const words = tokens.words;
  const follows = (s: number, first: Cue, then: Cue | Cue[], reach: number): boolean => {
    const targets = Array.isArray(then) ? then : [then];
    const list = bySentence.get(s) ?? [];
    for (const x of list) {
      if (x.cue !== first) continue;
      for (const y of list) if (targets.includes(y.cue) && y.at >= x.at && y.at - (x.at + x.span) <= reach) return true;
    }
    return false;
  };
  // "how do i hurt myself": a harm verb with a first-person object right after it.
  const harmOnSelf = (s: number) =>
    (bySentence.get(s) ?? []).some((h) => h.cue === 'harm' && (words[h.at + h.span] === 'myself' || words[h.at + h.span] === 'me' || words[h.at + h.span + 1] === 'myself'));

  let extentSentence = false;
  const english = englishShareOf(tokens) >= ENGLISH_TEXT_SHARE;
  for (const [s, bits] of sentenceBits) {
    const has = (c: Cue) => (bits & BIT[c]) !== 0;
    const past = has('past');
    if (has('suicide')) combos.add(past ? 'suicide_past' : 'explicit');
    const wantDie = has('die') && !past && ((has('want') && near(s, 'want', 'die')) || (has('intent') && near(s, 'intent', 'die')));
    if (wantDie) combos.add('want_die');
    // "mi tolgo la vita prima del prossimo turno", "chega, quero estar morta": a suicide or wish-to-die
    // phrase said of oneself, now or ahead, in a sentence that neither asks, reports nor talks about the topic.
    if (((has('suicide') && !past) || wantDie) && !has('about') && !has('third') && !has('request') && !has('support') && (has('self') || has('want') || has('intent') || has('time') || has('final')))
      combos.add('explicit_self');
    if ((has('intent') || has('have') || has('time')) && (has('final') || has('means') || has('suicide'))) combos.add('plan');
    if (has('have') && has('means') && near(s, 'have', 'means')) combos.add('have_means');
    const selfHarm = has('harm') && harmOnSelf(s);
    if (selfHarm) combos.add('harm_self');
    if (has('request')) {
      // The request governs what follows it: "how do i poison my neighbour's dog", not
      // "how do i tell staff a colleague died by suicide" (the topic is not what is asked for).
      // Outside English the target often comes before the verb ("om mijn schoonvader te vergiftigen",
      // "wie man jemanden so verletzt", "आदमी को चोट पहुँचाता"): request, then target, then harm.
      const requestHarm =
        has('harm') &&
        (has('person') || has('place')) &&
        !selfHarm &&
        ((follows(s, 'request', 'harm', REQUEST_REACH) && follows(s, 'harm', ['person', 'place'], TARGET_REACH)) ||
          (!english && follows(s, 'request', ['person', 'place'], REQUEST_REACH) && follows(s, 'person', 'harm', TARGET_REACH)));
      if (requestHarm) combos.add('request_harm');
      // "how do i poison the neighbours dog so it dies" asks about another's death, not one's own.
      // "How many paracetamol can I take with a cold sachet" asks for a safe limit, not a lethal one,
      // unless a death or finality word says otherwise.
      const safeLimit =
        has('means') && !has('suicide') && !has('die') && !has('final') && (asksPermission(words, bySentence.get(s) ?? []) || asksMaximum(tokens, s, folded));
      if (!requestHarm && !safeLimit && follows(s, 'request', ['suicide', 'die', 'means'], REQUEST_REACH) && !has('third') && (has('suicide') || selfHarm || has('die') || (has('means') && (has('final') || has('self')))))
        combos.add('request_self');
    }
    if (has('means') && has('self') && !has('request') && !has('about') && !has('third') && !past) combos.add('means_self');
    if (has('die') && has('self') && !has('about') && !has('third') && !past) combos.add('die_self');
    // A weapon in a threat against someone counts as the harm ("the crossbow's under my bed and she's got it
    // coming"), unless the sentence turns on oneself ("I'm going to use the knife on myself").
    const threatHarm = has('threat') && has('person') && !selfHarm && (has('harm') || (english && aimedThreat(tokens, bySentence.get(s) ?? []) && weaponAgainstSomeone(tokens, s, bits)));
    if (threatHarm) combos.add('threat_harm');
    // A harm request or threat with a time, an opportunity ("he's asleep upstairs") or a means other
    // than the harm verb itself ("get a gun to shoot my brother-in-law").
    if ((combos.has('request_harm') || threatHarm) && (has('time') || meansBesideHarm(bySentence.get(s) ?? []))) combos.add('harm_now');
    // A threat with a time or a means at hand (English: the other lexicons' threat entries are thinner and
    // their idioms less listed). In a long work message it is read in its own sentence: an
    // about-the-topic word elsewhere ("the first aid box is empty") is not a frame around it.
    if (english && threatHarm && (has('time') || has('have') || meansBesideHarm(bySentence.get(s) ?? [])) && !has('about') && (tokens.words.length >= LONG_MESSAGE_WORDS || !present.has('about')))
      combos.add('threat_now');
    // How high, deep or certain, about a means, a place or dying ("deep enough that you wouldn't come back up").
    if (has('extent') && (has('means') || has('place') || has('die') || has('suicide'))) extentSentence = true;
    // "me he tomado treinta paracetamoles hace una hora", "połknęłam całe opakowanie": an overdose
    // already taken (by the writer or someone with them) is an emergency, whatever the model reads.
    if (has('ingest') && has('means') && !past && !has('about') && (has('amount') || largeCount(tokens, s))) combos.add('overdose_taken');
    if (has('sh')) combos.add(past ? 'sh_past' : has('self') ? 'sh_ongoing' : 'sh_past');
    if (has('distress') && has('self')) combos.add('distress_self');
    if (has('harass') && has('self')) combos.add('harass_self');
  }
  if (present.has('time') && present.has('final')) combos.add('time_final');
  if (
    (present.has('farewell') || present.has('affairs')) &&
    !present.has('about') &&
    !present.has('past') &&
    (PARTING_WITH.some((c) => present.has(c)) || (present.has('farewell') && present.has('affairs'))) &&
    (PARTING_RISK.some((c) => present.has(c)) || !absenceReason(tokens))
  )
    combos.add('farewell_plan');
  // ...about oneself or about dying, not a fence for a dog, a story or a report. "Oneself" is read from
  // the English pronouns: the extent cues are English, and the all-language self cue also reads
  // "to" and "em" (Vietnamese tớ, em) in English text.
  if (extentSentence && (present.has('die') || present.has('suicide') || firstPerson(tokens)) && !present.has('about')) combos.add('lethal_query');
  if (negatedBits & (BIT.suicide | BIT.die)) combos.add('explicit_negated');
  if (present.has('about')) combos.add('about_frame');
  if (idiomTokens || idiomChars) combos.add('idiom_frame');
  if (present.has('third')) combos.add('third_frame');
  if (present.has('support')) combos.add('support_frame');
  if (present.has('medical')) combos.add('medical_now');
  // Worry about a coming workplace event ("dreading the review", "Angst vor dem Gespräch morgen",
  // "nervous about the 1:1"): ordinary work emotion, unless a risk cue is there as well.
  const anticipating = anticipationWord(tokens);
  if (present.has('distress') || present.has('harass') || anticipating) {
    // One worry word about an event ("dreading the review", "nervous about tomorrow"); a second
    // distress cue ("...and I don't see the point anymore") is more than work nerves.
    const distressHits = hits.filter((h) => h.cue === 'distress').length;
    const event = anyWordIs(tokens, IS_WORK_EVENT, isWorkEvent) || (anticipating && present.has('time'));
    if (event && distressHits <= 1 && !ANTICIPATION_BLOCKERS.some((c) => present.has(c)) && !combos.has('farewell_plan')) combos.add('anticipation_frame');
  }
  // Absence admin ("what leave can she take", "she needs time off", "¿cuántos días de permiso?"):
  // a family member in hospital or a bereavement asked about as leave is HR work, not a crisis,
  // unless a risk cue other than the medical event itself is there.
  if (anyWordIs(tokens, IS_LEAVE, isLeaveWord) && !LEAVE_BLOCKERS.some((c) => present.has(c)) && !combos.has('farewell_plan')) combos.add('leave_frame');
  if (!present.has('about') && !present.has('past') && poisonForSomeone(folded, tokens, hits)) combos.add('poison_target');
  // A manager's how-to question about the work itself ("how do I tell a courier he's always late
  // without offending him", "¿cómo reparto los turnos de Nochebuena?", "年底怎么跟主管开口要人手？"):
  // coaching, which the model alone may turn into a check-in only when very sure, never an escalation.
  if (
    (present.has('request') || folded.includes('?') || folded.includes('？')) &&
    !WORK_QUESTION_BLOCKERS.some((c) => present.has(c)) &&
    hits.filter((h) => h.cue === 'distress').length <= 1 &&
    !combos.has('farewell_plan') &&
    hasWordOrPair(tokens, WORK_WORDS, WORK_PAIRS, WORK_CJK, folded)
  )
    combos.add('work_question_frame');
  if (english && otherAtRisk(tokens, bySentence)) combos.add('other_at_risk');
  // A harm asked about with no time and no means at hand for a named person ("what's the quickest way to
  // hurt someone", "how do I make sure my ex can't ever have kids"): a check-in (SAFETY-CORPUS: concern
  // without a named target and a time), whatever the model's crisis head reads.
  if (english && present.has('request') && present.has('harm') && !present.has('time') && !combos.has('harm_self') && !combos.has('request_self') && !combos.has('lethal_query') && !(namedTarget(tokens, hits) && (present.has('have') || hits.some((h) => h.cue === 'means' && !hits.some((x) => x.cue === 'harm' && x.at <= h.at && h.at < x.at + x.span)))))
    combos.add('harm_asked_later');
  if (absenceReason(tokens)) combos.add('parting_reason');
  if (english && returnMarker(tokens)) combos.add('return_marker');
  // An incident told with how it ended ("… and then left", "nobody hurt", "police came"): a report.
  if (english && incidentOver(folded)) combos.add('incident_over');
  if (!WORK_QUESTION_BLOCKERS.some((c) => present.has(c)) && !present.has('intent') && !combos.has('farewell_plan') && ((english && otherPersonQuestion(tokens, folded)) || otherPersonQuestionElsewhere(tokens, folded)))
    combos.add('other_person_question');
  return { present, combos, hits };
}

// Who is at risk, read from English wording: another person when a harm verb has a person in it or after
// it ("break his", "hit my nephew", "poison … in his tea"), or when the writer holds a weapon in a sentence
// with "him" or "them" ("put him in the ground, I have the bat in my boot"). A relative named as the owner
// of the weapon or as who will be out ("my dad's pistol", "the kids are at their dad's") is no target. Not
// in a sentence that turns on the writer or on the person themselves: a suicide, self-harm or finality cue,
// a reflexive, or the body part a weapon is held to ("a knife at her wrist"); a weapon sentence neither
// with a farewell or arrangements ("said goodbye to them all, the gun is loaded").
const SELF_DIRECTED_BITS = BIT.suicide | BIT.sh | BIT.final;
const PARTING_BITS = BIT.farewell | BIT.affairs;
const TURNED_ON_ONESELF = foldedWords('myself meself yourself himself herself themselves own wrist wrists veins throat');
const WEAPON_WORDS = foldedWords(
  'gun guns shotgun rifle pistol handgun revolver firearm knife knives machete crossbow bat crowbar hammer axe hatchet cleaver ' +
    'petrol accelerant acid jerrycan jerrycans sledgehammer',
);
/** A weapon word, also folded with its "'s" ("the crossbow's under my bed", "the bats in my boot"). */
function isWeapon(w: string): boolean {
  return WEAPON_WORDS.has(w) || (w.length > 3 && w.endsWith('s') && WEAPON_WORDS.has(w.slice(0, -1)));
}
const TARGET_WORDS = foldedWords('him her them his their');
/** Someone as the object of what the writer does: not a possessive ("my dad's pistol", "at their dad's"). */
const OBJECT_WORDS = foldedWords('him them');
const WRITER_WORDS = foldedWords('i im ive ill id me my');
const TURNED = 1;
const WEAPON = 2;
const WRITER = 4;
const OBJECT = 8;
const PARTING = 16;
// English person entries that name nobody in particular.
const INDEFINITE_PERSON = foldedWords('someone somebody anyone anybody person people a man woman guy grown old pensioner child kid baby everyone everybody');
/** A person named or pointed at (a relative, a colleague, "him"), not "someone" or "a person". */
function namedTarget(tokens: Tokens, hits: readonly CueHit[]): boolean {
  return hits.some((h) => h.cue === 'person' && !h.chars && tokens.words.slice(h.at, h.at + h.span).some((w) => !INDEFINITE_PERSON.has(w) && w !== 'a' && w !== 'an' && w !== 'the'));
}

// Threat entries that are only a first-person future ("I'm going to", "I will"): a plan for oneself reads so too.
const BARE_INTENT = new Set(['im going to', 'i am going to', 'im gonna', 'i will', 'ill', 'i want to', 'i wanna', 'im about to', 'i swear', 'swear to god', 'i promise']);
/** A threat phrase aimed at someone ("he's going to pay", "she's got it coming"), not a bare first-person future. */
function aimedThreat(tokens: Tokens, list: readonly CueHit[]): boolean {
  return list.some((h) => h.cue === 'threat' && !h.chars && !BARE_INTENT.has(tokens.words.slice(h.at, h.at + h.span).join(' ')));
}

function weaponAgainstSomeone(tokens: Tokens, s: number, bits: number): boolean {
  if (bits & SELF_DIRECTED_BITS) return false;
  let weapon = false;
  for (let i = 0; i < tokens.words.length; i++) {
    if (tokens.sentence[i] !== s) continue;
    if (TURNED_ON_ONESELF.has(tokens.words[i])) return false;
    if (isWeapon(tokens.words[i])) weapon = true;
  }
  return weapon;
}

function otherAtRisk(tokens: Tokens, bySentence: ReadonlyMap<number, CueHit[]>): boolean {
  const words = tokens.words;
  const marks = new Map<number, number>();
  const mark = (s: number, m: number) => marks.set(s, (marks.get(s) ?? 0) | m);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const m = (TURNED_ON_ONESELF.has(w) ? TURNED : 0) | (isWeapon(w) ? WEAPON : 0) | (WRITER_WORDS.has(w) ? WRITER : 0) | (OBJECT_WORDS.has(w) ? OBJECT : 0);
    if (m) mark(tokens.sentence[i], m);
  }
  for (const [s, list] of bySentence) {
    for (const h of list) {
      if (BIT[h.cue] & SELF_DIRECTED_BITS) mark(s, TURNED);
      else if (BIT[h.cue] & PARTING_BITS) mark(s, PARTING);
    }
  }
  for (const [s, list] of bySentence) {
    const m = marks.get(s) ?? 0;
    if (m & TURNED) continue;
    if (!(m & PARTING) && m & WEAPON && m & WRITER && m & OBJECT) return true;
    for (const h of list) {
      if (h.cue !== 'harm' || h.chars) continue;
      const end = h.at + h.span;
      // The target inside the phrase ("break his", "end her life") or just after it.
      for (let k = h.at; k < end; k++) if (TARGET_WORDS.has(words[k])) return true;
      if (list.some((p) => p.cue === 'person' && p.at >= end && p.at - end <= TARGET_REACH)) return true;
      for (let k = end; k <= end + TARGET_REACH && k < words.length; k++) if (TARGET_WORDS.has(words[k])) return true;
    }
  }
  return false;
}

/** A count of ten or more (and not a year or a time) in sentence s: "30", "40 Tabletten". */
function largeCount(tokens: Tokens, s: number): boolean {
  for (let i = 0; i < tokens.words.length; i++) {
    if (tokens.sentence[i] !== s) continue;
    const w = tokens.words[i];
    if (w.length < 2 || w.length > 3 || w.charCodeAt(0) < 48 || w.charCodeAt(0) > 57) continue;
    const n = Number(w);
    if (n >= 10 && n <= 300) return true;
  }
  return false;
}

// English permission questions about taking something: "can I take", "should you have", "is it safe to take".
const PERMISSION_MODALS = new Set(['can', 'should', 'may', 'could']);
const PERMISSION_SUBJECTS = new Set(['i', 'you', 'we', 'adults', 'people', 'someone']);
const PERMISSION_VERBS = new Set(['take', 'have', 'give', 'use', 'mix', 'drink']);
function asksPermission(words: readonly string[], sentenceHits: readonly CueHit[]): boolean {
  if (sentenceHits.length === 0) return false;
  const from = Math.min(...sentenceHits.map((h) => h.at));
  const to = Math.max(...sentenceHits.map((h) => h.at + h.span)) + 6;
  for (let i = Math.max(0, from - 6); i + 2 < Math.min(words.length, to); i++) {
    if (PERMISSION_MODALS.has(words[i]) && PERMISSION_SUBJECTS.has(words[i + 1]) && PERMISSION_VERBS.has(words[i + 2])) return true;
    if (words[i] === 'safe' && words[i + 1] === 'to' && PERMISSION_VERBS.has(words[i + 2])) return true;
  }
  return false;
}

// Outside English, the safe-limit question names the maximum ("¿cuál es la dosis máxima de ibuprofeno al
// día?", "người lớn uống paracetamol tối đa bao nhiêu một ngày?", "一天最多吃几片"): with a means and no
// death or finality word, a question about the most one may take, not about a lethal amount.
const MAXIMUM_WORDS = foldedWords(
  'maximum maxima maximale maximal máximo máxima maximo massimo massima massima maksymalna maksymalnie maksymalną maksymalnej maksymalny maximaal maxim maximă maximum максимальна максимальну максимальний максимум अधिकतम',
);
const MAXIMUM_PAIRS = foldedPairs(['tối đa', 'toi da', 'الحد الأقصى', 'الحد الاقصى']);
const MAXIMUM_CJK = ['最多', '最高剂量', '最大剂量', '上限'];
function asksMaximum(tokens: Tokens, s: number, folded: string): boolean {
  const w = tokens.words;
  for (let i = 0; i < w.length; i++) {
    if (tokens.sentence[i] !== s) continue;
    if (MAXIMUM_WORDS.has(w[i]) || (i + 1 < w.length && MAXIMUM_PAIRS.includes(`${w[i]} ${w[i + 1]}`))) return true;
    if (MAXIMUM_CJK.some((c) => w[i].includes(c))) return true;
  }
  return false;
}

/** A means named in the sentence that is not the harm verb itself ("poison" is both). */
function meansBesideHarm(list: readonly CueHit[]): boolean {
  return list.some((m) => m.cue === 'means' && !list.some((h) => h.cue === 'harm' && h.at <= m.at && m.at < h.at + h.span));
}

// Frames the gates read but the model does not (added without retraining what the model learned).
const GATE_ONLY_COMBOS: ReadonlySet<Combo> = new Set(['leave_frame', 'explicit_self', 'poison_target', 'work_question_frame', 'other_person_question', 'other_at_risk', 'harm_asked_later', 'threat_now']);

// A short follow-up question about what SOMEONE ELSE might do ("and if he just doesn't turn up on
// sunday?", "what if she doesn't want me to tell anyone?", "he says he's not coming back, what now"):
// a manager planning for a team member's choice, which n-grams learned from farewells ("I won't be
// around", "don't tell anyone") over-read. English; read from the subject of the conditional or of the
// reported speech, so "and if I don't turn up on sunday" is not one (ADR 083). A gate, not a model feature.
const CONDITIONALS = new Set(['if', 'suppose', 'supposing']);
const OTHER_SUBJECTS = new Set(['he', 'she', 'they', 'hes', 'shes', 'theyre', 'nobody', 'noone', 'someone', 'somebody', 'anyone', 'anybody', 'everyone', 'the', 'his', 'her', 'their']);
const FIRST_SUBJECTS = new Set(['i', 'im', 'ive', 'id', 'ill', 'we', 'were', 'me', 'my', 'myself']);
const QUESTION_TAILS = ['what now', 'then what', 'what then', 'what do i do', 'what should i do', 'what happens'];
const OTHER_PERSON_QUESTION_MAX_WORDS = 30;
// The same question in the seven issue languages, read per language (folded words): the conditional, a
// third-person subject right after it, and no first-person subject pronoun outside a "that" clause ("und wenn
// sie nicht will, dass ich es jemandem erzähle?"). Subjects these languages drop ("y si no viene") are not read.
interface ConditionalWords {
  conditionals: ReadonlySet<string>;
  third: ReadonlySet<string>;
  first: ReadonlySet<string>;
  /** A conditional and a third-person subject written as one word: French "s'il", "s'ils". */
  fused?: ReadonlySet<string>;
}
const CONDITIONALS_ELSEWHERE: readonly ConditionalWords[] = [
  { conditionals: foldedWords('si'), third: foldedWords('él ella ellos ellas nadie alguien'), first: foldedWords('yo') },
  { conditionals: foldedWords('si'), third: foldedWords('il elle ils elles personne quelqu’un'), first: foldedWords('je'), fused: foldedWords('sil sils') },
  { conditionals: foldedWords('wenn falls'), third: foldedWords('er sie niemand jemand keiner keine'), first: foldedWords('ich') },
  { conditionals: foldedWords('se'), third: foldedWords('ele ela eles elas ninguém alguém'), first: foldedWords('eu') },
  { conditionals: foldedWords('se'), third: foldedWords('lui lei loro nessuno qualcuno'), first: foldedWords('io') },
  { conditionals: foldedWords('jeśli jeżeli gdyby jak'), third: foldedWords('on ona oni one nikt ktoś'), first: foldedWords('ja') },
  { conditionals: foldedWords('als'), third: foldedWords('hij ze zij niemand iemand'), first: foldedWords('ik') },
];
const THAT_CLAUSE = foldedWords('que dass das che dat że żeby');
// The manager asking what to do ("je fais quoi ?", "was mache ich dann?", "wat moet ik doen?"), like English "what do I do".
const WHAT_I_DO = foldedWords('fais dois dis faire hago debo digo hacer mache soll sage tun machen faço devo digo fazer faccio dico fare robię mam powiem zrobić doe moet zeg doen');
// A question about someone else's suicide or self-harm is never this frame, even where the lexicon misses the
// verb: "und wenn er sich umbringt?", "e se lui si uccide stanotte?", "et s'il se tue ?" (review, session 14).
const OTHER_DEATH_PAIRS = foldedPairs([
  'sich umbringt', 'sich umbringen', 'sich umbringe', 'sich etwas antut', 'sich was antut', 'sich das leben', 'sich selbst verletzt',
  'se mata', 'se matar', 'se suicida', 'se quita la vida', 'se quitara la vida', 'se hace dano', 'se haga dano', 'se lastima',
  'se tue', 'se suicide', 'se fait du mal', 'met fin a ses jours', 'se blesse',
  'se matar', 'tira a vida', 'se machuca', 'se magoa',
  'si uccide', 'si ammazza', 'si toglie la vita', 'si fa del male', 'si taglia',
  'zabije sie', 'sie zabije', 'odbierze sobie zycie', 'zrobi sobie krzywde', 'sie potnie',
  'zichzelf iets', 'zelfmoord pleegt', 'van kant maakt', 'zichzelf snijdt', 'zichzelf pijn',
]);
const OTHER_DEATH_STEMS = ['suicid', 'selbstmord', 'zelfmoord', 'samoboj', 'suicidi'];
function otherPersonQuestionElsewhere(tokens: Tokens, folded: string): boolean {
  const words = tokens.words;
  if (words.length === 0 || words.length > OTHER_PERSON_QUESTION_MAX_WORDS || !(folded.includes('?') || folded.includes('？'))) return false;
  const joined = ` ${words.join(' ')} `;
  if (OTHER_DEATH_PAIRS.some((pair) => joined.includes(` ${pair} `)) || words.some((w) => OTHER_DEATH_STEMS.some((stem) => w.startsWith(stem)))) return false;
  return CONDITIONALS_ELSEWHERE.some(({ conditionals, third, first, fused }) => {
    let other = false;
    for (let i = 0; i < words.length; i++) {
      if (fused?.has(words[i])) other = true;
      if (!conditionals.has(words[i])) continue;
      const next = words[i + 1] ?? '';
      if (first.has(next)) return false;
      if (third.has(next)) other = true;
    }
    return other && !words.some((w, i) => first.has(w) && !THAT_CLAUSE.has(words[i - 1] ?? '') && !WHAT_I_DO.has(words[i + 1] ?? '') && !WHAT_I_DO.has(words[i - 1] ?? ''));
  });
}

function otherPersonQuestion(tokens: Tokens, folded: string): boolean {
  const words = tokens.words;
  if (words.length === 0 || words.length > OTHER_PERSON_QUESTION_MAX_WORDS) return false;
  const joined = words.join(' ');
  const asks = folded.includes('?') || QUESTION_TAILS.some((t) => joined.endsWith(t)) || words[0] === 'suppose' || (words[0] === 'what' && words[1] === 'if');
  if (!asks) return false;
  let other = false;
  for (let i = 0; i < words.length; i++) {
    const next = words[i + 1] ?? '';
    if (CONDITIONALS.has(words[i])) {
      // "if I ...": the writer's own choice, never this frame.
      if (FIRST_SUBJECTS.has(next)) return false;
      // "what if nobody finds me", "if anyone misses me": the writer is the one the others act on.
      if (OTHER_SUBJECTS.has(next) && !['me', 'myself'].includes(words[i + 2] ?? '') && !['me', 'myself'].includes(words[i + 3] ?? '')) other = true;
    }
    // Reported speech opening the message: "he says he's not coming back", "she told me she won't".
    if (i === 0 && OTHER_SUBJECTS.has(words[0]) && REPORTING.has(next)) other = true;
  }
  // The rest of the message is about that person: a first-person subject anywhere else ("... and I won't be
  // here either") is the writer speaking about themself.
  return other && !words.some((w, i) => FIRST_SUBJECTS.has(w) && w !== 'me' && w !== 'my' && !(w === 'i' && ['do', 'should', 'tell', 'stop', 'mark'].includes(words[i + 1] ?? '')));
}

// Word lists are written naturally and folded like the message (Cyrillic look-alikes, Arabic letter variants, accents).
function foldedWords(list: string): ReadonlySet<string> {
  return new Set(list.split(' ').filter(Boolean).map((w) => foldForLexicon(w)));
}
function foldedPairs(pairs: readonly string[]): string[] {
  return pairs.map((p) => foldForLexicon(p));
}

// A poison for a named person's food or drink, or one "that has no taste" for them: "qué veneno no tiene
// sabor para echárselo en el café a mi suegra", "jaka trucizna nie ma smaku? do jedzenia męża",
// "什么毒药没有味道？要放进我老公的饭里". The poison is a noun, not a harm verb, so the request floor
// (a request frame, a harm verb, a target) never read it. A named person is a relative, partner,
// boss, colleague or neighbour — not "someone", a pronoun or an animal (a neighbour's dog is a
// check-in, ADR 024). Outside English (the English rules read these); the classifier's floor.
const POISON_WORDS = foldedWords(
  ('veneno venenos raticida cianuro arsenico ' +
    'poison cyanure arsenic ' +
    'gift giftes rattengift zyankali arsen ' +
    'chumbinho cianeto ' +
    'veleno topicida ' +
    'trucizna trucizny trucizne trutka trutki trutke cyjanek arszenik ' +
    'gif rattengif cyaankali arsenicum ' +
    'otrava otravuri soricioaica ' +
    'отрута отрути отруту отрутою ' +
    'lason ' +
    'سم السم سما بسم ' +
    'ज़हर जहर zeher zehar zahar jeher somm samm'),
);
const POISON_PAIRS = foldedPairs(['thuốc độc', 'thuốc chuột', 'chất độc', 'thuoc doc', 'thuoc chuot', 'chat doc']);
const POISON_CJK = ['毒药', '毒藥', '老鼠药', '老鼠藥', '农药', '農藥', '砒霜', '氰化'];
// Food, drink and taste: where the poison goes, or the wish that it not be noticed.
const FOOD_WORDS = foldedWords(
  ('comida cafe sopa cena desayuno almuerzo bebida vaso plato leche zumo sabor sabe ' +
    'nourriture repas soupe the boisson verre assiette lait gout diner dejeuner ' +
    'essen kaffee suppe tee getrank glas teller milch geschmack schmeckt schmeckts mittagessen abendessen ' +
    'feijao copo prato leite cha suco gosto janta almoco marmita ' +
    'cibo caffe minestra zuppa bevanda bicchiere piatto latte sapore gusto pranzo ' +
    'jedzenie jedzenia jedzeniu kawa kawy kawie zupa zupy zupie herbata herbaty herbacie obiad obiadu napoj picia smaku smak ' +
    'eten koffie soep thee drinken bord melk smaak proef proeft ' +
    'mancare mancarea mancarii cafea cafeaua supa ciorba ceai bautura paharul gust gustul ' +
    'їжу їжі їжа каву кава каві чай чаї суп супі напій смаку смак ' +
    'pagkain kape ulam sabaw inumin lasa ' +
    'com ' +
    'اكل الاكل اكله طعام الطعام قهوه القهوه شاي الشاي عصير طعم ' +
    'खाने खाना दूध चाय पानी स्वाद khane khana doodh chai'),
);
const FOOD_PAIRS = foldedPairs(['đồ ăn', 'cà phê', 'bữa ăn', 'thức ăn', 'do an', 'ca phe', 'bua an', 'thuc an']);
const FOOD_CJK = ['饭', '飯', '菜', '汤', '湯', '咖啡', '茶', '牛奶', '水里', '水裡', '酒里', '酒裡', '味道', '食物'];
// Person entries that name nobody in particular, and animals.
const UNNAMED_PERSON = foldedWords(
  ('alguien una persona persona gente el ella ellos lo la le todos un hombre una mujer ' +
    'quelqu un une personne personne les gens gens lui elle eux le les tout le monde un homme une femme ' +
    'jemanden jemand eine person person leute menschen ihn sie ihm ihr alle einen mann eine frau ' +
    'alguem uma pessoa pessoa pessoas ele ela eles o a lhe um homem uma mulher ' +
    'qualcuno una persona persone lui lei loro lo la gli tutti unuomo una donna ' +
    'kogos ktos osobe czlowieka ludzi ludzie go ja jego jej ich wszystkich faceta kobiete ' +
    'iemand een persoon persoon mensen hem haar ze zij hen iedereen een man een vrouw ' +
    'pe cineva cineva o persoana persoana oameni lumea pe el pe ea il o ii toti un barbat o femeie ' +
    'когось хтось людину людина людей люди його її їх всіх жінку ' +
    'tao isang tao ng tao mga tao siya sila kanya lahat lalaki babae ' +
    'ai do mot nguoi nguoi nguoi ta moi nguoi anh ta co ta han no ho tat ca ' +
    'شخص حدا احد واحد الناس ناس هو هي هم الكل رجل امراه ' +
    'किसी को कोई किसी इंसान आदमी औरत लोग लोगों उसे उसको उन्हें सबको kisi ko koi insaan aadmi aurat logon usko unhe'),
);
const ANIMAL_WORDS = foldedWords(
  ('perro perros gato gatos animal animales mascota chien chat chats animal hund hunde katze tier haustier cao cachorro gato bicho cane gatto animale ' +
    'pies psa kot kota zwierze hond kat dier huisdier caine cainele pisica pisica собаку собака кота кішку тварину aso pusa hayop cho meo ' +
    'كلب الكلب قطه القطه بسه حيوان कुत्ता कुत्ते बिल्ली जानवर'),
);
const UNNAMED_CJK = ['别人', '別人', '某人', '一个人', '一個人', '他们', '他們', '所有人'];
const ANIMAL_CJK = ['狗', '猫', '貓', '动物', '動物', '宠物', '寵物', '老鼠'];

function hasWordOrPair(tokens: Tokens, words: ReadonlySet<string>, pairs: readonly string[], cjk: readonly string[], folded: string): boolean {
  const w = tokens.words;
  for (let i = 0; i < w.length; i++) {
    if (words.has(w[i])) return true;
    if (i + 1 < w.length && pairs.length > 0 && pairs.includes(`${w[i]} ${w[i + 1]}`)) return true;
  }
  return cjk.length > 0 && cjk.some((c) => folded.includes(c));
}

function poisonForSomeone(folded: string, tokens: Tokens, hits: readonly CueHit[]): boolean {
  if (!hasWordOrPair(tokens, POISON_WORDS, POISON_PAIRS, POISON_CJK, folded)) return false;
  if (!hasWordOrPair(tokens, FOOD_WORDS, FOOD_PAIRS, FOOD_CJK, folded)) return false;
  if (hasWordOrPair(tokens, ANIMAL_WORDS, [], ANIMAL_CJK, folded)) return false;
  return hits.some((h) => {
    if (h.cue !== 'person') return false;
    const text = h.chars ? folded.slice(h.chars[0], h.chars[1]) : tokens.words.slice(h.at, h.at + h.span).join(' ');
    if (h.chars) return text.length > 1 && !UNNAMED_CJK.includes(text) && !ANIMAL_CJK.some((a) => text.includes(a));
    const words = tokens.words.slice(h.at, h.at + h.span);
    return words.some((w) => !UNNAMED_PERSON.has(w)) && !words.some((w) => ANIMAL_WORDS.has(w));
  });
}
// Any cue of risk, a parting or arrangements for after: "who takes my keys? I won't be here after Friday" is no work question.
const WORK_QUESTION_BLOCKERS: readonly Cue[] = ['suicide', 'die', 'final', 'means', 'sh', 'harm', 'medical', 'harass', 'farewell', 'affairs', 'have', 'extent', 'ingest', 'amount'];
// The people, rotas and tasks a frontline manager's question is about, in the lexicon languages (folded like the message).
const WORK_WORDS = foldedWords(
  ('team teams rota roster schedule shift shifts staffing deadline overtime report inventory courier trainee intern cashier cashiers ' +
    'equipo jefe jefa encargado encargada empleado empleada empleados trabajadores turno turnos horario horarios cuadrante plantilla repartidor mensajero cajero cajera cajeras becario becaria aprendiz informe cierre cierres proveedor conductor ' +
    'equipe chef cheffe responsable salarie salaries employe employes collaborateur collaboratrice planning plannings horaires livreur caissier caissiere caissieres stagiaire apprenti rapport dossier taches inventaire directrice directeur fournisseur chauffeur ' +
    'chefin vorgesetzte vorgesetzten mitarbeiter mitarbeiterin mitarbeitern angestellte schicht schichten schichtplan dienstplan fahrer kurier kassierer kassiererin azubi praktikant praktikantin bericht aufgaben inventur uberstunden lieferant abteilung quartalsabschluss ' +
    'equipa chefe gestor gestora gerente funcionario funcionaria funcionarios colaborador colaboradora escala entregador motoboy motorista atendente atendentes estagiario estagiaria relatorio tarefas inventario fornecedor ' +
    'squadra capo dipendente dipendenti collaboratrice turni orari corriere fattorino autista cassiere cassiera apprendista stagista tirocinante rapporto compiti fornitore straordinari ' +
    'zespol zespole zespolu szef szefowa szefowej kierownik kierowniczka pracownik pracownica pracownikow pracownicy grafik grafiku kurier kurierowi kierowca kasjerka kasjerki kasjer praktykant praktykantke stazysta raport zadania inwentaryzacja nadgodziny dostawca ' +
    'teamleider leidinggevende medewerker medewerkers diensten rooster bezorger kassamedewerker stagiair rapport taken inventaris overuren leverancier ' +
    'echipa echipei sefa sefei sefului angajat angajata angajatii tura ture programul curier curierului sofer sef sefu casiera casierii vanzatoare vanzatoarele stagiar stagiara raport sarcini inventar ' +
    'команда команді команду керівник керівниця начальник начальниця працівник працівниця працівників графік кур\'єр кур\'єру водій касир касирка касирки стажист стажистку стажистка звіт завдання інвентаризація понаднормові ' +
    'empleyado cashier trainee supervisor ' +
    'sếp shipper ' +
    'الفريق المدير مديري الموظف الموظفين الموظفه الورديه الورديات المندوب السائق الكاشير المتدرب التقرير الجرد ' +
    'टीम बॉस मैनेजर सुपरवाइज़र कर्मचारी स्टाफ शिफ्ट रोस्टर डिलीवरी ड्राइवर कैशियर ट्रेनी रिपोर्ट ऑडिट ओवरटाइम'),
);
const WORK_PAIRS = foldedPairs(['nhân viên', 'quản lý', 'thu ngân', 'báo cáo', 'tăng ca', 'xếp lịch', 'đổi ca', 'thực tập', 'nhan vien', 'quan ly', 'bao cao', 'doi ca', 'xep lich']);
const WORK_CJK = ['团队', '主管', '经理', '员工', '排班', '班次', '快递员', '收银员', '实习生', '报告', '报表', '盘点', '加班', '人手'];
const LEAVE_BLOCKERS: readonly Cue[] = ['suicide', 'die', 'final', 'means', 'sh', 'harm', 'distress', 'harass'];
// Leave and absence words in the priority languages (folded, no accents); "time off" / "day off" by their second word.
const LEAVE_WORDS = new Set(
  ('leave compassionate bereavement absence ' +
    'permiso permisos licencia vacaciones ' +
    'conge conges absence arret ' +
    'urlaub sonderurlaub freistellung krankmeldung krankgeschrieben ' +
    'licenca folga ferias afastamento ' +
    'permesso permessi congedo ferie malattia ' +
    'urlop urlopu zwolnienie wolne ' +
    'verlof calamiteitenverlof ziekteverlof zorgverlof vakantie').split(' '),
);
function isLeaveWord(w: string): boolean {
  return LEAVE_WORDS.has(w);
}

const ANTICIPATION_BLOCKERS: readonly Cue[] = ['suicide', 'die', 'final', 'means', 'sh', 'harm', 'medical'];
// Words that name a scheduled conversation or assessment at work, in the priority languages (folded, no accents).
const WORK_EVENTS = new Set(
  ('meeting meetings conversation conversations chat talk review reviews appraisal appraisals interview hearing presentation inspection audit briefing huddle feedback evaluation 1:1 one-to-one pip ' +
    'reunion conversacion charla evaluacion entrevista presentacion auditoria inspeccion ' +
    'entretien discussion evaluation audit inspection ' +
    'gesprach besprechung termin prasentation prufung audit ' +
    'conversa reuniao avaliacao apresentacao auditoria ' +
    'colloquio riunione valutazione conversazione presentazione ispezione ' +
    'rozmowa rozmowy rozmowe rozmowie spotkanie spotkania spotkaniem ocena oceny ocene ocena prezentacja audyt ' +
    'gesprek vergadering beoordeling beoordelingsgesprek presentatie functioneringsgesprek').split(' '),
);
const WORK_EVENT_STEMS = ['gesprach', 'besprechung', 'gesprek', 'rozmow'];
function isWorkEvent(w: string): boolean {
  return WORK_EVENTS.has(w) || WORK_EVENT_STEMS.some((s) => w.includes(s));
}
// Anticipation verbs the distress lexicons do not list ("zie op tegen", "nervous about", "stresuje sie").
const ANTICIPATION = new Set('nervous nervosa nervoso nervioso nerviosa nervos nervose stresse stressed worried apprehensive appréhende apprehende redoute zie temo temiendo temendo mulmig graut boje stresuje denerwuje zenuwachtig agitata agitato'.split(' '));
function isAnticipationWord(w: string): boolean {
  return ANTICIPATION.has(w) || w.startsWith('dread');
}
function anticipationWord(tokens: Tokens): boolean {
  return anyWordIs(tokens, IS_ANTICIPATION, isAnticipationWord);
}

// Common German and Dutch function words that are not English words.
const GERMANIC_FUNCTION = new Set('der das und ist ich nicht mit den dem ein eine einen einem zu auf fur sie wir ihr het een van ik niet met ze zijn dat wat voor op naar mijn mein meine wenn weil aber oder noch schon auch nog ook maar bij hoe kan'.split(' '));
function isGermanicFunctionWord(w: string): boolean {
  return GERMANIC_FUNCTION.has(w);
}
function readsGermanOrDutch(tokens: Tokens): boolean {
  let k = 0;
  for (const info of tokens.info) if (wordIs(info, IS_GERMANIC, isGermanicFunctionWord) && ++k >= 2) return true;
  return false;
}

function isNegated(folded: string, tokens: Tokens, negAt: number[], h: CueHit): boolean {
  // negAt is in token order: look only at the few negations just before the hit.
  let lo = 0;
  let hi = negAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (negAt[mid] < h.at) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo - 1; k >= 0 && h.at - negAt[k] <= NEG_WINDOW; k--) {
    const at = negAt[k];
    if (tokens.sentence[at] === h.sentence && !clauseBreakBetween(folded, tokens, at, h.at)) return true;
  }
  return false;
}

function clauseBreakBetween(folded: string, tokens: Tokens, from: number, to: number): boolean {
  const start = tokens.offset[from];
  const end = tokens.offset[to];
  for (let i = start; i < end; i++) {
    const ch = folded[i];
    if (ch === ',' || ch === ';' || ch === ':' || ch === '，') return true;
  }
  return false;
}

// The commonest English function words: a message made of them is English, where the rules and
// the lexicon cover phrasing well; elsewhere the model is often the only reader (classifier.ts).
const ENGLISH_FUNCTION = new Set(
  'the a an and or but to of in on at for with from by is are was were be been am im i me my you your he she his her it its we our they them their this that these those not no do does did dont didnt cant wont have has had will would can could should just so if when what how where why who there here all any some about up out over then than too very'.split(' '),
);
const ENGLISH_SAMPLE = 60;
/** The share of English function words from which the cue analysis reads a text as English (classifier's englishShare). */
const ENGLISH_TEXT_SHARE = 0.2;

function englishShareOf(tokens: Tokens): number {
  const n = Math.min(tokens.words.length, ENGLISH_SAMPLE);
  if (n === 0) return 0;
  let k = 0;
  for (let i = 0; i < n; i++) if (wordIs(tokens.info[i], IS_ENGLISH, isEnglishFunctionWord)) k++;
  return k / n;
}
function isEnglishFunctionWord(w: string): boolean {
  return ENGLISH_FUNCTION.has(w);
}

/**
 * How many words the text holds. A run of Chinese or Japanese is one token (no spaces), so it
 * counts as one word per two characters (a common word length there): "从几楼跳下去肯定活不了" is a
 * sentence, not a word, and the gates that distrust one- to three-word messages must not read it so.
 */
function wordCountOf(tokens: Tokens): number {
  let n = 0;
  for (const w of tokens.words) n += isCjk(w.charCodeAt(0)) ? Math.ceil(w.length / 2) : 1;
  return n;
}

/** A first-person pronoun anywhere in the text (for the model's person features). */
function firstPerson(tokens: Tokens): boolean {
  return anyWordIs(tokens, IS_SELF_FIRST, isSelfFirst);
}
function isSelfFirst(w: string): boolean {
  return SELF_FIRST.has(w);
}

// ── the feature vector ───────────────────────────────────────────────────────────────────
export function extractFeatures(fullText: string, ruleIds: readonly string[] = [], compact = false, source?: string): Features {
  // The rules read up to 20,000 characters; the lexicon and the model read the first 8,000
  // (a 4,000-character rant in full) so a pasted wall of text stays within the latency budget.
  const folded = fullText.length > MAX_FEATURE_CHARS ? fullText.slice(0, MAX_FEATURE_CHARS) : fullText;
  const tokens = tokenizeWithSentences(folded);
  // `source`, the text before folding: a Vietnamese message typed with its tones is read tone for tone,
  // and `=` entries only as written.
  const analysis = analyseCues(folded, tokens, source ?? null);
  outCount = 0;
  wordRefCount = 0;
  wordGramTotal = 0;
  addNgrams(tokens, compact);
  // The n-gram block is scaled by 1/sqrt(count) so a long rant weighs like a short message;
  // cue and combination features stay at 1 so a single cue is not diluted by length.
  const ngramCount = outCount + wordGramTotal;
  const scale = ngramCount > 0 ? 1 / Math.sqrt(ngramCount) : 0;
  for (let i = 0; i < outCount; i++) outValue[i] = scale;
  for (const cue of analysis.present) add(CUE_INDEX[cue], 1);
  for (const combo of analysis.combos) if (!GATE_ONLY_COMBOS.has(combo)) add(comboIndex(combo), 1);
  if (analysis.combos.has('about_frame')) for (const combo of analysis.combos) add(comboIndex(`about&${combo}`), 1);
  for (const id of ruleIds) add(comboIndex(`rule:${id}`), 1);
  if (firstPerson(tokens)) add(comboIndex('first_person'), 0.5);
  add(comboIndex('bias'), 1);
  const englishShare = englishShareOf(tokens);
  const wordCount = wordCountOf(tokens);
  const question = folded.includes('?') || folded.includes('？') || folded.includes('؟');
  if (!compact) return { wordCount, question, tokenOffsets: tokens.offset, englishShare, indices: outIndex.slice(0, outCount), values: outValue.slice(0, outCount), analysis };
  // Views on the reused buffers: valid until the next call, which is all one classification needs.
  return {
    wordCount,
    question,
    tokenOffsets: tokens.offset,
    englishShare,
    indices: outIndex.subarray(0, outCount),
    values: outValue.subarray(0, outCount),
    analysis,
    words: { refs: wordRefs, count: wordRefCount, scale },
  };
}

const CUE_INDEX = Object.fromEntries(CUES.map((c) => [c, cueFeatureIndex(`cue:${c}`)])) as Record<Cue, number>;
const comboIndexes = new Map<string, number>();
function comboIndex(name: string): number {
  let index = comboIndexes.get(name);
  if (index === undefined) {
    index = cueFeatureIndex(`combo:${name}`);
    if (comboIndexes.size < 10_000) comboIndexes.set(name, index);
  }
  return index;
}
