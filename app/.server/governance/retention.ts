// Retention: conversation text older than the tenant's retention days is deleted (content set
// to null, content_deleted_at stamped; titles and feedback comments too); the message rows, lineage and usage events stay, so
// costs and audits still add up. retentionDays 0 is zero retention: the chat stores no text,
// and any text already stored is purged. Runs at start and hourly; each run is audited per
// tenant with counts only.
import { DEFAULT_TITLE } from '~/.server/coach/conversations';
import type { Tx } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { registerJob } from '~/.server/jobs';
import { listTenants } from '~/.server/tenants/tenants';
import { recordAudit } from './audit';

const DAY_MS = 86_400_000;
export const RETENTION_EVERY_MS = 60 * 60_000;

export interface RetentionRun {
  tenantId: string;
  retentionDays: number;
  /** Messages whose text was deleted in this run. */
  deleted: number;
}

/** Text written before this moment is expired (everything, in zero-retention mode). */
export function retentionCutoff(retentionDays: number, now: Date): Date {
  return retentionDays === 0 ? new Date(now.getTime() + 1) : new Date(now.getTime() - retentionDays * DAY_MS);
}

/**
 * Deletes one tenant's expired text inside the caller's unit of work (so a settings change and
 * its purge commit together) and audits the run.
 */
export async function purgeExpiredText(
  tx: Tx,
  { tenantId, retentionDays, now, actor }: { tenantId: string; retentionDays: number; now: Date; actor?: { userId: string | null; label: string } },
): Promise<RetentionRun> {
  const cutoff = retentionCutoff(retentionDays, now);
  const result = await tx`
    update message set content = null, content_deleted_at = ${now}
    where tenant_id = ${tenantId} and content is not null and created_at < ${cutoff}`;
  // The person's words kept beside the messages expire with them (ADR 065): a title is the first words of the first
  // message (often a name) or the person's own wording, and goes with the conversation's last text; a feedback
  // comment with its age.
  const titles = await tx`
    update conversation set title = ${DEFAULT_TITLE}
    where tenant_id = ${tenantId} and title <> ${DEFAULT_TITLE} and updated_at < ${cutoff}`;
  const comments = await tx`
    update message_feedback set comment = null
    where tenant_id = ${tenantId} and comment is not null and created_at < ${cutoff}`;
  await recordAudit(tx, {
    tenantId,
    actorUserId: actor?.userId ?? null,
    actorLabel: actor?.label ?? 'retention job',
    action: 'retention.run',
    target: retentionDays === 0 ? 'zero retention' : `${retentionDays} days`,
    details: { deleted: result.count, titles: titles.count, comments: comments.count, retentionDays, cutoff: cutoff.toISOString() },
  });
  return { tenantId, retentionDays, deleted: result.count };
}

/** One retention pass over every tenant, each in its own short transaction. */
export async function applyRetention({ now = new Date() }: { now?: Date } = {}): Promise<RetentionRun[]> {
  const runs: RetentionRun[] = [];
  for (const tenant of await listTenants()) {
    runs.push(
      await withTenant(tenant.id, (tx) => purgeExpiredText(tx, { tenantId: tenant.id, retentionDays: tenant.settings.retentionDays, now })),
    );
  }
  return runs;
}

registerJob({
  name: 'retention',
  everyMs: RETENTION_EVERY_MS,
  async run() {
    const runs = await applyRetention();
    const deleted = runs.reduce((n, r) => n + r.deleted, 0);
    return `${runs.length} tenant(s) checked, ${deleted} message text(s) deleted`;
  },
});
