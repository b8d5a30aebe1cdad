// Factories shared by tests: unique tenants and members in the test file's database.
import crypto from 'node:crypto';
import { createMember } from '~/.server/tenants/members';
import { createTenant } from '~/.server/tenants/tenants';
import type { TenantSettings } from '~/lib/culture';
import type { Role } from '~/lib/roles';

export const TEST_PASSWORD = 'correct-horse-battery';

export function uniqueSlug(prefix = 't') {
  return `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}

export async function makeTenant(opts: { slug?: string; name?: string; settings?: Partial<TenantSettings> } = {}) {
  const slug = opts.slug ?? uniqueSlug();
  return createTenant({ slug, name: opts.name ?? `Tenant ${slug}`, settings: opts.settings });
}

export async function makeMember(tenantId: string, role: Role = 'manager', opts: { email?: string; password?: string } = {}) {
  const email = opts.email ?? `${role}-${crypto.randomBytes(4).toString('hex')}@example.test`;
  return createMember({ tenantId, email, role, password: opts.password ?? TEST_PASSWORD, actor: { userId: null, label: 'test' } });
}

/** A load context like the server builds for a signed-in request. */
export async function contextFor(user: { id: string; tenantId: string } | null) {
  const { resolveSession, startSession } = await import('~/.server/auth/session');
  if (!user) return { auth: { user: null, session: null, setCookie: null }, cspNonce: '', clientIp: '127.0.0.1' };
  const cookie = await startSession(user);
  const auth = await resolveSession(cookie.split(';')[0]);
  return { auth, cspNonce: '', clientIp: '127.0.0.1' };
}
