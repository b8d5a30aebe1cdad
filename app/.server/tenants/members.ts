// Members of a tenant: people, their roles and whether they may sign in.
import crypto from 'node:crypto';
import { hashPassword } from '~/.server/auth/password';
import { lucia } from '~/.server/auth/lucia';
import { withSystem, withTenant } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';
import type { Role } from '~/lib/roles';

export type Member = {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  role: Role;
  status: 'active' | 'deactivated';
  createdAt: Date;
};

const MEMBER_COLUMNS = 'id, tenant_id as "tenantId", email, display_name as "displayName", role, status, created_at as "createdAt"';

export class MemberError extends Error {
  constructor(
    message: string,
    readonly code: 'email_taken' | 'not_found' | 'self_change' | 'last_admin',
  ) {
    super(message);
  }
}

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

export async function listMembers({ tenantId }: { tenantId: string }): Promise<Member[]> {
  return withTenant(tenantId, (tx) =>
    tx.unsafe<Member[]>(`select ${MEMBER_COLUMNS} from app_user where tenant_id = $1 order by role, email`, [tenantId]),
  );
}

export async function getMember({ tenantId, userId }: { tenantId: string; userId: string }): Promise<Member | null> {
  const [row] = await withTenant(tenantId, (tx) =>
    tx.unsafe<Member[]>(`select ${MEMBER_COLUMNS} from app_user where tenant_id = $1 and id = $2`, [tenantId, userId]),
  );
  return row ?? null;
}

/** Sign-in looks people up by email across tenants: the one cross-tenant read of users. */
export async function findUserForSignIn(email: string) {
  const [row] = await withSystem((tx) =>
    tx<(Member & { passwordHash: string | null })[]>`
      select id, tenant_id as "tenantId", email, role, status, password_hash as "passwordHash"
      from app_user where email = ${normaliseEmail(email)}`,
  );
  return row ?? null;
}

export async function emailInUse(email: string): Promise<boolean> {
  const [row] = await withSystem((tx) => tx`select 1 from app_user where email = ${normaliseEmail(email)}`);
  return !!row;
}

export async function createMember(input: {
  tenantId: string;
  email: string;
  role: Role;
  password?: string;
  displayName?: string;
  actor?: { userId: string | null; label: string };
}): Promise<Member> {
  const email = normaliseEmail(input.email);
  if (await emailInUse(email)) throw new MemberError(`${email} already has an account.`, 'email_taken');
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return withTenant(input.tenantId, async (tx) => {
    const [row] = await tx.unsafe<Member[]>(
      `insert into app_user (tenant_id, id, email, display_name, role, password_hash)
       values ($1, $2, $3, $4, $5, $6) returning ${MEMBER_COLUMNS}`,
      [input.tenantId, crypto.randomUUID(), email, input.displayName ?? email.split('@')[0], input.role, passwordHash],
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actor?.userId ?? null,
      actorLabel: input.actor?.label ?? 'operator',
      action: 'member.create',
      target: email,
      details: { role: input.role },
    });
    return row;
  });
}

export async function setMemberPassword({ tenantId, userId, password }: { tenantId: string; userId: string; password: string }) {
  const passwordHash = await hashPassword(password);
  await withTenant(tenantId, async (tx) => {
    const result = await tx`update app_user set password_hash = ${passwordHash} where tenant_id = ${tenantId} and id = ${userId}`;
    if (result.count === 0) throw new MemberError('No such member.', 'not_found');
  });
  // A new password ends every existing session of that person.
  await lucia().invalidateUserSessions(userId);
}

async function guardAdminChange(tx: Parameters<Parameters<typeof withTenant>[1]>[0], tenantId: string, userId: string, actorId: string) {
  if (userId === actorId) throw new MemberError('You cannot change your own role or access.', 'self_change');
  const [target] = await tx<{ role: Role; status: string; email: string }[]>`
    select role, status, email from app_user where tenant_id = ${tenantId} and id = ${userId} for update`;
  if (!target) throw new MemberError('No such member.', 'not_found');
  return target;
}

export async function changeMemberRole(input: {
  tenantId: string;
  userId: string;
  role: Role;
  actor: { userId: string; label: string };
}) {
  await withTenant(input.tenantId, async (tx) => {
    const target = await guardAdminChange(tx, input.tenantId, input.userId, input.actor.userId);
    if (target.role === input.role) return;
    await tx`update app_user set role = ${input.role} where tenant_id = ${input.tenantId} and id = ${input.userId}`;
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actor.userId,
      actorLabel: input.actor.label,
      action: 'member.role_change',
      target: target.email,
      details: { from: target.role, to: input.role },
    });
  });
}

export async function setMemberStatus(input: {
  tenantId: string;
  userId: string;
  status: 'active' | 'deactivated';
  actor: { userId: string; label: string };
}) {
  await withTenant(input.tenantId, async (tx) => {
    const target = await guardAdminChange(tx, input.tenantId, input.userId, input.actor.userId);
    if (target.status === input.status) return;
    await tx`update app_user set status = ${input.status} where tenant_id = ${input.tenantId} and id = ${input.userId}`;
    if (input.status === 'deactivated') {
      await tx`delete from user_session where tenant_id = ${input.tenantId} and user_id = ${input.userId}`;
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actor.userId,
      actorLabel: input.actor.label,
      action: input.status === 'deactivated' ? 'member.deactivate' : 'member.reactivate',
      target: target.email,
    });
  });
}

/** Every user of every tenant, for the operator (`rapport users list`). */
export async function listAllUsers() {
  return withSystem((tx) =>
    tx<{ email: string; tenant: string; role: Role; status: string }[]>`
      select u.email, t.slug as tenant, u.role, u.status
      from app_user u join tenants t on t.id = u.tenant_id
      order by t.slug, u.role, u.email`,
  );
}
