// What one chat turn writes: the user's message first (before any model call), then the answer,
// its lineage, the conversation's safety level and the turn's usage in one short unit of work at the end.
// Each function is its own transaction; none is ever held across a model call or a stream.
import type { Tenant } from '~/.server/tenants/tenants';
import type { ChatMessageStatus } from '~/lib/chat';
import { tenantSettingsSchema, type Norm, type SupportResources, type Tone } from '~/lib/culture';
import type { SafetyLevel } from '~/lib/safety';
import { DEFAULT_TITLE, cleanTitle, isUuid, supportTitle, type Owner } from './conversations';
import { isUniqueViolation, retryWhileDatabaseUnavailable } from '~/.server/db/errors';
import { jsonLiteral, literal, tenantRoundTrip, uuidLiteral } from '~/.server/db/round-trip';
import { withTenant } from '~/.server/db/tenant';
import type { ConversationTurn } from './prompt';
import { turnUsageStatements, type TurnUsageInput } from './turn-usage';
import { coverageGapStatement, type CoverageGap } from './coverage-gaps';
import { readTenantSettings } from '~/.server/tenants/settings-read';
import { tenantCipher, type TenantCipher } from '~/.server/privacy/tenant-keys';
import { mergeRedactionRecords, type RedactionRecord } from '~/.server/privacy/redact-turn';

export class ConversationNotFoundError extends Error {
  constructor() {
    super('Conversation not found');
    this.name = 'ConversationNotFoundError';
  }
}

export interface StoredUserTurn {
  conversationId: string;
  /** The stored user message this turn answers. */
  userMessageId: string;
  /** Earlier turns with text, oldest first (the current message excluded). */
  history: ConversationTurn[];
  safetyLevel: SafetyLevel;
  country: string | null;
  title: string;
  /**
   * The title as stored (an envelope, ADR 029) when this turn titled the conversation with the
   * message's words: storeAnswer replaces exactly that title with a support title if the turn is distressed.
   */
  titleFromMessage?: string;
  createdConversation: boolean;
  /** Read in the same unit of work, so a turn costs one transaction before the model call. */
  tenant: Tenant;
  /** False in zero-retention mode: message rows were (and will be) stored without text. */
  keepText: boolean;
  published: PublishedCulture | null;
}

export interface PublishedCulture {
  versionId: string;
  version: number;
  tone: Tone;
  norms: Norm[];
  resources: SupportResources;
}


export interface StoreUserMessageInput extends Owner {
  conversationId?: string;
  text: string;
  country?: string | null;
  /** Retry: answer the latest stored user message again instead of storing a new one. */
  regenerate?: boolean;
  /** The title an untitled conversation takes instead of this message's words (a support title). */
  title?: string;
}

const HISTORY_LIMIT = 40;

/** tenantSettingsSchema's retention default, for settings stored without one (read by chat_begin_turn). */
const DEFAULT_RETENTION_DAYS = tenantSettingsSchema.parse({}).retentionDays;

interface BeginTurnResult {
  notFound?: true;
  tenant: Omit<Tenant, 'settings'> & { settings: unknown };
  published: PublishedCulture | null;
  conversationId: string;
  title: string;
  safetyLevel: SafetyLevel;
  country: string | null;
  created: boolean;
  keepText: boolean;
  userMessageId: string;
  history: HistoryRow[];
}

/**
 * Stores the user's message (creating the conversation if needed) and reads the tenant, its
 * published culture and the history the model needs — one function call (021-chat-turn.sql) in
 * one round trip (db/round-trip.ts), where it used to be five statements in a transaction.
 */
export async function storeUserMessage(input: StoreUserMessageInput): Promise<StoredUserTurn> {
  const { tenantId, userId } = input;
  if (input.conversationId && !isUuid(input.conversationId)) throw new ConversationNotFoundError();
  // Encrypted here, before the database sees them (ADR 029); the digest lets a retry be recognised.
  const cipher = await tenantCipher(tenantId);
  const title = input.title ?? cleanTitle(input.text);
  const [row] = await tenantRoundTrip<{ turn: BeginTurnResult }>(tenantId, [
    `select chat_begin_turn(${uuidLiteral(tenantId)}, ${literal(userId)}, ${uuidLiteral(input.conversationId || null)}, ${literal(cipher.encrypt(input.text))},
       ${literal(cipher.mac(input.text))}, ${literal(cipher.encryptNullable(title))}, ${literal(DEFAULT_TITLE)}, ${literal(input.country ?? null)},
       ${literal(input.regenerate ?? false)}, ${literal(HISTORY_LIMIT)}, ${literal(DEFAULT_RETENTION_DAYS)}) as turn`,
  ]);
  const result = row.turn;
  if (result.notFound) throw new ConversationNotFoundError();
  const stored = [result.title, ...result.history.map((h) => h.content)];
  const reader = stored.some((v) => v && !cipher.hasVersion(Number(v.split('.')[1]))) ? await tenantCipher(tenantId, { values: stored }) : cipher;
  const plainTitle = reader.decryptOrMark(result.title).text ?? DEFAULT_TITLE;
  return {
    conversationId: result.conversationId,
    userMessageId: result.userMessageId,
    history: toTurns(result.history, reader),
    safetyLevel: result.safetyLevel,
    country: result.country ?? null,
    title: plainTitle,
    titleFromMessage: plainTitle === cleanTitle(input.text) ? result.title : undefined,
    createdConversation: result.created,
    tenant: { ...result.tenant, settings: readTenantSettings(result.tenant.settings, result.tenant.id) },
    keepText: result.keepText,
    published: result.published,
  };
}

type HistoryRow = { id: string; role: 'user' | 'assistant'; content: string | null; status: ChatMessageStatus };

/**
 * Only turns with text the model can read; failed, blocked or escalation answers, and text that
 * cannot be decrypted (a damaged row), are left out of the context.
 */
function toTurns(rows: HistoryRow[], cipher: TenantCipher): ConversationTurn[] {
  const turns: ConversationTurn[] = [];
  for (const r of rows) {
    if (r.content === null || !(r.role === 'user' || r.status === 'complete' || r.status === 'interrupted')) continue;
    const { text, unreadable } = cipher.decryptOrMark(r.content);
    if (unreadable || !text || text.trim() === '') continue;
    turns.push({ role: r.role, content: text });
  }
  return turns;
}

export interface LineageRecord {
  packVersionId: string | null;
  packVersion: number | null;
  chunks: Array<{ label: string | null; chunkId: string; score: number; document: string; heading: string; version: number | string | null; flagged: boolean; used: boolean }>;
  promptVersions: Record<string, string>;
  modelId: string;
  provider: string;
  params: Record<string, unknown>;
  fallbacks: unknown[];
  latencyMs: number | null;
  ttftMs: number | null;
  safety: Record<string, unknown>;
}

/** How long a streamed answer waits for an unreachable database before the turn gives up on storing it. */
export const STORE_ANSWER_RETRY_MS = 15_000;

export interface StoreAnswerInput extends Owner {
  conversationId: string;
  /** Chosen when the turn starts, so the browser can rate the answer it is shown. */
  messageId: string;
  content: string;
  keepText: boolean;
  status: ChatMessageStatus;
  modelId: string | null;
  lineage: LineageRecord;
  /** Raised only, never lowered: 'crisis' keeps the resources panel in this conversation. */
  safetyLevel: SafetyLevel;
  /** The turn's usage events and budget release, stored in the same unit of work. */
  usage?: TurnUsageInput;
  /**
   * The person's message of this turn: a conversation titled with its words whose level is raised
   * to concern or crisis by this answer gets a support title instead (conversations.supportTitle).
   */
  messageText?: string;
  /** StoredUserTurn.titleFromMessage: the stored title this turn took from the message's words. */
  titleFromMessage?: string;
  /** A question the pack did not cover: its topic label, for HR's gap report (coverage-gaps.ts). */
  coverageGap?: CoverageGap;
  /** The language the person wrote this turn in, when detected from the message; kept on the conversation. */
  language?: string | null;
}

/**
 * The answer (over its streaming checkpoint, answer-checkpoint.ts, if one was written), its lineage, the conversation's safety level and the turn's usage in one unit of
 * work and one round trip (db/round-trip.ts): on the embedded database an open transaction holds
 * everyone, so the next turn's message waits as little as possible.
 */
export async function storeAnswer(input: StoreAnswerInput): Promise<void> {
  const { tenantId, conversationId, lineage } = input;
  const tenant = uuidLiteral(tenantId);
  const conversation = uuidLiteral(conversationId);
  const level = literal(input.safetyLevel);
  const cipher = await tenantCipher(tenantId);
  // A distressed turn retitles a conversation titled with this message's words (compared as stored: an envelope).
  const retitle = input.messageText !== undefined && input.titleFromMessage ? input.titleFromMessage : null;
  // The answer has been streamed already: if the database is restarting, wait for it (bounded)
  // rather than lose it. One implicit transaction, so a try that failed stored nothing — except
  // when only the commit's reply was lost: the retry then meets the stored lineage row (23505)
  // and the answer, lineage and usage are there exactly once.
  await retryWhileDatabaseUnavailable(async (attempt) => {
    try {
      await tenantRoundTrip(tenantId, [
        `insert into message (tenant_id, id, conversation_id, user_id, role, content, status, model_id)
         values (${tenant}, ${uuidLiteral(input.messageId)}, ${conversation}, ${literal(input.userId)}, 'assistant',
           ${literal(input.keepText ? cipher.encrypt(input.content) : null)}, ${literal(input.status)}, ${literal(input.modelId)})
         on conflict (tenant_id, id) do update set content = excluded.content, status = excluded.status, model_id = excluded.model_id`,
        `insert into message_lineage (tenant_id, message_id, conversation_id, pack_version_id, pack_version, chunks, prompt_versions,
           model_id, provider, params, fallbacks, latency_ms, ttft_ms, safety)
         values (${tenant}, ${uuidLiteral(input.messageId)}, ${conversation}, ${uuidLiteral(lineage.packVersionId)}, ${literal(lineage.packVersion)}::integer,
           ${jsonLiteral(lineage.chunks)}, ${jsonLiteral(lineage.promptVersions)}, ${literal(lineage.modelId)}, ${literal(lineage.provider)},
           ${jsonLiteral(lineage.params)}, ${jsonLiteral(lineage.fallbacks)}, ${literal(roundOrNull(lineage.latencyMs))}::integer,
           ${literal(roundOrNull(lineage.ttftMs))}::integer, ${jsonLiteral(lineage.safety)})`,
        `update conversation set updated_at = now(),
           title = case
             when ${level} in ('concern', 'crisis') and title = ${literal(retitle ?? '')} then ${literal(supportTitle(new Date()))}
             else title end,
           safety_level = case
             when ${level} = 'crisis' or safety_level = 'crisis' then 'crisis'
             when ${level} = 'concern' or safety_level = 'concern' then 'concern'
             else 'none' end,
           language = coalesce(${literal(input.language ?? null)}, language)
         where tenant_id = ${tenant} and id = ${conversation}`,
        ...(input.usage ? turnUsageStatements(input.usage) : []),
        ...(input.coverageGap ? [coverageGapStatement(input.coverageGap)] : []),
      ]);
    } catch (err) {
      if (attempt > 1 && isUniqueViolation(err)) return;
      throw err;
    }
  }, { forMs: STORE_ANSWER_RETRY_MS });
}

function roundOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.max(0, Math.round(value));
}

/**
 * ADR 062 (session 14): an external call made after the turn about its answer — the judge of a shared copy or of an
 * evaluation case — recorded in that answer's lineage like the turn's own calls (counts per type, never the entities).
 * False when the answer has no lineage (deleted since) or the call received nothing redacted.
 */
export async function recordLaterRedaction({ tenantId, messageId, record }: { tenantId: string; messageId: string; record: RedactionRecord }): Promise<boolean> {
  if (!record.calls.length) return false;
  return withTenant(tenantId, async (tx) => {
    const [row] = await tx<{ params: Record<string, unknown> | null }[]>`
      select params from message_lineage where tenant_id = ${tenantId} and message_id = ${messageId} for update`;
    if (!row) return false;
    const params = { ...(row.params ?? {}) };
    params.redaction = mergeRedactionRecords(params.redaction as RedactionRecord | undefined, record);
    await tx`update message_lineage set params = ${tx.json(params as never)} where tenant_id = ${tenantId} and message_id = ${messageId}`;
    return true;
  });
}
