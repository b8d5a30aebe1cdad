// Sign-in throttling, kept in Postgres so it holds across restarts and web instances (issue 13,
// item 11; OWASP: throttle, do not lock out). Failures slow down, exponentially:
//   - each account+client pair after a few failures (the client is the device cookie when the
//     browser has one, else the IP address);
//   - the account as a whole, and each IP address across accounts — but only for clients the
//     account has never signed in from. A device or IP the owner signed in from before is slowed
//     by its own failures only, so nobody can lock the owner out by failing from elsewhere.
// The moment a throttle starts is written to the account's tenant audit log.
import crypto from 'node:crypto';
import type { Tx } from '~/.server/db/client';
import { withSystem } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';

/** free: failures allowed before waiting; then base × 2^(extra failures), at most max. */
export const THROTTLE = {
  pair: { free: 3, baseSeconds: 15, maxSeconds: 15 * 60, windowMinutes: 24 * 60 },
  account: { free: 10, baseSeconds: 30, maxSeconds: 15 * 60, windowMinutes: 60 },
  ip: { free: 30, baseSeconds: 30, maxSeconds: 15 * 60, windowMinutes: 15 },
};
/** How long a client stays known after its last successful sign-in. */
export const KNOWN_CLIENT_DAYS = 90;

type Scope = keyof typeof THROTTLE;

export interface SignInClient {
  ip: string;
  /** The browser's device cookie, if it sent one. */
  deviceToken?: string | null;
}

export interface ThrottleDecision {
  blocked: boolean;
  retryAfterSeconds: number;
  /** Whether the account signed in from this device or IP before (only its own failures slow it). */
  knownClient: boolean;
}

/** Seconds to wait after the latest of `failures` failures (0 = no wait). */
export function backoffSeconds(scope: Scope, failures: number): number {
  const t = THROTTLE[scope];
  if (failures < t.free) return 0;
  return Math.min(t.baseSeconds * 2 ** (failures - t.free), t.maxSeconds);
}

export function deviceClientKey(token: string): string {
  return `device:${crypto.createHash('sha256').update(token).digest('base64url')}`;
}

/** The one client identity failures are counted against: the device when known to the browser, else the IP. */
function clientKey(client: SignInClient): string {
  return client.deviceToken ? deviceClientKey(client.deviceToken) : `ip:${client.ip}`;
}

function keys(email: string, client: SignInClient) {
  return { pair: `pair:${email}|${clientKey(client)}`, account: `acct:${email}`, ip: `ip:${client.ip}` };
}

type Counts = Record<Scope, { n: number; last: Date | null }>;

async function countFailures(tx: Tx, email: string, client: SignInClient, now: Date): Promise<Counts> {
  const k = keys(email, client);
  const rows = await tx<{ key: string; n: number; last: Date | null }[]>`
    select key, count(*)::int as n, max(at) as last
    from login_attempt
    where not success and (
      (key = ${k.pair} and at > ${now}::timestamptz - make_interval(mins => ${THROTTLE.pair.windowMinutes})) or
      (key = ${k.account} and at > ${now}::timestamptz - make_interval(mins => ${THROTTLE.account.windowMinutes})) or
      (key = ${k.ip} and at > ${now}::timestamptz - make_interval(mins => ${THROTTLE.ip.windowMinutes})))
    group by key`;
  const of = (key: string) => {
    const row = rows.find((r) => r.key === key);
    return { n: row?.n ?? 0, last: row?.last ? new Date(row.last) : null };
  };
  return { pair: of(k.pair), account: of(k.account), ip: of(k.ip) };
}

async function isKnownClient(tx: Tx, email: string, client: SignInClient, now: Date): Promise<boolean> {
  const candidates = [`ip:${client.ip}`, ...(client.deviceToken ? [deviceClientKey(client.deviceToken)] : [])];
  const [row] = await tx`
    select 1 from sign_in_known_client
    where account = ${email} and client in ${tx(candidates)}
      and last_success_at > ${now}::timestamptz - make_interval(days => ${KNOWN_CLIENT_DAYS})
    limit 1`;
  return Boolean(row);
}

function waitLeft(scope: Scope, count: { n: number; last: Date | null }, now: Date): number {
  const wait = backoffSeconds(scope, count.n);
  if (wait === 0 || !count.last) return 0;
  return Math.max(0, Math.ceil((count.last.getTime() + wait * 1000 - now.getTime()) / 1000));
}

export async function signInThrottle(email: string, client: SignInClient, now = new Date()): Promise<ThrottleDecision> {
  return withSystem(async (tx) => {
    const [counts, knownClient] = await Promise.all([countFailures(tx, email, client, now), isKnownClient(tx, email, client, now)]);
    const scopes: Scope[] = knownClient ? ['pair'] : ['pair', 'account', 'ip'];
    const retryAfterSeconds = Math.max(0, ...scopes.map((s) => waitLeft(s, counts[s], now)));
    return { blocked: retryAfterSeconds > 0, retryAfterSeconds, knownClient };
  });
}

export async function recordSignInFailure(
  email: string,
  client: SignInClient,
  account: { userId: string; tenantId: string } | null,
  now = new Date(),
) {
  await withSystem(async (tx) => {
    const k = keys(email, client);
    await tx`insert into login_attempt (key, success, at) values (${k.pair}, false, ${now}), (${k.account}, false, ${now}), (${k.ip}, false, ${now})`;
    await tx`delete from login_attempt where at < ${now}::timestamptz - interval '1 day'`;
    if (!account) return;
    // The failure that starts a throttle is audited once (later ones only lengthen the wait).
    const counts = await countFailures(tx, email, client, now);
    for (const scope of ['pair', 'account'] as const) {
      if (counts[scope].n !== THROTTLE[scope].free) continue;
      await recordAudit(tx, {
        tenantId: account.tenantId,
        actorUserId: null,
        actorLabel: `sign-in from ${maskIp(client.ip)}`,
        action: 'auth.sign_in_throttled',
        target: email,
        details: {
          scope: scope === 'pair' ? 'this account from one client' : 'this account from new clients',
          failures: counts[scope].n,
          waitSeconds: backoffSeconds(scope, counts[scope].n),
          client: maskIp(client.ip),
        },
      });
    }
  });
}

/** After a successful sign-in: the client's failures are cleared and it becomes known. */
export async function recordSignInSuccess(email: string, client: SignInClient, now = new Date()) {
  await withSystem(async (tx) => {
    await tx`delete from login_attempt where key = ${keys(email, client).pair}`;
    const known = [`ip:${client.ip}`, ...(client.deviceToken ? [deviceClientKey(client.deviceToken)] : [])];
    for (const c of known) {
      await tx`insert into sign_in_known_client (account, client, last_success_at) values (${email}, ${c}, ${now})
        on conflict (account, client) do update set last_success_at = excluded.last_success_at`;
    }
    await tx`delete from sign_in_known_client where last_success_at < ${now}::timestamptz - make_interval(days => ${KNOWN_CLIENT_DAYS})`;
  });
}

/** Enough of an address for an admin to tell attempts apart, not a full record of where people are. */
export function maskIp(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.x`;
  if (ip.includes(':')) return `${ip.split(':').slice(0, 3).join(':')}:…`;
  return ip || 'unknown';
}
