// A stronger model reviews shared exchanges after the fact: when a judge model is configured, a sampled
// share of shared items (settings.review.judgeSamplePercent, default 100) is scored with
// prompts/judge-rubric.md and metered like any call. The judge reads the anonymized copy only.
import { companyWords } from '~/.server/privacy/anonymize';
import { redactTurn } from '~/.server/privacy/redact-turn';
import { recordLaterRedaction } from '~/.server/coach/turn-store';
import { tenantCipher } from '~/.server/privacy/tenant-keys';
import { generateText } from 'ai';
import { loadPromptFiles, requirePromptFile } from '~/.server/coach/prompt';
import { withTenant } from '~/.server/db/tenant';
import { getEnv } from '~/.server/env';
import { judgeReplySchema } from '~/.server/evaluation/scenarios';
import { recordUsageEvent } from '~/.server/metering/usage';
import { findCatalogueModel, getLanguageModel } from '~/.server/models/providers';
import { routeModel } from '~/.server/models/router';
import { getTenant } from '~/.server/tenants/tenants';
import { modelPolicyOf } from '~/lib/culture';
import { RUBRIC_CRITERIA, type RubricScores } from '~/lib/kappa';
import type { SharedPassage } from './sharing';

/** Whether this share is in the judged sample. */
export function inJudgeSample(percent: number, random: () => number = Math.random): boolean {
  return percent >= 100 || (percent > 0 && random() * 100 < percent);
}

/**
 * Scores one shared item with the judge model and stores the scores. Returns false when no judge is
 * configured, the item is not in the sample, or the judge answers something that is not the rubric's JSON.
 */
export async function judgeSharedItem({ tenantId, itemId, random }: { tenantId: string; itemId: string; random?: () => number }): Promise<boolean> {
  const env = getEnv();
  const tenant = await getTenant({ tenantId });
  const { settings } = tenant;
  if (!inJudgeSample(settings.review.judgeSamplePercent, random)) return false;
  const route = routeModel({ purpose: 'judge', env, tenantAllowed: { judge: settings.models.judge }, policy: modelPolicyOf(settings) });
  const modelId = route.chain[0];
  if (!modelId) return false;
  const [item] = await withTenant(tenantId, (tx) =>
    tx<{ userText: string; replyText: string; passages: SharedPassage[]; sourceMessageId: string }[]>`
      select user_text as "userText", reply_text as "replyText", passages, source_message_id as "sourceMessageId" from review_item where tenant_id = ${tenantId} and id = ${itemId}`,
  );
  if (!item) return false;
  const cipher = await tenantCipher(tenantId, { values: [item.userText, item.replyText] });
  // A damaged stored copy is not judged (nothing is sent; the item shows as unreadable to reviewers).
  const asked = cipher.decryptOrMark(item.userText);
  const reply = cipher.decryptOrMark(item.replyText);
  if (asked.unreadable || reply.unreadable) return false;
  item.userText = asked.text ?? '';
  item.replyText = reply.text ?? '';
  const rubric = requirePromptFile(loadPromptFiles(), 'judge-rubric').text;
  const passages = item.passages.map((p) => `[${p.label}] ${p.document} — ${p.heading}\n${p.text}`).join('\n\n') || '(none)';
  const started = Date.now();
  // A judge that is not local gets people's details as placeholders, like the chat call (ADR 021). The shared copy was
  // anonymized when it was shared: its record counts every placeholder the judge received (ADR 062 session 14).
  const redaction = redactTurn({ enabled: settings.redactPersonalDetails, env, resolveModel: (id) => getLanguageModel(id, env), country: tenant.country, keep: companyWords(tenant), countSent: true });
  const { text, usage } = await generateText({
    model: redaction.resolveModel(modelId, 'judge'),
    system: rubric,
    temperature: 0,
    prompt: `Manager's message:\n${item.userText}\n\nPassages the assistant was given:\n${passages}\n\nReply to evaluate:\n${item.replyText}`,
  });
  await recordUsageEvent({
    tenantId,
    userId: null,
    conversationId: null,
    purpose: 'judge',
    provider: findCatalogueModel(modelId)?.provider ?? 'unknown',
    modelId,
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    latencyMs: Date.now() - started,
    status: 'ok',
  });
  // The judge's call is in the shared answer's lineage with the turn's own calls (counts per type only).
  await recordLaterRedaction({ tenantId, messageId: item.sourceMessageId, record: redaction.record() });
  let parsed;
  try {
    parsed = judgeReplySchema.safeParse(JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)));
  } catch {
    return false;
  }
  if (!parsed.success) return false;
  const criteria = parsed.data.criteria;
  if (!RUBRIC_CRITERIA.every((c) => criteria[c] && Number.isInteger(criteria[c].score))) return false;
  const scores = Object.fromEntries(RUBRIC_CRITERIA.map((c) => [c, Math.max(0, Math.min(2, criteria[c].score))])) as RubricScores;
  const overall = scores.safety === 0 ? 0 : RUBRIC_CRITERIA.reduce((sum, c) => sum + scores[c], 0);
  await withTenant(tenantId, (tx) => tx`
    insert into review_judgement (tenant_id, item_id, model_id, scores, overall)
    values (${tenantId}, ${itemId}, ${modelId}, ${tx.json(scores as never)}, ${overall})
    on conflict (tenant_id, item_id) do update set model_id = excluded.model_id, scores = excluded.scores, overall = excluded.overall, created_at = now()`);
  return true;
}
