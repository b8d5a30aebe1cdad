// Invites: a single-use, expiring link that a tenant admin hands over (no mail server assumed).
// Only a hash of the token is stored, so the database never holds a usable link.
import crypto from 'node:crypto';
import { hashPassword } from '~/.server/auth/password';
import type { Tx } from '~/.server/db/client';
import { withSystem, withTenant } from '~/.server/db/tenant';
import { getEnv } from '~/.server/env';
import { recordAudit } from '~/.server/governance/audit';
import type { Role } from '~/lib/roles';
import { emailInUse, MemberError, normaliseEmail, type Member } from './members';

export class InviteError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid' | 'expired' | 'used' | 'email_taken',
  ) {
    super(message);
  }
}

function hashToken(token: string) {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function inviteUrl(token: string, origin?: string) {
  const env = getEnv();
  const base = origin ?? env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  return new URL(`/invite/${token}`, base).toString();
}

export async function createInvite(input: {
  tenantId: string;
  email: string;
  role: Role;
  actor: { userId: string; label: string };
}): Promise<{ token: string; expiresAt: Date }> {
  const email = normaliseEmail(input.email);
  if (await emailInUse(email)) throw new MemberError(`${email} already has an account.`, 'email_taken');
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + getEnv().INVITE_HOURS * 3600_000);
  await withTenant(input.tenantId, async (tx) => {
    await tx`insert into invite (tenant_id, email, role, token_hash, created_by, expires_at)
      values (${input.tenantId}, ${email}, ${input.role}, ${hashToken(token)}, ${input.actor.userId}, ${expiresAt})`;
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actor.userId,
      actorLabel: input.actor.label,
      action: 'member.invite',
      target: email,
      details: { role: input.role, expiresAt: expiresAt.toISOString() },
    });
  });
  return { token, expiresAt };
}

export type PendingInvite = { id: string; email: string; role: Role; createdAt: Date; expiresAt: Date };

export async function listPendingInvites({ tenantId }: { tenantId: string }): Promise<PendingInvite[]> {
  return withTenant(tenantId, (tx) =>
    tx<PendingInvite[]>`select id, email, role, created_at as "createdAt", expires_at as "expiresAt"
      from invite where tenant_id = ${tenantId} and used_at is null and expires_at > now() order by created_at desc`,
  );
}

type InviteRow = { id: string; tenantId: string; email: string; role: Role; expiresAt: Date; usedAt: Date | null; tenantName: string };

/** The token is the only credential a visitor has, so this lookup is cross-tenant by design. */
async function findInvite(tx: Tx, token: string): Promise<InviteRow> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new InviteError('This invite link is not valid.', 'invalid');
  const [row] = await tx<InviteRow[]>`
    select i.id, i.tenant_id as "tenantId", i.email, i.role, i.expires_at as "expiresAt", i.used_at as "usedAt", t.name as "tenantName"
    from invite i join tenants t on t.id = i.tenant_id
    where i.token_hash = ${hashToken(token)} for update of i`;
  if (!row) throw new InviteError('This invite link is not valid.', 'invalid');
  if (row.usedAt) throw new InviteError('This invite link has already been used. Sign in instead, or ask your admin for a new link.', 'used');
  if (row.expiresAt.getTime() <= Date.now()) throw new InviteError('This invite link has expired. Ask your admin for a new one.', 'expired');
  return row;
}

export async function peekInvite(token: string) {
  const row = await withSystem((tx) => findInvite(tx, token));
  return { email: row.email, role: row.role, tenantName: row.tenantName, expiresAt: row.expiresAt };
}

/** Creates the member and uses the invite up, atomically: a second use fails. */
export async function acceptInvite(input: { token: string; password: string; displayName: string }): Promise<Member> {
  const passwordHash = await hashPassword(input.password);
  return withSystem(async (tx) => {
    const invite = await findInvite(tx, input.token);
    const [taken] = await tx`select 1 from app_user where email = ${invite.email}`;
    if (taken) throw new InviteError(`${invite.email} already has an account. Sign in instead.`, 'email_taken');
    const id = crypto.randomUUID();
    const [member] = await tx<Member[]>`
      insert into app_user (tenant_id, id, email, display_name, role, password_hash)
      values (${invite.tenantId}, ${id}, ${invite.email}, ${input.displayName || invite.email.split('@')[0]}, ${invite.role}, ${passwordHash})
      returning id, tenant_id as "tenantId", email, display_name as "displayName", role, status, created_at as "createdAt"`;
    await tx`update invite set used_at = now() where tenant_id = ${invite.tenantId} and id = ${invite.id}`;
    await recordAudit(tx, {
      tenantId: invite.tenantId,
      actorUserId: id,
      actorLabel: invite.email,
      action: 'member.invite_accepted',
      target: invite.email,
      details: { role: invite.role },
    });
    return member;
  });
}
