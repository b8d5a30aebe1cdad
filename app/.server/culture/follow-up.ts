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

/** The search text for this turn: the message, or the previous user message followed by it. */
export function retrievalQueryOf(text: string, previousUserMessages: readonly string[]): { query: string; followUp: boolean } {
  const previous = previousUserMessages.at(-1)?.trim();
  if (!previous || !isFollowUp(text)) return { query: text, followUp: false };
  return { query: `${previous}\n${text}`, followUp: true };
}

/** A short message that does not open a new topic: in a conversation, it reads on from the last one. */
export function isFollowUp(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  const words = trimmed.split(/\s+/u).length;
  if (words > FOLLOW_UP_MAX_WORDS) return false;
  return !NEW_TOPIC.test(trimmed);
}
