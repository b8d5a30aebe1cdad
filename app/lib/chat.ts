// The chat's shared message shape: the server streams it (AI SDK UI message stream) and the
// browser renders it with useChat. Client-safe: types and small pure helpers only.
import type { UIMessage } from 'ai';
import type { LanguageCode } from './i18n';
import type { SafetyCategory, SafetyLevel } from './safety';

/** The longest message a manager may send; longer is a 413 with a message. */
export const MAX_MESSAGE_CHARS = 4_000;

export type ChatMessageStatus = 'complete' | 'streaming' | 'interrupted' | 'error' | 'blocked' | 'escalated';

/** One culture-pack passage an answer used, shown under it and expandable to its text. */
export interface Citation {
  /** How the answer refers to it, e.g. "P1" in "[P1]". */
  label: string;
  chunkId: string;
  document: string;
  heading: string;
  version: number | string | null;
  /** The passage text; empty when the browser should not get it (e.g. exported lineage). */
  text: string;
}

export interface ResourceLine {
  label: string;
  detail: string;
}

/** What the persistent resources panel shows in a conversation whose safety level is crisis. */
export interface ResourcesView {
  /** The language the panel is shown in (app/lib/i18n.ts); the lines are already in it. */
  language: LanguageCode;
  lines: ResourceLine[];
  supportContactName: string;
}

export interface ChatMessageMetadata {
  conversationId?: string;
  /** Catalogue id and display label of the model that answered ("offline coach" offline). */
  modelId?: string | null;
  modelLabel?: string | null;
  status?: ChatMessageStatus;
  safetyLevel?: SafetyLevel;
  safetyCategories?: SafetyCategory[];
  /** Conversation-wide highest safety level after this turn. */
  conversationSafetyLevel?: SafetyLevel;
  rating?: -1 | 1 | null;
  createdAt?: string;
  /** A line about how this answer was made that the person should know (e.g. why the offline coach answered). */
  notice?: string;
  /** The language this turn was answered in: the chat chrome follows it before the page reloads its data. */
  language?: LanguageCode;
}

export type ChatDataParts = {
  citations: Citation[];
  /** The streamed answer failed the output check: show this instead. */
  replacement: { text: string };
  resources: ResourcesView;
  /** Title the server gave a new conversation. */
  title: { title: string };
};

export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>;

/** Visible text of a message: a safety replacement wins over the streamed text. */
export function visibleText(message: Pick<ChatUIMessage, 'parts'>): string {
  const replacement = message.parts.find((p) => p.type === 'data-replacement');
  if (replacement && replacement.type === 'data-replacement') return replacement.data.text;
  return message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export function citationsOf(message: Pick<ChatUIMessage, 'parts'>): Citation[] {
  const part = message.parts.find((p) => p.type === 'data-citations');
  return part && part.type === 'data-citations' ? part.data : [];
}

/** "[P2]" markers in an answer become "[2]"-style references to its citations list. */
export function citationNumber(citations: Citation[], label: string): number | null {
  const index = citations.findIndex((c) => c.label === label);
  return index >= 0 ? index + 1 : null;
}
