// Sign-in: one message for unknown user and wrong password; failures throttled per account and
// client with an exponential back-off (rate-limit.ts). A browser that signs in gets a device
// cookie, so later it counts as a known client even from a new network.
import crypto from 'node:crypto';
import { getEnv } from '~/.server/env';
import { findUserForSignIn, normaliseEmail } from '~/.server/tenants/members';
import type { Role } from '~/lib/roles';
import { dummyPasswordHash, verifyPassword } from './password';
import { recordSignInFailure, recordSignInSuccess, signInThrottle } from './rate-limit';
import { startSession } from './session';

export const SIGN_IN_FAILED = 'That email and password do not match an active account.';
export const DEVICE_COOKIE = 'rapport_device';
const DEVICE_COOKIE_DAYS = 365;

export type SignInResult =
  | { ok: true; cookie: string; role: Role; deviceCookie: string | null }
  | { ok: false; error: string; status: 400 | 429; retryAfterSeconds?: number };

export async function signIn(input: { email: string; password: string; ip: string; deviceToken?: string | null; now?: Date }): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const deviceToken = validDeviceToken(input.deviceToken);
  const client = { ip: input.ip, deviceToken };
  const throttle = await signInThrottle(email, client, input.now);
  if (throttle.blocked) {
    return { ok: false, status: 429, error: tooManyAttempts(throttle.retryAfterSeconds), retryAfterSeconds: throttle.retryAfterSeconds };
  }
  const user = await findUserForSignIn(email);
  const hash = user?.passwordHash ?? (await dummyPasswordHash());
  const valid = await verifyPassword(hash, input.password);
  if (!user || !user.passwordHash || !valid || user.status !== 'active') {
    await recordSignInFailure(email, client, user ? { userId: user.id, tenantId: user.tenantId } : null, input.now);
    return { ok: false, status: 400, error: SIGN_IN_FAILED };
  }
  const newDevice = deviceToken ? null : crypto.randomBytes(24).toString('base64url');
  await recordSignInSuccess(email, { ip: input.ip, deviceToken: deviceToken ?? newDevice }, input.now);
  return {
    ok: true,
    cookie: await startSession({ id: user.id, tenantId: user.tenantId }),
    role: user.role,
    deviceCookie: newDevice ? serializeDeviceCookie(newDevice) : null,
  };
}

export function tooManyAttempts(seconds: number): string {
  const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many attempts. Please wait ${wait} and try again.`;
}

/** The device token from a Cookie header, if any. */
export function readDeviceToken(cookieHeader: string | null | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === DEVICE_COOKIE) return validDeviceToken(rest.join('='));
  }
  return null;
}

function validDeviceToken(token: string | null | undefined): string | null {
  return token && /^[A-Za-z0-9_-]{20,64}$/.test(token) ? token : null;
}

function serializeDeviceCookie(token: string): string {
  const env = getEnv();
  const secure = env.COOKIE_SECURE ?? env.NODE_ENV === 'production';
  return `${DEVICE_COOKIE}=${token}; Path=/; Max-Age=${DEVICE_COOKIE_DAYS * 86400}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeRedirect(to: string | null | undefined, fallback: string) {
  if (!to || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}
