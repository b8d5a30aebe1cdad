// What one chat turn writes: the user's message first (before any model call), then the answer,
// its lineage and the conversation's safety level in one short unit of work at the end.
// Each function is its own transaction; none is ever held across a model call or a stream.
import { withTenant } from '~/.server/db/tenant';
import type { Tenant } from '~/.server/tenants/tenants';
import type { ChatMessageStatus } from '~/lib/chat';
import { tenantSettingsSchema, type Norm, type SupportResources, type Tone } from '~/lib/culture';
import type { SafetyLevel } from '~/lib/safety';
import { DEFAULT_TITLE, cleanTitle, findOwnConversation, type Owner } from './conversations';
import type { ConversationTurn } from './prompt';

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

type TenantAndCultureRow = Omit<Tenant, 'settings'> & { settings: unknown; versionId: string | null; version: number | null; tone: Tone | null; norms: Norm[] | null; resources: SupportResources | null };

export interface StoreUserMessageInput extends Owner {
  conversationId?: string;
  text: string;
  country?: string | null;
  /** Retry: answer the latest stored user message again instead of storing a new one. */
  regenerate?: boolean;
}

const HISTORY_LIMIT = 40;

/** Stores the user's message (creating the conversation if needed) and reads the history the model needs. */
export async function storeUserMessage(input: StoreUserMessageInput): Promise<StoredUserTurn> {
  const { tenantId, userId } = input;
  return withTenant(tenantId, async (tx) => {
    const [row] = await tx<TenantAndCultureRow[]>`
      select t.id, t.slug, t.name, t.industry, t.country, t.settings,
             v.id as "versionId", v.number as version, v.tone, v.norms, v.resources
      from tenants t
      left join culture_pack p on p.tenant_id = t.id
      left join pack_version v on v.tenant_id = p.tenant_id and v.id = p.published_version_id
      where t.id = ${tenantId}`;
    if (!row) throw new Error(`tenant ${tenantId} not found`);
    const tenant: Tenant = { id: row.id, slug: row.slug, name: row.name, industry: row.industry, country: row.country, settings: tenantSettingsSchema.parse(row.settings ?? {}) };
    const published: PublishedCulture | null =
      row.versionId && row.version !== null && row.tone && row.resources
        ? { versionId: row.versionId, version: row.version, tone: row.tone, norms: row.norms ?? [], resources: row.resources }
        : null;
    const keepText = tenant.settings.retentionDays > 0;
    let conversation = input.conversationId ? await findOwnConversation(tx, { tenantId, userId, conversationId: input.conversationId }) : null;
    if (input.conversationId && !conversation) throw new ConversationNotFoundError();
    let created = false;
    if (!conversation) {
      const title = keepText ? (cleanTitle(input.text) ?? DEFAULT_TITLE) : DEFAULT_TITLE;
      [conversation] = await tx<NonNullable<typeof conversation>[]>`
        insert into conversation (tenant_id, user_id, title, country) values (${tenantId}, ${userId}, ${title}, ${input.country ?? null})
        returning id, title, safety_level as "safetyLevel", created_at as "createdAt", updated_at as "updatedAt", country`;
      created = true;
    } else if (conversation.title === DEFAULT_TITLE && keepText) {
      conversation = { ...conversation, title: cleanTitle(input.text) ?? DEFAULT_TITLE };
    }
    const conversationId = conversation.id;
    const rows: HistoryRow[] = await tx<HistoryRow[]>`
      select id, role, content, status from (
        select id, role, content, status, created_at from message
        where tenant_id = ${tenantId} and conversation_id = ${conversationId}
        order by created_at desc, role asc limit ${HISTORY_LIMIT}) recent
      order by created_at, role desc`;
    let userMessageId: string | undefined;
    let earlier = rows;
    if (input.regenerate) {
      const lastUser = rows.map((r) => r.role).lastIndexOf('user');
      // A retry of a message that never reached us (the network failed) is stored as new.
      const same = lastUser >= 0 && (rows[lastUser].content === null || rows[lastUser].content === input.text);
      if (same) {
        userMessageId = rows[lastUser].id;
        // The answers being retried are replaced by the new one.
        const stale = rows.slice(lastUser + 1).map((r) => r.id);
        if (stale.length > 0) await tx`delete from message where tenant_id = ${tenantId} and id = any(${tx.array(stale)}::uuid[])`;
        earlier = rows.slice(0, lastUser);
      }
    }
    if (!userMessageId) {
      const [row] = await tx<{ id: string }[]>`
        insert into message (tenant_id, conversation_id, user_id, role, content, status)
        values (${tenantId}, ${conversationId}, ${userId}, 'user', ${keepText ? input.text : null}, 'complete')
        returning id`;
      userMessageId = row.id;
    }
    if (!created) await tx`update conversation set updated_at = now(), title = ${conversation.title} where tenant_id = ${tenantId} and id = ${conversationId}`;
    return {
      conversationId,
      userMessageId,
      history: toTurns(earlier),
      safetyLevel: conversation.safetyLevel,
      country: conversation.country ?? null,
      title: conversation.title,
      createdConversation: created,
      tenant,
      keepText,
      published,
    };
  });
}

type HistoryRow = { id: string; role: 'user' | 'assistant'; content: string | null; status: ChatMessageStatus };

/** Only turns with text the model can read; failed, blocked or escalation answers are left out of the context. */
function toTurns(rows: HistoryRow[]): ConversationTurn[] {
  return rows
    .filter((r) => r.content !== null && r.content.trim() !== '' && (r.role === 'user' || r.status === 'complete' || r.status === 'interrupted'))
    .map((r) => ({ role: r.role, content: r.content as string }));
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
}

export async function storeAnswer(input: StoreAnswerInput): Promise<void> {
  const { tenantId, conversationId, lineage } = input;
  return withTenant(tenantId, async (tx) => {
    const row = { id: input.messageId };
    await tx`
      insert into message (tenant_id, id, conversation_id, user_id, role, content, status, model_id)
      values (${tenantId}, ${row.id}, ${conversationId}, ${input.userId}, 'assistant', ${input.keepText ? input.content : null}, ${input.status}, ${input.modelId})`;
    await tx`
      insert into message_lineage (tenant_id, message_id, conversation_id, pack_version_id, pack_version, chunks, prompt_versions,
        model_id, provider, params, fallbacks, latency_ms, ttft_ms, safety)
      values (${tenantId}, ${row.id}, ${conversationId}, ${lineage.packVersionId}, ${lineage.packVersion}, ${tx.json(lineage.chunks as never)},
        ${tx.json(lineage.promptVersions)}, ${lineage.modelId}, ${lineage.provider}, ${tx.json(lineage.params as never)},
        ${tx.json(lineage.fallbacks as never)}, ${roundOrNull(lineage.latencyMs)}, ${roundOrNull(lineage.ttftMs)}, ${tx.json(lineage.safety as never)})`;
    await tx`
      update conversation set updated_at = now(),
        safety_level = case
          when ${input.safetyLevel} = 'crisis' or safety_level = 'crisis' then 'crisis'
          when ${input.safetyLevel} = 'concern' or safety_level = 'concern' then 'concern'
          else 'none' end
      where tenant_id = ${tenantId} and id = ${conversationId}`;
  });
}

function roundOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.max(0, Math.round(value));
}
