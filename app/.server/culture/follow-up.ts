// What retrieval reads for a turn in a conversation. A second message often points back to the
// first ("And if he is late again next week, what are the next steps?", "Is that paid?"): read
// alone, its words are all the search has ("next week" found Giving Feedback's "Next week is too
// late for a small thing"). Such a follow-up is searched as the previous message's story followed
// by the new question — the shape of a narrative, which retrieval and the answerability decision
// already read by its asking sentence (ADR 037), so the new question still decides what is asked.
// A message that opens a new topic ("Different question: …") or tells a story of its own is
// searched alone. Measured with `npm run bench -- follow-ups` (ADR 063).

/** Words at most for a message to count as a follow-up: a longer one tells its own story. */
export const FOLLOW_UP_MAX_WORDS = 24;

// Openers that announce a new topic, in the languages the coach supports (cue words, lower case).
const NEW_TOPIC =
  /^(?:(?:ok(?:ay)?|thanks|thank you|cheers|right|also|and|but|so)[,.!]?\s+)*(?:(?:a |one )?(?:different|separate|unrelated|another|other|new|quick|second) (?:question|thing|topic|issue|matter|one)\b|unrelated\b|separately\b|on (?:a|an)(?:other| different) (?:note|topic)|changing (?:the )?(?:subject|topic)|while i have you|otra (?:pregunta|cosa|tema)|cambiando de tema|autre (?:question|chose|sujet)|changement de sujet|andere (?:frage|sache|thema)|anderes thema|outra (?:pergunta|coisa)|mudando de assunto|altra (?:domanda|cosa)|cambiando argomento|inne pytanie|inna sprawa|zmieniając temat|andere vraag|ander onderwerp|iets anders)/iu;

/**
 * The search text for this turn: the message, or the previous user message followed by it. An acknowledgement in
 * between ("Thanks, that helps!") carries no story: the message before it is the one a follow-up reads on from.
 */
export function retrievalQueryOf(text: string, previousUserMessages: readonly string[]): { query: string; followUp: boolean } {
  const previous = [...previousUserMessages].reverse().find((m) => !isAcknowledgement(m))?.trim();
  if (!previous || !isFollowUp(text)) return { query: text, followUp: false };
  return { query: `${previous}\n${text}`, followUp: true };
}

/** A short message that does not open a new topic or tell a story of its own: in a conversation, it reads on from the last one. */
export function isFollowUp(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  const words = trimmed.split(/\s+/u).length;
  if (words > FOLLOW_UP_MAX_WORDS) return false;
  if (NEW_TOPIC.test(trimmed) || tellsItsOwnStory(trimmed)) return false;
  return !looksEnglish(trimmed) || pointsBack(trimmed);
}

// ---------------------------------------------------------------------------------------------
// A short English question brings its own subject more often than not: "Can my team vote on who gets Christmas
// Eve off?", "How long can a driver go before a break?", "Is there a budget for a team pizza?". Read after the
// previous message, such a question lost its passage (the earlier story outweighed it, or a word of its own the
// pack never uses made the new-topic check offer nothing). In English a follow-up shows that it leans on the
// conversation: it opens with a continuation ("And if…", "What about…"), uses a pronoun or a definite person
// ("she", "that", "the guest") that nothing earlier in the message introduces, ends on a word that points back
// ("…then?", "…earlier?"), or asks what the manager should do without naming who ("Should I go straight to a
// PIP?"). Other languages keep the earlier rule (every short message reads on): pro-drop languages leave the
// subject out ("¿Necesita un justificante?"), so a missing subject says nothing there.

/** English function words other languages do not spell the same way: one of them and the message is read by the English rule. */
const ENGLISH_WORDS = new Set('the an are was do does did can could should would will what how who when where why which my our of for with there any it that this she they them their his her him'.split(' '));

function looksEnglish(text: string): boolean {
  if (/[^\x00-\x7F\u2018-\u201D]/u.test(text.replace(/\p{Extended_Pictographic}/gu, ''))) return false;
  return (text.toLowerCase().match(/[a-z']+/g) ?? []).some((w) => ENGLISH_WORDS.has(w));
}

/** An opening that continues the conversation, after any acknowledgement ("ok, and what about…"). */
const CONTINUES = /^(?:(?:ok(?:ay)?|thanks|thank you|cheers|right|great|sure|yes|yeah|no|hmm+)[,.!]?\s+)*(?:and|but|so|or|then|plus|what if|what about|how about|even if|except|unless|any tips|in that case|same (?:question|thing))\b/iu;
/** Pronouns and demonstratives that need someone or something named before them. */
const POINTER = /^(?:he|him|his|himself|she|her|hers|herself|they|them|their|theirs|themselves|it|its|itself|that|this|those|these)$/;
/** Words for people at work, singular or plural ("a seasonal hire", "the guest", "associates"). */
const PERSON_NOUN =
  'guest|customer|caller|agent|associate|colleague|driver|manager|operator|person|employee|worker|picker|packer|cashier|lead|supervisor|guy|lad|girl|woman|man|kid|child|boy|client|visitor|starter|hire|trainee|apprentice|member|parent|student|contractor|temp|seasonal|coworker|co-worker|teammate|team|staff|people|crew|stocker|receiver|nurse|carer|cleaner|chef|cook|waiter|server|barista|courier|rider|technician|engineer|officer';
const PEOPLE = new RegExp(`^(?:${PERSON_NOUN})(?:s|es)?$`);
/** Words that introduce a person or people themselves; "a"/"an"/"one" only before a word for a person. */
const INTRODUCES = /^(?:someone|somebody|anyone|anybody|everyone|everybody|nobody|my|our|every|each)$/;
/** A definite person nothing in the message introduced ("Can I ban the guest?", "What should the agent have done?"). */
const DEFINITE_PERSON = new RegExp(`\\bthe (?:[\\w-]+ )?(?:${PERSON_NOUN})(?:s|es)?\\b`, 'iu');
/** A last word that points back to what was said ("…then?", "…earlier?", "…first"). */
const ENDS_POINTING_BACK = /\b(?:then|instead|earlier|afterwards|again|anyway|too|first|after that|before that|as well|either|both)\W*$/iu;
/** The manager asking what to do, with no one named ("Should I go straight to a PIP?"). */
const ASKS_WHAT_I_DO = /^(?:should|can|could|do|must|shall|may|would|will|am|did) i\b/iu;

function pointsBack(text: string): boolean {
  if (CONTINUES.test(text) || ENDS_POINTING_BACK.test(text)) return true;
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  let introduced = false;
  for (const [i, word] of words.entries()) {
    // "a seasonal hire", "an agent", "one of my cashiers" (my introduces), "associates".
    const article = (word === 'a' || word === 'an' || word === 'one') && words.slice(i + 1, i + 3).some((w) => PEOPLE.test(w));
    if (article || INTRODUCES.test(word) || (PEOPLE.test(word) && words[i - 1] !== 'the' && words[i - 2] !== 'the')) introduced = true;
    else if (POINTER.test(word.replace(/'s$/, '')) && !introduced) return true;
  }
  if (introduced) return false;
  return DEFINITE_PERSON.test(text) || ASKS_WHAT_I_DO.test(text);
}

// The first word of a sentence that points back to the conversation ("She asked me to keep it between us. Can I?"),
// in the coach's languages.
const POINTS_BACK =
  /^(?:she|he|they|it|that|this|those|these|so|and|but|also|then|ella|él|ellos|ellas|eso|esto|y|pero|elle|il|ils|elles|ça|cela|et|mais|sie|er|es|das|und|aber|ela|ele|eles|elas|isso|isto|e|mas|lei|lui|loro|questo|ma|ona|on|oni|one|to|i|ale|zij|ze|hij|het|dat|en|maar)\b/iu;

/**
 * A statement of five words or more followed by more sentences, not opening with a word that points back ("My team
 * lead keeps calling our new hire 'sweetheart'. She hates it. What should I do?"): the message tells its own story and
 * is searched alone. Read after an unrelated previous message, such a story lost the passage that answers it.
 */
function tellsItsOwnStory(text: string): boolean {
  const sentences = text.split(/(?<=[.!?])\s+/u).filter(Boolean);
  if (sentences.length < 2) return false;
  const first = sentences[0];
  return !first.endsWith('?') && first.split(/\s+/u).length >= 5 && !POINTS_BACK.test(first);
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements. "Thanks, that helps!", "ok", "great, cheers", "merci", "gracias" after an answer
// ask nothing: searched as a follow-up they re-cited the previous answer's passages, and read alone
// "thanks" found the recognition policy. Such a message skips retrieval (no passage, no citation,
// lineage `retrievalSkipped: 'acknowledgement'`). A message is one when, with emoji and punctuation
// left out, it is made only of the phrases below and a few fillers ("so", "very", "for that") — and
// has no question mark: "Thanks. Does he need proof?" and "ok, and what about his earrings?" are
// questions. A token test, no tagger and no SQL: it runs before any retrieval.

/** Acknowledgement phrases by language, lower case and without diacritics (foldAcknowledgement). */
const ACKNOWLEDGEMENT_PHRASES = [
  // English
  'thanks', 'thank you', 'thankyou', 'thank u', 'thx', 'thnx', 'ty', 'tysm', 'cheers', 'ta', 'many thanks', 'much appreciated', 'appreciated',
  'appreciate it', 'appreciate that', 'appreciate this', 'appreciate you', 'ok', 'okay', 'okey', 'okie', 'k', 'kk', 'alright', 'all right',
  'great', 'perfect', 'brilliant', 'awesome', 'cool', 'nice', 'lovely', 'fab', 'fantastic', 'excellent', 'super', 'wonderful', 'amazing',
  'good', 'grand', 'champion', 'sounds good', 'sounds great', 'makes sense', 'got it', 'gotcha', 'understood', 'noted', 'will do', 'fair enough',
  'good to know', 'no worries', 'that helps', 'that helped', 'helps', 'helped', 'helpful', 'useful', 'clear', 'that is', "that's", "that's it",
  'it is', "it's", 'i will', "i'll", 'i will do that', "i'll do that", "i'll try that", "i'll try", "i'll give it a go", "i'll give it a try",
  'will try', 'will try that', 'lifesaver', 'legend', 'you are a star', "you're a star", 'you rock', 'top',
  // Spanish
  'gracias', 'muchas gracias', 'mil gracias', 'vale', 'de acuerdo', 'perfecto', 'genial', 'estupendo', 'util', 'me sirve', 'me ayuda',
  'me ayudo', 'entendido', 'listo', 'bueno', 'muy bien', 'que bien', 'te lo agradezco', 'se agradece', 'lo hare', 'claro',
  // French
  'merci', 'merci beaucoup', 'merci bien', 'mille merci', 'mille mercis', "d'accord", 'parfait', 'genial', 'top', 'tres utile',
  'utile', 'ca aide', "ca m'aide", 'compris', 'entendu', "c'est note", 'note', 'bien recu', 'nickel', 'impeccable', "c'est clair", 'je vais faire ca',
  // German
  'danke', 'danke schon', 'danke schoen', 'dankeschon', 'vielen dank', 'besten dank', 'perfekt', 'alles klar', 'gut', 'prima', 'toll', 'klasse',
  'hilfreich', 'das hilft', 'verstanden', 'mache ich', 'mach ich', 'passt', 'sehr gut',
  // Portuguese
  'obrigado', 'obrigada', 'muito obrigado', 'muito obrigada', 'valeu', 'perfeito', 'otimo', 'beleza', 'entendi', 'combinado', 'ajudou', 'legal',
  'ajuda muito',
  // Italian
  'grazie', 'grazie mille', 'perfetto', 'ottimo', 'va bene', 'capito', 'chiaro', 'benissimo', "d'accordo",
  // Polish
  'dzieki', 'dziekuje', 'dziekuje bardzo', 'swietnie', 'jasne', 'rozumiem', 'pomocne', 'dobrze', 'spoko', 'okej',
  // Dutch
  'dank je', 'dank je wel', 'dankjewel', 'dank u', 'dank u wel', 'dankuwel', 'bedankt', 'helder', 'duidelijk', 'handig', 'fijn',
  // Romanian
  'multumesc', 'mersi', 'bine', 'am inteles', 'foarte util',
  // Ukrainian, Tagalog, Vietnamese, Arabic, Chinese, Hindi
  'дякую', 'дуже дякую', 'добре', 'зрозуміло', 'чудово', 'гаразд', 'ок', 'спасибі', 'salamat', 'salamat po', 'sige', 'cam on', 'ok cam on',
  'hieu roi', 'tuyet', 'duoc', 'شكرا', 'شكرا جزيلا', 'تمام', 'حسنا', 'ممتاز', 'فهمت', '谢谢', '多谢', '好的', '明白了', '知道了', '感谢', '太好了',
  'धन्यवाद', 'शुक्रिया', 'ठीक है', 'समझ गया', 'समझ गई', 'बढ़िया',
];

/** Words that may stand between acknowledgement phrases ("thanks so much for that", "very helpful, mate"). */
const ACKNOWLEDGEMENT_FILLERS = new Set(
  'so very really much a lot loads heaps again for that this the your you help all mate guys and oh ah wow yes yeah yep muy mucho por la ayuda tu vraiment beaucoup pour laide votre ton sehr fur die hilfe muito pela ajuda molto per laiuto bardzo za pomoc heel erg voor de hulp foarte po 非常 了'.split(' '),
);

const PHRASES_BY_LENGTH: ReadonlyArray<ReadonlySet<string>> = (() => {
  const byLength: Array<Set<string>> = [];
  for (const phrase of ACKNOWLEDGEMENT_PHRASES) {
    const tokens = tokensOfAcknowledgement(phrase);
    (byLength[tokens.length] ??= new Set()).add(tokens.join(' '));
  }
  return byLength.map((set) => set ?? new Set<string>());
})();
const LONGEST_PHRASE = PHRASES_BY_LENGTH.length - 1;
/** Han-script phrases, matched as a run of characters (no spaces between them). */
const HAN_PHRASES = ACKNOWLEDGEMENT_PHRASES.filter((p) => /\p{Script=Han}/u.test(p)).sort((a, b) => b.length - a.length);

/** Lower case, apostrophes dropped ("that's" → thats), Latin diacritics folded, split on anything that is not a letter or digit. */
function tokensOfAcknowledgement(text: string): string[] {
  const folded = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/(?<=\p{Script=Latin})\p{M}+/gu, '')
    .normalize('NFC')
    .replace(/ł/g, 'l')
    .replace(/ß/g, 'ss')
    .replace(/['’ʼ]/g, '');
  return folded.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** A message that only acknowledges ("Thanks, that helps!", "ok", "merci", "gracias, muy útil"): nothing to retrieve. */
export function isAcknowledgement(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 120 || /[?？؟¿]/u.test(trimmed)) return false;
  const tokens = tokensOfAcknowledgement(trimmed).flatMap((t) => (/\p{Script=Han}/u.test(t) ? hanPieces(t) : [t]));
  // Emoji alone ("👍") acknowledge too.
  if (tokens.length === 0) return /\p{Extended_Pictographic}/u.test(trimmed);
  if (tokens.length > 12) return false;
  let phrases = 0;
  for (let i = 0; i < tokens.length; ) {
    let step = 0;
    for (let n = Math.min(LONGEST_PHRASE, tokens.length - i); n >= 1 && step === 0; n -= 1) {
      if (PHRASES_BY_LENGTH[n]?.has(tokens.slice(i, i + n).join(' '))) step = n;
    }
    if (step > 0) phrases += 1;
    else if (ACKNOWLEDGEMENT_FILLERS.has(tokens[i])) step = 1;
    else return false;
    i += step;
  }
  return phrases > 0;
}

/** A run of Han characters as acknowledgement phrases and fillers, or itself when it is not made of them. */
function hanPieces(run: string): string[] {
  const pieces: string[] = [];
  let rest = run;
  while (rest) {
    const phrase = HAN_PHRASES.find((p) => rest.startsWith(p)) ?? [...ACKNOWLEDGEMENT_FILLERS].find((f) => /\p{Script=Han}/u.test(f) && rest.startsWith(f));
    if (!phrase) return [run];
    pieces.push(phrase);
    rest = rest.slice(phrase.length);
  }
  return pieces;
}
