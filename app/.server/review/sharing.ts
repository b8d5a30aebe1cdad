// A manager shares one exchange (their message, the coach's answer and the passages it was given) to
// improve the coach. The copy is anonymized before it is stored (app/.server/privacy), never carries
// the manager's name, and is the manager's to withdraw: withdrawing deletes it with everything made from
// it (annotations, the judge's scores, an evaluation case). Audit entries say what happened, not who
// shared — employers must not learn who shared what.
import type { Tx } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';
import { Anonymizer, companyWords, type EntityCounts } from '~/.server/privacy/anonymize';
import { isUuid } from '~/.server/coach/conversations';
import { readTenantSettings } from '~/.server/tenants/settings-read';
import { tenantCipher } from '~/.server/privacy/tenant-keys';

export interface SharedPassage {
  label: string;
  /** The document's title as cited, and its file name (what evaluation cases name). */
  document: string;
  documentName: string | null;
  heading: string;
  version: number | null;
  text: string;
}

export interface SharedLineage {
  packVersion: number | null;
  promptVersions: Record<string, string>;
  modelId: string | null;
  provider: string | null;
  safetyLevel: string | null;
}

export interface SharedCopy {
  userText: string;
  replyText: string;
  passages: SharedPassage[];
  lineage: SharedLineage;
  entityCounts: EntityCounts;
}

export type SharingAvailability = { available: true } | { available: false; reason: string };

export const SHARING_OFF_REASONS = {
  disabled: 'Your organisation has turned off sharing for review.',
  zeroRetention: 'Your organisation keeps no conversation text, so exchanges cannot be shared.',
} as const;

/** Whether this tenant's managers may share: review on, and text is kept at all. */
export function sharingAvailability(settings: unknown): SharingAvailability {
  const s = readTenantSettings(settings);
  if (s.retentionDays === 0) return { available: false, reason: SHARING_OFF_REASONS.zeroRetention };
  if (!s.review.enabled) return { available: false, reason: SHARING_OFF_REASONS.disabled };
  return { available: true };
}

export class ShareError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'unavailable' | 'no_text',
  ) {
    super(message);
  }
}

interface SourceRow {
  id: string;
  conversationId: string;
  content: string | null;
  status: string;
  createdAt: Date;
  userText: string | null;
  packVersion: number | null;
  promptVersions: Record<string, string> | null;
  modelId: string | null;
  provider: string | null;
  chunks: Array<{ label?: string | null; chunkId: string; document: string; heading: string; version?: number | string | null; used?: boolean }> | null;
  safety: { input?: { level?: string } } | null;
}

/** Reads the exchange ending in this answer, if it is this manager's, and anonymizes it. */
async function buildSharedCopy(tx: Tx, { tenantId, userId, messageId }: { tenantId: string; userId: string; messageId: string }): Promise<SharedCopy> {
  const [tenant] = await tx<{ country: string; settings: unknown; name: string; slug: string }[]>`
    select country, settings, name, slug from tenants where id = ${tenantId}`;
  const availability = sharingAvailability(tenant?.settings);
  if (!availability.available) throw new ShareError(availability.reason, 'unavailable');
  if (!isUuid(messageId)) throw new ShareError('That answer was not found.', 'not_found');
  const [row] = await tx<SourceRow[]>`
    select m.id, m.conversation_id as "conversationId", m.content, m.status, m.created_at as "createdAt",
           (select u.content from message u
             where u.tenant_id = m.tenant_id and u.conversation_id = m.conversation_id and u.role = 'user'
               and u.created_at <= m.created_at
             order by u.created_at desc limit 1) as "userText",
           l.pack_version as "packVersion", l.prompt_versions as "promptVersions", l.model_id as "modelId",
           l.provider, l.chunks, l.safety
    from message m
    join conversation c on c.tenant_id = m.tenant_id and c.id = m.conversation_id and c.user_id = ${userId}
    left join message_lineage l on l.tenant_id = m.tenant_id and l.message_id = m.id
    where m.tenant_id = ${tenantId} and m.id = ${messageId} and m.role = 'assistant'`;
  if (!row) throw new ShareError('That answer was not found.', 'not_found');
  // Message text is encrypted at rest (ADR 029); a damaged row has nothing to share.
  const cipher = await tenantCipher(tenantId, { tx, values: [row.content, row.userText] });
  const content = cipher.decryptOrMark(row.content);
  const asked = cipher.decryptOrMark(row.userText);
  row.content = content.unreadable ? null : content.text;
  row.userText = asked.unreadable ? null : asked.text;
  if (!row.content || !row.userText) throw new ShareError('This exchange has no text left to share (retention may have removed it).', 'no_text');

  const used = (row.chunks ?? []).filter((c) => c.used !== false && isUuid(c.chunkId));
  const texts = new Map<string, { text: string; name: string }>();
  if (used.length) {
    const found = await tx<{ id: string; text: string; name: string }[]>`
      select c.id, c.text, d.name from pack_chunk c
      join pack_document d on d.tenant_id = c.tenant_id and d.id = c.document_id
      where c.tenant_id = ${tenantId} and c.id = any(${tx.array(used.map((c) => c.chunkId))}::uuid[])`;
    for (const f of found) texts.set(f.id, { text: f.text, name: f.name });
  }
  // One anonymizer for the whole exchange: the same person is the same placeholder in the message, the
  // answer and the passages. Passages are the company's own policy text: only what the exchange names is
  // replaced there, so reviewers read the policy as written.
  const anonymizer = new Anonymizer({ country: tenant.country, keep: companyWords(tenant) });
  const [userText, replyText] = anonymizer.anonymizeAll([row.userText, row.content], ['person', 'coach']);
  const passageTexts = used.map((c) => anonymizer.anonymizeKnown(texts.get(c.chunkId)?.text ?? ''));
  return {
    userText,
    replyText,
    passages: used.map((c, i) => ({
      label: c.label ?? `P${i + 1}`,
      document: c.document,
      documentName: texts.get(c.chunkId)?.name ?? null,
      heading: c.heading,
      version: c.version === null || c.version === undefined ? null : Number(c.version),
      text: passageTexts[i],
    })),
    lineage: {
      packVersion: row.packVersion,
      promptVersions: row.promptVersions ?? {},
      modelId: row.modelId,
      provider: row.provider,
      safetyLevel: row.safety?.input?.level ?? null,
    },
    entityCounts: anonymizer.counts(),
  };
}

/** What would be stored, for the consent dialog to show before anything is stored. */
export async function previewShare(input: { tenantId: string; userId: string; messageId: string }): Promise<SharedCopy> {
  return withTenant(input.tenantId, (tx) => buildSharedCopy(tx, input));
}

/** Stores the anonymized copy (once per answer) and returns its id. */
export async function shareExchange(input: { tenantId: string; userId: string; messageId: string }): Promise<{ itemId: string; created: boolean }> {
  return withTenant(input.tenantId, async (tx) => {
    const [existing] = await tx<{ id: string }[]>`
      select id from review_item where tenant_id = ${input.tenantId} and source_message_id = ${isUuid(input.messageId) ? input.messageId : null}
        and shared_by = ${input.userId}`;
    if (existing) return { itemId: existing.id, created: false };
    const copy = await buildSharedCopy(tx, input);
    const cipher = await tenantCipher(input.tenantId, { tx });
    const [item] = await tx<{ id: string }[]>`
      insert into review_item (tenant_id, shared_by, source_message_id, user_text, reply_text, passages, lineage, entity_counts)
      values (${input.tenantId}, ${input.userId}, ${input.messageId}, ${cipher.encrypt(copy.userText)}, ${cipher.encrypt(copy.replyText)},
              ${tx.json(copy.passages as never)}, ${tx.json(copy.lineage as never)}, ${tx.json(copy.entityCounts as never)})
      returning id`;
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: null,
      actorLabel: 'a manager',
      action: 'review.share',
      target: item.id,
      details: { entitiesReplaced: copy.entityCounts },
    });
    return { itemId: item.id, created: true };
  });
}

export interface OwnShare {
  id: string;
  sourceMessageId: string;
  createdAt: Date;
  userText: string;
  replyText: string;
  reviewed: boolean;
}

/** The manager's own shares, newest first: exactly what reviewers can read. */
export async function listOwnShares({ tenantId, userId }: { tenantId: string; userId: string }): Promise<OwnShare[]> {
  const rows = await withTenant(tenantId, (tx) =>
    tx<OwnShare[]>`
      select r.id, r.source_message_id as "sourceMessageId", r.created_at as "createdAt", r.user_text as "userText",
             r.reply_text as "replyText",
             exists (select 1 from review_annotation a where a.tenant_id = r.tenant_id and a.item_id = r.id) as reviewed
      from review_item r
      where r.tenant_id = ${tenantId} and r.shared_by = ${userId}
      order by r.created_at desc`,
  );
  const cipher = await tenantCipher(tenantId, { values: rows.flatMap((r) => [r.userText, r.replyText]) });
  return rows.map((r) => ({ ...r, userText: cipher.decryptOrMark(r.userText).text ?? '', replyText: cipher.decryptOrMark(r.replyText).text ?? '' }));
}

/** Ids of the answers this manager has shared (to mark them in the conversation). */
export async function sharedMessageIds({ tenantId, userId }: { tenantId: string; userId: string }): Promise<string[]> {
  const rows = await withTenant(tenantId, (tx) =>
    tx<{ id: string }[]>`select source_message_id as id from review_item where tenant_id = ${tenantId} and shared_by = ${userId}`,
  );
  return rows.map((r) => r.id);
}

/** Withdraws a share: deleted, with its annotations, judge scores and any evaluation case made from it. */
export async function withdrawShare({ tenantId, userId, itemId }: { tenantId: string; userId: string; itemId: string }): Promise<boolean> {
  if (!isUuid(itemId)) return false;
  return withTenant(tenantId, async (tx) => {
    const deleted = await tx`delete from review_item where tenant_id = ${tenantId} and id = ${itemId} and shared_by = ${userId}`;
    if (deleted.count === 0) return false;
    await recordAudit(tx, { tenantId, actorUserId: null, actorLabel: 'a manager', action: 'review.withdraw', target: itemId });
    return true;
  });
}
