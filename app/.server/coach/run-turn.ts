// One chat turn, end to end (DESIGN.md "One chat turn"). Each stage is its own module; this file
// only sequences them:
//   store the user's message → language of the message → input safety (local classifier now; the
//   safety model, when configured, from here in parallel) → entitlements → retrieve + screen passages
//   → the safety model's opinion (can only raise: a crisis escalates, a concern checks in)
//   → compose prompt → route model, cap temperature → streamWithFallback → output guard
//   → persist answer + lineage + usage events (one unit of work).
// Input safety runs before entitlements on purpose: a person in crisis gets the escalation reply
// (which calls no model) even when the tenant's budget is spent.
// No transaction is open while the model streams. The user's message, the budget hold and the
// answer with its usage are one round trip each (turn-store.ts, entitlements.ts, db/round-trip.ts).
import crypto from 'node:crypto';
import type { LanguageModel } from 'ai';
import { getEnv } from '~/.server/env';
import { budgetHold, checkEntitlements as defaultCheckEntitlements, type EntitlementDecision, type EntitlementRequest } from '~/.server/metering/entitlements';
import { isDatabaseUnavailable } from '~/.server/db/errors';
import { resolveEmbedder } from '~/.server/culture/embed';
import { isAcknowledgement, retrievalQueryOf } from '~/.server/culture/follow-up';
import { prepareSearch, withoutSearchDetails } from '~/.server/culture/retrieve';
import { AllModelsFailedError, capTemperature, policyAllows, routeModel, streamWithFallback, type FallbackStream } from '~/.server/models/router';
import { findCatalogueModel, getLanguageModel, type ModelEnv } from '~/.server/models/providers';
import { companyWords } from '~/.server/privacy/anonymize';
import { redactTurn, type RedactionRecord, type TurnRedaction } from '~/.server/privacy/redact-turn';
import { groundingModelId, type GroundingContext } from './grounding-model';
import { CHECK_IN_FIRST_NOTE, replyLanguageNote } from '~/.server/models/prompt-sections';
import { estimateTokens } from '~/.server/models/tokens';
import { languageForTurn, preloadLanguageDetector, type TurnLanguage } from '~/.server/i18n/language';
import { composeEscalationReply, escalationTemplateVersion, loadLocalisedEscalationTemplate, resourceLines } from '~/.server/safety/escalation';
import { recordSafetyEvent } from '~/.server/safety/events';
import { askSafetyModel, configuredSafetyModel, raiseVerdict, safetyModelTimeoutMs, type SafetyModelOpinion } from '~/.server/safety/safety-model';
import type { UsageEventInput } from '~/.server/metering/usage';
import { refusalReason, refusalReply, safeReplacementReply } from '~/.server/safety/replies';
import type { Tenant } from '~/.server/tenants/tenants';
import type { ChatMessageStatus, Citation } from '~/lib/chat';
import { modelPolicyOf, resourcesForCountry } from '~/lib/culture';
import { DEFAULT_LANGUAGE, LANGUAGE_NAMES } from '~/lib/i18n';
import { OFFLINE_COACH_ID } from '~/lib/models';
import type { OutputVerdict, SafetyCategory, SafetyLevel } from '~/lib/safety';
import { modelLabelFor, supportTitle } from './conversations';
import { loadCoachCulture, resourcesViewFor, type CoachCulture, type PublishedCultureLoader } from './culture-context';
import { AnswerCheckpoint, placeholderStatement } from './answer-checkpoint';
import { holdAndSearch, type HeldAndSearched } from './turn-round-trip';
import { decideInput, questionOf, TurnVerdicts, withoutOverrideInHistory, type InputDecision } from './input-safety';
import { OutputGuard, systemPromptFingerprints } from './output-guard';
import { coverageGapFor } from './coverage-gaps';
import { NO_PASSAGES, PASSAGES_PER_TURN, retrievePassagesForTurn, splitCitationsBySupport, type PassageRetriever, type ScreenedPassages } from './passages';
import { buildContextMessages, composeSystemPrompt, loadPromptFiles, requirePromptFile, type ComposedSystemPrompt, type PromptFile } from './prompt';
import { createTurnStream, type ChatChunk, type TurnStream, type TurnStreamWriter } from './turn-stream';
import { storeAnswer, storeUserMessage, type LineageRecord, type StoredUserTurn } from './turn-store';
import { cpuMark } from '~/.server/cpu-marks';

export { ConversationNotFoundError } from './turn-store';

export interface RunTurnInput {
  tenantId: string;
  userId: string;
  /** Omitted: a new conversation is created. Someone else's id: ConversationNotFoundError. */
  conversationId?: string;
  text: string;
  /** Aborts the turn (the request ended); what was generated is stored as interrupted. */
  signal?: AbortSignal;
  /** ISO country of the person, for crisis lines; the conversation's or tenant's otherwise. */
  country?: string | null;
  /** Retry: answer the latest stored user message again instead of storing a new one. */
  regenerate?: boolean;
}

/** Seams for tests, the CLI and the benchmark; production uses the defaults. */
export interface RunTurnOptions {
  env?: ModelEnv;
  resolveModel?: (modelId: string) => LanguageModel;
  retrieve?: PassageRetriever;
  loadPublishedCulture?: PublishedCultureLoader;
  checkEntitlements?: (request: EntitlementRequest) => Promise<EntitlementDecision>;
  firstTokenTimeoutMs?: number;
  /** How long the safety model may take before the turn goes on without it (RAPPORT_SAFETY_MODEL_TIMEOUT_MS, 1.5 s). */
  safetyModelTimeoutMs?: number;
  /** Evaluation (model comparison): answer with exactly this chat model — no routing, no fallback — so its failures count as its own. */
  chatModel?: string;
}

export interface TurnResult {
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
  reply: string;
  status: ChatMessageStatus;
  modelId: string | null;
  modelLabel: string | null;
  citations: Citation[];
  safety: { level: SafetyLevel; categories: SafetyCategory[] };
  decision: InputDecision['kind'] | 'blocked';
  /** The answer failed the output check and was replaced. */
  replaced: boolean;
  /** Why the coach could not answer (all models failed), for logs; never shown raw. */
  error: string | null;
  /** Whether the tenant's pack covers the question; null when nothing was searched (no pack, crisis, refusal, blocked). */
  covered: boolean | null;
}

export interface TurnHandle {
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
  /** The AI SDK UI message stream as chunks (CLI, tests). Read either this or `sse`, once. */
  readonly stream: ReadableStream<ChatChunk>;
  /** The same stream as the bytes of the SSE response body (see turnStreamResponse). */
  readonly sse: ReadableStream<Uint8Array>;
  /** The SSE text written straight into a sink (the web server's response; turn-stream.ts). */
  attach: TurnStream['attach'];
  /** Settles once the answer, lineage and usage are stored; never rejects. */
  result: Promise<TurnResult>;
}

export const DEFAULT_TEMPERATURE = 0.6;
const MAX_OUTPUT_TOKENS = 1024;
const UNAVAILABLE_MESSAGE = 'The coach could not answer just now. Your message is saved — please try again.';

/**
 * The output guard's fingerprints of the loaded prompt files, worked out once per pair of files (loadPromptFiles keeps
 * the same objects), instead of joining both prompts' text into a cache key every turn (0.007 ms hot, 0.025 ms after
 * 300 ms idle; ADR 054 session 14).
 */
let fingerprintsOf: { safetyRules: PromptFile; persona: PromptFile; lines: string[] } | undefined;

function guardFingerprints(safetyRules: PromptFile, persona: PromptFile): string[] {
  if (fingerprintsOf?.safetyRules !== safetyRules || fingerprintsOf.persona !== persona) {
    fingerprintsOf = { safetyRules, persona, lines: systemPromptFingerprints(safetyRules.text, persona.text) };
  }
  return fingerprintsOf.lines;
}

/** Stores the user's message, then runs the rest of the turn in the background, streaming as it goes. */
export async function runTurn(input: RunTurnInput, options: RunTurnOptions = {}): Promise<TurnHandle> {
  // A first message in distress never becomes the title (the local check is cheap and offline;
  // a level raised later in the turn retitles the conversation when the answer is stored).
  // The turn classifies each text once: this verdict is read again, with context, by the decision.
  const verdicts = new TurnVerdicts();
  const sensitive = distressed(decideInput(input.text, [], verdicts));
  cpuMark('input-classified');
  const [stored] = await Promise.all([
    storeUserMessage({
      tenantId: input.tenantId,
      userId: input.userId,
      conversationId: input.conversationId,
      text: input.text,
      country: input.country,
      regenerate: input.regenerate,
      title: sensitive ? supportTitle(new Date()) : undefined,
    }),
    // Loaded once per process, usually already when the person signed in (language.ts); meanwhile the message is stored.
    preloadLanguageDetector(),
  ]);
  const { tenant, keepText } = stored;
  cpuMark('message-stored');
  const assistantMessageId = crypto.randomUUID();
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(input.signal?.reason);
  if (input.signal?.aborted) onOuterAbort();
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const { turnStream, writer } = createTurnStream(() => abort.abort(new Error('the reader went away')));
  const language = languageForTurn({
    text: input.text,
    previousUserMessages: stored.history.filter((t) => t.role === 'user').map((t) => t.content),
    tenantLanguage: tenant.settings.language,
  });
  const safety: SafetyModelCall = { pending: null, skipped: null, timeoutMs: null, opinion: null, raised: false };
  // Non-local models get placeholders for people's details; the reply is rehydrated as it streams (ADR 021). One
  // redaction for every external call of the turn — the safety model, grounding, the question's embedding (ADR 065)
  // and the chat chain — so they share one numbering and lineage counts each of them (ADR 062 session 13).
  const env = options.env ?? getEnv();
  const redaction = redactTurn({
    enabled: tenant.settings.redactPersonalDetails,
    env,
    resolveModel: options.resolveModel ?? ((id) => getLanguageModel(id, env)),
    country: tenant.country,
    // ADR 062 (session 14): the tenant's own name and slug are company text, never replaced nor counted.
    keep: companyWords(tenant),
    conversation: () => ({
      texts: [...stored.history.map((t) => t.content), input.text],
      authors: [...stored.history.map((t) => (t.role === 'assistant' ? ('coach' as const) : ('person' as const))), 'person' as const],
    }),
  });
  const turn: Turn = { input, options, tenant, keepText, stored, assistantMessageId, signal: abort.signal, writer, startedAt: performance.now(), language, safety, verdicts, redaction };
  cpuMark('language');
  const result = executeTurn(turn).finally(() => {
    input.signal?.removeEventListener('abort', onOuterAbort);
    writer.close();
  });
  return {
    conversationId: stored.conversationId,
    userMessageId: stored.userMessageId,
    assistantMessageId,
    get stream() {
      return turnStream.objects;
    },
    get sse() {
      return turnStream.sse;
    },
    attach: (sink) => turnStream.attach(sink),
    result,
  };
}

interface Turn {
  input: RunTurnInput;
  options: RunTurnOptions;
  tenant: Tenant;
  keepText: boolean;
  stored: StoredUserTurn;
  assistantMessageId: string;
  signal: AbortSignal;
  writer: TurnStreamWriter;
  startedAt: number;
  /** Shown under the answer (message metadata), e.g. why the offline coach answered. */
  notice?: string;
  /** The person's language for this turn: escalation reply, resources panel, coach instructions. */
  language: TurnLanguage;
  /** The safety model's second opinion, running since the local verdict (see startSafetyModel). */
  safety: SafetyModelCall;
  /** The local classifier's verdicts of this turn, one classification per text. */
  verdicts: TurnVerdicts;
  /** Redaction before every external call of the turn, and what lineage records of it. */
  redaction: TurnRedaction;
}

interface SafetyModelCall {
  pending: Promise<SafetyModelOpinion> | null;
  /** Why no call was made, for lineage; null when one was (or no safety model is configured). */
  skipped: string | null;
  timeoutMs: number | null;
  opinion: SafetyModelOpinion | null;
  /** The opinion raised the local level. */
  raised: boolean;
}

/** Said under the answer when the tenant's zero-retention policy leaves no configured model but the offline coach. */
export const ZERO_RETENTION_OFFLINE_NOTICE =
  'Your organisation allows only zero-retention AI providers and none is set up, so the offline coach answered.';

async function executeTurn(turn: Turn): Promise<TurnResult> {
  const { writer, stored } = turn;
  writer.write({ type: 'start', messageId: turn.assistantMessageId, messageMetadata: { conversationId: stored.conversationId } });
  if (stored.createdConversation) writer.write({ type: 'data-title', data: { title: stored.title }, transient: true });
  let decision: InputDecision | null = null;
  try {
    const recent = stored.history.filter((t) => t.role === 'user').map((t) => t.content);
    decision = decideInput(turn.input.text, recent, turn.verdicts, stored.safetyLevel);
    startSafetyModel(turn, decision);
    // The published culture was read with the user's message; a test may supply its own.
    const culture = await loadCoachCulture(turn.tenant, turn.options.loadPublishedCulture ?? (async () => stored.published));
    cpuMark('input-decided');
    // No retrieval to overlap with here: a refusal waits for the safety model (a manipulation
    // attempt can hide a crisis; people first), bounded by its timeout.
    if (decision.kind === 'escalate' || decision.kind === 'refuse') decision = await settleInputSafety(turn, decision);
    if (decision.kind === 'escalate') return await escalate(turn, decision, culture);
    if (decision.kind === 'refuse') return await refuse(turn, decision, culture);
    return await coach(turn, decision, culture);
  } catch (error) {
    return failTurn(turn, decision, error);
  }
}

// ── No model call: crisis escalation and refusals ─────────────────────────────────────────

async function escalate(turn: Turn, decision: InputDecision, culture: CoachCulture, reservationId?: string): Promise<TurnResult> {
  const template = await loadLocalisedEscalationTemplate(turn.language.language);
  const country = turn.input.country ?? turn.stored.country ?? turn.tenant.country;
  const reply = composeEscalationReply({ verdict: decision.verdict, resources: culture.resources, country, template: template.text, language: template.language });
  turn.writer.write({ type: 'data-resources', data: resourcesViewFor(culture.resources, country, template.language) });
  writeWholeText(turn.writer, reply);
  return finishFixedReply(turn, decision, reply, 'escalated', { [template.name]: escalationTemplateVersion(template.text) ?? 'unversioned' }, reservationId);
}

async function refuse(turn: Turn, decision: InputDecision, culture: CoachCulture, reservationId?: string): Promise<TurnResult> {
  const { language } = turn.language;
  // A request to hurt someone gets the tenant's own numbers with its check-in, not only "your local emergency number".
  const supportLines = decision.verdict.categories.includes('harm_to_others')
    ? resourceLines(resourcesForCountry(culture.resources, turn.input.country ?? turn.stored.country ?? turn.tenant.country), culture.resources.eap, language)
    : undefined;
  const reply = refusalReply({ categories: decision.verdict.categories, manyShot: decision.verdict.manyShot, language, supportLines });
  writeWholeText(turn.writer, reply);
  return finishFixedReply(turn, decision, reply, 'complete', {}, reservationId);
}

async function finishFixedReply(
  turn: Turn,
  decision: InputDecision,
  reply: string,
  status: ChatMessageStatus,
  promptVersions: Record<string, string>,
  /** A budget hold taken before the safety model raised the turn to a crisis: released here. */
  reservationId?: string,
): Promise<TurnResult> {
  const level = decision.verdict.level;
  await storeAnswer({
    messageText: distressed(decision) ? turn.input.text : undefined,
    titleFromMessage: turn.stored.titleFromMessage,
    ...turnOwner(turn),
    language: conversationLanguage(turn),
    content: reply,
    keepText: turn.keepText,
    status,
    modelId: null,
    safetyLevel: level,
    lineage: {
      packVersionId: null,
      packVersion: null,
      chunks: [],
      promptVersions,
      modelId: 'none',
      provider: 'template',
      params: { reason: decision.kind === 'escalate' ? 'crisis escalation: no model call' : refusalReason(decision.verdict.categories), ...externalCallsRedaction(turn) },
      fallbacks: [],
      latencyMs: performance.now() - turn.startedAt,
      ttftMs: null,
      safety: { input: inputSafetyRecord(turn, decision) },
    },
    usage: { ...turnOwner(turn), purpose: 'chat', attempts: [], extra: safetyModelUsage(turn), reservationId },
  });
  return finishStream(turn, {
    reply,
    status,
    modelId: null,
    citations: [],
    level,
    categories: decision.verdict.categories,
    decision: decision.kind,
    replaced: false,
    error: null,
  });
}

// ── The coaching path ────────────────────────────────────────────────────────────────────

async function coach(turn: Turn, decision: InputDecision, culture: CoachCulture): Promise<TurnResult> {
  const { tenant, input, stored, options } = turn;
  const env = options.env ?? getEnv();
  const policy = modelPolicyOf(tenant.settings);
  // With an override removed from the message (input-safety.ts), the turn answers the question alone,
  // and no earlier message's override reaches the model either.
  const asked = questionOf(input.text, decision);
  // A follow-up that points back ("Is that paid?") is searched after the message before it (follow-up.ts).
  // The last few user messages: retrievalQueryOf reads on from the last one that is not an acknowledgement.
  const previous = stored.history.filter((t) => t.role === 'user').slice(-3);
  const search = retrievalQueryOf(asked, previous.map((t) => withoutOverrideInHistory(t.content, turn.verdicts)));
  // "Thanks, that helps!", "ok", "merci" ask nothing: no search, no passage, no citation (follow-up.ts).
  const acknowledgement = isAcknowledgement(asked);
  const routed = routeModel({ purpose: 'chat', text: asked, tenantAllowed: { chat: tenant.settings.models.chat }, policy, env });
  // An evaluation pins its model — within the tenant's policy too: a zero-retention-only tenant's turn never calls a
  // model that keeps data, even one an evaluation asked for before the setting was switched on (ADR 062).
  const pinned = options.chatModel && !policyAllows(options.chatModel, env, policy) ? OFFLINE_COACH_ID : options.chatModel;
  const route = pinned
    ? { ...routed, chain: [pinned], reason: pinned === options.chatModel ? `evaluation of ${pinned}` : `evaluation of ${options.chatModel} refused: not zero-retention`, noZeroRetentionModel: undefined }
    : routed;
  if (route.noZeroRetentionModel) turn.notice = ZERO_RETENTION_OFFLINE_NOTICE;
  const history = [
    ...stored.history.map((t) => (t.role === 'user' ? { ...t, content: withoutOverrideInHistory(t.content, turn.verdicts) } : t)),
    { role: 'user' as const, content: asked },
  ];
  const entitlementRequest: EntitlementRequest = {
    tenantId: tenant.id,
    userId: input.userId,
    modelId: route.chain[0],
    estimatedInputTokens: estimateTokens(history.map((t) => t.content).join('\n')) + 1500,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
  };
  // The usual turn: hold, search and the answer's row in one round trip (turn-round-trip.ts).
  const followUp = search.followUp ? asked : undefined;
  const together = acknowledgement ? null : await holdAndSearchTogether(turn, culture, entitlementRequest, search.query, followUp, policy, env);
  cpuMark('search-read');
  const gate = together ? await together.decide() : await (options.checkEntitlements ?? defaultCheckEntitlements)(entitlementRequest);
  cpuMark('budget-decided');
  if (!gate.allow) {
    // People first: a crisis the safety model sees is answered even when the allowance is spent.
    decision = await settleInputSafety(turn, decision);
    if (decision.kind === 'escalate') return escalate(turn, decision, culture);
    if (decision.kind === 'refuse') return refuse(turn, decision, culture);
    return blocked(turn, decision, gate, route.chain[0]);
  }
  // The budget's fallback model obeys the tenant's zero-retention policy like every other model.
  const chain =
    gate.modelId === route.chain[0] ? route.chain : [...new Set([...(policyAllows(gate.modelId, env, policy) ? [gate.modelId] : []), OFFLINE_COACH_ID])];

  // With no published pack there is nothing to retrieve (a supplied retriever is always asked).
  // Only passages above the answerability threshold come back in retrieved.passages (passages.ts).
  // With RAPPORT_GROUNDING_MODEL: the query rewrite and the answerability check (grounding-model.ts).
  const { redaction } = turn;
  const groundingModel = groundingModelId(env, chain, policy);
  const grounding: GroundingContext | undefined = groundingModel
    ? {
        tenantId: tenant.id,
        userId: input.userId,
        conversationId: stored.conversationId,
        modelId: groundingModel,
        env,
        // The turn's redaction: a non-local model gets the chat call's placeholders, and lineage counts what it got.
        model: redaction.resolveModel(groundingModel, 'grounding'),
      }
    : undefined;
  const retrieved = acknowledgement
    ? NO_PASSAGES
    : together
    ? await retrievePassagesForTurn({ tenantId: tenant.id, query: search.query, followUp, policy, language: retrievalLanguage(turn.language) }, async () => withoutSearchDetails(together.search))
    : !options.retrieve && !culture.packVersion
      ? NO_PASSAGES
      : await retrievePassagesForTurn(
          { tenantId: tenant.id, query: search.query, followUp, policy, grounding, language: retrievalLanguage(turn.language), embedder: questionEmbedder(redaction, policy) },
          options.retrieve,
        );
  // The safety model has been running since the local verdict; by now it has usually answered.
  cpuMark('passages-screened');
  decision = await settleInputSafety(turn, decision);
  if (decision.kind === 'escalate') return escalate(turn, decision, culture, gate.reservationId);
  if (decision.kind === 'refuse') return refuse(turn, decision, culture, gate.reservationId);
  if (retrieved.quarantined.length > 0) {
    await recordSafetyEvent({
      tenantId: tenant.id,
      conversationId: stored.conversationId,
      messageId: stored.userMessageId,
      stage: 'retrieval',
      level: 'none',
      categories: ['prompt_injection'],
      ruleIds: [...new Set(retrieved.quarantined.flatMap((p) => p.ruleIds))],
      action: 'passages_quarantined',
      language: turn.language.language,
    });
  }

  const files = loadPromptFiles();
  const safetyRules = requirePromptFile(files, 'safety-rules');
  const persona = requirePromptFile(files, 'persona');
  const composed = composeSystemPrompt({
    safetyRules,
    persona,
    tenant: { name: tenant.name, tone: culture.tone, norms: culture.norms },
    passages: retrieved.passages.map((p) => ({ id: p.chunkId, document: p.document, heading: p.heading, text: p.text, version: p.version ?? '' })),
    flaggedPassageIds: retrieved.flaggedIds,
    turnNotes: [...(decision.kind === 'check-in' ? [CHECK_IN_FIRST_NOTE] : []), ...languageNotes(turn.language)],
    hrContact: hrContactText(culture),
    ...(acknowledgement ? { acknowledgement: true } : {}),
  });
  cpuMark('prompt-composed');
  const model = findCatalogueModel(chain[0]);
  const contextBudget = Math.max(1000, (model?.contextWindow ?? 8192) - estimateTokens(composed.system) - MAX_OUTPUT_TOKENS);
  const context = buildContextMessages(history, { maxTokens: contextBudget });
  const temperature = capTemperature(DEFAULT_TEMPERATURE, tenant.settings.temperatureCap);
  const maxOutputTokens = Math.min(MAX_OUTPUT_TOKENS, model?.maxOutputTokens || MAX_OUTPUT_TOKENS);

  const modelAbort = new AbortController();
  const stopModel = () => modelAbort.abort(turn.signal.reason);
  turn.signal.addEventListener('abort', stopModel, { once: true });
  if (turn.signal.aborted) stopModel();
  const callStartedAt = performance.now();
  let fallback: FallbackStream;
  try {
    fallback = await streamWithFallback({
      chain,
      env,
      resolveModel: redaction.resolveModel,
      system: composed.system,
      messages: context.messages,
      temperature,
      maxOutputTokens,
      abortSignal: modelAbort.signal,
      firstTokenTimeoutMs: options.firstTokenTimeoutMs,
    });
  } catch (error) {
    turn.signal.removeEventListener('abort', stopModel);
    return noAnswer(turn, decision, { error, chain, gate, retrieved, composed, temperature, maxOutputTokens, routeReason: route.reason, callStartedAt, redaction: redaction.record() });
  }

  cpuMark('model-answered');
  const guard = new OutputGuard(guardFingerprints(safetyRules, persona));
  // Only text that passed the output check (what the browser was shown) is checkpointed.
  const checkpoint = new AnswerCheckpoint(turnOwner(turn), { keepText: turn.keepText, modelId: fallback.modelId, placeholderAt: together?.placeholderAt });
  const textId = `text-${turn.assistantMessageId}`;
  turn.writer.write({ type: 'text-start', id: textId });
  let streamError: string | null = null;
  let outputFailure: OutputVerdict | null = null;
  let textSent = false;
  try {
    for await (const delta of fallback.textDeltas()) {
      const step = guard.push(delta);
      if (!step.ok) {
        outputFailure = step.verdict;
        modelAbort.abort(new Error('output check failed'));
        break;
      }
      if (step.release) {
        turn.writer.write({ type: 'text-delta', id: textId, delta: step.release });
        if (!textSent) cpuMark('first-text-sent');
        textSent = true;
        checkpoint.push(step.release);
      }
    }
  } catch (error) {
    streamError = (error as Error).message;
  }
  await checkpoint.stop();
  const completion = await fallback.completion;
  turn.signal.removeEventListener('abort', stopModel);
  if (!outputFailure) {
    const last = guard.finish();
    if (!last.ok) outputFailure = last.verdict;
    else if (last.release) turn.writer.write({ type: 'text-delta', id: textId, delta: last.release });
  }
  turn.writer.write({ type: 'text-end', id: textId });

  const interrupted = !outputFailure && (turn.signal.aborted || streamError !== null || completion.status !== 'complete');
  // The probe copy may lag the copy we streamed when a turn is cut short; keep the longer.
  let reply = completion.text.length >= guard.fullText.length ? completion.text : guard.fullText;
  if (outputFailure) {
    reply = safeReplacementReply({ categories: outputFailure.categories });
    turn.writer.write({ type: 'data-replacement', data: { text: reply } });
    await recordSafetyEvent({
      tenantId: tenant.id,
      conversationId: stored.conversationId,
      messageId: turn.assistantMessageId,
      stage: 'output',
      level: 'none',
      categories: outputFailure.categories,
      ruleIds: outputFailure.ruleIds,
      action: 'replaced',
      language: turn.language.language,
    });
  }
  const status: ChatMessageStatus = interrupted ? 'interrupted' : 'complete';
  // A cited passage that shares nothing with the question does not support the answer: dropped, recorded.
  const cited = splitCitationsBySupport(outputFailure ? [] : citationsUsed(reply, composed, retrieved), search.query, retrievalLanguage(turn.language));
  const citations = cited.kept;
  if (citations.length > 0) turn.writer.write({ type: 'data-citations', data: citations });

  const latencyMs = performance.now() - callStartedAt;
  await storeAnswer({
    messageText: distressed(decision) ? turn.input.text : undefined,
    titleFromMessage: turn.stored.titleFromMessage,
    language: conversationLanguage(turn),
    tenantId: tenant.id,
    userId: input.userId,
    conversationId: stored.conversationId,
    messageId: turn.assistantMessageId,
    content: reply,
    keepText: turn.keepText,
    status,
    modelId: fallback.modelId,
    safetyLevel: decision.verdict.level,
    lineage: {
      ...retrievalLineage(retrieved, citations),
      promptVersions: composed.promptVersions,
      modelId: fallback.modelId,
      provider: findCatalogueModel(fallback.modelId)?.provider ?? 'unknown',
      params: {
        temperature,
        temperatureCap: tenant.settings.temperatureCap,
        maxOutputTokens,
        purpose: route.purpose,
        sensitiveTopics: route.sensitiveTopics,
        route: route.reason,
        chain,
        redaction: redaction.record(),
        ...(policy.zeroRetentionOnly ? { zeroRetentionOnly: true } : {}),
        entitlement: gate.action,
        embeddingModel: retrieved.embeddingModel,
        contextTurns: context.keptTurns,
        summarisedTurns: context.summarisedTurns,
        finishReason: completion.finishReason ?? null,
        ...(streamError || completion.error ? { streamError: streamError ?? completion.error } : {}),
        ...answerabilityLineage(retrieved, cited.dropped),
        ...(acknowledgement ? { retrievalSkipped: 'acknowledgement' } : search.followUp ? { retrievalFollowUp: true } : {}),
      },
      fallbacks: fallback.attempts,
      latencyMs,
      ttftMs: fallback.timeToFirstTokenMs,
      safety: {
        input: inputSafetyRecord(turn, decision),
        output: outputFailure ? { ok: false, ruleIds: outputFailure.ruleIds, categories: outputFailure.categories } : { ok: true, ruleIds: [] },
        ...(retrieved.quarantined.length > 0 ? { quarantinedChunks: retrieved.quarantined.map((p) => p.chunkId) } : {}),
      },
    },
    usage: {
      ...turnOwner(turn),
      purpose: route.purpose === 'chat-sensitive' ? 'chat-sensitive' : 'chat',
      attempts: fallback.attempts,
      answered: { modelId: fallback.modelId, usage: completion.usage, latencyMs, ttftMs: fallback.timeToFirstTokenMs },
      reservationId: gate.reservationId,
      extra: safetyModelUsage(turn),
    },
    coverageGap: retrieved.covered === false && turn.keepText ? coverageGapFor({ tenantId: tenant.id, userId: input.userId, question: asked }) : undefined,
  });
  return finishStream(turn, {
    reply,
    status,
    modelId: fallback.modelId,
    citations,
    level: decision.verdict.level,
    categories: decision.verdict.categories,
    decision: decision.kind,
    replaced: outputFailure !== null,
    error: streamError ?? completion.error ?? null,
    covered: retrieved.covered,
  });
}

/**
 * The budget hold, the pack search and the answer's empty row in one round trip, when nothing in between calls a
 * model: the default hold and retriever, a published pack, the offline query embedder and no grounding model (whose
 * query rewrite must come after the hold). Null: the turn takes the separate steps (also when the round trip failed,
 * so a failed search still leaves the turn without passages, and a failed hold still fails it).
 */
/** The policy's embedder for the turn's question; a cloud one gets people's details as placeholders (ADR 065). */
function questionEmbedder(redaction: ReturnType<typeof redactTurn>, policy: ReturnType<typeof modelPolicyOf>) {
  const embedder = resolveEmbedder(undefined, policy.zeroRetentionOnly ? policy : undefined);
  return redaction.questionEmbedder(embedder) ?? embedder;
}

async function holdAndSearchTogether(
  turn: Turn,
  culture: CoachCulture,
  request: EntitlementRequest,
  asked: string,
  followUp: string | undefined,
  policy: ReturnType<typeof modelPolicyOf>,
  env: ModelEnv,
): Promise<{ decide(): Promise<EntitlementDecision>; search: HeldAndSearched['search']; placeholderAt: number } | null> {
  const { options } = turn;
  if (options.checkEntitlements || options.retrieve || options.loadPublishedCulture || !culture.packVersion || env.RAPPORT_GROUNDING_MODEL?.trim()) return null;
  const embedder = resolveEmbedder(undefined, policy?.zeroRetentionOnly ? policy : undefined);
  if (embedder.provider !== 'offline') return null;
  const search = await prepareSearch({ tenantId: request.tenantId, query: asked, ...(followUp ? { followUp } : {}), k: PASSAGES_PER_TURN, embedder, language: retrievalLanguage(turn.language) });
  cpuMark('search-prepared');
  if ('empty' in search) return null;
  const hold = budgetHold(request);
  try {
    const done = await holdAndSearch({ tenantId: request.tenantId, search, hold, placeholder: placeholderStatement(turnOwner(turn)) });
    return { decide: () => hold.decide(done.hold), search: done.search, placeholderAt: done.placeholderAt };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) console.warn(`[chat] the turn's round trip failed, taking the separate steps: ${(error as Error).message}`);
    return null;
  }
}

async function blocked(turn: Turn, decision: InputDecision, gate: EntitlementDecision, modelId: string): Promise<TurnResult> {
  const reply = gate.message ?? 'Your team has used its coaching allowance for now. Please try again later or ask your administrator.';
  writeWholeText(turn.writer, reply);
  await storeAnswer({
    messageText: distressed(decision) ? turn.input.text : undefined,
    titleFromMessage: turn.stored.titleFromMessage,
    ...turnOwner(turn),
    language: conversationLanguage(turn),
    content: reply,
    keepText: turn.keepText,
    status: 'blocked',
    modelId: null,
    safetyLevel: decision.verdict.level,
    lineage: {
      packVersionId: null,
      packVersion: null,
      chunks: [],
      promptVersions: {},
      modelId,
      provider: findCatalogueModel(modelId)?.provider ?? 'unknown',
      params: { entitlement: gate.action, percentUsed: gate.percentUsed, ...externalCallsRedaction(turn) },
      fallbacks: [],
      latencyMs: performance.now() - turn.startedAt,
      ttftMs: null,
      safety: { input: inputSafetyRecord(turn, decision) },
    },
    usage: {
      ...turnOwner(turn),
      purpose: 'chat',
      attempts: [],
      blockedModelId: modelId,
      extra: safetyModelUsage(turn),
    },
  });
  return finishStream(turn, {
    reply,
    status: 'blocked',
    modelId: null,
    citations: [],
    level: decision.verdict.level,
    categories: decision.verdict.categories,
    decision: 'blocked',
    replaced: false,
    error: null,
  });
}

/**
 * Lineage of a turn that called no chat model: the redaction of the external calls it made all the same (the safety
 * model's), when there were any — counts only.
 */
function externalCallsRedaction(turn: Turn): { redaction?: RedactionRecord } {
  const record = turn.redaction.record();
  return record.calls.length > 0 ? { redaction: record } : {};
}

/** Whose a turn's answer and usage are: the tenant, the person, the conversation, the answer. */
function turnOwner(turn: Turn) {
  return { tenantId: turn.tenant.id, userId: turn.input.userId, conversationId: turn.stored.conversationId, messageId: turn.assistantMessageId };
}

interface NoAnswerContext {
  error: unknown;
  chain: string[];
  gate: EntitlementDecision;
  retrieved: ScreenedPassages;
  composed: ComposedSystemPrompt;
  temperature: number;
  maxOutputTokens: number;
  routeReason: string;
  callStartedAt: number;
  redaction: RedactionRecord;
}

/** Every model failed before a first token, or the person stopped before one arrived. */
async function noAnswer(turn: Turn, decision: InputDecision, ctx: NoAnswerContext): Promise<TurnResult> {
  const attempts = ctx.error instanceof AllModelsFailedError ? ctx.error.attempts : [];
  const stopped = turn.signal.aborted;
  const status: ChatMessageStatus = stopped ? 'interrupted' : 'error';
  const errorText = stopped ? 'stopped before the first token' : (ctx.error as Error).message;
  if (!stopped) turn.writer.write({ type: 'error', errorText: UNAVAILABLE_MESSAGE });
  await storeAnswer({
    messageText: distressed(decision) ? turn.input.text : undefined,
    titleFromMessage: turn.stored.titleFromMessage,
    ...turnOwner(turn),
    language: conversationLanguage(turn),
    content: '',
    keepText: turn.keepText,
    status,
    modelId: null,
    safetyLevel: decision.verdict.level,
    lineage: {
      ...retrievalLineage(ctx.retrieved, []),
      promptVersions: ctx.composed.promptVersions,
      modelId: ctx.chain[ctx.chain.length - 1] ?? 'none',
      provider: 'none',
      params: { temperature: ctx.temperature, maxOutputTokens: ctx.maxOutputTokens, chain: ctx.chain, route: ctx.routeReason, redaction: ctx.redaction, error: errorText },
      fallbacks: attempts,
      latencyMs: performance.now() - ctx.callStartedAt,
      ttftMs: null,
      safety: { input: inputSafetyRecord(turn, decision) },
    },
    // The failed attempts, if any, carry the release of the budget hold; otherwise it is just released.
    usage: {
      ...turnOwner(turn),
      purpose: 'chat',
      attempts,
      reservationId: ctx.gate.reservationId,
      extra: safetyModelUsage(turn),
    },
  });
  return finishStream(turn, {
    reply: '',
    status,
    modelId: null,
    citations: [],
    level: decision.verdict.level,
    categories: decision.verdict.categories,
    decision: decision.kind,
    replaced: false,
    error: errorText,
  });
}

/** Something unexpected (e.g. the database went away mid-turn): tell the person, keep their text. */
async function failTurn(turn: Turn, decision: InputDecision | null, error: unknown): Promise<TurnResult> {
  console.warn(`[chat] turn failed in conversation ${turn.stored.conversationId}: ${(error as Error)?.stack ?? String(error)}`);
  turn.writer.write({ type: 'error', errorText: UNAVAILABLE_MESSAGE });
  return {
    conversationId: turn.stored.conversationId,
    userMessageId: turn.stored.userMessageId,
    assistantMessageId: turn.assistantMessageId,
    reply: '',
    status: 'error',
    modelId: null,
    modelLabel: null,
    citations: [],
    safety: { level: decision?.verdict.level ?? 'none', categories: decision?.verdict.categories ?? [] },
    decision: decision?.kind ?? 'proceed',
    replaced: false,
    error: (error as Error)?.message ?? String(error),
    covered: null,
  };
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────

interface Outcome {
  reply: string;
  status: ChatMessageStatus;
  modelId: string | null;
  citations: Citation[];
  level: SafetyLevel;
  categories: SafetyCategory[];
  decision: TurnResult['decision'];
  replaced: boolean;
  error: string | null;
  covered?: boolean | null;
}

function finishStream(turn: Turn, outcome: Outcome): TurnResult {
  const conversationLevel: SafetyLevel = turn.stored.safetyLevel === 'crisis' || outcome.level === 'crisis' ? 'crisis' : outcome.level === 'concern' || turn.stored.safetyLevel === 'concern' ? 'concern' : 'none';
  const modelLabel = modelLabelFor(outcome.modelId);
  turn.writer.write({
    type: 'message-metadata',
    messageMetadata: {
      conversationId: turn.stored.conversationId,
      modelId: outcome.modelId,
      modelLabel,
      status: outcome.status,
      safetyLevel: outcome.level,
      safetyCategories: outcome.categories,
      conversationSafetyLevel: conversationLevel,
      language: turn.language.language,
      createdAt: new Date().toISOString(),
      ...(turn.notice ? { notice: turn.notice } : {}),
    },
  });
  turn.writer.write({ type: 'finish' });
  return {
    conversationId: turn.stored.conversationId,
    userMessageId: turn.stored.userMessageId,
    assistantMessageId: turn.assistantMessageId,
    reply: outcome.reply,
    status: outcome.status,
    modelId: outcome.modelId,
    modelLabel,
    citations: outcome.citations,
    safety: { level: outcome.level, categories: outcome.categories },
    decision: outcome.decision,
    replaced: outcome.replaced,
    error: outcome.error,
    covered: outcome.covered ?? null,
  };
}

/** Distress or a crisis (not a manipulation attempt): the person's words must not become the title. */
function distressed(decision: InputDecision): boolean {
  return decision.kind === 'escalate' || decision.kind === 'check-in';
}

function writeWholeText(writer: TurnStreamWriter, text: string) {
  const id = `text-${crypto.randomUUID()}`;
  writer.write({ type: 'text-start', id });
  writer.write({ type: 'text-delta', id, delta: text });
  writer.write({ type: 'text-end', id });
}

function inputSafetyRecord(turn: Turn, decision: InputDecision) {
  const { verdict } = decision;
  return {
    level: verdict.level,
    categories: verdict.categories,
    ruleIds: verdict.ruleIds,
    thirdParty: verdict.thirdParty,
    manyShot: verdict.manyShot,
    decision: decision.kind,
    // An override removed from the message before it was answered: how many sentences or clauses (no text).
    ...(decision.overrideRemoved ? { overrideRemoved: { removedSegments: decision.overrideRemoved.removedSegments } } : {}),
    language: turn.language.language,
    languageSource: turn.language.source,
    ...safetyModelRecord(turn),
  };
}

// ── The safety model's second opinion ─────────────────────────────────────────────────────

/** Starts the configured safety model on the message, unless the local verdict is already a crisis. */
function startSafetyModel(turn: Turn, decision: InputDecision) {
  const env = turn.options.env ?? getEnv();
  const modelId = configuredSafetyModel(env, modelPolicyOf(turn.tenant.settings));
  if (!modelId) return;
  if (decision.verdict.level === 'crisis') {
    turn.safety.skipped = 'local classifier already at crisis';
    return;
  }
  turn.safety.timeoutMs = safetyModelTimeoutMs(env, turn.options.safetyModelTimeoutMs);
  turn.safety.pending = askSafetyModel({
    modelId,
    text: turn.input.text,
    env,
    timeoutMs: turn.safety.timeoutMs,
    signal: turn.signal,
    redact: { enabled: turn.tenant.settings.redactPersonalDetails, country: turn.tenant.country, anonymize: (text) => turn.redaction.redactText(text, modelId, 'moderation') },
  });
}

/**
 * The turn's final input decision: the local one, raised by the safety model's opinion if it
 * answered in time — then the one input safety event for the message (levels only, no text).
 */
async function settleInputSafety(turn: Turn, local: InputDecision): Promise<InputDecision> {
  const opinion = turn.safety.pending ? await turn.safety.pending : null;
  turn.safety.pending = null;
  turn.safety.opinion = opinion;
  const verdict = raiseVerdict(local.verdict, opinion);
  turn.safety.raised = verdict.level !== local.verdict.level;
  const decision = verdict === local.verdict ? local : decisionForRaised(local, verdict);
  if (decision.action) {
    await recordSafetyEvent({
      tenantId: turn.tenant.id,
      conversationId: turn.stored.conversationId,
      messageId: turn.stored.userMessageId,
      stage: 'input',
      level: decision.verdict.level,
      categories: decision.verdict.categories,
      ruleIds: decision.verdict.ruleIds,
      action: decision.action,
      language: turn.language.language,
    });
  }
  return decision;
}

/** What the turn does once the safety model raised the verdict (the same order as decideInput, ADR 009). */
function decisionForRaised(local: InputDecision, verdict: InputDecision['verdict']): InputDecision {
  if (verdict.level === 'crisis') return { kind: 'escalate', verdict, action: 'escalated' };
  // A request to hurt someone is refused with a check-in; no chat model answers it.
  if (local.kind === 'refuse' || verdict.categories.includes('harm_to_others')) return { kind: 'refuse', verdict, action: 'refused' };
  const removed = local.overrideRemoved ? { overrideRemoved: local.overrideRemoved } : {};
  if (verdict.level === 'concern') return { kind: 'check-in', verdict, action: 'checked_in', ...removed };
  return { kind: local.kind, verdict, action: verdict.categories.length > 0 ? 'none' : local.action, ...removed };
}

/** Lineage: which safety model, what it said, how long it took, whether it timed out — no text. */
function safetyModelRecord(turn: Turn): { safetyModel?: Record<string, unknown> } {
  const { opinion, skipped } = turn.safety;
  if (skipped) return { safetyModel: { skipped } };
  if (!opinion) return {};
  return {
    safetyModel: {
      modelId: opinion.modelId,
      provider: opinion.provider,
      providerModelId: opinion.providerModelId,
      verdict: opinion.status,
      level: opinion.level,
      categories: opinion.categories,
      hazards: opinion.hazards,
      ...(opinion.scores ? { scores: opinion.scores } : {}),
      latencyMs: Math.round(opinion.latencyMs),
      timeoutMs: turn.safety.timeoutMs,
      timedOut: opinion.timedOut,
      raised: turn.safety.raised,
      ...(opinion.error ? { error: opinion.error } : {}),
    },
  };
}

/** The safety model's call as a usage event of the turn (metered like any model call). */
function safetyModelUsage(turn: Turn): UsageEventInput[] {
  const opinion = turn.safety.opinion;
  if (!opinion) return [];
  return [
    {
      ...turnOwner(turn),
      purpose: 'moderation',
      provider: opinion.provider,
      modelId: opinion.modelId,
      inputTokens: opinion.usage.inputTokens,
      outputTokens: opinion.usage.outputTokens,
      latencyMs: Math.round(opinion.latencyMs),
      ttftMs: null,
      status: opinion.status === 'safe' || opinion.status === 'unsafe' ? 'ok' : 'error',
    },
  ];
}

/** The coach answers in the person's language (the offline coach says it can only coach in English). */
function languageNotes(language: TurnLanguage): string[] {
  if (language.language === DEFAULT_LANGUAGE) return [];
  return [replyLanguageNote(language.language, LANGUAGE_NAMES[language.language].english)];
}

/**
 * The language retrieval reads the message in (culture/gloss.ts): the message's own, or the conversation's
 * for a message too short to tell; not the tenant's or the default (then the message's words decide).
 */
function retrievalLanguage(language: TurnLanguage): TurnLanguage['language'] | null {
  return language.source === 'message' || language.source === 'conversation' ? language.language : null;
}

/** The language kept on the conversation: only one read from this message, not a fallback. */
function conversationLanguage(turn: Turn): string | null {
  return turn.language.source === 'message' ? turn.language.language : null;
}

/** The passages the answer cites by label ([P1]…), in the order it first cites them. */
export function citationsUsed(reply: string, composed: Pick<ComposedSystemPrompt, 'passageLabels'>, retrieved: Pick<ScreenedPassages, 'passages'>): Citation[] {
  const byId = new Map(retrieved.passages.map((p) => [p.chunkId, p]));
  const seen = new Set<string>();
  const citations: Citation[] = [];
  for (const match of reply.matchAll(/\[(P\d+)\]/g)) {
    const label = match[1];
    const chunkId = composed.passageLabels[label];
    const passage = chunkId ? byId.get(chunkId) : undefined;
    if (!passage || seen.has(label)) continue;
    seen.add(label);
    citations.push({ label, chunkId: passage.chunkId, document: passage.document, heading: passage.heading, version: passage.version ?? null, text: passage.text });
  }
  return citations;
}

/** Who the coach points to when the pack does not cover a question: the tenant's HR contact. */
function hrContactText(culture: CoachCulture): string {
  const contact = culture.resources.hrContact;
  const ways = [contact.phone, contact.email].filter(Boolean).join(', ');
  return ways ? `${contact.name} (${ways})` : contact.name;
}

/** Lineage of the answerability decision: covered or not_covered, the evidence, what was held back. */
function answerabilityLineage(retrieved: ScreenedPassages, droppedCitations: Citation[]): Record<string, unknown> {
  if (retrieved.covered === null) return {};
  return {
    answerability: retrieved.covered ? 'covered' : 'not_covered',
    relevance: retrieved.relevance,
    relevanceThreshold: retrieved.threshold,
    belowThreshold: retrieved.belowThreshold,
    ...(retrieved.grounding ? { grounding: retrieved.grounding } : {}),
    ...(retrieved.gloss ? { retrievalGloss: retrieved.gloss } : {}),
    ...(droppedCitations.length > 0 ? { droppedCitations: droppedCitations.map((c) => ({ label: c.label, chunkId: c.chunkId })) } : {}),
  };
}

/** Retrieved chunks with ids and scores (no text): cited ones first, in the order the answer cites them. */
function retrievalLineage(retrieved: ScreenedPassages, citations: Citation[]): Pick<LineageRecord, 'packVersionId' | 'packVersion' | 'chunks'> {
  const used = new Set(citations.map((c) => c.chunkId));
  const labelOf = new Map(citations.map((c) => [c.chunkId, c.label]));
  const order = (chunkId: string) => {
    const index = citations.findIndex((c) => c.chunkId === chunkId);
    return index >= 0 ? index : citations.length;
  };
  const row = (p: ScreenedPassages['passages'][number], quarantined: boolean) => ({
    label: labelOf.get(p.chunkId) ?? null,
    chunkId: p.chunkId,
    score: p.score,
    document: p.document,
    heading: p.heading,
    version: p.version ?? null,
    flagged: p.flagged || quarantined,
    quarantined,
    used: used.has(p.chunkId),
  });
  return {
    packVersionId: retrieved.packVersion?.id ?? null,
    packVersion: retrieved.packVersion?.number ?? null,
    chunks: [...retrieved.passages.map((p) => row(p, false)), ...retrieved.quarantined.map((p) => row(p, true))].sort(
      (a, b) => order(a.chunkId) - order(b.chunkId),
    ),
  };
}
