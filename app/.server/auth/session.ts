// Resolves the signed-in person for one request (once, in the server's load context), renews
// the session cookie when Lucia extends it, and ends sessions of deactivated members.
import type { Session, User } from 'lucia';
import { lucia } from './lucia';

export type RequestAuth = { user: User | null; session: Session | null; setCookie: string | null };

export async function resolveSession(cookieHeader: string | null | undefined): Promise<RequestAuth> {
  const l = lucia();
  const sessionId = l.readSessionCookie(cookieHeader ?? '');
  if (!sessionId) return { user: null, session: null, setCookie: null };
  const { session, user } = await l.validateSession(sessionId);
  if (!session || !user) {
    return { user: null, session: null, setCookie: l.createBlankSessionCookie().serialize() };
  }
  if (user.status !== 'active') {
    await l.invalidateUserSessions(user.id);
    return { user: null, session: null, setCookie: l.createBlankSessionCookie().serialize() };
  }
  const setCookie = session.fresh ? l.createSessionCookie(session.id).serialize() : null;
  return { user, session, setCookie };
}

export async function startSession(user: { id: string; tenantId: string }): Promise<string> {
  const session = await lucia().createSession(user.id, { tenant_id: user.tenantId });
  return lucia().createSessionCookie(session.id).serialize();
}

export async function endSession(sessionId: string): Promise<string> {
  await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}
