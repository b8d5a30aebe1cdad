// The audit log: append-only (the application role cannot update or delete it).
import type { Tx } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';

export type AuditEntry = {
  tenantId: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
};

/** Records inside the caller's unit of work, so the action and its audit commit together. */
export async function recordAudit(tx: Tx, entry: AuditEntry) {
  await tx`insert into audit_log (tenant_id, actor_user_id, actor_label, action, target, details)
    values (${entry.tenantId}, ${entry.actorUserId}, ${entry.actorLabel}, ${entry.action}, ${entry.target ?? ''},
            ${tx.json((entry.details ?? {}) as never)})`;
}

export type AuditRow = {
  id: string;
  at: Date;
  actorLabel: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
};

export async function listAuditLog({
  tenantId,
  limit = 100,
  before,
  action,
}: {
  tenantId: string;
  limit?: number;
  before?: string;
  action?: string;
}): Promise<AuditRow[]> {
  return withTenant(tenantId, async (tx) => {
    const rows = await tx<AuditRow[]>`
      select id::text as id, at, actor_label as "actorLabel", action, target, details
      from audit_log
      where tenant_id = ${tenantId}
        ${before ? tx`and (at, id) < (select b.at, b.id from audit_log b where b.tenant_id = ${tenantId} and b.id = ${before})` : tx``}
        ${action ? tx`and action = ${action}` : tx``}
      order by at desc, id desc
      limit ${Math.min(Math.max(limit, 1), 500)}`;
    return rows;
  });
}
