// Input safety classifier: deterministic, local, no network. Three readers of one folded copy:
// 1. the English rules (input-rules.ts): precompiled regexes that only run when their key
//    substrings are present, with checks around each match for negation, distant past, idioms
//    and who is at risk;
// 2. the multilingual cue lexicon (lexicon/): request frames, harm verbs, targets, means, time,
//    finality, negation, distant past, third party, "about the topic" frames — in 15 languages —
//    and how they combine in a sentence; a few combinations are floors (a request for how to hurt
//    a person is at least concern, harm_to_others);
// 3. the statistical model (model.ts): logistic-regression heads over hashed word/character
//    n-grams plus the cues, trained on the corpus's train split.
// The verdict is the highest of the three, except that the model can set aside a rule's crisis on
// text that talks *about* the topic (fiction, news, training). Budget: < 1 ms for 2,000 characters.
import {
  REPLY_AFTER_CRISIS_RULE,
  SAFETY_CATEGORIES,
  maxSafetyLevel,
  type SafetyCategory,
  type SafetyLevel,
  type SafetyVerdict,
} from '~/lib/safety';
import {
  DISTRESS_RULES,
  INJECTION_RULES,
  INPUT_RULES,
  JAILBREAK_RULES,
  SELF_HARM_RULES,
  incidentOver,
  type InputRule,
} from './input-rules';
import { foldForMatching, sanitizeText } from './normalize';
import { AnchoredScanner, MatchCursor } from './rule-anchors';
import { extractFeatures, type Combo, type CueAnalysis, type Features } from './features';
import type { Cue } from './lexicon/cues';
import { foldScripts } from './lexicon/match';
import { predict, safetyModel, type HeadScores } from './model';

export { classifyOutput } from './output-check';

export interface ClassifyContext {
  /** The person's previous messages in this conversation, oldest first; only the last few are read. */
  recentUserMessages?: string[];
  /**
   * The verdict of one of those messages read alone; a chat turn passes the verdicts it already has
   * (TurnVerdicts), so no text is classified twice. Omitted: they are classified here.
   */
  verdictOf?: (message: string) => SafetyVerdict;
}

const CONTEXT_TURNS = 3;
const CONTEXT_CHARS = 2_000;
const MAX_MATCHES_PER_RULE = 6;
const WINDOW = 60;

// Clause limits for negation and tense: "im not sick, i just want to die" must not read as negated.
const CLAUSE_CHARS = asciiSet(',.;:!?\n');
const CLAUSE_WORDS = [' but ', ' now ', ' though ', ' although '];
const SENTENCE_CHARS = asciiSet('.!?\n');
const MAX_CLAUSE_CHARS = 200;

/** A set of ASCII characters as a lookup table by character code. */
function asciiSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const ch of chars) set[ch.charCodeAt(0)] = 1;
  return set;
}

const NEGATION_BEFORE =
  /\b(?:not|never|no|nt|dont|didnt|doesnt|wont|wouldnt|isnt|arent|wasnt|havent|hasnt|aint|cant|couldnt|shouldnt)(?: (?:really|even|ever|actually|going|gonna|to|want|wanna|wanting|trying|planning|thinking|about|of|be|been|have|had|feeling|feel|felt|i|im|would|will|that|like|at|all|any|plans?|intention|intentions|thoughts?|way|in|a|the|or|anything|do|doing|myself|act|on|them|it))* ?$/;
const DISTANT_PAST =
  /\b(?:used to|years ago|year ago|months ago|when i was (?:younger|little|a kid|a child|a teen|a teenager|at school|in school|at uni|in college|at college|\d+)|in my (?:teens|twenties|past)|in the past|as a (?:teen|teenager|kid|child)|back (?:in (?:school|college|uni|the day|\d+)|then|when)|history of|(?:a )?long time ago|recovered|in recovery|in (?:\d+|a few|two|three|four|five|several|many|over a) (?:years|months)|(?:\d+|a few|two|three|four|five|six|several|many) (?:years|months) (?:ago|clean|free|since))\b/;

const FIRST_OR_THIRD_PERSON =
  /\b(?:(i|im|ive|id|ill|me|my|myself|mine)|(he|she|they|hes|shes|theyre|theyve|hed|shed|him|her|hers|them|his|their|himself|herself|themselves|someone|somebody|(?:customer|colleague|cowork|team member|teammate|staff|employee|driver|picker|cashier|server|agent|supervisor|manager|lead|loader|cook|chef|packer|worker|guy|man|woman|lady|kid|child|boy|girl|person|starter|lad|friend|partner|husband|wife|boss|member|crew|associate|operative)\w*))\b/g;
const REPORTED_SPEECH =
  /\b(?:he|she|they|someone|somebody|one of|my \w+|a \w+|the \w+)\b[^.!?\n]{0,60}\b(?:said|says|told|tells|texted|texts|posted|mentioned|messaged|wrote|admitted|confided|keeps saying|kept saying|showed)\b/;
const THIRD_REFLEXIVE = /\b(?:him|her|them) ?sel(?:f|ves)\b|\b(?:his|her|their) (?:own )?li(?:fe|ves)\b/;
const FIRST_PERSON_VICTIM = /\b(?:me|i|im|ive|myself|us|we)\b/;

// A follow-up naming a means or a plan is a crisis after hopelessness or self-harm talk;
// a bare "yes" / "i mean it" only after self-harm talk (it may just answer the coach's question).
const CONTEXT_MEANS =
  /\b(?:pills|tablets|meds|medication|rope|noose|gun|knife|blade|bridge|roof|ledge|train tracks|tracks|jump|goodbye|made up my mind|(?:going to|gonna|ready to|about to|will|ill|to) do it|(?:do it|end it|it happens|going to happen) tonight|tonight is the night|the plan|letters|a note|no one can stop me|its decided)\b/;
const CONTEXT_AFFIRM = /\b(?:yes|yeah|yep|i mean it|im serious|not joking|for real|tonight|i will|i am)\b/;
const CONTEXT_DISTRESS_RULES = [...SELF_HARM_RULES, ...DISTRESS_RULES.filter((r) => r.id === 'distress.hopelessness')];

// Many-shot: a message stuffed with fake dialogue turns ("User: ... Assistant: ...").
// Role names in the supported languages too: a scripted dialogue in Spanish or Chinese is still many-shot.
const TURN_LINE =
  /^[ \t>*#_-]*(?:\*\*)?(user|assistant|human|ai|q|a|system|bot|model|chatbot|gpt|chatgpt|claude|llm|usuario|usuário|asistente|utilisateur|utilisatrice|assistante|benutzer|nutzer|assistent|utente|assistente|użytkownik|uzytkownik|asystent|gebruiker|utilizator|asistent|користувач|асистент|người dùng|trợ lý|المستخدم|المساعد|用户|用戶|助手|उपयोगकर्ता|सहायक|tagagamit|katulong)(?:\*\*)?[ \t]*[:：]/gim;
const INLINE_TURN = /\b(user|assistant|human|ai)[ \t]*:/gi;
export const MANY_SHOT_MIN_TURNS = 8;
const MANY_SHOT_FEATURE_CHARS = 4_000;
const MAX_TURNS_COUNTED = 2_000;

// Every rule's key substrings: found in the same pass as the rules' anchors (rule-anchors.ts).
const NEEDLES = [...new Set(INPUT_RULES.flatMap((r) => r.needs))];
const NEEDLE_INDEX = new Map(NEEDLES.map((n, i) => [n, i]));

interface RuleHit {
  ruleId: string;
  level: SafetyLevel;
  categories: readonly SafetyCategory[];
  /** Where the rule matched; who is at risk is worked out only for the hits that decide the verdict. */
  at?: { text: string; rule: InputRule; start: number; end: number };
  /** The statistical model's verdict. */
  model?: boolean;
  /** A death told about someone else (REPORTED_DEATH) with no first person: a check-in the model may set aside. */
  reported?: boolean;
  /** Who is at risk, when the hit already knows (a reply after a crisis: whoever was at risk in it). */
  thirdParty?: boolean;
}

/** Classifies one user message (and optionally its recent context). Never throws. */
export function classifyMessage(text: string, context?: ClassifyContext): SafetyVerdict {
  return classifySanitized(sanitizeText(text), context, true);
}

/** One message classified once, whose verdict can then be read with or without earlier messages as context. */
export interface MessageReading {
  /** The verdict on the message alone: classifyMessage(text). */
  verdict: SafetyVerdict;
  /**
   * classifyMessage(text, { recentUserMessages }): the same verdict object unless those messages make
   * this one a follow-up ("yes", "the pills are ready" after distress), which is then classified again.
   */
  withContext(recentUserMessages: string[], verdictOf?: ClassifyContext['verdictOf']): SafetyVerdict;
}

/**
 * Classifies a message once for every context a caller will read it in (a chat turn reads it alone
 * to title a new conversation, then with the person's earlier messages). Context changes a verdict
 * only through the follow-up rule, which is consulted only when no rule read a crisis; when it
 * finds no follow-up, the verdict with context is exactly the verdict without it.
 */
export function readMessage(text: string): MessageReading {
  const sanitized = sanitizeText(text);
  const probe: FollowUpProbe = { folded: '', crisisRule: false };
  const verdict = classifySanitized(sanitized, undefined, true, probe);
  return {
    verdict,
    withContext(recentUserMessages, verdictOf) {
      if (recentUserMessages.length === 0 || probe.crisisRule) return verdict;
      const follow = contextFollowUpHit(probe.folded, recentUserMessages, verdictOf);
      if (!follow) return verdict;
      return classifySanitized(sanitized, { recentUserMessages }, true, undefined, follow);
    },
  };
}

/** What classifySanitized saw that decides whether context could change its verdict. */
interface FollowUpProbe {
  folded: string;
  /** A rule read a crisis, so the follow-up rule is not consulted. */
  crisisRule: boolean;
}

// A long message is read as a whole (its n-grams scaled down so a rant weighs like a short message),
// which dilutes one plan at the end of 4,000 characters of venting. So the passage around its last
// and its first risk cue is also read on its own, and the higher verdict stands. One extra read of
// at most ~2 × WINDOW_CHARS characters, only for long messages that carry a risk cue.
const WINDOW_FROM_CHARS = 600;
const WINDOW_CHARS = 220;
const WINDOW_CUES: ReadonlySet<Cue> = new Set(['suicide', 'die', 'final', 'means', 'harm', 'sh', 'medical', 'have', 'farewell', 'affairs']);

function riskWindows(features: Features, text: string): string[] {
  const risky = features.analysis.hits.filter((h) => WINDOW_CUES.has(h.cue));
  if (risky.length === 0) return [];
  // The last risk cue (where a rant usually turns into what the person means) and, when they are
  // far apart, the first one.
  const picks = risky.length === 1 ? [risky[0]] : [risky[risky.length - 1], risky[0]];
  if (picks.length === 2 && picks[0].sentence - picks[1].sentence < 2) picks.pop();
  const spans: [number, number][] = [];
  for (const h of picks) {
    const at = h.chars ? h.chars[0] : (features.tokenOffsets[h.at] ?? 0);
    const span: [number, number] = [Math.max(0, at - WINDOW_CHARS), Math.min(text.length, at + WINDOW_CHARS)];
    const last = spans[spans.length - 1];
    if (last && span[0] <= last[1] && span[1] >= last[0]) {
      last[0] = Math.min(last[0], span[0]);
      last[1] = Math.max(last[1], span[1]);
    } else spans.push(span);
  }
  return spans.map(([a, b]) => text.slice(a, b));
}

function classifySanitized(sanitized: string, context: ClassifyContext | undefined, windows: boolean, probe?: FollowUpProbe, followUp?: RuleHit): SafetyVerdict {
  const folded = foldForMatching(sanitized);
  const hits = folded ? scanRules(folded, INPUT_RULES) : [];

  const manyShot = isManyShot(sanitized);
  if (manyShot) hits.push({ ruleId: 'jailbreak.many_shot', level: 'none', categories: ['jailbreak'] });

  const crisisRule = hits.some((h) => h.level === 'crisis');
  if (probe) {
    probe.folded = folded;
    probe.crisisRule = crisisRule;
  }
  if (!crisisRule && context?.recentUserMessages?.length) {
    const follow = followUp ?? contextFollowUpHit(folded, context.recentUserMessages, context.verdictOf);
    if (follow) hits.push(follow);
  }
  if (!folded) return toVerdict(hits, manyShot);
  // A scripted fake dialogue is refused anyway: the lexicon and model read its head, the rules all of it.
  const read = foldScripts(manyShot ? folded.slice(0, MANY_SHOT_FEATURE_CHARS) : folded);
  const features = extractFeatures(read, ruleFeatures(hits), true, manyShot ? undefined : sanitized);
  const model = safetyModel(modelFeatures);
  const scores = model ? predict(model, features) : null;
  const verdict = combine(hits, manyShot, features, scores);
  if (!windows || manyShot || verdict.level === 'crisis' || read.length < WINDOW_FROM_CHARS) return verdict;
  let best = verdict;
  for (const passage of riskWindows(features, read)) {
    // Nothing ranks above a crisis: once a passage reads as one, the other cannot change the verdict.
    if (best.level === 'crisis') break;
    const inner = classifySanitized(passage, undefined, false);
    if (rank(inner.level) > rank(best.level)) best = { ...inner, ruleIds: [...verdict.ruleIds, ...inner.ruleIds.map((id) => `window:${id}`)] };
  }
  return best;
}

/** The rules' findings as model features: which rule, at which level after negation/past checks. */
function ruleFeatures(hits: readonly RuleHit[]): string[] {
  return hits.map((h) => `${h.ruleId}:${h.level}`);
}

/**
 * Reads the safety model's weights now (≈ 20 MB of Int16 rows, the artifact checked against the train split's digest):
 * the web server calls it at start, so no person's first message waits for the file and the corpus digest (nor for a
 * retraining: a stale or missing artifact is trained from the corpus here, as safetyModel does).
 */
export function loadSafetyModel(): boolean {
  return safetyModel(modelFeatures) !== null;
}

/** One message's features as the model reads them: shared by training and classification. */
export function modelFeatures(text: string): Features {
  const sanitized = sanitizeText(text);
  const folded = foldForMatching(sanitized);
  const hits = folded ? scanRules(folded, INPUT_RULES) : [];
  if (isManyShot(sanitized)) hits.push({ ruleId: 'jailbreak.many_shot', level: 'none', categories: ['jailbreak'] });
  return extractFeatures(foldScripts(folded), ruleFeatures(hits), false, sanitized);
}

// Decision thresholds on the model's heads, chosen on the dev split (see ADR 008).
export const THRESHOLDS = {
  crisis: 0.3,
  flag: 0.5,
  /** The flag score a model crisis also needs. */
  crisisFlag: 0.45,
  category: 0.35,
  /** A check-in names a risk category only when the model is surer (distress is not self-harm). */
  concernCategory: 0.6,
  /** A risk-category head at least this sure stands in for a lexicon cue. */
  categoryAsCue: 0.6,
  /** ...and the flag score an escalation backed only by such a head needs. */
  promotedCrisisFlag: 0.7,
  thirdParty: 0.5,
  /** The flag score a self-harm method request (a lexicon floor) needs to be a crisis, not a check-in. */
  requestCrisisFlag: 0.3,
  /** The flag score a non-English suicide phrase about oneself (lexicon.explicit_self) needs to be a crisis floor. */
  explicitSelfFlag: 0.25,
  /** Below this flag score the model sets a lexicon floor aside. */
  floorVeto: 0.1,
  /** [crisis, flag] when only a lone risk cue backs the model, and when nothing does. */
  weakCue: [0.3, 0.45] as [number, number],
  /** [crisis, flag] for English text when only the model's category head stands in for a cue. */
  promotedEnglish: [0.3, 0.6] as [number, number],
  noCue: [0.55, 0.7] as [number, number],
  /** The model's crisis score at which it escalates with no rule or cue behind it. */
  crisisWithoutCue: 0.55,
  /** ...and the flag score it needs with it. */
  flagWithoutCue: 0.6,
  /** [crisis, flag] at which a non-English message escalates on the model alone when the flag head is all but sure. */
  sureFlagWithoutCue: [0.35, 0.85] as [number, number],
  /** The same two gates for English text (englishShare of common function words at least this). */
  englishShare: 0.2,
  noCueEnglish: [0.9, 0.9] as [number, number],
  crisisWithoutCueEnglish: 0.98,
  /** [crisis, flag] at which the model escalates a means at hand with no other cue ("the rope's in the garage, the kids are at their nan's"). */
  meansAtHand: [0.8, 0.8] as [number, number],
  /** ...and when the message says it holds the means ("I've got the…"), at least 12 words long. */
  heldMeansScene: [0.95, 0.95] as [number, number],
  /** The flag score a harm request with a named target and a time or means (a lexicon floor) needs to be a crisis. */
  harmNowCrisisFlag: 0.5,
  /** Injection / jailbreak / toxicity from the model alone, without a rule or cue. */
  manipulationWithoutCue: 0.97,
  /** Below this crisis score, a rule's crisis on text about the topic is set aside. */
  aboutVeto: 0.15,
  /** Below this crisis score, a crisis found only by a topic-word rule is set aside... */
  weakRule: 0.35,
  /** ...and kept as a check-in when the model's flag score is at least this. */
  weakRuleFlag: 0.3,
};

const RISK_CUES: readonly Cue[] = ['suicide', 'die', 'final', 'means', 'harm', 'sh', 'distress', 'harass', 'medical'];
const RISK_COMBOS: readonly Combo[] = [
  'explicit', 'explicit_negated', 'want_die', 'plan', 'time_final', 'have_means', 'request_harm', 'request_self', 'threat_harm',
  'harm_self', 'sh_ongoing', 'sh_past', 'suicide_past', 'means_self', 'die_self', 'distress_self', 'harass_self', 'medical_now',
  'farewell_plan', 'lethal_query', 'harm_now', 'overdose_taken', 'poison_target',
];

const PLAN_SUPPORT: readonly Cue[] = ['suicide', 'die', 'final', 'time', 'intent', 'distress', 'sh', 'want', 'harm', 'medical', 'request', 'farewell', 'affairs', 'extent'];
function meansOnly(analysis: CueAnalysis): boolean {
  return analysis.present.has('means') && !PLAN_SUPPORT.some((c) => analysis.present.has(c));
}

// ...unless the model is sure and the message describes more than owning it: "the rope's in the
// boot, I know which tree", "sitting on the ledge of the multi storey, I'm calm" are plans in
// progress; "I have the pills here", "tengo las pastillas aquí" (a bare possession, short or the
// `have_means` combination) stay a check-in that asks.
// A bare possession stays a check-in even so; a longer scene around the means held ("I've got the
// barbecue and the tape, the bedroom's sealed", "sat in the car at the top of the multi storey for an
// hour") escalates when the model is all but sure.
const MEANS_SCENE_WORDS = 8;
const HELD_MEANS_SCENE_WORDS = 12;
function meansInUse(analysis: CueAnalysis, features: Features, scores: HeadScores): boolean {
  if (features.wordCount < MEANS_SCENE_WORDS) return false;
  // A stash counted or said to be enough ("die Pillen liegen abgezählt, es sind genug", "goliyan gin li
  // hain, kaafi hain") is more than owning it: two held-means cues, or an amount.
  const stash = analysis.present.has('amount') || analysis.hits.filter((h) => h.cue === 'have').length >= 2;
  const [crisisAt, flagAt] = analysis.combos.has('have_means')
    ? features.wordCount >= HELD_MEANS_SCENE_WORDS || stash
      ? THRESHOLDS.heldMeansScene
      : [Infinity, Infinity]
    : THRESHOLDS.meansAtHand;
  return scores.crisis >= crisisAt && scores.flag >= flagAt;
}

// Distress or harassment words alone ("dreading tomorrow", "he'll take it badly") are evidence
// that something is wrong, not that a life is at risk: they back a check-in, never an escalation.
const CONCERN_ONLY_CUES: ReadonlySet<Cue> = new Set(['distress', 'harass']);
const CONCERN_ONLY_COMBOS: ReadonlySet<Combo> = new Set(['distress_self', 'harass_self']);

/**
 * How much the lexicon and rules back a model verdict: a combination, a lone risk cue, only
 * distress (enough for a check-in, not for an escalation), or nothing.
 */
function riskEvidence(analysis: CueAnalysis, ruleHits: readonly RuleHit[]): 'strong' | 'weak' | 'distress' | 'none' {
  if (ruleHits.some((h) => h.level !== 'none') || RISK_COMBOS.some((c) => analysis.combos.has(c) && !CONCERN_ONLY_COMBOS.has(c))) return 'strong';
  const cues = RISK_CUES.filter((c) => analysis.present.has(c));
  if (cues.length === 0) return 'none';
  return cues.every((c) => CONCERN_ONLY_CUES.has(c)) ? 'distress' : 'weak';
}

/** Rules that fire on a topic word alone ("suicide", "self-harm"): the model may overrule them. */
const WEAK_CRISIS_RULES = new Set(['self_harm.suicide_word', 'self_harm.self_harm_word']);

const RISK_CATEGORIES: readonly SafetyCategory[] = ['self_harm', 'harm_to_others', 'abuse_or_harassment', 'medical_emergency'];
const MANIPULATION_CATEGORIES: readonly SafetyCategory[] = ['toxicity', 'prompt_injection', 'jailbreak'];

/** Floors from cue combinations: deterministic, language-independent (the cues carry the language). */
function floorHits(analysis: CueAnalysis, scores: HeadScores | null, english: boolean, question: boolean): RuleHit[] {
  const { combos } = analysis;
  // A floor stands unless the model is quite sure there is nothing ("the cuts to my hours").
  if (scores && scores.flag < THRESHOLDS.floorVeto) return [];
  const about = combos.has('about_frame');
  const out: RuleHit[] = [];
  if (combos.has('request_harm') && !about) {
    // With a time, an opportunity or a means besides the harm verb ("he's asleep upstairs", "get a
    // gun to shoot my brother-in-law"), a crisis (ADR 024's labelling); otherwise a check-in.
    const now = combos.has('harm_now') && !combos.has('support_frame') && (!scores || scores.flag >= THRESHOLDS.harmNowCrisisFlag);
    out.push({ ruleId: now ? 'lexicon.harm_to_others_request_now' : 'lexicon.harm_to_others_request', level: now ? 'crisis' : 'concern', categories: ['harm_to_others'] });
  }
  // A threat against someone with a time or a means at hand ("the bat's in my boot and he finishes at nine"):
  // a crisis (SAFETY-CORPUS: threats with means at hand), unless the model reads nothing much wrong.
  if (combos.has('threat_now') && !combos.has('request_harm') && !combos.has('support_frame') && !combos.has('idiom_frame') && (!scores || scores.flag >= THRESHOLDS.harmNowCrisisFlag)) {
    out.push({ ruleId: 'lexicon.harm_to_others_threat_now', level: 'crisis', categories: ['harm_to_others'] });
  }
  if (combos.has('request_self') && !about && !combos.has('support_frame')) {
    // A method question is a crisis; when the model's flag head reads a policy or history question
    // ("how to write a suicide-prevention policy", "why do countries use lethal injection"), a check-in.
    const sure = !scores || scores.flag >= THRESHOLDS.requestCrisisFlag;
    out.push({ ruleId: 'lexicon.self_harm_request', level: sure ? 'crisis' : 'concern', categories: ['self_harm'] });
  }
  // A poison for a named person's food or drink ("qué veneno no tiene sabor para echárselo en el café a mi
  // suegra"): a real target and a means, so a crisis (ADR 024's labelling), outside English.
  if (!english && combos.has('poison_target') && !about && !combos.has('support_frame')) {
    out.push({ ruleId: 'lexicon.poison_target', level: 'crisis', categories: ['harm_to_others'] });
  }
  // An overdose already taken ("ho preso trenta tachipirine un'ora fa"): an emergency, not a check-in.
  if (combos.has('overdose_taken') && !about) {
    out.push({ ruleId: 'lexicon.overdose_taken', level: 'crisis', categories: ['self_harm'] });
  }
  // Outside English (where the rules read these phrases): a suicide or wish-to-die phrase about oneself,
  // with no topic, idiom, third-party or support frame anywhere in the message, is a crisis.
  // Not a question ("what is the antidote to an overdose?"), and only when the flag head reads something wrong
  // at all (a death told years later, an idiom the lexicon misses).
  if (!english && !question && combos.has('explicit_self') && !about && !combos.has('idiom_frame') && !combos.has('third_frame') && !combos.has('support_frame') && (!scores || scores.flag >= THRESHOLDS.explicitSelfFlag)) {
    out.push({ ruleId: 'lexicon.explicit_self', level: 'crisis', categories: ['self_harm'] });
  }
  // Outside English: a death word about oneself with distress beside it ("I'm safe, but all week the idea of
  // dying has been loud", "dead inside, every day is grey") is at least a check-in, unless a topic, idiom,
  // third-party or support frame explains it. (A death word about oneself alone is not: idioms.)
  if (!english && combos.has('die_self') && combos.has('distress_self') && !about && !combos.has('idiom_frame') && !combos.has('third_frame') && !combos.has('support_frame')) {
    out.push({ ruleId: 'lexicon.death_thoughts', level: 'concern', categories: ['self_harm'] });
  }
  if (combos.has('sh_ongoing') && !about) {
    out.push({ ruleId: 'lexicon.self_harm_ongoing', level: 'concern', categories: ['self_harm'] });
  }
  return out;
}

/** Combinations that put another person at risk: a harm asked for or threatened with a target, or the wording (English). */
const OTHER_RISK_COMBOS: readonly Combo[] = ['other_at_risk', 'threat_harm', 'request_harm', 'poison_target'];
/** Combinations that put the writer's (or the reported person's) own life at risk. */
const SELF_RISK_COMBOS: readonly Combo[] = ['explicit', 'want_die', 'harm_self', 'sh_ongoing', 'request_self', 'lethal_query', 'overdose_taken', 'die_self'];
function selfHarmNamedByRule(hits: readonly RuleHit[]): boolean {
  return hits.some((h) => !h.model && h.level !== 'none' && h.categories.includes('self_harm'));
}

const MIN_WORDS_WITHOUT_CUE = 4;

function combine(ruleHits: RuleHit[], manyShot: boolean, features: Features, scores: HeadScores | null): SafetyVerdict {
  const { analysis } = features;
  let hits = ruleHits;
  if (scores) {
    const weakOnly = hits.every((h) => h.level !== 'crisis' || WEAK_CRISIS_RULES.has(h.ruleId));
    const about = analysis.combos.has('about_frame');
    // "The novel's hero decides to kill himself", "what is the interpersonal theory of suicide":
    // the rules see the words, the model the frame. A bare topic word is weak evidence: when the
    // model does not read a crisis, it is a check-in (or nothing, when the model sees nothing).
    if ((about && scores.crisis < THRESHOLDS.aboutVeto) || (weakOnly && (scores.crisis < THRESHOLDS.weakRule || scores.flag < THRESHOLDS.floorVeto))) {
      const keep = scores.flag >= THRESHOLDS.weakRuleFlag;
      hits = hits.flatMap((h) => (h.level !== 'crisis' || h.ruleId.startsWith('context.') ? [h] : keep ? [{ ...h, level: 'concern' as const }] : []));
    }
    // The same topic word already set down to a check-in by the rules (a death told long after, "my
    // father died by suicide ten years ago, can I take the anniversary off") is dropped when the
    // model sees nothing wrong at all.
    // A death reported about someone else is dropped the same way ("a former footballer took his
    // own life, it's all over the news").
    if (scores.flag < THRESHOLDS.weakRuleFlag) hits = hits.filter((h) => h.level !== 'concern' || (!WEAK_CRISIS_RULES.has(h.ruleId) && !h.reported));
  }
  hits = [...hits, ...floorHits(analysis, scores, features.englishShare >= THRESHOLDS.englishShare && features.wordCount >= 3, features.question)];
  if (scores) {
    // The model alone, with no risk cue and no rule behind it, needs to be much surer: a stray
    // n-gram must not turn "how far is Leeds" or binary noise into a crisis.
    let evidence = riskEvidence(analysis, ruleHits);
    // The model's own risk-category heads agreeing strongly count as a lone cue: "best way to hang
    // yourself so it's quick" names no lexicon cue, but the self-harm head reads it plainly.
    const lexiconEvidence = evidence;
    if ((evidence === 'none' || evidence === 'distress') && features.wordCount >= MIN_WORDS_WITHOUT_CUE && !analysis.combos.has('idiom_frame') && Math.max(scores.self_harm, scores.harm_to_others, scores.medical_emergency) >= THRESHOLDS.categoryAsCue) evidence = 'weak';
    // Worry about a coming meeting, review or conversation, or a question about leave for someone's
    // family emergency, with no risk cue: work, which the model alone may turn into a check-in only
    // when it is very sure, never an escalation.
    // A manager's how-to question about people, rotas or tasks (work_question_frame) is read the same way.
    // ...unless the model's own harm or self-harm head reads it plainly ("how do I push my boss down the stairwell").
    const workQuestion = analysis.combos.has('work_question_frame') && evidence !== 'weak';
    // A short question about what someone else might do ("and if he just doesn't turn up on sunday?") is
    // read the same way, whatever the category heads say: the heads learned those words from farewells.
    const anticipation =
      (analysis.combos.has('anticipation_frame') || analysis.combos.has('leave_frame') || workQuestion) && lexiconEvidence !== 'strong' && lexiconEvidence !== 'weak';
    // ...except that it never silences the model: a crisis becomes a check-in that asks, and a check-in stays one
    // ("und wenn er sich umbringt?" must still be asked about if a lexicon misses the verb).
    const otherPersonQuestion = analysis.combos.has('other_person_question') && lexiconEvidence !== 'strong' && lexiconEvidence !== 'weak';
    // English is where the rules and lexicon read phrasing well: there the model alone needs to be
    // surer. In other languages the lexicon is thinner and the model is often the only reader.
    // An idiom the lexicon recognised ("hurt myself lifting", "killing it") gets the same stricter gate.
    const english = (features.englishShare >= THRESHOLDS.englishShare && features.wordCount >= 3) || analysis.combos.has('idiom_frame');
    const noCue = english ? THRESHOLDS.noCueEnglish : THRESHOLDS.noCue;
    // Only the model's own category head behind it (no rule, no lexicon cue): in English, where the
    // rules and the lexicon read most risk phrasing, such a reading needs surer heads.
    const promotedOnly = evidence === 'weak' && lexiconEvidence !== 'weak' && english;
    const [crisisAt, flagAt]: [number, number] =
      evidence === 'strong'
        ? [THRESHOLDS.crisis, THRESHOLDS.flag]
        : promotedOnly
          ? THRESHOLDS.promotedEnglish
          : evidence === 'weak'
            ? THRESHOLDS.weakCue
            : evidence === 'distress'
              ? [noCue[0], THRESHOLDS.weakCue[1]]
              : noCue;
    // A crisis needs the flag head to agree that something is wrong at all.
    let level: SafetyLevel = scores.crisis >= crisisAt && scores.flag >= THRESHOLDS.crisisFlag ? 'crisis' : scores.flag >= flagAt ? 'concern' : 'none';
    // A means at hand with nothing else (no intent, time, finality, distress or suicide word):
    // a check-in, not an escalation — the context rule escalates it after distress.
    if (level === 'crisis' && meansOnly(analysis) && !ruleHits.some((h) => h.level === 'crisis') && !meansInUse(analysis, features, scores)) level = 'concern';
    // An incident told as over ("… nobody hurt", "police came and took him"), with no rule and no risk
    // combination of the lexicon behind the model: a report, which the model may turn into a check-in at most.
    if (level === 'crisis' && analysis.combos.has('incident_over') && lexiconEvidence !== 'strong') level = scores.flag >= flagAt ? 'concern' : 'none';
    // With nothing behind it the model may only ask (a check-in), and never on a word or two.
    if (evidence === 'none' && level !== 'none' && features.wordCount < MIN_WORDS_WITHOUT_CUE) level = 'none';
    // A scripted fake dialogue is refused as a jailbreak; without a risk cue it is not a check-in.
    if (evidence !== 'strong' && manyShot) level = 'none';
    // ...and never escalates: an escalation needs a rule or a risk cue behind it ("can my cashier
    // bring her kid to work on Saturday" must not reach crisis on a time word and n-grams).
    // Unless the model is very sure: a message in a language (or phrasing) the lexicon does not
    // cover still escalates on the model's crisis head alone.
    // The model's own category head standing in for a cue backs a check-in; an escalation from it
    // still needs the model-alone gate ("he will take it badly" reads like self-harm to n-grams).
    if ((evidence === 'none' || evidence === 'distress') && level === 'crisis' && (scores.crisis < (english ? THRESHOLDS.crisisWithoutCueEnglish : THRESHOLDS.crisisWithoutCue) || scores.flag < THRESHOLDS.flagWithoutCue))
      level = scores.flag >= flagAt ? 'concern' : 'none';
    // A category head standing in for a cue escalates only when the flag head is sure too: symbols,
    // SQL or a short remark that a head over-reads ("he will take it badly") get a check-in at most.
    if (evidence === 'weak' && lexiconEvidence !== 'weak' && lexiconEvidence !== 'strong' && level === 'crisis' && scores.flag < THRESHOLDS.promotedCrisisFlag)
      level = scores.flag >= flagAt ? 'concern' : 'none';
    // In other languages the lexicon is thin: a flag head that is all but certain with a middling
    // crisis score ("hoeveel lithium is genoeg om je hart te laten stoppen") still escalates.
    if (!english && (evidence === 'none' || evidence === 'distress') && level === 'concern' && !anticipation && !manyShot && features.wordCount >= MIN_WORDS_WITHOUT_CUE && scores.crisis >= THRESHOLDS.sureFlagWithoutCue[0] && scores.flag >= THRESHOLDS.sureFlagWithoutCue[1]) level = 'crisis';
    if (anticipation && level !== 'none') level = scores.flag >= THRESHOLDS.noCueEnglish[1] ? 'concern' : 'none';
    if (otherPersonQuestion && level === 'crisis') level = 'concern';
    // A harm asked about for later, with no named target and means at hand: a check-in, not an escalation,
    // unless the message also turns on the writer's own life.
    if (level === 'crisis' && analysis.combos.has('harm_asked_later') && !SELF_RISK_COMBOS.some((c) => analysis.combos.has(c))) level = 'concern';
    const manipulationCue = analysis.present.has('inject') || ruleHits.some((h) => h.categories.some((c) => MANIPULATION_CATEGORIES.includes(c)));
    const categories = SAFETY_CATEGORIES.filter((c) =>
      MANIPULATION_CATEGORIES.includes(c)
        ? scores[c] >= (manipulationCue ? THRESHOLDS.category : THRESHOLDS.manipulationWithoutCue)
        : level !== 'none' && scores[c] >= (level === 'crisis' ? THRESHOLDS.category : THRESHOLDS.concernCategory),
    );
    if (level !== 'none' || categories.length > 0) {
      hits.push({ ruleId: level === 'none' ? 'model.categories' : `model.${level}`, level, categories, model: true });
    }
  }
  const verdict = toVerdict(hits, manyShot);
  if (verdict.level === 'none') {
    verdict.categories = verdict.categories.filter((c) => !RISK_CATEGORIES.includes(c));
  } else if (verdict.level === 'crisis' && !verdict.categories.some((c) => RISK_CATEGORIES.includes(c)) && scores) {
    // A crisis is always about someone's safety: name the likeliest kind.
    const best = [...RISK_CATEGORIES].sort((a, b) => scores[b] - scores[a])[0];
    verdict.categories = SAFETY_CATEGORIES.filter((c) => c === best || verdict.categories.includes(c));
  }
  // Another person at risk, read from the wording ("put him in the ground, I have the bat in my boot") or
  // from a harm asked for or threatened against someone (any lexicon language):
  // when only the model named self-harm and nothing in the message turns on the writer's own life, the
  // person gets the violence section of the escalation reply, not the self-harm one.
  if (verdict.level !== 'none' && verdict.categories.includes('self_harm') && OTHER_RISK_COMBOS.some((c) => analysis.combos.has(c)) && !selfHarmNamedByRule(hits) && !SELF_RISK_COMBOS.some((c) => analysis.combos.has(c))) {
    verdict.categories = SAFETY_CATEGORIES.filter((c) => c === 'harm_to_others' || (c !== 'self_harm' && verdict.categories.includes(c)));
  }
  // Who is at risk: the rules decide when they decided the level; otherwise the model's head.
  const decidedByRules = hits.some((h) => h.level === verdict.level && h.at);
  if (!decidedByRules && verdict.level !== 'none') verdict.thirdParty = scores ? scores.third_party >= THRESHOLDS.thirdParty : analysis.combos.has('third_frame');
  return verdict;
}

/**
 * For retrieved culture-pack passages: does the text try to give the model instructions
 * (override, prompt extraction, persona, fake dialogue)? Such passages are left out of the prompt.
 */
export function detectInstructionOverride(text: string): { injected: boolean; ruleIds: string[] } {
  const sanitized = sanitizeText(text);
  const folded = foldForMatching(sanitized);
  const ruleIds = folded ? scanRules(folded, MANIPULATION_RULES).map((h) => h.ruleId) : [];
  if (isManyShot(sanitized)) ruleIds.push('jailbreak.many_shot');
  return { injected: ruleIds.length > 0, ruleIds };
}

const MANIPULATION_RULES = [...INJECTION_RULES, ...JAILBREAK_RULES];

function scanRules(text: string, rules: readonly InputRule[]): RuleHit[] {
  const { scanner, needs } = scannerFor(rules);
  const { starts, present } = scanner.scan(text);
  const hits: RuleHit[] = [];
  for (let i = 0; i < rules.length; i++) {
    // A rule runs only when one of its key substrings is in the text...
    if (!needs[i].some((k) => present[k] === 1)) continue;
    // ...and, when its anchors are known, only where it can start.
    if (scanner.anchored(i) && starts[i].length === 0) continue;
    const hit = firstHit(text, rules[i], new MatchCursor(text, rules[i].re, scanner.sticky[i], starts[i]));
    if (hit) hits.push(hit);
  }
  return hits;
}

// Each rule list scanned gets its anchors compiled once, with every rule's key substrings.
const scanners = new Map<readonly InputRule[], { scanner: AnchoredScanner; needs: number[][] }>();
function scannerFor(rules: readonly InputRule[]): { scanner: AnchoredScanner; needs: number[][] } {
  let entry = scanners.get(rules);
  if (!entry) {
    entry = { scanner: new AnchoredScanner(rules, NEEDLES), needs: rules.map((r) => r.needs.map((n) => NEEDLE_INDEX.get(n)!)) };
    scanners.set(rules, entry);
  }
  return entry;
}

function firstHit(text: string, rule: InputRule, matches: MatchCursor): RuleHit | null {
  let best: RuleHit | null = null;
  for (let n = 0; n < MAX_MATCHES_PER_RULE; n++) {
    const match = matches.next();
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    if (rule.notAfter?.test(text.slice(end, end + WINDOW))) continue;
    if (rule.notBefore?.test(text.slice(Math.max(0, start - WINDOW), start))) continue;
    if (rule.overIf?.test(text.slice(breakBefore(text, start, SENTENCE_CHARS), breakAfter(text, end, SENTENCE_CHARS)))) continue;
    const over = rule.reportOver !== undefined && incidentOver(text);
    if (over && rule.reportOver === 'skip') continue;
    const judged = judgeMatch(text, rule, start, end);
    if (!judged) continue;
    const hit: RuleHit = over && judged.level === 'crisis' ? { ...judged, level: 'concern', categories: judged.categories.filter((c) => c !== 'medical_emergency') } : judged;
    // An affirmed crisis beats a demoted one found earlier ("i used to cut. now i want to die").
    if (!best || rank(hit.level) > rank(best.level)) best = hit;
    if (best.level === rule.level) break;
  }
  matches.done();
  return best;
}

function judgeMatch(text: string, rule: InputRule, start: number, end: number): RuleHit | null {
  let level = rule.level;
  let categories: readonly SafetyCategory[] = rule.category ? [rule.category, ...(rule.alsoCategories ?? [])] : [];
  const hit = (): RuleHit => ({ ruleId: rule.id, level, categories, at: { text, rule, start, end } });
  if (!rule.pastable && !rule.negatable) return hit();

  const prefix = text.slice(clauseStart(text, start), start);
  // "I'd rather jump off a cliff than do another Boxing Day sale", "I'd sooner drown myself in the coffee
  // machine than sit through that meeting": a comparison that sets a method against a chore is hyperbole.
  if (rule.party === 'subject' && rule.category === 'self_harm' && RATHER_BEFORE.test(prefix) && RATHER_THAN.test(text.slice(end, breakAfter(text, end, SENTENCE_CHARS)))) return null;
  if (rule.pastable && level === 'crisis' && DISTANT_PAST.test(prefix + text.slice(start, clauseEnd(text, end)))) {
    // Past self-harm ("i used to cut", "havent hurt myself in two years") is concern, still self_harm.
    level = 'concern';
    categories = categories.filter((c) => c !== 'medical_emergency');
  } else if (rule.negatable && NEGATION_BEFORE.test(prefix)) {
    if (level !== 'crisis') return null;
    // A denied crisis ("im not suicidal, just tired") still deserves a gentle check-in.
    level = 'concern';
    categories = [];
  } else if (level === 'crisis' && rule.party === 'subject' && REPORTED_DEATH.test(text.slice(start, end))) {
    // A death that has happened, told about someone else ("the singer took his own life", "a driver
    // at our depot killed himself last month"): nobody is at risk in this message, but a writer who
    // knew the person ("one of my team", "our driver") may be shaken — a check-in. Told with no
    // first person in the sentence (news, a public figure), the model may drop it.
    const sentence = text.slice(breakBefore(text, start, SENTENCE_CHARS), breakAfter(text, end, SENTENCE_CHARS));
    return { ruleId: rule.id, level: 'concern', categories, at: { text, rule, start, end }, reported: !WRITER_INVOLVED.test(sentence) };
  }
  return hit();
}

const RATHER_BEFORE = /\b(?:id|i would|i had|would) (?:much |far )?(?:rather|sooner) (?:just )?(?:go and |go )?$/;
const RATHER_THAN = /\bthan\b/;

// The completed act in the third person: past tense, someone else's life or self.
const WRITER_INVOLVED = /\b(?:i|im|ive|me|my|we|our|us)\b/;
const REPORTED_DEATH =
  /^(?:(?:took|ended|taken) (?:his|her|their) (?:own )?li(?:fe|ves)|(?:killed|hanged|hung|shot|drowned|poisoned|offed) ?(?:him ?self|her ?self|them ?sel(?:f|ves)))$/;

function isThirdParty(hit: RuleHit): boolean {
  if (hit.thirdParty !== undefined) return hit.thirdParty;
  if (!hit.at?.rule.party) return false;
  const { text, rule, start, end } = hit.at;
  const sentenceStart = breakBefore(text, start, SENTENCE_CHARS);
  const sentence = text.slice(sentenceStart, breakAfter(text, end, SENTENCE_CHARS));
  if (rule.party === 'victim') return !FIRST_PERSON_VICTIM.test(sentence);
  if (THIRD_REFLEXIVE.test(text.slice(start, end + 12))) return true;
  const before = text.slice(sentenceStart, start);
  if (REPORTED_SPEECH.test(before)) return true;
  return lastPersonIsThird(before);
}

function lastPersonIsThird(before: string): boolean {
  FIRST_OR_THIRD_PERSON.lastIndex = 0;
  let third = false;
  for (let m = FIRST_OR_THIRD_PERSON.exec(before); m; m = FIRST_OR_THIRD_PERSON.exec(before)) {
    third = m[2] !== undefined;
  }
  return third;
}

function contextFollowUpHit(folded: string, recent: string[], verdictOf: ClassifyContext['verdictOf'] = classifyAlone): RuleHit | null {
  if (!folded) return null;
  const means = CONTEXT_MEANS.test(folded);
  const reply = isShortReply(folded);
  if (!means && !reply && !CONTEXT_AFFIRM.test(folded)) return null;
  if (means || CONTEXT_AFFIRM.test(folded)) {
    const priorHits = recent.slice(-CONTEXT_TURNS).flatMap((message) => {
      const prior = foldForMatching(sanitizeText(typeof message === 'string' ? message.slice(0, CONTEXT_CHARS) : ''));
      return prior ? scanRules(prior, CONTEXT_DISTRESS_RULES) : [];
    });
    const selfHarmBefore = priorHits.some((h) => h.ruleId.startsWith('self_harm.'));
    if (means ? priorHits.length > 0 : selfHarmBefore) return { ruleId: 'context.follow_up_after_distress', level: 'crisis', categories: ['self_harm'] };
  }
  return reply ? replyAfterCrisis(recent, verdictOf) : null;
}

function classifyAlone(message: string): SafetyVerdict {
  return classifySanitized(sanitizeText(message), undefined, true);
}

/**
 * A short reply ("yes its now. im at home", "no", "idk", "I'm fine now") to the coach's "Are you safe
 * right now?" stays a crisis while the person's crisis is one of their last two messages, whatever read
 * it (rules, lexicon or model): alone it says nothing, after "sunday is it for me" it answers the
 * question. Whoever was at risk there is at risk here; the escalation reply says it is still there
 * (escalation.ts, section still_here). A longer message moves the conversation on and is read alone
 * (ADR 075).
 */
function replyAfterCrisis(recent: string[], verdictOf: (message: string) => SafetyVerdict): RuleHit | null {
  for (const message of recent.slice(-REPLY_CONTEXT_TURNS).reverse()) {
    if (typeof message !== 'string' || !message) continue;
    const prior = verdictOf(message);
    if (prior.level !== 'crisis' || prior.manyShot) continue;
    const categories = prior.categories.filter((c) => c === 'self_harm' || c === 'harm_to_others' || c === 'abuse_or_harassment' || c === 'medical_emergency');
    return { ruleId: REPLY_AFTER_CRISIS_RULE, level: 'crisis', categories: categories.length > 0 ? categories : ['self_harm'], thirdParty: prior.thirdParty };
  }
  return null;
}

/** How many of the person's latest messages a reply can answer (the crisis, and one reply to the coach). */
const REPLY_CONTEXT_TURNS = 2;
/** A reply is this many words or fewer: an answer to the coach's question, not a new subject. */
const REPLY_WORDS = 12;

/** At most REPLY_WORDS words; a reply with no word at all ("😢", "...") answers the coach too. */
function isShortReply(folded: string): boolean {
  let words = 0;
  for (const _ of folded.matchAll(WORD)) if (++words > REPLY_WORDS) return false;
  return folded.trim().length > 0;
}
const WORD = /[\p{L}\p{N}]+/gu;

export function countDialogueTurns(sanitized: string): { lines: number; roles: number; inline: number } {
  const roles = new Set<string>();
  let lines = 0;
  TURN_LINE.lastIndex = 0;
  for (let m = TURN_LINE.exec(sanitized); m && lines < MAX_TURNS_COUNTED; m = TURN_LINE.exec(sanitized)) {
    lines++;
    roles.add(m[1].toLowerCase());
  }
  let inline = 0;
  if (lines < MANY_SHOT_MIN_TURNS) {
    INLINE_TURN.lastIndex = 0;
    const inlineRoles = new Set<string>();
    for (let m = INLINE_TURN.exec(sanitized); m && inline < MAX_TURNS_COUNTED; m = INLINE_TURN.exec(sanitized)) {
      inline++;
      inlineRoles.add(m[1].toLowerCase());
    }
    if (inlineRoles.size < 2) inline = 0;
  }
  TURN_LINE.lastIndex = 0;
  INLINE_TURN.lastIndex = 0;
  return { lines, roles: roles.size, inline };
}

function isManyShot(sanitized: string): boolean {
  const turns = countDialogueTurns(sanitized);
  return (turns.lines >= MANY_SHOT_MIN_TURNS && turns.roles >= 2) || turns.inline >= MANY_SHOT_MIN_TURNS;
}

function toVerdict(hits: RuleHit[], manyShot: boolean): SafetyVerdict {
  let level: SafetyLevel = 'none';
  const categories = new Set<SafetyCategory>();
  const ruleIds: string[] = [];
  for (const hit of hits) {
    level = maxSafetyLevel(level, hit.level);
    for (const category of hit.categories) categories.add(category);
    if (!ruleIds.includes(hit.ruleId)) ruleIds.push(hit.ruleId);
  }
  // Who is at risk is decided by the most serious hits only.
  const serious = hits.filter((h) => h.level === level && level !== 'none' && (h.at || h.thirdParty !== undefined));
  const thirdParty = serious.length > 0 && serious.every(isThirdParty);
  return {
    level,
    categories: SAFETY_CATEGORIES.filter((c) => categories.has(c)),
    ruleIds,
    thirdParty,
    manyShot,
  };
}

function rank(level: SafetyLevel): number {
  return level === 'crisis' ? 2 : level === 'concern' ? 1 : 0;
}

/** Index just after the last clause break before `index` (punctuation or "but", "now"...). */
function clauseStart(text: string, index: number): number {
  const base = breakBefore(text, index, CLAUSE_CHARS);
  const window = text.slice(base, index);
  let cut = 0;
  for (const word of CLAUSE_WORDS) {
    const at = window.lastIndexOf(word);
    if (at >= 0) cut = Math.max(cut, at + word.length);
  }
  return base + cut;
}

function clauseEnd(text: string, index: number): number {
  const end = breakAfter(text, index, CLAUSE_CHARS);
  const window = text.slice(index, end);
  let cut = window.length;
  for (const word of CLAUSE_WORDS) {
    const at = window.indexOf(word);
    if (at >= 0 && at < cut) cut = at;
  }
  return index + cut;
}

function breakBefore(text: string, index: number, chars: Uint8Array): number {
  const floor = Math.max(0, index - MAX_CLAUSE_CHARS);
  for (let i = index - 1; i >= floor; i--) if (isBreak(chars, text.charCodeAt(i))) return i + 1;
  return floor;
}

function breakAfter(text: string, index: number, chars: Uint8Array): number {
  const ceiling = Math.min(text.length, index + MAX_CLAUSE_CHARS);
  for (let i = index; i < ceiling; i++) if (isBreak(chars, text.charCodeAt(i))) return i;
  return ceiling;
}

function isBreak(chars: Uint8Array, code: number): boolean {
  return code < 128 && chars[code] === 1;
}
