// Sign-in rate limits, kept in Postgres so they hold across restarts and web instances:
// per account and per IP, counting failures in a sliding window.
import { withSystem } from '~/.server/db/tenant';

export const LIMITS = {
  account: { failures: 5, windowMinutes: 15 },
  ip: { failures: 30, windowMinutes: 15 },
};

export async function signInBlocked(email: string, ip: string): Promise<{ blocked: boolean; retryAfterMinutes: number }> {
  return withSystem(async (tx) => {
    const [row] = await tx<{ account: number; ip: number }[]>`
      select
        count(*) filter (where key = ${'acct:' + email} and at > now() - make_interval(mins => ${LIMITS.account.windowMinutes}))::int as account,
        count(*) filter (where key = ${'ip:' + ip} and at > now() - make_interval(mins => ${LIMITS.ip.windowMinutes}))::int as ip
      from login_attempt
      where key in (${'acct:' + email}, ${'ip:' + ip}) and not success`;
    const blocked = row.account >= LIMITS.account.failures || row.ip >= LIMITS.ip.failures;
    return { blocked, retryAfterMinutes: LIMITS.account.windowMinutes };
  });
}

export async function recordSignInAttempt(email: string, ip: string, success: boolean) {
  await withSystem(async (tx) => {
    if (success) {
      // A successful sign-in clears the account's failures (not the IP's).
      await tx`delete from login_attempt where key = ${'acct:' + email}`;
      return;
    }
    await tx`insert into login_attempt (key, success) values (${'acct:' + email}, false), (${'ip:' + ip}, false)`;
    await tx`delete from login_attempt where at < now() - interval '1 day'`;
  });
}
