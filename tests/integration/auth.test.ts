import { describe, expect, it } from 'vitest';
import { requireRole, requireUser } from '~/.server/auth/guards';
import { resolveSession } from '~/.server/auth/session';
import { THROTTLE } from '~/.server/auth/rate-limit';
import { SIGN_IN_FAILED, safeRedirect, signIn } from '~/.server/auth/sign-in';
import { setMemberStatus } from '~/.server/tenants/members';
import { db, useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant, TEST_PASSWORD } from '../helpers/factories';

useTestDatabase();

describe('sign-in', () => {
  it('stores argon2id hashes, never the password', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id);
    const [row] = await db()`select password_hash from app_user where id = ${m.id}`;
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(TEST_PASSWORD);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id);
    const wrong = await signIn({ email: m.email, password: 'nope-nope-nope', ip: '10.0.0.1' });
    const unknown = await signIn({ email: 'nobody@example.test', password: 'nope-nope-nope', ip: '10.0.0.1' });
    expect(wrong).toEqual({ ok: false, status: 400, error: SIGN_IN_FAILED });
    expect(unknown).toEqual(wrong);
  });

  it('signs in, and the cookie resolves to the user with a session', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id, 'hr_admin');
    const result = await signIn({ email: m.email.toUpperCase(), password: TEST_PASSWORD, ip: '10.0.0.2' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.role).toBe('hr_admin');
    expect(result.cookie).toMatch(/rapport_session=.+; .*HttpOnly/i);
    expect(result.cookie).toMatch(/SameSite=Lax/i);
    const auth = await resolveSession(result.cookie.split(';')[0]);
    expect(auth.user?.email).toBe(m.email);
    expect(auth.user?.tenantId).toBe(t.id);
  });

  it('throttles an account failing from many new clients — new clients wait, even with the right password', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id);
    for (let i = 0; i < THROTTLE.account.free; i++) await signIn({ email: m.email, password: 'wrong-password-x', ip: `10.1.0.${i}` });
    const blocked = await signIn({ email: m.email, password: TEST_PASSWORD, ip: '10.1.0.99' });
    expect(blocked).toMatchObject({ ok: false, status: 429, retryAfterSeconds: THROTTLE.account.baseSeconds });
  });

  it('rate-limits an IP that tries many accounts', async () => {
    for (let i = 0; i < 30; i++) await signIn({ email: `guess${i}@example.test`, password: 'x-x-x-x-x-x', ip: '10.9.9.9' });
    const t = await makeTenant();
    const m = await makeMember(t.id);
    const blocked = await signIn({ email: m.email, password: TEST_PASSWORD, ip: '10.9.9.9' });
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    const elsewhere = await signIn({ email: m.email, password: TEST_PASSWORD, ip: '10.9.9.10' });
    expect(elsewhere.ok).toBe(true);
  });

  it('ends the sessions of a deactivated member', async () => {
    const t = await makeTenant();
    const admin = await makeMember(t.id, 'tenant_admin');
    const m = await makeMember(t.id);
    const ctx = await contextFor(m);
    expect(ctx.auth.user?.id).toBe(m.id);
    await setMemberStatus({ tenantId: t.id, userId: m.id, status: 'deactivated', actor: { userId: admin.id, label: admin.email } });
    const [{ n }] = await db()`select count(*)::int as n from user_session where user_id = ${m.id}`;
    expect(n).toBe(0);
    const again = await signIn({ email: m.email, password: TEST_PASSWORD, ip: '10.2.0.1' });
    expect(again).toEqual({ ok: false, status: 400, error: SIGN_IN_FAILED });
  });

  it('guards: signed-out visitors are redirected to sign-in, wrong roles get 403', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id, 'manager');
    const request = new Request('http://localhost/admin/members?x=1');
    try {
      requireUser({ request, context: (await contextFor(null)) as never });
      expect.unreachable();
    } catch (err) {
      expect((err as Response).status).toBe(302);
      expect((err as Response).headers.get('Location')).toBe('/login?redirectTo=%2Fadmin%2Fmembers%3Fx%3D1');
    }
    const context = (await contextFor(m)) as never;
    try {
      requireRole({ request, context }, 'tenant_admin');
      expect.unreachable();
    } catch (err) {
      expect((err as Response).status).toBe(403);
    }
    expect(requireRole({ request, context }, 'manager').id).toBe(m.id);
  });

  it('follows only same-site redirects after sign-in', () => {
    expect(safeRedirect('/admin', '/')).toBe('/admin');
    expect(safeRedirect('//evil.example', '/')).toBe('/');
    expect(safeRedirect('https://evil.example', '/')).toBe('/');
    expect(safeRedirect('/\\evil.example', '/')).toBe('/');
  });
});
