// Sign-in throttling that cannot be turned into a lockout (issue 13, item 11): per account and
// client, exponential back-off, the owner's known device or IP keeps working, and an audit entry.
import { describe, expect, it } from 'vitest';
import { backoffSeconds, THROTTLE } from '~/.server/auth/rate-limit';
import { readDeviceToken, signIn } from '~/.server/auth/sign-in';
import { listAuditLog } from '~/.server/governance/audit';
import { action as loginAction } from '~/routes/login';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant, TEST_PASSWORD } from '../helpers/factories';

useTestDatabase();

const WRONG = 'not-the-password-1';
const at = (t0: number, seconds: number) => new Date(t0 + seconds * 1000);

describe('sign-in throttling', () => {
  it('an attacker failing from many addresses cannot lock the owner out of a known device or IP', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id);
    const t0 = Date.now();
    // The owner signed in before: from the office IP, and from a phone (device cookie) elsewhere.
    const office = await signIn({ email: m.email, password: TEST_PASSWORD, ip: '198.51.100.7', now: at(t0, 0) });
    expect(office.ok).toBe(true);
    const phoneCookie = office.ok ? office.deviceCookie : null;
    const phone = readDeviceToken(phoneCookie);
    expect(phone).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    // 40 wrong passwords from 40 addresses (and so many more than any account-wide limit).
    for (let i = 0; i < 40; i++) await signIn({ email: m.email, password: WRONG, ip: `203.0.113.${i}`, now: at(t0, 1 + i) });
    const now = at(t0, 45);

    // A new client with the right password has to wait …
    expect(await signIn({ email: m.email, password: TEST_PASSWORD, ip: '192.0.2.50', now })).toMatchObject({ ok: false, status: 429 });
    // … the owner does not: the known IP, and the known device on a new network.
    expect((await signIn({ email: m.email, password: TEST_PASSWORD, ip: '198.51.100.7', now })).ok).toBe(true);
    expect((await signIn({ email: m.email, password: TEST_PASSWORD, ip: '192.0.2.77', deviceToken: phone, now })).ok).toBe(true);
  });

  it('slows one client down exponentially, without touching the same account elsewhere', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id);
    const t0 = Date.now();
    const ip = '203.0.113.200';
    for (let i = 0; i < THROTTLE.pair.free; i++) {
      expect(await signIn({ email: m.email, password: WRONG, ip, now: at(t0, i) })).toMatchObject({ ok: false, status: 400 });
    }
    let clock = THROTTLE.pair.free - 1;
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const refused = await signIn({ email: m.email, password: TEST_PASSWORD, ip, now: at(t0, clock) });
      expect(refused).toMatchObject({ ok: false, status: 429 });
      const wait = refused.ok ? 0 : refused.retryAfterSeconds!;
      waits.push(wait);
      // Still refused a second before the wait is over; once it is over, one more try (wrong again).
      expect(await signIn({ email: m.email, password: TEST_PASSWORD, ip, now: at(t0, clock + wait - 1) })).toMatchObject({ status: 429 });
      clock += wait;
      expect(await signIn({ email: m.email, password: WRONG, ip, now: at(t0, clock) })).toMatchObject({ ok: false, status: 400 });
    }
    const base = THROTTLE.pair.baseSeconds;
    expect(waits).toEqual([base, base * 2, base * 4, base * 8]);
    expect(backoffSeconds('pair', 100)).toBe(THROTTLE.pair.maxSeconds);
    // The same account from another address is not slowed by this client's failures.
    expect((await signIn({ email: m.email, password: TEST_PASSWORD, ip: '198.51.100.9', now: at(t0, clock) })).ok).toBe(true);
  });

  it('writes an audit entry to the account’s tenant when a throttle starts, without the full address', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id);
    const t0 = Date.now();
    for (let i = 0; i < THROTTLE.pair.free + 2; i++) await signIn({ email: m.email, password: WRONG, ip: '203.0.113.99', now: at(t0, i * 600) });
    const entries = await listAuditLog({ tenantId: t.id, action: 'auth.sign_in_throttled' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ target: m.email, details: { failures: THROTTLE.pair.free, client: '203.0.113.x' } });
    expect(JSON.stringify(entries[0])).not.toContain('203.0.113.99');
  });

  it('the sign-in form answers 429 with the wait, and sets a device cookie on success', async () => {
    const t = await makeTenant();
    const m = await makeMember(t.id);
    const ctx = (await contextFor(null)) as never;
    const form = (password: string) =>
      new Request('http://x/login', { method: 'POST', body: new URLSearchParams({ email: m.email, password }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const ok = await loginAction({ request: form(TEST_PASSWORD), context: { ...(ctx as object), clientIp: '198.51.100.1' } as never, params: {} }).catch((r) => r);
    expect((ok as Response).status).toBe(302);
    const cookies = (ok as Response).headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith('rapport_device=') && /HttpOnly/i.test(c))).toBe(true);
    for (let i = 0; i < THROTTLE.pair.free; i++) await loginAction({ request: form(WRONG), context: { ...(ctx as object), clientIp: '203.0.113.5' } as never, params: {} });
    const refused = (await loginAction({ request: form(TEST_PASSWORD), context: { ...(ctx as object), clientIp: '203.0.113.5' } as never, params: {} })) as {
      data: { formError: string };
      init: { status: number };
    };
    expect(refused.init.status).toBe(429);
    expect(refused.data.formError).toMatch(/Too many attempts\. Please wait \d+ seconds/);
  });
});
