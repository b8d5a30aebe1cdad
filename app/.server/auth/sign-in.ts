// Sign-in: one message for unknown user and wrong password, rate limits per account and IP.
import { findUserForSignIn, normaliseEmail } from '~/.server/tenants/members';
import type { Role } from '~/lib/roles';
import { dummyPasswordHash, verifyPassword } from './password';
import { recordSignInAttempt, signInBlocked } from './rate-limit';
import { startSession } from './session';

export const SIGN_IN_FAILED = 'That email and password do not match an active account.';

export type SignInResult = { ok: true; cookie: string; role: Role } | { ok: false; error: string; status: 400 | 429 };

export async function signIn(input: { email: string; password: string; ip: string }): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const limit = await signInBlocked(email, input.ip);
  if (limit.blocked) {
    return { ok: false, status: 429, error: `Too many attempts. Please wait ${limit.retryAfterMinutes} minutes and try again.` };
  }
  const user = await findUserForSignIn(email);
  const hash = user?.passwordHash ?? (await dummyPasswordHash());
  const valid = await verifyPassword(hash, input.password);
  if (!user || !user.passwordHash || !valid || user.status !== 'active') {
    await recordSignInAttempt(email, input.ip, false);
    return { ok: false, status: 400, error: SIGN_IN_FAILED };
  }
  await recordSignInAttempt(email, input.ip, true);
  return { ok: true, cookie: await startSession({ id: user.id, tenantId: user.tenantId }), role: user.role };
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeRedirect(to: string | null | undefined, fallback: string) {
  if (!to || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}
