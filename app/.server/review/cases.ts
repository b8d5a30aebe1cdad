// A tenant's evaluation set in the database: cases made from reviewed items in one click (the
// expectations come from the reviewer's annotation, the better reply is kept as a reference) or imported
// from tenants/<slug>/scenarios.json. Exported as JSON lines in the scenarios shape, so `rapport eval`
// runs either source the same way.
import { tenantCipher } from '~/.server/privacy/tenant-keys';
import { withTenant } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';
import { isUuid } from '~/.server/coach/conversations';
import type { Scenario } from '~/.server/evaluation/scenarios';

export interface EvalCase {
  id: string;
  caseKey: string;
  message: string;
  expectCheckIn: boolean;
  expectDocument: string | null;
  mustNotContain: string[];
  referenceReply: string | null;
  source: 'review' | 'import';
  createdAt: Date;
}

const CASE_COLUMNS = `id, case_key as "caseKey", message, expect_check_in as "expectCheckIn", expect_document as "expectDocument",
  must_not_contain as "mustNotContain", reference_reply as "referenceReply", source, created_at as "createdAt"`;

export async function listEvalCases({ tenantId }: { tenantId: string }): Promise<EvalCase[]> {
  return withTenant(tenantId, (tx) => tx.unsafe<EvalCase[]>(`select ${CASE_COLUMNS} from eval_case where tenant_id = $1 order by created_at, case_key`, [tenantId]));
}

export class CaseError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'not_annotated' | 'unreadable',
  ) {
    super(message);
  }
}

/**
 * Turns a reviewed item into a case: the reviewer's own annotation if they wrote one, otherwise the first.
 * Idempotent: the same item gives the same case.
 */
export async function createCaseFromItem({ tenantId, reviewer, itemId }: { tenantId: string; reviewer: { id: string; email: string }; itemId: string }): Promise<EvalCase> {
  if (!isUuid(itemId)) throw new CaseError('That item was not found.', 'not_found');
  return withTenant(tenantId, async (tx) => {
    const [item] = await tx<{ id: string; userText: string }[]>`select id, user_text as "userText" from review_item where tenant_id = ${tenantId} and id = ${itemId}`;
    if (!item) throw new CaseError('That item was not found.', 'not_found');
    // A damaged stored copy (it shows as unreadable on the item's page) cannot become a case: refused with a reason.
    const asked = (await tenantCipher(tenantId, { tx, values: [item.userText] })).decryptOrMark(item.userText);
    if (asked.unreadable || !asked.text) throw new CaseError("This item's message could not be read (its stored copy is damaged), so it cannot become a case.", 'unreadable');
    item.userText = asked.text;
    const [existing] = await tx.unsafe<EvalCase[]>(`select ${CASE_COLUMNS} from eval_case where tenant_id = $1 and source_item_id = $2`, [tenantId, itemId]);
    if (existing) return existing;
    const [annotation] = await tx<{ expectCheckIn: boolean; expectDocument: string | null; mustNotContain: string[]; betterReply: string | null }[]>`
      select expect_check_in as "expectCheckIn", expect_document as "expectDocument", must_not_contain as "mustNotContain", better_reply as "betterReply"
      from review_annotation where tenant_id = ${tenantId} and item_id = ${itemId}
      order by (reviewer_id = ${reviewer.id}) desc, created_at limit 1`;
    if (!annotation) throw new CaseError('Annotate this item before turning it into a case.', 'not_annotated');
    const [created] = await tx.unsafe<EvalCase[]>(
      `insert into eval_case (tenant_id, case_key, message, expect_check_in, expect_document, must_not_contain, reference_reply, source, source_item_id, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, 'review', $8, $9) returning ${CASE_COLUMNS}`,
      [tenantId, `review-${itemId.slice(0, 8)}`, item.userText.slice(0, 4000), annotation.expectCheckIn, annotation.expectDocument, annotation.mustNotContain, annotation.betterReply, itemId, reviewer.id],
    );
    await recordAudit(tx, { tenantId, actorUserId: reviewer.id, actorLabel: reviewer.email, action: 'review.make_case', target: created.caseKey, details: { itemId } });
    return created;
  });
}

export async function deleteEvalCase({ tenantId, actor, caseId }: { tenantId: string; actor: { id: string; email: string }; caseId: string }): Promise<boolean> {
  if (!isUuid(caseId)) return false;
  return withTenant(tenantId, async (tx) => {
    const [gone] = await tx<{ caseKey: string }[]>`delete from eval_case where tenant_id = ${tenantId} and id = ${caseId} returning case_key as "caseKey"`;
    if (!gone) return false;
    await recordAudit(tx, { tenantId, actorUserId: actor.id, actorLabel: actor.email, action: 'review.delete_case', target: gone.caseKey });
    return true;
  });
}

/**
 * Imports scenarios (tenants/<slug>/scenarios.json, or the JSON lines `rapport review export` prints); an existing case
 * with the same id is replaced, keeping its reference reply when the import has none.
 */
export async function importScenarios({ tenantId, scenarios, actorLabel }: { tenantId: string; scenarios: Scenario[]; actorLabel: string }): Promise<{ imported: number }> {
  return withTenant(tenantId, async (tx) => {
    for (const s of scenarios) {
      await tx`
        insert into eval_case (tenant_id, case_key, message, expect_check_in, expect_document, must_not_contain, reference_reply, source)
        values (${tenantId}, ${s.id}, ${s.message}, ${s.expect.checkInFirst}, ${s.expect.document}, ${tx.array(s.expect.mustNotContain)}, ${s.reference ?? null}, 'import')
        on conflict (tenant_id, case_key) do update set message = excluded.message, expect_check_in = excluded.expect_check_in,
          expect_document = excluded.expect_document, must_not_contain = excluded.must_not_contain,
          reference_reply = coalesce(excluded.reference_reply, eval_case.reference_reply)`;
    }
    await recordAudit(tx, { tenantId, actorUserId: null, actorLabel, action: 'review.import_cases', details: { count: scenarios.length } });
    return { imported: scenarios.length };
  });
}

/** A case in the scenarios shape that `rapport eval` runs (plus the reference reply, when there is one). */
export function caseToScenario(c: EvalCase): Scenario & { reference?: string; source: string } {
  return {
    id: c.caseKey,
    message: c.message,
    expect: { checkInFirst: c.expectCheckIn, document: c.expectDocument, mustNotContain: c.mustNotContain },
    ...(c.referenceReply ? { reference: c.referenceReply } : {}),
    source: c.source,
  };
}

export function casesToJsonLines(cases: EvalCase[]): string {
  return cases.map((c) => JSON.stringify(caseToScenario(c))).join('\n') + (cases.length ? '\n' : '');
}
