import { formatDemoLogins, seedDemoTenants } from '~/.server/seed';
import type { Command } from '../command';
import '~/.server/culture/seed-packs';
import '~/.server/evaluation/seed-cases';

export const commands: Command[] = [
  {
    name: 'seed',
    summary: 'Create the demo tenants from tenants/ (skipped when already seeded, unless --force)',
    usage: 'seed [--force]',
    options: { force: { type: 'boolean' } },
    async run({ values, io }) {
      const result = await seedDemoTenants({ force: !!values.force, log: (l) => io.stdout.write(l + '\n') });
      io.stdout.write(result.seeded ? formatDemoLogins(result) + '\n' : 'already seeded (use --force to add missing demo tenants and users)\n');
    },
  },
];
