// `npm run bench -- retrieval-quality [--k 5] [--verbose]`: hit@1 and hit@5 of hybrid retrieval over the
// labelled questions in tests/fixtures/retrieval-questions.json, against the demo packs seeded
// into a temporary embedded database (the same path as first start: import, publish, retrieve).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

type Question = { id: string; tenant: string; question: string; document: string };

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { verbose: { type: 'boolean' } }, allowPositionals: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-quality-'));
  process.env.DATA_DIR = dataDir;
  process.env.DEMO_PASSWORD ??= 'bench-password-1';
  const { startEmbeddedDatabase } = await import('~/.server/db/embedded');
  const { createSql, setDb, closeDb } = await import('~/.server/db/client');
  const { migrate } = await import('~/.server/db/migrate');
  const { seedDemoTenants } = await import('~/.server/seed');
  await import('~/.server/culture/seed-packs');
  const { searchPack } = await import('~/.server/culture/retrieve');
  const { resolveEmbedder } = await import('~/.server/culture/embed');
  const { findTenantBySlug } = await import('~/.server/tenants/tenants');
  const { projectPath } = await import('~/.server/env');

  const db = await startEmbeddedDatabase({ dataDir, owner: 'bench retrieval-quality' });
  process.env.RAPPORT_DATABASE_URL = db.url;
  setDb(createSql(db.url, 4));
  try {
    await migrate((await import('~/.server/db/client')).db());
    const seedStarted = performance.now();
    await seedDemoTenants();
    const seedMs = performance.now() - seedStarted;

    const questions = JSON.parse(fs.readFileSync(projectPath('tests', 'fixtures', 'retrieval-questions.json'), 'utf8')) as Question[];
    const embedder = resolveEmbedder();
    const tenantIds = new Map<string, string>();
    let hit1 = 0;
    let hit5 = 0;
    let reciprocalRanks = 0;
    const misses: string[] = [];
    const byTenant = new Map<string, { n: number; hit5: number }>();
    for (const q of questions) {
      if (!tenantIds.has(q.tenant)) tenantIds.set(q.tenant, (await findTenantBySlug(q.tenant))!.id);
      const { passages } = await searchPack({ tenantId: tenantIds.get(q.tenant)!, query: q.question, k: 5, embedder });
      const rank = passages.findIndex((p) => p.documentName === q.document) + 1;
      if (rank === 1) hit1 += 1;
      if (rank >= 1) {
        hit5 += 1;
        reciprocalRanks += 1 / rank;
      } else {
        misses.push(`  ${q.id} ${q.tenant}: "${q.question}" → wanted ${q.document}, got ${passages.map((p) => p.documentName).join(', ')}`);
      }
      const t = byTenant.get(q.tenant) ?? { n: 0, hit5: 0 };
      t.n += 1;
      if (rank >= 1) t.hit5 += 1;
      byTenant.set(q.tenant, t);
    }
    const n = questions.length;
    console.log(`retrieval quality — ${n} labelled questions, ${tenantIds.size} demo packs, embedder ${embedder.modelId}, hybrid (HNSW + full-text, RRF)`);
    console.log(`  seeding (import + publish all demo packs): ${(seedMs / 1000).toFixed(1)} s`);
    console.log(`  hit@1  ${(hit1 / n).toFixed(3)}  (${hit1}/${n})`);
    console.log(`  hit@5  ${(hit5 / n).toFixed(3)}  (${hit5}/${n})   target ≥ 0.90`);
    console.log(`  MRR@5  ${(reciprocalRanks / n).toFixed(3)}`);
    for (const [tenant, t] of byTenant) console.log(`  ${tenant.padEnd(22)} hit@5 ${(t.hit5 / t.n).toFixed(3)} (${t.hit5}/${t.n})`);
    if (misses.length && values.verbose) console.log(`misses:\n${misses.join('\n')}`);
    else if (misses.length) console.log(`  ${misses.length} misses (--verbose lists them)`);
  } finally {
    await closeDb();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
