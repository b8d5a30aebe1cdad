// A follow-up question ("And if she is late again next week, what are the next steps?", "Does he need to show us
// anything for it?") names nothing of its own: what it asks about is in the person's previous message. Retrieval
// then searches the previous message as the story and the follow-up as the question; a message that names a topic of
// its own, or says it changes the subject ("Also, …", "Different question: …"), is searched alone.
import { topicNounsOf } from './answerability';

/** A follow-up longer than this is read as a message of its own. */
const MAX_FOLLOW_UP_WORDS = 25;

/** Openers that change the subject: the message is a new question, whatever its pronouns. */
const NEW_TOPIC = /(?:^|[.!?:]\s+)(?:also|another (?:thing|question)|separately|on another note|different (?:question|topic)|new question|unrelated|one more thing|by the way|btw|changing (?:the )?subject)\b/i;

/** Openers that continue what was said: "And if …", "What if …", "But what about …", "So …". */
const CONTINUES = /^\s*(?:and|but|so|then|or|what if|what about|how about|if)\b/i;

/** A pronoun that stands for something said before. */
const POINTS_BACK = /\b(?:it|this|that|these|those|them)\b/i;

/**
 * Whether a message continues the previous one: short, not changing the subject, and either opening by continuing it,
 * pointing back at it with at most one topic noun of its own, or naming no topic at all.
 */
export function continuesPrevious(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > MAX_FOLLOW_UP_WORDS) return false;
  if (NEW_TOPIC.test(text)) return false;
  const topics = topicNounsOf(text).size;
  if (CONTINUES.test(text)) return topics <= 2;
  if (POINTS_BACK.test(text)) return topics <= 1;
  return topics === 0;
}

/**
 * The previous user message a follow-up is searched with (retrieve.ts: SearchOptions.previous), or undefined when the
 * message is searched alone.
 */
export function followUpStoryOf(text: string, previousUserMessage: string | undefined): string | undefined {
  if (!previousUserMessage?.trim() || !continuesPrevious(text)) return undefined;
  return previousUserMessage.trim();
}
