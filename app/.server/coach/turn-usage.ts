// The usage events of one turn: one per model tried (failed attempts as 'error', the answering
// model as 'ok', or 'fallback' when it answered in place of the first), or one 'blocked' event.
// The turn's budget reservation rides on the first event, which releases it.
import type { LanguageModelUsage } from 'ai';
import { releaseReservationStatement, usageEventStatements, type UsageEventInput, type UsagePurpose } from '~/.server/metering/usage';
import type { FallbackAttempt } from '~/.server/models/router';
import { findCatalogueModel } from '~/.server/models/providers';

export interface TurnUsageInput {
  tenantId: string;
  userId: string;
  conversationId: string;
  messageId: string;
  purpose: Extract<UsagePurpose, 'chat' | 'chat-sensitive'>;
  attempts: FallbackAttempt[];
  answered?: { modelId: string; usage: LanguageModelUsage | undefined; latencyMs: number; ttftMs: number };
  /** The model a blocked turn would have called. */
  blockedModelId?: string;
  reservationId?: string;
  /** Other calls the turn made, e.g. the safety model's second opinion, stored in the same unit of work. */
  extra?: UsageEventInput[];
}

/** As SQL text, for the round trip that stores the answer (turn-store.ts), so a turn ends in one. */
export function turnUsageStatements(input: TurnUsageInput): string[] {
  const events = [...turnUsageEvents(input), ...(input.extra ?? [])];
  if (events.length === 0) return input.reservationId ? [releaseReservationStatement(input.tenantId, input.reservationId)] : [];
  events[0].reservationId = input.reservationId ?? null;
  return usageEventStatements(input.tenantId, events);
}

function turnUsageEvents(input: TurnUsageInput): UsageEventInput[] {
  const base = { tenantId: input.tenantId, userId: input.userId, conversationId: input.conversationId, messageId: input.messageId, purpose: input.purpose };
  const events: UsageEventInput[] = input.attempts.map((attempt) => ({
    ...base,
    provider: providerOf(attempt.modelId),
    modelId: attempt.modelId,
    inputTokens: 0,
    outputTokens: 0,
    latencyMs: attempt.elapsedMs,
    ttftMs: null,
    status: 'error',
  }));
  if (input.answered) {
    const usage = input.answered.usage;
    const inputTokens = usage?.inputTokens ?? 0;
    events.push({
      ...base,
      provider: providerOf(input.answered.modelId),
      modelId: input.answered.modelId,
      inputTokens,
      outputTokens: usage?.outputTokens ?? 0,
      cachedInputTokens: Math.min(inputTokens, usage?.inputTokenDetails?.cacheReadTokens ?? 0),
      latencyMs: input.answered.latencyMs,
      ttftMs: input.answered.ttftMs,
      status: input.attempts.length > 0 ? 'fallback' : 'ok',
    });
  }
  if (input.blockedModelId) {
    events.push({ ...base, provider: providerOf(input.blockedModelId), modelId: input.blockedModelId, inputTokens: 0, outputTokens: 0, status: 'blocked' });
  }
  return events;
}

function providerOf(modelId: string): string {
  return findCatalogueModel(modelId)?.provider ?? 'unknown';
}
