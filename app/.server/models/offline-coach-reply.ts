// What the offline coach says: a deterministic reply built from the composed system prompt
// (passages, tone, words to avoid) and the manager's last message, following the persona.
import { CHECK_IN_FIRST_NOTE, parseSystemPrompt, replyLanguageOf, type ParsedSystemPrompt } from './prompt-sections';
import { retrievalText } from '~/.server/culture/gloss';
import { isSupportedLanguage, supportText } from '~/lib/i18n';
import { offlineCoachText, type OfflineCoachText } from './offline-coach-text';
import { analyzeText } from './text-features';
import { synonymWords } from '~/.server/culture/query-terms';
import { avoidedWordPattern, usesAvoidedWord } from '~/lib/avoided-words';

const CRISIS = /\b(kill(?:ing)? (?:myself|himself|herself|themselves)|suicid\w*|end (?:my|his|her|their) (?:own )?life|self[- ]harm\w*|hurt(?:ing)? (?:myself|himself|herself|themselves)|want(?:s)? to die|overdos\w*)\b/i;
const DANGER = /\b(right now|happening now|emergency|urgent(?:ly)?|immediately|threat\w*|violen\w*|weapon|knife|blade|stab\w*|attack\w*|assault\w*|hit (?:me|him|her|them)|unsafe|not safe|scared|afraid|fight(?:ing)?)\b/i;
const DISTRESS = /\b(exhausted|overwhelm\w*|stress(?:ed|ful)?|anxious|anxiety|burn(?:ed|t)[- ]?out|burnout|cry(?:ing)?|cried|in tears|upset|angry|furious|panic\w*|can(?:no|')t cope|struggling|hopeless|snapp(?:ing|ed)|shaking|devastated|miserable|falling apart|at my wits'? end|don'?t know what to do|breaking down|worn out|knackered|shattered|drained|wiped out|running on (?:fumes|empty)|run ragged|dead on my feet|could sleep for (?:a|an) \w+)\b/i;
const INJECTION = /\b(ignore (?:all |any |the )?(?:previous|prior|above|earlier) (?:instructions|rules)|system prompt|reveal (?:your|the) (?:instructions|prompt|rules)|you are now|developer mode|jailbreak)\b/i;

const FEELINGS: Array<[RegExp, string]> = [
  [/\b(exhausted|burn(?:ed|t)[- ]?out|burnout|worn out|tired|knackered|shattered|drained|wiped out|running on (?:fumes|empty)|run ragged|dead on my feet|could sleep for (?:a|an) \w+)\b/i, 'exhausted and stretched thin'],
  [/\b(overwhelm\w*|falling apart|can(?:no|')t cope|wits'? end)\b/i, 'overwhelmed'],
  [/\b(scared|afraid|unsafe|not safe|threat\w*|shaking)\b/i, 'shaken'],
  [/\b(angry|furious|snapp(?:ing|ed)|fed up|annoyed|frustrat\w*)\b/i, 'frustrated and on edge'],
  [/\b(stress(?:ed|ful)?|anxious|anxiety|panic\w*|worried|nervous|dread\w*)\b/i, 'under a lot of pressure'],
  [/\b(upset|cry(?:ing)?|cried|in tears|devastated|miserable|hurt)\b/i, 'upset'],
];

type Topic = 'threat' | 'sensitive' | 'safety' | 'wellbeing' | 'swap' | 'lateness' | 'hardNews' | 'conflict' | 'general';

const TOPIC_TERMS: Array<[Topic, RegExp]> = [
  // A threat of violence, said or carried out ("he'll stick a blade in him", "threatened to glass him"): safety and
  // the people who must know today, before any conversation about how each side sees it (ADR 083). Not clocking in or
  // out ("keeps punching in late", "a punch card") nor an illness ("a panic attack", "his dad had a heart attack").
  ['threat', /\b(threat\w*|violen\w*|weapons?|knife|knives|blade|stab\w*|glass(?:ed)? (?:him|her|them)|punch(?:ed|es|ing)?\b(?! (?:in|out)\b(?! (?:the|his|her|their|my|your|a)\b))(?! (?:cards?|clocks?|the clock)\b)|assault\w*|(?<!\b(?:panic|heart|anxiety|asthma) )attack\w*|(?:hit|kill|batter|smash|hurt|do) (?:him|her|them) in\b|(?:kill|batter|hurt|smash) (?:him|her|them)\b|(?:stick|put) (?:a |the )?(?:blade|knife) in)\b/i],
  // Harassment is often told without the word: "comments about her body", "touched her", "keeps leering at her".
  ['sensitive', /\b(dismiss\w*|fire|fired|firing|let (?:\w+ )?go|terminat\w*|harass\w*|discriminat\w*|racis\w*|sexis\w*|disciplin\w*|grievance|complaint|medical|disabilit\w*|pregnan\w*|inappropriate\w*|unwanted|leer\w*|comments?(?: \w+){0,4} (?:about|on) (?:her|his|their|my) (?:body|looks|weight|appearance|figure|chest|legs|bum)|touch(?:ed|es|ing)? (?:her|him|them|me)\b)\b/i],
  // Someone too tired to work safely ("one of my drivers looked shattered at 4am"): safety before anything else.
  ['safety', /\b(?:fatigue\w*|falling asleep|fell asleep|nodd(?:ing|ed) off|dozing|dozed off|micro-?sleeps?|unsafe to|not (?:safe|fit) to (?:drive|work|operate|carry on))\b|\b(?:shattered|exhausted|tired|knackered|drowsy|wiped out|half asleep)\b[^.?!]*\b(?:driv\w*|forklift|reach truck|truck|lorry|van|cab|wheel|machine\w*|ladder|operat\w*)\b|\b(?:driv\w*|forklift|truck|lorry|cab)\b[^.?!]*\b(?:shattered|exhausted|tired|knackered|drowsy|half asleep)\b/i],
  ['wellbeing', /\b(exhausted|burn(?:ed|t)[- ]?out|burnout|snapp(?:ing|ed)|overwhelm\w*|can(?:no|')t cope|worn out|tired|knackered|shattered|drained|wiped out|running on (?:fumes|empty)|run ragged|dead on my feet|could sleep for (?:a|an) \w+|piling (?:it |work |more )?on|no breaks?|without (?:a )?breaks?|back[- ]to[- ]back)\b/i],
  // A bare "shift" is where most situations happen ("late to her shift", "outside the building when her shift ends"),
  // not what they are about: it never makes a message about swaps (ADR 067). Moving someone to another shift does.
  ['swap', /\b(swap\w*|trade\w*|exchang\w*|switch\w*|rota|roster|schedul\w*|cover\w*)\b|\b(?:move|moving|moved|put|putting) (?:\w+ ){0,2}(?:to|onto|on) (?:another|a different|the (?:early|late|night|day|other)) shift/i],
  ['lateness', /\b(late|lateness|tardy|tardiness|absen\w*|no[- ]show\w*|punctual\w*|sick|attendance)\b/i],
  ['hardNews', /\b(promotion|didn'?t get|bad news|feedback|performance|review|reject\w*|turn(?:ed)? down)\b/i],
  ['conflict', /\b(conflict|argu\w*|tension|not getting along|falling out|clash\w*|fight\w*|gossip\w*)\b/i],
];

interface CoachingMove {
  question: string;
  nextStep: string;
}

const COACHING: Record<Topic, CoachingMove> = {
  threat: {
    question: 'Is anyone at risk right now, and who needs to know today?',
    nextStep: "take it seriously: make sure everyone is safe and the people involved are kept apart, tell {hrContact} today (and site security or the police if anyone is in danger), write down exactly what was said or done, when and who saw or heard it, and don't handle it alone.",
  },
  sensitive: {
    question: 'What facts do you have so far, and who else needs to know?',
    nextStep: 'write down the facts (what happened, when, who was there) and talk to {hrContact} before you take any action.',
  },
  safety: {
    question: 'Is it safe for them to carry on right now, and what would make it safe?',
    nextStep: 'if anyone is not fit to work safely, stop the task now and follow your fatigue and safety rules; once everyone is safe, have a private {conversation} about what is behind it and what would help.',
  },
  wellbeing: {
    question: 'What is one thing you could take off your plate this week?',
    nextStep: 'pick one task to hand off or pause this week, and book a short {conversation} with your own manager about workload.',
  },
  // A swap asked for ("can he swap his Sunday for a weekday?") or a pattern of swaps: both need a clear, fair answer.
  swap: {
    question: 'What would a fair answer look like, for them and for the rest of the {team}?',
    nextStep: 'check the request the way rota changes are normally approved (cover, hours, rest between shifts), then give a clear answer soon: yes, or no with the reason and what you can offer instead. If requests like this keep coming up, agree with the {team} how they get decided from now on.',
  },
  lateness: {
    question: 'What do you think might be behind it?',
    nextStep: 'have a calm, private {conversation}: name the specific dates, ask what is going on, and agree a clear expectation and a date to check in again.',
  },
  hardNews: {
    question: 'What do you most want them to take away from the conversation?',
    nextStep: 'plan the {conversation}: say the decision in the first sentence, give the real reasons, then leave room for their reaction and talk about what comes next for them.',
  },
  conflict: {
    question: 'What outcome would work for both of them?',
    nextStep: 'talk with each person separately to hear their side, then bring them together around one shared goal.',
  },
  general: {
    question: 'What would a good outcome look like for you?',
    nextStep: "before you decide anything, have a short, private {conversation} to hear how they see it and what would help, then agree one small next step and when you'll check in again.",
  },
};

/** Groups of interchangeable workplace words: a tenant's words-to-use are swapped in, words-to-avoid swapped out. */
const VOCABULARY: Record<string, { fallback: string; words: string[] }> = {
  team: { fallback: 'team', words: ['team', 'crew', 'squad', 'staff', 'workforce'] },
  teamMember: { fallback: 'team member', words: ['team member', 'crew member', 'colleague', 'associate', 'partner', 'employee', 'worker', 'staff member', 'subordinate'] },
  hr: { fallback: 'HR', words: ['HR', 'People team', 'People & Culture', 'People and Culture', 'human resources', 'people partner'] },
  conversation: { fallback: 'one-to-one', words: ['one-to-one', '1:1', 'check-in', 'conversation', 'chat', 'talk'] },
  guidance: { fallback: 'guidance', words: ['guidance', 'policy', 'handbook', 'guidelines', 'rules'] },
  situation: { fallback: 'situation', words: ['situation', 'problem', 'issue', 'challenge'] },
};

/** Plain replacements for words a tenant may ban that sit outside the vocabulary groups. */
const PLAIN_REPLACEMENTS: Record<string, string> = {
  must: 'should',
  'deal with': 'handle',
  'calm down': 'take a moment',
  just: '',
  simply: '',
  obviously: '',
  actually: '',
};

export interface OfflineReplyInput {
  system: string;
  lastUserMessage: string;
  /** The coach's earlier replies in this conversation: a follow-up builds on them instead of repeating them. */
  earlierReplies?: string[];
}

/**
 * On a follow-up the coach moves the conversation on: a question or next step it already gave in this
 * conversation gives way to the next one here (in order), and the opener and reflection are not said again.
 */
/** The reply to a message that only acknowledges the previous answer ("Thanks, that helps!"): nothing is cited. */
const ACKNOWLEDGED = "You're welcome. If anything else comes up, or you want to plan what to say, just ask.";
const FOLLOW_UP_OPENER = "Let's take it from there.";
const FOLLOW_UP_QUESTIONS = [
  'What have you already tried, and how did it land?',
  'If this goes well, what will be different a month from now?',
  'What support do you need for this, and from whom?',
];
const FOLLOW_UP_STEPS = [
  'before the next {conversation}, note what was agreed last time and what has happened since, so you start from facts rather than memory.',
  'agree one small, specific change and a date to look at it together again, and write it down so you both have the same record.',
];

/** The first of the candidates not already said in an earlier reply; when all were, they take turns. */
function notYetSaid(candidates: string[], earlier: string[]): string {
  const fresh = candidates.find((c) => !earlier.some((reply) => reply.includes(c)));
  return fresh ?? candidates[earlier.length % candidates.length];
}

export function composeOfflineReply(input: OfflineReplyInput): string {
  const prompt = parseSystemPrompt(input.system);
  const message = input.lastUserMessage;
  const words = vocabularyFor(prompt);
  const language = replyLanguageOf(input.system);
  const local = offlineCoachText(language);
  const checkInFirst = input.system.includes(CHECK_IN_FIRST_NOTE);
  // In another language than English the coaching is written in it (offline-coach-text.ts, ADR 049); the
  // crisis and instruction replies are English, after a notice in the person's language that they are.
  const localised = !CRISIS.test(message) && !INJECTION.test(message) && local !== null;
  const earlier = input.earlierReplies ?? [];
  const draft = CRISIS.test(message)
    ? crisisReply(words)
    : INJECTION.test(message)
      ? injectionReply(words)
      : prompt.acknowledgement
        ? (local?.acknowledged ?? ACKNOWLEDGED)
        : local
        ? localCoachingReply(prompt, message, local, checkInFirst, language, earlier)
        : coachingReply(prompt, message, words, checkInFirst, language, earlier);
  const reply = removeAvoidedWords(draft, prompt.wordsToAvoid, words);
  return localised ? reply : withEnglishOnlyNotice(language, reply);
}

/** An English reply in a turn written in another language starts by saying so, in that language. */
function withEnglishOnlyNotice(language: string | null, reply: string): string {
  const notice = isSupportedLanguage(language) ? supportText(language).englishOnlyCoach : '';
  return notice ? `${notice}\n\n${reply}` : reply;
}

/**
 * The coaching reply in the person's language: the same moves as the English one (the topic and feelings are read
 * from the message's English gloss, as retrieval read it), the same grounding rule, passages quoted as written.
 */
function localCoachingReply(prompt: ParsedSystemPrompt, message: string, text: OfflineCoachText, checkInFirst: boolean, language: string | null, earlier: string[] = []): string {
  const asked = retrievalText(message, isSupportedLanguage(language) ? language : null);
  const topic = detectTopic(asked);
  const who = prompt.hrContact ?? text.hr;
  const tenant = prompt.tenantName ?? text.yourCompany;
  const said = (line: string) => earlier.some((reply) => reply.includes(line));
  // Whose feeling it is, read from the gloss as in English: someone on the team's is reflected, and checked in on, as theirs.
  const felt = feelingIn(asked);
  const reflected = felt?.owner === 'other' ? text.reflectionOther : felt ? text.reflectionFeeling : topic === 'sensitive' ? text.reflectionSensitive : text.reflection;
  const reflection = said(reflected) ? '' : ` ${reflected}`;
  const opening = DANGER.test(asked)
    ? `${text.danger}${reflection}`
    : DISTRESS.test(asked) || checkInFirst
      ? `${felt?.owner === 'other' ? text.checkInOther : text.checkIn}${reflection}`
      : `${earlier.length > 0 ? text.followUp.opener : text.opener}${reflection}`;
  const cited = relevantPassages(prompt, asked).slice(0, MAX_CITED_PASSAGES);
  const grounding =
    cited.length === 0
      ? text.notCovered.replace('{tenant}', tenant).replace('{who}', who)
      : [text.guidanceSays.replace('{tenant}', tenant), ...cited.map((p) => quoteLine(p, asked))].join('\n');
  const move = text.moves[topic];
  const question = notYetSaid([move.question, ...text.followUp.questions], earlier);
  const nextStep = notYetSaid([move.nextStep, ...text.followUp.nextSteps].map((step) => step.replace('{who}', who)), earlier);
  return [opening, grounding, `**${text.questionLabel}** ${question}`, `**${text.nextStepLabel}** ${nextStep}`].join('\n\n');
}

type Vocabulary = Record<keyof typeof VOCABULARY, string>;

function vocabularyFor(prompt: ParsedSystemPrompt): Vocabulary {
  const avoid = prompt.wordsToAvoid.map((w) => w.toLowerCase());
  const preferred = prompt.wordsToUse.map((w) => w.toLowerCase());
  const entries = Object.entries(VOCABULARY).map(([key, group]) => {
    const chosen =
      group.words.find((w) => preferred.includes(w.toLowerCase()) && !containsAvoided(w, avoid)) ??
      [group.fallback, ...group.words].find((w) => !containsAvoided(w, avoid)) ??
      group.fallback;
    return [key, prompt.wordsToUse.find((w) => w.toLowerCase() === chosen.toLowerCase()) ?? chosen];
  });
  return Object.fromEntries(entries) as Vocabulary;
}

function containsAvoided(text: string, avoidLower: string[]): boolean {
  return avoidLower.some((a) => usesAvoidedWord(text, a));
}

function fill(template: string, words: Vocabulary): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, key: string) =>
    key === 'hrContact' ? contactPhrase(words.hr) : (words[key as keyof Vocabulary] ?? placeholder),
  );
}

function crisisReply(words: Vocabulary): string {
  return [
    'Is this happening right now? Are you safe?',
    `If you or anyone else is in immediate danger, please call your local emergency number now. A crisis line can talk with you straight away, and ${contactPhrase(words.hr)} or your employee assistance programme can help too.`,
    "You don't have to carry this alone. I'm here when you're ready to talk it through.",
  ].join('\n\n');
}

function injectionReply(words: Vocabulary): string {
  return fill(
    "I can't share or change my instructions, but I'm glad to help with a {situation} at work. What's going on with your {team}?",
    words,
  );
}

function coachingReply(prompt: ParsedSystemPrompt, message: string, words: Vocabulary, checkInFirst = false, language: string | null = null, earlier: string[] = []): string {
  // A message in another language than the pack's is matched to the passages through its English gloss, as
  // retrieval read it (culture/gloss.ts): the quoted sentence is then the one that answers it.
  const asked = retrievalText(message, isSupportedLanguage(language) ? language : null);
  const topic = detectTopic(asked);
  const move = COACHING[topic];
  const question = notYetSaid([move.question, ...FOLLOW_UP_QUESTIONS].map((q) => fill(q, words)), earlier);
  const nextStep = notYetSaid([move.nextStep, ...FOLLOW_UP_STEPS].map((step) => fill(step, words)), earlier);
  // Templates are filled before passage quotes join them, so quoted text is never rewritten by the template step.
  return [
    fill(openingParagraph(prompt, message, topic, checkInFirst, earlier, words), words),
    groundingParagraph(prompt, asked, words),
    `**A question to consider:** ${question}`,
    `${nextStepLead(prompt.directness)} ${nextStep}`,
  ].join('\n\n');
}

function detectTopic(message: string): Topic {
  return TOPIC_TERMS.find(([, pattern]) => pattern.test(message))?.[0] ?? 'general';
}

function openingParagraph(prompt: ParsedSystemPrompt, message: string, topic: Topic, checkInFirst: boolean, earlier: string[], words: Vocabulary): string {
  const felt = feelingIn(message);
  if (felt?.owner === 'other') {
    // Someone on the team is upset ("she's been crying after every call"): reflect what they are going
    // through and the manager noticing it; ask after them first when the message carries a concern.
    const reflectedOther = `It sounds like ${felt.subject.contraction} having a really hard time, and it's good that you noticed.`;
    const reflection = earlier.some((reply) => reply.includes(reflectedOther)) ? '' : ` ${reflectedOther}`;
    if (DANGER.test(message)) return `Is this happening right now? Are you okay? If anyone is in immediate danger, call your local emergency number first.${reflection}`;
    if (checkInFirst) return `Before anything else: ${felt.subject.be} ${felt.subject.pronoun} safe right now, and how are you doing with it?${reflection}`;
    return `${earlier.length > 0 ? FOLLOW_UP_OPENER : openerFor(prompt.formality)}${reflection}`;
  }
  const feeling = felt?.feeling;
  const reflected = feeling
    ? `It sounds like you're feeling ${feeling}, and that makes sense given what you're dealing with.`
    : topic === 'sensitive'
      ? 'This is a serious {situation}, and it is good that you are thinking it through before acting.'
      : "That sounds like a tricky {situation}, and it's good that you're taking it seriously.";
  // Said once per conversation: a follow-up does not reflect the same thing back again.
  const reflection = earlier.some((reply) => reply.includes(fill(reflected, words))) ? '' : ` ${reflected}`;
  // Danger and distress are checked in on every time they are written, follow-up or not.
  if (DANGER.test(message)) return `Is this happening right now? Are you okay? If anyone is in immediate danger, call your local emergency number first.${reflection}`;
  if (DISTRESS.test(message) || checkInFirst) return `Before anything else: are you okay?${reflection}`;
  return `${earlier.length > 0 ? FOLLOW_UP_OPENER : openerFor(prompt.formality)}${reflection}`;
}

interface Felt {
  feeling: string;
  /** Whose feeling: the manager's own, or someone they are telling about. */
  owner: 'self' | 'other';
  subject: Subject;
}

interface Subject {
  pronoun: 'she' | 'he' | 'they';
  be: 'is' | 'are';
  contraction: string;
}

/** FEELINGS matching every occurrence: the manager's own feeling may come after a colleague's. */
const FEELINGS_EVERYWHERE: Array<[RegExp, string]> = FEELINGS.map(([pattern, feeling]) => [new RegExp(pattern.source, 'gi'), feeling]);

const SHE: Subject = { pronoun: 'she', be: 'is', contraction: "she's" };
const HE: Subject = { pronoun: 'he', be: 'is', contraction: "he's" };
const THEY: Subject = { pronoun: 'they', be: 'are', contraction: "they're" };
const LATER_PRONOUN = /\b(?:(she|she's|shes|her)|(he|he's|hes|him|his))\b/i;

// The last person a sentence names before a feeling word is the one who feels it: "I'm upset because…" is the
// manager, "one of my agents has started crying" or "she's exhausted" someone on the team.
const PERSON_BEFORE =
  /\b(?:(i|im|i'm|ive|i've|i'd|me|myself)|(she|she's|shes|her|herself)|(he|he's|hes|him|himself)|(they|they're|theyre|them|themselves|agents?|associates?|cashiers?|drivers?|pickers?|colleagues?|staff|team ?members?|someone|somebody|everyone|everybody|one of (?:my|our|the) \w+|(?:my|our|a|the) (?:new |whole )?(?:agent|associate|cashier|driver|picker|colleague|team ?member|starter|supervisor|deputy|assistant manager|shift lead|team lead|team|crew|staff|lads|guys|night shift|day shift)))\b/gi;

/** A verb of telling just before "me": "told me", "came to me", "opened up to me". */
const TOLD_BEFORE = /\b(?:told|tells|telling|asked|texted|messaged|rang|called|phoned|showed|came (?:up )?to|confided in|opened up to|said to|admitted to)\s+$/i;

/**
 * The feeling a message carries (the first of FEELINGS found, the manager's own before anyone else's) and who
 * feels it. A feeling with no person before it in its sentence is the writer's ("exhausted after Black Friday").
 */
function feelingIn(message: string): Felt | null {
  let other: Felt | null = null;
  for (const [pattern, feeling] of FEELINGS_EVERYWHERE) {
    for (const match of message.matchAll(pattern)) {
      const sentenceStart = Math.max(message.lastIndexOf('.', match.index), message.lastIndexOf('!', match.index), message.lastIndexOf('?', match.index), message.lastIndexOf('\n', match.index)) + 1;
      const before = message.slice(sentenceStart, match.index);
      let last: RegExpExecArray | null = null;
      PERSON_BEFORE.lastIndex = 0;
      // "she told me, crying, …": the one telling is the one who feels it, not "me" they told.
      for (let m = PERSON_BEFORE.exec(before); m; m = PERSON_BEFORE.exec(before)) if (!(last && /^me$/i.test(m[0]) && TOLD_BEFORE.test(before.slice(0, m.index)))) last = m;
      if (!last || last[1]) return { feeling, owner: 'self', subject: THEY };
      other ??= { feeling, owner: 'other', subject: last[2] ? SHE : last[3] ? HE : subjectNamedAs(last[4], message.slice(sentenceStart + last.index)) };
    }
  }
  return other;
}

/** "one of my agents … she says": a person named by role takes the pronoun the message goes on to use. */
function subjectNamedAs(named: string, rest: string): Subject {
  if (/^(?:they|they're|theyre|them|themselves)$/i.test(named)) return THEY;
  const later = LATER_PRONOUN.exec(rest);
  return later?.[1] ? SHE : later?.[2] ? HE : THEY;
}

function openerFor(formality: string | null): string {
  if (formality === 'formal') return 'Thank you for raising this.';
  if (formality === 'casual') return 'Thanks for sharing this.';
  return 'Thanks for bringing this to me.';
}

function nextStepLead(directness: string | null): string {
  if (directness === 'direct') return '**Next step:**';
  if (directness === 'gentle') return '**One next step you could try:**';
  return '**A concrete next step:**';
}

const MAX_CITED_PASSAGES = 2;
const MAX_QUOTE_WORDS = 40;

function groundingParagraph(prompt: ParsedSystemPrompt, message: string, words: Vocabulary): string {
  const owner = prompt.tenantName ? possessive(prompt.tenantName) : "your company's";
  const cited = relevantPassages(prompt, message).slice(0, MAX_CITED_PASSAGES);
  if (cited.length === 0) {
    // The same rule as the real coach: no passage answers it, so say so, cite nothing, name who to ask.
    const who = prompt.hrContact ?? contactPhrase(words.hr);
    return `${capitalise(owner)} ${words.guidance} does not cover this, so I won't guess at a rule or point you to a policy that doesn't answer it. Please check with ${who} before you act on it.`;
  }
  const quotes = cited.map((p) => quoteLine(p, message));
  return [`Here is what ${owner} ${words.guidance} says:`, ...quotes].join('\n');
}

/**
 * One cited passage: its document, the heading of the section the quote sits under (a passage can
 * hold several sections: a quote from "Alcohol, drugs, and weapons" is not labelled "Social media"),
 * the sentence that best answers the message, and its label.
 */
function quoteLine(p: Passage, message: string): string {
  const quote = bestSentence(p.text, message, p.heading);
  return `- ${p.document}${quote.heading ? ` (${quote.heading})` : ''}: "${quote.text}" [${p.label}]`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** "HR" reads on its own; "People team" needs "your" in front. */
function contactPhrase(hr: string): string {
  return /^[A-Z&]{2,5}$/.test(hr) ? hr : `your ${hr}`;
}

type Passage = ParsedSystemPrompt['passages'][number];

/**
 * Unflagged passages sharing content terms with the message, in prompt order: the prompt lists them
 * best first by retrieval, whose IDF-weighted scoring knows better than a count of shared words
 * which passage answers (a count favours long passages that repeat common words). A passage far
 * weaker in overlap than the best one is left out, so a single shared word does not earn a citation.
 */
function relevantPassages(prompt: ParsedSystemPrompt, message: string): Passage[] {
  // The message's words and the policy's words for them ("burnt out" → wellbeing, stress), as retrieval reads it.
  const queryTerms = new Set(analyzeText(`${message} ${synonymWords(message)}`));
  const scored = prompt.passages
    .filter((p) => !p.flagged)
    .map((p) => ({ p, score: overlap(queryTerms, analyzeText(`${p.document} ${p.heading} ${p.text}`)) }))
    .filter((s) => s.score > 0);
  const best = Math.max(0, ...scored.map((s) => s.score));
  return scored.filter((s) => s.score * 2 >= best).map((s) => s.p);
}

function overlap(queryTerms: Set<string>, terms: string[]): number {
  return new Set(terms.filter((t) => queryTerms.has(t))).size;
}

/** "How many days…", "how much notice…": the manager wants the figure, so a sentence that gives one wins a tie. */
const ASKS_FOR_AMOUNT = /\bhow\s+(?:many|much|long|often|far|soon|early|late)\b/i;

/**
 * The sentence of a passage that best answers the message. Lines are read one by one (a bullet is a sentence of
 * its own) and Markdown emphasis is dropped, so the quote reads as plain words. A heading line is never the quote
 * (it names a topic, it answers nothing), but the words of the section heading a sentence sits under count for
 * half: under "When someone keeps turning up late" the opener that follows answers a lateness question.
 */
function bestSentence(text: string, message: string, heading: string): { text: string; heading: string } {
  const queryTerms = new Set(analyzeText(`${message} ${synonymWords(message)}`));
  const wantsAmount = ASKS_FOR_AMOUNT.test(message);
  const headingLine = plainLine(heading).toLowerCase();
  const sentences: { text: string; section: number; heading: string; intro: boolean }[] = [];
  let section = overlap(queryTerms, analyzeText(heading));
  let sectionHeading = heading;
  // A sentence that ends in a colon introduces the list under it ("For longer absences, such as … pregnancy …:"): it
  // says what the rule is about, the items say the rule. Its words count for half towards its items, like a heading's.
  let introduced = 0;
  for (const raw of text.split(/\n+/)) {
    const line = raw.trim();
    if (/^#{1,6}\s/.test(line) || plainLine(line).toLowerCase() === headingLine) {
      sectionHeading = plainLine(line);
      section = overlap(queryTerms, analyzeText(sectionHeading));
      introduced = 0;
      continue;
    }
    if (!/^[-*+]\s|^\d+[.)]\s/.test(line)) introduced = 0;
    for (const part of line.split(/(?<=[.!?])\s+/)) {
      const sentence = plainLine(part);
      // Instruction-like sentences are never repeated, even from a passage the safety stage did not flag.
      if (sentence.length > 0 && !INJECTION.test(sentence)) sentences.push({ text: sentence, section: section + introduced, heading: sectionHeading, intro: sentence.endsWith(':') });
    }
    if (plainLine(line).endsWith(':')) introduced = overlap(queryTerms, analyzeText(plainLine(line)));
  }
  let best = sentences[0] ?? { text: plainLine(text), heading };
  let bestScore = -1;
  // An introduction is the quote only when nothing else in the passage shares a word with the message.
  const others = sentences.filter((s) => !s.intro);
  const candidates = others.some((s) => overlap(queryTerms, analyzeText(s.text)) + s.section > 0) ? others : sentences;
  for (const sentence of candidates) {
    const score =
      overlap(queryTerms, analyzeText(sentence.text)) + sentence.section / 2 + (wantsAmount && /\d/.test(sentence.text) ? 0.5 : 0);
    if (score > bestScore) [best, bestScore] = [sentence, score];
  }
  const sentenceWords = best.text.replace(/"/g, "'").split(' ');
  const quote = sentenceWords.length > MAX_QUOTE_WORDS ? `${sentenceWords.slice(0, MAX_QUOTE_WORDS).join(' ')}…` : sentenceWords.join(' ');
  return { text: quote, heading: best.heading };
}

/** A line as plain words: no list, number or heading marker, no Markdown emphasis, single spaces. */
function plainLine(line: string): string {
  return line.replace(/^[-*+•#>\s]+/, '').replace(/^\d{1,2}[.)]\s+/, '').replace(/\*\*|__|`/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * Tenant words-to-avoid never reach the reply, not even inside a quote: the word (or its plural) is swapped for an
 * allowed word of the same meaning, or dropped; another inflection ("staffing") is dropped. The letters inside
 * another word are not the word: "estimate" keeps its "mate" (avoided-words.ts).
 */
export function removeAvoidedWords(text: string, wordsToAvoid: string[], words?: Vocabulary): string {
  const avoid = wordsToAvoid.map((w) => w.trim()).filter(Boolean).sort((a, b) => b.length - a.length);
  let out = text;
  for (let pass = 0; pass < 3; pass++) {
    for (const term of avoid) out = out.replace(avoidedWordPattern(term), (match) => replacementFor(match, term, avoid, words));
  }
  return tidy(out);
}


function replacementFor(match: string, term: string, avoid: string[], words?: Vocabulary): string {
  const lower = match.toLowerCase();
  const termLower = term.toLowerCase();
  const plural = lower === `${termLower}s` || lower === `${termLower}es`;
  if (lower !== termLower && !plural) return '';
  const candidates = [...groupAlternatives(termLower, words), PLAIN_REPLACEMENTS[termLower]].filter((c): c is string => c !== undefined);
  const allowed = candidates.find((c) => !containsAvoided(c, avoid.map((a) => a.toLowerCase())));
  if (allowed === undefined) return '';
  const word = plural && allowed.length > 0 ? `${allowed}s` : allowed;
  return /^\p{Lu}/u.test(match) ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

function groupAlternatives(termLower: string, words?: Vocabulary): string[] {
  const group = Object.entries(VOCABULARY).find(([, g]) => g.words.some((w) => w.toLowerCase() === termLower));
  if (!group) return [];
  const [key, { fallback, words: members }] = group;
  return [words?.[key as keyof Vocabulary], fallback, ...members].filter((w): w is string => w !== undefined && w.toLowerCase() !== termLower);
}

function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.;:!?])/g, '$1')
    .replace(/[,;:]+([.!?])/g, '$1')
    .replace(/^ +| +$/gm, '')
    .replace(/\(\s*\)/g, '');
}
