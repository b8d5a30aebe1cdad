// The review queue: what reviewers read (shared, anonymized exchanges — never who shared them, never
// anything not shared) and write (annotations with the judge rubric). Agreement between reviewers and
// between the judge and reviewers is Cohen's kappa per criterion over items both scored.
import { z } from 'zod';
import { withTenant } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';
import { isUuid } from '~/.server/coach/conversations';
import { kappaPerCriterion, REVIEW_LABELS, RUBRIC_CRITERIA, type KappaResult, type RubricCriterion, type RubricScores } from '~/lib/kappa';
import type { SharedLineage, SharedPassage } from './sharing';
import { tenantCipher } from '~/.server/privacy/tenant-keys';

export interface QueueEntry {
  id: string;
  createdAt: Date;
  excerpt: string;
  annotations: number;
  mine: boolean;
  judgeOverall: number | null;
}

export async function listReviewQueue({ tenantId, reviewerId }: { tenantId: string; reviewerId: string }): Promise<QueueEntry[]> {
  // The shared text is encrypted at rest (ADR 029): the excerpt is cut after decryption.
  const rows = await withTenant(tenantId, (tx) =>
    tx<QueueEntry[]>`
      select r.id, r.created_at as "createdAt", r.user_text as excerpt,
             (select count(*)::int from review_annotation a where a.tenant_id = r.tenant_id and a.item_id = r.id) as annotations,
             exists (select 1 from review_annotation a where a.tenant_id = r.tenant_id and a.item_id = r.id and a.reviewer_id = ${reviewerId}) as mine,
             j.overall as "judgeOverall"
      from review_item r
      left join review_judgement j on j.tenant_id = r.tenant_id and j.item_id = r.id
      where r.tenant_id = ${tenantId}
      order by (select count(*) from review_annotation a where a.tenant_id = r.tenant_id and a.item_id = r.id) < 2 desc, r.created_at desc
      limit 200`,
  );
  const cipher = await tenantCipher(tenantId, { values: rows.map((r) => r.excerpt) });
  return rows.map((r) => ({ ...r, excerpt: Array.from(cipher.decryptOrMark(r.excerpt).text ?? '').slice(0, 160).join('') }));
}

export interface Annotation {
  reviewer: 'you' | string;
  scores: RubricScores;
  labels: string[];
  betterReply: string | null;
  note: string | null;
  expectCheckIn: boolean;
  expectDocument: string | null;
  mustNotContain: string[];
  updatedAt: Date;
}

export interface ReviewItemView {
  id: string;
  createdAt: Date;
  userText: string;
  replyText: string;
  passages: SharedPassage[];
  lineage: SharedLineage;
  entityCounts: Record<string, number>;
  annotations: Annotation[];
  mine: Annotation | null;
  judge: { modelId: string; scores: RubricScores; overall: number } | null;
  caseKey: string | null;
}

interface AnnotationRow {
  reviewerId: string;
  scores: RubricScores;
  labels: string[];
  betterReply: string | null;
  note: string | null;
  expectCheckIn: boolean;
  expectDocument: string | null;
  mustNotContain: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** One shared item as a reviewer sees it. Other reviewers are "Reviewer 2", "Reviewer 3", in order. */
export async function getReviewItem({ tenantId, reviewerId, itemId }: { tenantId: string; reviewerId: string; itemId: string }): Promise<ReviewItemView | null> {
  if (!isUuid(itemId)) return null;
  return withTenant(tenantId, async (tx) => {
    const [item] = await tx<Omit<ReviewItemView, 'annotations' | 'mine' | 'judge' | 'caseKey'>[]>`
      select id, created_at as "createdAt", user_text as "userText", reply_text as "replyText", passages, lineage,
             entity_counts as "entityCounts"
      from review_item where tenant_id = ${tenantId} and id = ${itemId}`;
    if (!item) return null;
    const cipher = await tenantCipher(tenantId, { tx, values: [item.userText, item.replyText] });
    item.userText = cipher.decryptOrMark(item.userText).text ?? '';
    item.replyText = cipher.decryptOrMark(item.replyText).text ?? '';
    const rows = await tx<AnnotationRow[]>`
      select reviewer_id as "reviewerId", scores, labels, better_reply as "betterReply", note,
             expect_check_in as "expectCheckIn", expect_document as "expectDocument", must_not_contain as "mustNotContain",
             created_at as "createdAt", updated_at as "updatedAt"
      from review_annotation where tenant_id = ${tenantId} and item_id = ${itemId} order by created_at`;
    const [judge] = await tx<{ modelId: string; scores: RubricScores; overall: number }[]>`
      select model_id as "modelId", scores, overall from review_judgement where tenant_id = ${tenantId} and item_id = ${itemId}`;
    const [kase] = await tx<{ caseKey: string }[]>`
      select case_key as "caseKey" from eval_case where tenant_id = ${tenantId} and source_item_id = ${itemId}`;
    let other = 1;
    const annotations: Annotation[] = rows.map((r) => ({
      reviewer: r.reviewerId === reviewerId ? 'you' : `Reviewer ${++other}`,
      scores: r.scores,
      labels: r.labels,
      betterReply: r.betterReply,
      note: r.note,
      expectCheckIn: r.expectCheckIn,
      expectDocument: r.expectDocument,
      mustNotContain: r.mustNotContain,
      updatedAt: r.updatedAt,
    }));
    return {
      ...item,
      annotations,
      mine: annotations.find((a) => a.reviewer === 'you') ?? null,
      judge: judge ?? null,
      caseKey: kase?.caseKey ?? null,
    };
  });
}

const score = (max: number) => z.coerce.number().int().min(0).max(max);
export const annotationSchema = z.object({
  check_in_first: score(2),
  grounding: score(2),
  coaching: score(2),
  tone: score(2),
  // The rubric's safety is pass (2) or breach (0).
  safety: z.coerce.number().int().refine((v) => v === 0 || v === 2, 'Safety is 2 (safe) or 0 (a breach).'),
  labels: z.array(z.enum(REVIEW_LABELS)).default([]),
  betterReply: z.string().trim().max(4000, 'Please keep the better reply under 4,000 characters.').optional(),
  note: z.string().trim().max(1000, 'Please keep the note under 1,000 characters.').optional(),
  expectCheckIn: z.boolean().default(false),
  expectDocument: z.string().trim().max(200).optional(),
  mustNotContain: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
});
export type AnnotationInput = z.infer<typeof annotationSchema>;

/** Saves (or replaces) this reviewer's annotation of an item; audited with who reviewed what. */
export async function saveAnnotation({
  tenantId,
  reviewer,
  itemId,
  input,
}: {
  tenantId: string;
  reviewer: { id: string; email: string };
  itemId: string;
  input: AnnotationInput;
}): Promise<boolean> {
  if (!isUuid(itemId)) return false;
  const scores = Object.fromEntries(RUBRIC_CRITERIA.map((c) => [c, input[c]])) as RubricScores;
  return withTenant(tenantId, async (tx) => {
    const [item] = await tx<{ id: string }[]>`select id from review_item where tenant_id = ${tenantId} and id = ${itemId}`;
    if (!item) return false;
    await tx`
      insert into review_annotation (tenant_id, item_id, reviewer_id, scores, labels, better_reply, note, expect_check_in, expect_document, must_not_contain)
      values (${tenantId}, ${itemId}, ${reviewer.id}, ${tx.json(scores as never)}, ${tx.array(input.labels)}, ${input.betterReply || null},
              ${input.note || null}, ${input.expectCheckIn}, ${input.expectDocument || null}, ${tx.array(input.mustNotContain)})
      on conflict (tenant_id, item_id, reviewer_id) do update set
        scores = excluded.scores, labels = excluded.labels, better_reply = excluded.better_reply, note = excluded.note,
        expect_check_in = excluded.expect_check_in, expect_document = excluded.expect_document,
        must_not_contain = excluded.must_not_contain, updated_at = now()`;
    await recordAudit(tx, {
      tenantId,
      actorUserId: reviewer.id,
      actorLabel: reviewer.email,
      action: 'review.annotate',
      target: itemId,
      details: { overall: scores.safety === 0 ? 0 : RUBRIC_CRITERIA.reduce((sum, c) => sum + scores[c], 0), labels: input.labels },
    });
    return true;
  });
}

export interface AgreementSummary {
  reviewers: Record<RubricCriterion, KappaResult>;
  judge: Record<RubricCriterion, KappaResult>;
}

/**
 * Agreement over the tenant's items: reviewers = the first two annotations of every item with at least
 * two; judge = the judge's scores against the first reviewer's, on items that have both.
 */
export async function agreementSummary({ tenantId }: { tenantId: string }): Promise<AgreementSummary> {
  const rows = await withTenant(tenantId, (tx) =>
    tx<{ itemId: string; scores: RubricScores; judge: RubricScores | null }[]>`
      select a.item_id as "itemId", a.scores, j.scores as judge
      from review_annotation a
      left join review_judgement j on j.tenant_id = a.tenant_id and j.item_id = a.item_id
      where a.tenant_id = ${tenantId}
      order by a.item_id, a.created_at`,
  );
  const byItem = new Map<string, { scores: RubricScores[]; judge: RubricScores | null }>();
  for (const r of rows) {
    const entry = byItem.get(r.itemId) ?? { scores: [], judge: r.judge };
    entry.scores.push(r.scores);
    byItem.set(r.itemId, entry);
  }
  const reviewerPairs: [RubricScores, RubricScores][] = [];
  const judgePairs: [RubricScores, RubricScores][] = [];
  for (const { scores, judge } of byItem.values()) {
    if (scores.length >= 2) reviewerPairs.push([scores[0], scores[1]]);
    if (judge) judgePairs.push([judge, scores[0]]);
  }
  return { reviewers: kappaPerCriterion(reviewerPairs), judge: kappaPerCriterion(judgePairs) };
}
