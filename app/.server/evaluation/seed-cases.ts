// First start: each demo tenant's scenarios (tenants/<slug>/scenarios.json) become its evaluation set in the
// database, so Compare models and `rapport eval --models` have cases to run. Imported for its side effect by
// boot.ts and the `rapport seed` command; a tenant that already has cases is left alone.
import fs from 'node:fs';
import path from 'node:path';
import { importScenarios, listEvalCases } from '~/.server/review/cases';
import { onTenantSeeded } from '~/.server/seed';
import { readScenarios } from './scenarios';

onTenantSeeded(async (tenant, { dir }) => {
  const file = path.join(dir, 'scenarios.json');
  if (!fs.existsSync(file)) return;
  if ((await listEvalCases({ tenantId: tenant.id })).length > 0) return;
  await importScenarios({ tenantId: tenant.id, scenarios: readScenarios(file), actorLabel: 'seed' });
});
