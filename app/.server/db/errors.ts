// Which database errors mean "the database is not reachable right now" (a restart, a cut
// connection, a refused connect), as opposed to a wrong query or a violated constraint: work that
// failed for the first reason is retried or answered with 503; for the second it is a bug or bad input.
const CONNECTION_CODES = new Set([
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // Node sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
  // SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now
  '57P01',
  '57P02',
  '57P03',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; errno?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : '';
    // SQLSTATE class 08: connection exception.
    if (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/** A unique constraint said no (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === '23505';
}

/**
 * Runs `work` again while it fails because the database is unreachable, for up to `forMs`
 * (a restart takes seconds), with a growing pause between tries; any other error, or the time
 * running out, is thrown. `work` must be safe to repeat (see storeAnswer).
 */
export async function retryWhileDatabaseUnavailable<T>(work: (attempt: number) => Promise<T>, opts: { forMs: number }): Promise<T> {
  const deadline = Date.now() + opts.forMs;
  for (let attempt = 1, pause = 100; ; attempt++, pause = Math.min(1000, pause * 2)) {
    try {
      return await work(attempt);
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + pause > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
