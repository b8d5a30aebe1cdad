// argon2id password hashing (OWASP minimums: m=19 MiB, t=2, p=1).
import { createRequire } from 'node:module';
import type * as argon2Type from '@node-rs/argon2';
import { PASSWORD_MAX, PASSWORD_MIN } from '~/lib/password-rules';

// The native module (≈ 7 MB resident) loads with the first sign-in, not with every web process (docs/decisions/039).
const require = createRequire(import.meta.url);
let argon2: typeof argon2Type | undefined;
const argon = () => (argon2 ??= require('@node-rs/argon2') as typeof argon2Type);

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export { PASSWORD_MAX, PASSWORD_MIN };

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return argon().hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await argon().verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this keeps the timing of "unknown user" close to "wrong password".
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-just-timing');
  return dummyHash;
}
