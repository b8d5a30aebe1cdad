// Stored messages → the UI message shape useChat starts from when a conversation is opened.
import type { ChatUIMessage } from '~/lib/chat';
import type { StoredMessage } from './conversations';

export const TEXT_NOT_KEPT = '_(Text not kept: your organisation stores no conversation text.)_';

export function toChatUIMessages(messages: StoredMessage[], conversationId: string): ChatUIMessage[] {
  return messages.map((m) => {
    const parts: ChatUIMessage['parts'] = [];
    const text = m.content ?? (m.status === 'error' ? '' : TEXT_NOT_KEPT);
    if (text) parts.push({ type: 'text', text, state: 'done' });
    if (m.role === 'assistant' && m.citations.length > 0) parts.push({ type: 'data-citations', data: m.citations });
    return {
      id: m.id,
      role: m.role,
      parts,
      metadata: {
        conversationId,
        modelId: m.modelId,
        modelLabel: m.modelLabel,
        status: m.status,
        rating: m.rating,
        createdAt: m.createdAt.toISOString(),
      },
    };
  });
}
