// The manager's own conversations: list, read, create, rename, delete, export, rate.
// Every function takes tenantId and userId, and someone else's conversation is simply not found.
import type { Tx } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { OFFLINE_COACH_ID, OFFLINE_COACH_LABEL } from '~/lib/models';
import type { ChatMessageStatus, Citation } from '~/lib/chat';
import type { SafetyLevel } from '~/lib/safety';
import { findCatalogueModel } from '~/.server/models/providers';
import { effectiveStatus } from './answer-checkpoint';
import { citationNumber } from '~/lib/chat';
import { tenantCipher, type TenantCipher } from '~/.server/privacy/tenant-keys';

export const DEFAULT_TITLE = 'New conversation';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export interface Owner {
  tenantId: string;
  userId: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  safetyLevel: SafetyLevel;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  /** Null when the tenant keeps no text, or retention removed it. */
  content: string | null;
  status: ChatMessageStatus;
  modelId: string | null;
  modelLabel: string | null;
  createdAt: Date;
  citations: Citation[];
  rating: -1 | 1 | null;
  comment: string | null;
  /** The stored text could not be decrypted (a damaged row); content holds a notice instead. */
  unreadable?: boolean;
}

export interface ConversationWithMessages extends ConversationSummary {
  country: string | null;
  /** The language the conversation was last held in (ISO 639-1), for the resources panel. */
  language: string | null;
  messages: StoredMessage[];
}

/** The label the UI shows for a model; the offline model is always "offline coach". */
export function modelLabelFor(modelId: string | null): string | null {
  if (!modelId) return null;
  if (modelId === OFFLINE_COACH_ID) return OFFLINE_COACH_LABEL;
  return findCatalogueModel(modelId)?.label ?? modelId;
}

const SUMMARY_COLUMNS = (tx: Tx) =>
  tx`id, title, safety_level as "safetyLevel", created_at as "createdAt", updated_at as "updatedAt"`;

const SEARCH_SCAN_LIMIT = 1000;

/**
 * The person's conversations, newest first. Titles and message text are encrypted at rest (ADR 029),
 * so a search decrypts this person's own titles and messages here, in the server, and matches them
 * (case- and accent-insensitively) — no index of the text exists in the database.
 */
export async function listConversations({ tenantId, userId, search }: Owner & { search?: string }): Promise<ConversationSummary[]> {
  const term = search?.trim();
  const cipher = await tenantCipher(tenantId);
  return withTenant(tenantId, async (tx) => {
    const rows = await tx<ConversationSummary[]>`
      select ${SUMMARY_COLUMNS(tx)} from conversation
      where tenant_id = ${tenantId} and user_id = ${userId}
      order by updated_at desc limit ${term ? SEARCH_SCAN_LIMIT : 200}`;
    const reader = await readerFor(tenantId, cipher, rows.map((r) => r.title), tx);
    const list = rows.map((r) => ({ ...r, title: reader.decryptOrMark(r.title).text ?? DEFAULT_TITLE }));
    if (!term) return list;
    const needle = foldForSearch(term);
    const hits = list.filter((c) => foldForSearch(c.title).includes(needle));
    const rest = list.filter((c) => !hits.includes(c));
    if (rest.length > 0) {
      const messages = await tx<{ conversationId: string; content: string }[]>`
        select conversation_id as "conversationId", content from message
        where tenant_id = ${tenantId} and conversation_id = any(${tx.array(rest.map((c) => c.id))}::uuid[]) and content is not null`;
      const mreader = await readerFor(tenantId, reader, messages.map((m) => m.content), tx);
      const matched = new Set<string>();
      for (const m of messages) {
        if (matched.has(m.conversationId)) continue;
        const { text, unreadable } = mreader.decryptOrMark(m.content);
        if (!unreadable && text && foldForSearch(text).includes(needle)) matched.add(m.conversationId);
      }
      hits.push(...rest.filter((c) => matched.has(c.id)));
    }
    return hits.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, 200);
  });
}

function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The cipher, reloaded (through tx) when a value names a key version it does not hold (rotated elsewhere). */
async function readerFor(tenantId: string, cipher: TenantCipher, values: Array<string | null>, tx: Tx): Promise<TenantCipher> {
  for (const v of values) {
    if (v && v.startsWith('rpe1.') && !cipher.hasVersion(Number(v.split('.')[1]))) return tenantCipher(tenantId, { tx, values });
  }
  return cipher;
}

/** Inside a unit of work: the conversation if this person owns it, else null. */
export async function findOwnConversation(tx: Tx, { tenantId, userId, conversationId }: Owner & { conversationId: string }) {
  if (!isUuid(conversationId)) return null;
  const [row] = await tx<(ConversationSummary & { country: string | null; language: string | null })[]>`
    select ${SUMMARY_COLUMNS(tx)}, country, language from conversation
    where tenant_id = ${tenantId} and id = ${conversationId} and user_id = ${userId}`;
  if (!row) return null;
  const cipher = await tenantCipher(tenantId, { tx, values: [row.title] });
  return { ...row, title: cipher.decryptOrMark(row.title).text ?? DEFAULT_TITLE };
}

export async function getConversation(input: Owner & { conversationId: string }): Promise<ConversationWithMessages | null> {
  return withTenant(input.tenantId, async (tx) => {
    const conversation = await findOwnConversation(tx, input);
    if (!conversation) return null;
    return { ...conversation, messages: await readMessages(tx, input.tenantId, conversation.id, input.userId) };
  });
}

interface MessageRow {
  id: string;
  role: 'user' | 'assistant';
  content: string | null;
  status: ChatMessageStatus;
  modelId: string | null;
  createdAt: Date;
  checkpointAt: Date | null;
  chunks: Array<{ label?: string | null; chunkId: string; document: string; heading: string; version: number | string | null; used?: boolean }> | null;
  rating: -1 | 1 | null;
  comment: string | null;
}

async function readMessages(tx: Tx, tenantId: string, conversationId: string, userId: string): Promise<StoredMessage[]> {
  const rows = await tx<MessageRow[]>`
    select m.id, m.role, m.content, m.status, m.model_id as "modelId", m.created_at as "createdAt",
           m.checkpoint_at as "checkpointAt", l.chunks, f.rating, f.comment
    from message m
    left join message_lineage l on l.tenant_id = m.tenant_id and l.message_id = m.id
    left join message_feedback f on f.tenant_id = m.tenant_id and f.message_id = m.id and f.user_id = ${userId}
    where m.tenant_id = ${tenantId} and m.conversation_id = ${conversationId}
    order by m.created_at, m.role desc`;
  const cipher = await tenantCipher(tenantId, { tx, values: rows.flatMap((r) => [r.content, r.comment]) });
  const chunkIds = [...new Set(rows.flatMap((r) => (r.chunks ?? []).filter((c) => c.used !== false).map((c) => c.chunkId)))].filter(isUuid);
  const texts = new Map<string, string>();
  if (chunkIds.length > 0) {
    const found = await tx<{ id: string; text: string }[]>`
      select id, text from pack_chunk where tenant_id = ${tenantId} and id = any(${tx.array(chunkIds)}::uuid[])`;
    for (const chunk of found) texts.set(chunk.id, chunk.text);
  }
  return rows.map((row) => {
    const { text, unreadable } = cipher.decryptOrMark(row.content);
    return {
    id: row.id,
    role: row.role,
    content: text,
    ...(unreadable ? { unreadable: true } : {}),
    // An answer still 'streaming' whose writer has gone quiet was cut off by a crash.
    status: effectiveStatus(row.status, row.checkpointAt),
    modelId: row.modelId,
    modelLabel: modelLabelFor(row.modelId),
    createdAt: row.createdAt,
    citations: (row.chunks ?? [])
      .filter((c) => c.used !== false)
      .map((c, index) => ({ label: c.label ?? `P${index + 1}`, chunkId: c.chunkId, document: c.document, heading: c.heading, version: c.version ?? null, text: texts.get(c.chunkId) ?? '' })),
    rating: row.rating === null ? null : (Number(row.rating) as -1 | 1),
    comment: cipher.decryptOrMark(row.comment).text,
    };
  });
}

export async function createConversation({ tenantId, userId, title, country }: Owner & { title?: string; country?: string | null }) {
  const clean = cleanTitle(title);
  const cipher = await tenantCipher(tenantId);
  return withTenant(tenantId, async (tx) => {
    const [row] = await tx<ConversationSummary[]>`
      insert into conversation (tenant_id, user_id, title, country)
      values (${tenantId}, ${userId}, ${clean ? cipher.encrypt(clean) : DEFAULT_TITLE}, ${country ?? null})
      returning ${SUMMARY_COLUMNS(tx)}`;
    return { ...row, title: clean ?? DEFAULT_TITLE };
  });
}

export function cleanTitle(title: string | undefined | null): string | null {
  const flat = (title ?? '').replace(/\s+/g, ' ').trim();
  if (!flat) return null;
  if (flat.length <= 80) return flat;
  // Cut at a word boundary (a single overlong word is cut where it must be).
  const head = flat.slice(0, 78);
  const space = head.lastIndexOf(' ');
  return `${(space >= 40 ? head.slice(0, space) : head.slice(0, 77)).replace(/[\s,;:.\-–—]+$/, '')}…`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The title of a conversation that began with distress or a crisis: never the person's words,
 * which would otherwise sit in the sidebar and the browser history of a possibly shared device.
 */
export function supportTitle(at: Date): string {
  return `Support conversation · ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}`;
}

export async function renameConversation({ tenantId, userId, conversationId, title }: Owner & { conversationId: string; title: string }): Promise<boolean> {
  const clean = cleanTitle(title);
  if (!clean || !isUuid(conversationId)) return false;
  const stored = (await tenantCipher(tenantId)).encrypt(clean);
  return withTenant(tenantId, async (tx) => {
    const result = await tx`
      update conversation set title = ${stored}, updated_at = now()
      where tenant_id = ${tenantId} and id = ${conversationId} and user_id = ${userId}`;
    return result.count > 0;
  });
}

/** Deletes the conversation with its messages and ratings; lineage (ids and numbers only) goes too. */
export async function deleteConversation({ tenantId, userId, conversationId }: Owner & { conversationId: string }): Promise<boolean> {
  if (!isUuid(conversationId)) return false;
  return withTenant(tenantId, async (tx) => {
    const own = await findOwnConversation(tx, { tenantId, userId, conversationId });
    if (!own) return false;
    await tx`delete from message_feedback where tenant_id = ${tenantId} and message_id in (
      select id from message where tenant_id = ${tenantId} and conversation_id = ${conversationId})`;
    await tx`delete from message_lineage where tenant_id = ${tenantId} and conversation_id = ${conversationId}`;
    await tx`delete from conversation where tenant_id = ${tenantId} and id = ${conversationId} and user_id = ${userId}`;
    return true;
  });
}

export type RateResult = 'ok' | 'not_found';

/** Thumbs up/down (and an optional comment) on one of the person's own assistant messages. */
export async function rateMessage({
  tenantId,
  userId,
  messageId,
  rating,
  comment,
}: Owner & { messageId: string; rating: -1 | 1; comment?: string | null }): Promise<RateResult> {
  if (!isUuid(messageId)) return 'not_found';
  const text = comment?.trim() ? comment.trim().slice(0, 1000) : null;
  const stored = (await tenantCipher(tenantId)).encryptNullable(text);
  return withTenant(tenantId, async (tx) => {
    const [own] = await tx`
      select 1 from message m join conversation c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
      where m.tenant_id = ${tenantId} and m.id = ${messageId} and m.role = 'assistant' and c.user_id = ${userId}`;
    if (!own) return 'not_found';
    await tx`
      insert into message_feedback (tenant_id, message_id, user_id, rating, comment)
      values (${tenantId}, ${messageId}, ${userId}, ${rating}, ${stored})
      on conflict (tenant_id, message_id, user_id) do update set rating = excluded.rating, comment = excluded.comment, created_at = now()`;
    return 'ok';
  });
}

export type ExportFormat = 'json' | 'markdown';

/** Everything the person said and was told, in their own conversations only. */
export async function exportConversations({ tenantId, userId, format }: Owner & { format: ExportFormat }): Promise<string> {
  const conversations = await withTenant(tenantId, async (tx) => {
    const list = await tx<(ConversationSummary & { country: string | null; language: string | null })[]>`
      select ${SUMMARY_COLUMNS(tx)}, country, language from conversation
      where tenant_id = ${tenantId} and user_id = ${userId} order by created_at`;
    const cipher = await tenantCipher(tenantId, { tx, values: list.map((c) => c.title) });
    const out: ConversationWithMessages[] = [];
    for (const row of list) {
      const conversation = { ...row, title: cipher.decryptOrMark(row.title).text ?? DEFAULT_TITLE };
      out.push({ ...conversation, messages: await readMessages(tx, tenantId, conversation.id, userId) });
    }
    return out;
  });
  return format === 'json' ? exportJson(conversations) : exportMarkdown(conversations);
}

function exportJson(conversations: ConversationWithMessages[]): string {
  const data = conversations.map((c) => ({
    id: c.id,
    title: c.title,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    messages: c.messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      status: m.status,
      model: m.modelLabel,
      createdAt: m.createdAt.toISOString(),
      citations: m.citations.map(({ document, heading, version }) => ({ document, heading, version })),
      rating: m.rating,
      comment: m.comment,
    })),
  }));
  return `${JSON.stringify({ exportedAt: new Date().toISOString(), conversations: data }, null, 2)}\n`;
}

function exportMarkdown(conversations: ConversationWithMessages[]): string {
  const lines = ['# My conversations with the coach', '', `Exported ${new Date().toISOString()}`, ''];
  for (const c of conversations) {
    lines.push(`## ${c.title}`, '', `Started ${c.createdAt.toISOString()}`, '');
    for (const m of c.messages) {
      const who = m.role === 'user' ? '**You**' : `**Coach**${m.modelLabel ? ` (${m.modelLabel})` : ''}`;
      const status = m.status === 'complete' ? '' : ` _(${m.status})_`;
      // Numbered like the chat shows them: "[P4]" in the answer is "[2]" when P4 is its second source.
      const content = m.content?.replace(/\[(P\d+)\]/g, (_marker, label: string) => {
        const n = citationNumber(m.citations, label);
        return n ? `[${n}]` : '';
      });
      lines.push(`${who}${status}:`, '', content ?? '_(text not kept)_', '');
      m.citations.forEach((cite, i) =>
        lines.push(`> [${i + 1}] Source: ${cite.document}${cite.heading && cite.heading !== cite.document ? ` — ${cite.heading}` : ''} (version ${cite.version ?? '?'})`),
      );
      if (m.citations.length > 0) lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
