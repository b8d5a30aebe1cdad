// Safety records. Events are append-only and never hold message text; hand-off cases hold
// only what the person typed into the consent form.
import { tenantCipher } from '~/.server/privacy/tenant-keys';
import type { Tx } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';
import type { SafetyCategory, SafetyLevel } from '~/lib/safety';
import type { ContactMethod } from '~/lib/handoff-contact';

export type SafetyAction =
  | 'none'
  | 'checked_in'
  | 'escalated'
  | 'refused'
  | 'replaced'
  | 'passages_quarantined'
  | 'handoff_requested';

export type SafetyEventInput = {
  tenantId: string;
  conversationId?: string | null;
  messageId?: string | null;
  stage: 'input' | 'output' | 'retrieval';
  level: SafetyLevel;
  categories: readonly (SafetyCategory | string)[];
  ruleIds: readonly string[];
  action: SafetyAction;
  /** The message's language (ISO 639-1), when known; a code, never text. */
  language?: string | null;
};

/** Records inside the caller's unit of work when given `tx`, else in its own. */
export async function recordSafetyEvent(event: SafetyEventInput, tx?: Tx): Promise<void> {
  const write = (t: Tx) =>
    t`insert into safety_event (tenant_id, conversation_id, message_id, stage, level, categories, rule_ids, action, language)
      values (${event.tenantId}, ${event.conversationId ?? null}, ${event.messageId ?? null}, ${event.stage}, ${event.level},
              ${[...event.categories] as string[]}, ${[...event.ruleIds] as string[]}, ${event.action}, ${event.language ?? null})`;
  if (tx) await write(tx);
  else await withTenant(event.tenantId, write);
}

export type HandoffCase = {
  id: string;
  createdAt: Date;
  status: 'open' | 'in_progress' | 'closed';
  sharedText: string;
  contactPreference: string;
  contactMethod: ContactMethod;
  contactValue: string;
  email: string;
  displayName: string;
};

export async function createHandoffCase(input: {
  tenantId: string;
  userId: string;
  conversationId?: string | null;
  sharedText: string;
  contactPreference?: string;
  contactMethod?: ContactMethod;
  contactValue?: string;
}): Promise<{ id: string }> {
  // What the person shared is encrypted at rest (ADR 029); the 2,000-character limit is checked here.
  // So are how they asked to be reached (a phone number, another email) and their note on timing;
  // the 200-character limits are checked here, since the stored envelopes are longer.
  if (input.sharedText.length > 2000) throw new RangeError('shared text is longer than 2000 characters');
  if ((input.contactPreference ?? '').length > 200) throw new RangeError('contact preference is longer than 200 characters');
  if ((input.contactValue ?? '').length > 200) throw new RangeError('contact value is longer than 200 characters');
  const cipher = await tenantCipher(input.tenantId);
  const sharedText = cipher.encrypt(input.sharedText);
  const sealIfAny = (text: string | undefined) => (text ? cipher.encrypt(text) : '');
  const contactPreference = sealIfAny(input.contactPreference);
  const contactValue = sealIfAny(input.contactValue);
  return withTenant(input.tenantId, async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into handoff_case (tenant_id, user_id, shared_text, contact_preference)
      values (${input.tenantId}, ${input.userId}, ${sharedText}, ${contactPreference})
      returning id`;
    await tx`insert into handoff_contact (tenant_id, case_id, user_id, method, value)
      values (${input.tenantId}, ${row.id}, ${input.userId}, ${input.contactMethod ?? 'work_email'}, ${contactValue})`;
    await recordSafetyEvent(
      { tenantId: input.tenantId, conversationId: input.conversationId, stage: 'input', level: 'none', categories: [], ruleIds: [], action: 'handoff_requested' },
      tx,
    );
    return row;
  });
}

/** Whether the person already asked for a hand-off from this conversation (the page does not offer it again). */
export async function handoffRequestedIn({ tenantId, conversationId }: { tenantId: string; conversationId: string }): Promise<boolean> {
  const [row] = await withTenant(tenantId, (tx) =>
    tx<{ requested: boolean }[]>`
      select exists (
        select 1 from safety_event where tenant_id = ${tenantId} and conversation_id = ${conversationId} and action = 'handoff_requested'
      ) as requested`,
  );
  return row?.requested === true;
}

export async function listHandoffCases({ tenantId, status }: { tenantId: string; status?: HandoffCase['status'] }): Promise<HandoffCase[]> {
  const rows = await withTenant(tenantId, (tx) =>
    tx<HandoffCase[]>`
      select h.id, h.created_at as "createdAt", h.status, h.shared_text as "sharedText", h.contact_preference as "contactPreference",
             coalesce(c.method, 'work_email') as "contactMethod", coalesce(c.value, '') as "contactValue", u.email, u.display_name as "displayName"
      from handoff_case h join app_user u on u.tenant_id = h.tenant_id and u.id = h.user_id
      left join handoff_contact c on c.tenant_id = h.tenant_id and c.case_id = h.id
      where h.tenant_id = ${tenantId} ${status ? tx`and h.status = ${status}` : tx``}
      order by h.created_at desc limit 200`,
  );
  const cipher = await tenantCipher(tenantId, { values: rows.flatMap((r) => [r.sharedText, r.contactPreference, r.contactValue]) });
  const open = (value: string) => cipher.decryptOrMark(value).text ?? '';
  return rows.map((r) => ({ ...r, sharedText: open(r.sharedText), contactPreference: open(r.contactPreference), contactValue: open(r.contactValue) }));
}

/**
 * Changes a case's status. With `actor` (an HR admin in the app), the change is audited in the
 * same unit of work — statuses only, never what the person shared.
 */
export async function setHandoffStatus({
  tenantId,
  caseId,
  status,
  actor,
}: {
  tenantId: string;
  caseId: string;
  status: HandoffCase['status'];
  actor?: { userId: string; label: string };
}) {
  return withTenant(tenantId, async (tx) => {
    const [before] = await tx<{ status: string }[]>`select status from handoff_case where tenant_id = ${tenantId} and id = ${caseId} for update`;
    if (!before) return false;
    await tx`update handoff_case set status = ${status}, updated_at = now() where tenant_id = ${tenantId} and id = ${caseId}`;
    if (actor) {
      await recordAudit(tx, {
        tenantId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: 'safety.handoff_status',
        target: `handoff_case:${caseId}`,
        details: { from: before.status, to: status },
      });
    }
    return true;
  });
}

/** Weekly counts by level and category for hr_admin — numbers only. */
export async function safetyCountsByWeek({ tenantId, weeks = 12 }: { tenantId: string; weeks?: number }) {
  return withTenant(tenantId, (tx) =>
    tx<{ week: string; level: string; category: string; count: number }[]>`
      select to_char(date_trunc('week', at), 'YYYY-MM-DD') as week, level, coalesce(c.category, 'none') as category, count(*)::int as count
      from safety_event e left join lateral unnest(e.categories) as c(category) on true
      where e.tenant_id = ${tenantId} and e.at > now() - make_interval(weeks => ${weeks}) and e.stage = 'input' and e.level <> 'none'
      group by 1, 2, 3 order by 1 desc, 2, 3`,
  );
}

/** Weekly event totals by level (an event with two categories counts once here). */
export async function safetyTotalsByWeek({ tenantId, weeks = 12 }: { tenantId: string; weeks?: number }) {
  return withTenant(tenantId, (tx) =>
    tx<{ week: string; level: 'concern' | 'crisis'; count: number }[]>`
      select to_char(date_trunc('week', at), 'YYYY-MM-DD') as week, level, count(*)::int as count
      from safety_event
      where tenant_id = ${tenantId} and at > now() - make_interval(weeks => ${weeks}) and stage = 'input' and level <> 'none'
      group by 1, 2 order by 1 desc, 2`,
  );
}
