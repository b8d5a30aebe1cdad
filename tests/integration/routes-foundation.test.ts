import { describe, expect, it } from 'vitest';
import { action as loginAction } from '~/routes/login';
import { action as membersAction, loader as membersLoader } from '~/routes/admin.members';
import { loader as inviteLoader } from '~/routes/invite.$token';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

type DataResult = { data: unknown; init: { status?: number } | null };
const statusOf = (r: unknown) => (r as DataResult).init?.status ?? 200;
const dataOf = (r: unknown) => (r as DataResult).data as { ok: boolean; formError?: string; fieldErrors?: Record<string, string> };

function post(url: string, body: BodyInit, contentType = 'application/x-www-form-urlencoded') {
  return new Request(url, { method: 'POST', body, headers: { 'Content-Type': contentType } });
}

describe('malformed posts get a 400 with a message, never a 500', () => {
  it('sign-in with missing fields or a body that is not a form', async () => {
    const ctx = (await contextFor(null)) as never;
    const missing = await loginAction({ request: post('http://x/login', 'email=&password='), context: ctx, params: {} });
    expect(statusOf(missing)).toBe(400);
    expect(dataOf(missing).fieldErrors).toMatchObject({ email: expect.any(String), password: expect.any(String) });
    const junk = await loginAction({ request: post('http://x/login', '{"email":1}', 'application/json'), context: ctx, params: {} });
    expect(statusOf(junk)).toBe(400);
    expect(dataOf(junk).formError).toMatch(/could not be read/);
  });

  it('member actions with an unknown intent, a bad email or a bad role', async () => {
    const t = await makeTenant();
    const admin = await makeMember(t.id, 'tenant_admin');
    const ctx = (await contextFor(admin)) as never;
    for (const body of ['intent=explode', 'intent=invite&email=not-an-email&role=manager', 'intent=invite&email=a@b.test&role=king', 'intent=role&role=manager']) {
      const r = await membersAction({ request: post('http://x/admin/members', body), context: ctx, params: {} });
      expect({ body, status: statusOf(r) }).toEqual({ body, status: 400 });
      expect(dataOf(r).ok).toBe(false);
    }
    const foreign = await membersAction({ request: post('http://x/admin/members', 'intent=deactivate&userId=nobody'), context: ctx, params: {} });
    expect(statusOf(foreign)).toBe(404);
  });

  it('a manager is refused the members page and its actions', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id, 'manager');
    const ctx = (await contextFor(m)) as never;
    await expect(membersLoader({ request: new Request('http://x/admin/members'), context: ctx, params: {} })).rejects.toMatchObject({ status: 403 });
    await expect(
      membersAction({ request: post('http://x/admin/members', 'intent=invite&email=a@b.test&role=tenant_admin'), context: ctx, params: {} }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('an unknown invite token is a clear 404, not an error page', async () => {
    const r = await inviteLoader({ request: new Request('http://x/invite/abc'), context: (await contextFor(null)) as never, params: { token: 'abc' } });
    expect(statusOf(r)).toBe(404);
    expect((r as DataResult).data).toMatchObject({ ok: false, error: expect.stringMatching(/not valid/) });
  });
});
