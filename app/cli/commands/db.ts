import { db, databaseUrl } from '~/.server/db/client';
import { migrate } from '~/.server/db/migrate';
import type { Command } from '../command';

export const commands: Command[] = [
  {
    name: 'db migrate',
    summary: 'Apply pending SQL migrations (a no-op when up to date)',
    usage: 'db migrate',
    async run({ io }) {
      // withCliDatabase already migrated; run again to report what (if anything) is pending.
      const applied = await migrate(db(), { log: (l) => io.stdout.write(l + '\n') });
      const [{ count }] = await db()<{ count: number }[]>`select count(*)::int as count from schema_migrations`;
      io.stdout.write(applied.length ? `applied ${applied.length} migration(s)\n` : `up to date (${count} migrations applied)\n`);
    },
  },
  {
    name: 'db url',
    summary: 'Print the connection string of the database in use (for psql)',
    usage: 'db url',
    async run({ io }) {
      io.stdout.write(databaseUrl() + '\n');
    },
  },
];
