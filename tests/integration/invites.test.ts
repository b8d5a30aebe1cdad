import { describe, expect, it } from 'vitest';
import { signIn } from '~/.server/auth/sign-in';
import { acceptInvite, createInvite, InviteError, peekInvite } from '~/.server/tenants/invites';
import { changeMemberRole, listMembers, MemberError } from '~/.server/tenants/members';
import { listAuditLog } from '~/.server/governance/audit';
import { db, useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

describe('invites and member administration', () => {
  it('an invite link works once, then says it was used', async () => {
    const t = await makeTenant();
    const admin = await makeMember(t.id, 'tenant_admin');
    const { token } = await createInvite({ tenantId: t.id, email: 'New.Person@Example.test', role: 'hr_admin', actor: { userId: admin.id, label: admin.email } });
    const [stored] = await db()`select token_hash from invite where tenant_id = ${t.id}`;
    expect(stored.token_hash).not.toContain(token);

    expect(await peekInvite(token)).toMatchObject({ email: 'new.person@example.test', role: 'hr_admin', tenantName: t.name });
    const member = await acceptInvite({ token, password: 'a-good-long-password', displayName: 'New Person' });
    expect(member).toMatchObject({ tenantId: t.id, role: 'hr_admin', email: 'new.person@example.test' });
    expect((await signIn({ email: 'new.person@example.test', password: 'a-good-long-password', ip: '1.1.1.1' })).ok).toBe(true);

    await expect(acceptInvite({ token, password: 'another-long-password', displayName: '' })).rejects.toMatchObject({ code: 'used' });
    const audit = await listAuditLog({ tenantId: t.id });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['member.invite', 'member.invite_accepted']));
  });

  it('refuses expired and made-up links with clear messages', async () => {
    const t = await makeTenant();
    const admin = await makeMember(t.id, 'tenant_admin');
    const { token } = await createInvite({ tenantId: t.id, email: 'late@example.test', role: 'manager', actor: { userId: admin.id, label: admin.email } });
    await db()`update invite set expires_at = now() - interval '1 minute' where email = 'late@example.test'`;
    await expect(peekInvite(token)).rejects.toMatchObject({ code: 'expired', message: expect.stringMatching(/expired/) });
    await expect(peekInvite('x'.repeat(43))).rejects.toBeInstanceOf(InviteError);
    await expect(peekInvite('../../etc')).rejects.toMatchObject({ code: 'invalid' });
  });

  it('will not invite an email that already has an account', async () => {
    const t = await makeTenant();
    const admin = await makeMember(t.id, 'tenant_admin');
    const existing = await makeMember(t.id);
    await expect(createInvite({ tenantId: t.id, email: existing.email, role: 'manager', actor: { userId: admin.id, label: admin.email } })).rejects.toBeInstanceOf(MemberError);
  });

  it('changes roles with an audit entry, but not your own', async () => {
    const t = await makeTenant();
    const admin = await makeMember(t.id, 'tenant_admin');
    const m = await makeMember(t.id, 'manager');
    await changeMemberRole({ tenantId: t.id, userId: m.id, role: 'hr_admin', actor: { userId: admin.id, label: admin.email } });
    expect((await listMembers({ tenantId: t.id })).find((x) => x.id === m.id)?.role).toBe('hr_admin');
    await expect(changeMemberRole({ tenantId: t.id, userId: admin.id, role: 'manager', actor: { userId: admin.id, label: admin.email } })).rejects.toMatchObject({
      code: 'self_change',
    });
    const [entry] = await listAuditLog({ tenantId: t.id, action: 'member.role_change' });
    expect(entry.details).toEqual({ from: 'manager', to: 'hr_admin' });
  });

  it("an admin cannot change a member of another tenant", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const adminA = await makeMember(a.id, 'tenant_admin');
    const memberB = await makeMember(b.id, 'manager');
    await expect(changeMemberRole({ tenantId: a.id, userId: memberB.id, role: 'tenant_admin', actor: { userId: adminA.id, label: adminA.email } })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
