// The CLI's database: DATABASE_URL, the running app's embedded server (joined over loopback),
// or DATA_DIR opened directly when no app is running.
import { closeDb, createSql, setDb } from '~/.server/db/client';
import { openProcessDatabase } from '~/.server/db/connect';
import { migrate } from '~/.server/db/migrate';
import { getEnv } from '~/.server/env';

export async function withCliDatabase<T>(work: () => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const env = getEnv();
  const database = await openProcessDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir, join: true, owner: 'rapport command' });
  process.env.RAPPORT_DATABASE_URL = database.url;
  setDb(createSql(database.url, 4));
  try {
    if (opts.migrate !== false) await migrate((await import('~/.server/db/client')).db());
    return await work();
  } finally {
    await closeDb();
    await database.embedded?.close();
  }
}
