// Helpers for running the integration tests on a real PostgreSQL server (TEST_POSTGRES_URL).
import type { Sql } from '../../app/.server/db/client';

/** Every database the test suite creates on a real server starts with this. */
export const TEST_DB_PREFIX = 'rapport_test_';

export function databaseUrlFor(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The run's (or file worker's) pid is the second part of every test database's name. */
function pidOf(name: string): number | null {
  const m = /^rapport_test_(?:tpl_|f_)?(\d+)_/.exec(name);
  return m ? Number(m[1]) : null;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops test databases left behind by runs that were killed (their process is gone). */
export async function dropStaleTestDatabases(admin: Sql) {
  const rows = await admin<{ datname: string }[]>`
    select datname from pg_database where datname like ${TEST_DB_PREFIX + '%'}`;
  for (const { datname } of rows) {
    const pid = pidOf(datname);
    if (pid === null || alive(pid)) continue;
    await admin.unsafe(`alter database "${datname}" is_template false`);
    await admin.unsafe(`drop database if exists "${datname}" with (force)`);
  }
}
