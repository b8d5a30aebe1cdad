// sql.begin() that survives its connection dying. postgres.js 3.4.9 answers a failed transaction
// with its own ROLLBACK, and writes it even when the connection has just closed: the write is put
// off to setImmediate and then reads the socket the close handler has set to null, so
// `TypeError: Cannot read properties of null (reading 'write')` is thrown outside any promise and
// the process dies (porsager/postgres#1154, #1208; fixes unmerged). A query of the transaction
// issued after the close (work that awaited something else meanwhile) does the same, and once a
// closed connection has reconnected for another caller, a late ROLLBACK or COMMIT would end that
// caller's transaction instead. A database restart or a cut connection took down the ingestion
// job process and the web process this way (ADR 065, session 12).
//
// So once the connection is lost, nothing more is written on it: the work's queries throw a
// connection error instead of reaching postgres.js, and the work's own outcome is never handed
// back to begin(), which rejects by itself when the connection closes (its onclose race) — the
// server has rolled the transaction back. The caller sees the usual connection error
// (isDatabaseUnavailable), so retries and 503s work as before.
import { isDatabaseUnavailable } from './errors';
import type { Sql, Tx } from './client';

/** How long begin() is given to notice a lost connection before the caller is answered anyway. */
const CLOSE_GRACE_MS = 10_000;

function connectionLost(): Error {
  return Object.assign(new Error('the database connection closed during the transaction'), { code: 'CONNECTION_CLOSED' });
}

export async function transaction<T>(sql: Sql, work: (tx: Tx) => Promise<T>, options = ''): Promise<T> {
  let lost: unknown;
  const never = new Promise<never>(() => {});
  // Settled when the work saw the connection go, in case begin() does not notice by itself.
  let giveUp: ((err: unknown) => void) | undefined;
  const gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
  gaveUp.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const markLost = (err: unknown) => {
    if (lost) return;
    lost = err;
    timer = setTimeout(() => giveUp?.(err), CLOSE_GRACE_MS);
    timer.unref?.();
  };

  const begun = sql.begin(options, async (tx) => {
    const guarded = guard(tx as unknown as Tx, () => lost);
    try {
      const result = await work(guarded);
      // The work swallowed a lost connection and finished: COMMIT cannot be sent either.
      return lost ? never : result;
    } catch (err) {
      if (lost || isDatabaseUnavailable(err)) {
        markLost(lost ?? err);
        return never;
      }
      throw err;
    }
  }) as Promise<T>;
  try {
    return await Promise.race([begun, gaveUp]);
  } catch (err) {
    // begin() rejected because the connection closed: any query the work still issues must not be written.
    if (isDatabaseUnavailable(err)) lost ??= err;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The transaction's sql, refusing (with a connection error) to issue a query once the connection is lost. */
function guard(tx: Tx, lost: () => unknown): Tx {
  const check = () => {
    if (lost()) throw connectionLost();
  };
  return new Proxy(tx, {
    apply(target, self, args) {
      check();
      return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, self, args);
    },
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if ((prop === 'unsafe' || prop === 'file') && typeof value === 'function') {
        return (...args: unknown[]) => {
          check();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
}
