// `npm run bench -- retrieval-quality [--verbose] [--features features.json] [--splits train,dev]`: retrieval quality
// over the demo packs seeded into a temporary database (embedded, or a fresh database on the
// DATABASE_URL server; the same path as first start: import, publish, retrieve):
//   - the 81 labelled questions (tests/fixtures/retrieval-questions.json): hit@1, hit@5, MRR@5;
//   - the narrative splits (tests/fixtures/retrieval-narratives/{train,dev,test}.json): managers telling a
//     situation, labelled with the answering document, or null when the pack does not cover it:
//     hit@1, hit@3, MRR@5 and abstention (not-covered abstained, answerable wrongly abstained).
// train is what the answerability model is fitted on (its figures are in-sample); dev is held out
// from fitting and measures it (ADR 046). The test split is sealed: its figures are printed, never
// its messages (no --verbose listing), and nothing is tuned on it. --features writes the train and
// dev splits' retrieval evidence (labelled by split) for `npm run bench -- answerability-calibration`.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openBenchDatabase } from '../bench-database';

type Question = { id: string; tenant: string; question: string; document: string };
type Narrative = { id: string; tenant: string; text: string; document: string | null; kind: string; batch?: string };
type Case = { id: string; tenant: string; text: string; document: string | null; batch?: string };

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { verbose: { type: 'boolean' }, features: { type: 'string' }, splits: { type: 'string', default: 'train,dev,test' } }, allowPositionals: true });
  process.env.DEMO_PASSWORD ??= 'bench-password-1';
  const database = await openBenchDatabase({ prefix: 'rapport-bench-quality', owner: 'bench retrieval-quality' });
  const { seedDemoTenants, seedTenantsFrom } = await import('~/.server/seed');
  await import('~/.server/culture/seed-packs');
  const { searchPack } = await import('~/.server/culture/retrieve');
  const { assessAnswerability } = await import('~/.server/culture/answerability');
  const { MODEL_CHECK_FLOOR } = await import('~/.server/coach/passages');
  const { resolveEmbedder } = await import('~/.server/culture/embed');
  const { findTenantBySlug } = await import('~/.server/tenants/tenants');
  const { projectPath } = await import('~/.server/env');

  try {
    const seedStarted = performance.now();
    await seedDemoTenants();
    // Packs no demo tenant has (tests/fixtures/packs): untuned batches on a pack nobody tuned retrieval on (ADR 061).
    await seedTenantsFrom(projectPath('tests', 'fixtures', 'packs'));
    const seedMs = performance.now() - seedStarted;
    const embedder = resolveEmbedder();
    const tenantIds = new Map<string, string>();
    const tenantId = async (slug: string) => {
      if (!tenantIds.has(slug)) tenantIds.set(slug, (await findTenantBySlug(slug))!.id);
      return tenantIds.get(slug)!;
    };
    const evaluate = async (cases: Case[], k: number) => {
      const out = [];
      for (const c of cases) {
        const started = performance.now();
        const { passages, questionTerms, names, nouns } = await searchPack({ tenantId: await tenantId(c.tenant), query: c.text, k, embedder });
        const ms = performance.now() - started;
        const verdict = assessAnswerability(passages);
        const rank = c.document ? passages.findIndex((p) => p.documentName === c.document) + 1 : 0;
        // Rank among the passages above the threshold: what the coach is actually offered.
        const offeredRank = c.document ? verdict.supported.findIndex((p) => p.documentName === c.document) + 1 : 0;
        out.push({ c, passages, verdict, rank, offeredRank, ms, questionTerms: questionTerms ?? [], names: names ?? [], nouns: nouns ?? [] });
      }
      return out;
    };

    const questions = (JSON.parse(fs.readFileSync(projectPath('tests', 'fixtures', 'retrieval-questions.json'), 'utf8')) as Question[]).map((q) => ({
      id: q.id,
      tenant: q.tenant,
      text: q.question,
      document: q.document,
    }));
    console.log(`retrieval quality — demo packs on ${database.label}; embedder ${embedder.modelId}; hybrid (HNSW + BM25 full-text, RRF), answerability threshold`);
    console.log(`  seeding (import + publish all demo packs): ${(seedMs / 1000).toFixed(1)} s`);

    const q = await evaluate(questions, 5);
    const n = q.length;
    const hit = (rows: typeof q, at: number) => rows.filter((r) => r.rank >= 1 && r.rank <= at).length;
    const mrr = (rows: typeof q) => rows.reduce((sum, r) => sum + (r.rank >= 1 ? 1 / r.rank : 0), 0) / Math.max(rows.length, 1);
    console.log(`\n${n} labelled questions (policy wording)`);
    console.log(`  hit@1 ${(hit(q, 1) / n).toFixed(3)} (${hit(q, 1)}/${n})   hit@5 ${(hit(q, 5) / n).toFixed(3)} (${hit(q, 5)}/${n}) target ≥ 0.95   MRR@5 ${mrr(q).toFixed(3)}`);
    const qAbstained = q.filter((r) => !r.verdict.covered).length;
    console.log(`  wrongly abstained ${(qAbstained / n).toFixed(3)} (${qAbstained}/${n})`);
    for (const [tenant, rows] of groupBy(q, (r) => r.c.tenant)) console.log(`  ${tenant.padEnd(22)} hit@5 ${(hit(rows, 5) / rows.length).toFixed(3)} (${hit(rows, 5)}/${rows.length})`);
    if (values.verbose) for (const r of q.filter((r) => r.rank < 1 || !r.verdict.covered)) console.log(`    ${r.c.id} ${r.c.tenant}: "${r.c.text}" → wanted ${r.c.document}, got ${r.passages.map((p) => p.documentName).join(', ')}${r.verdict.covered ? '' : ' (abstained)'}`);

    const latencies: number[] = q.map((r) => r.ms);
    const evidenceOf = (rows: typeof q, split: string) =>
      rows.map((r) => ({
        id: r.c.id,
        split,
        ...(r.c.batch ? { batch: r.c.batch } : {}),
        tenant: r.c.tenant,
        document: r.c.document,
        rank: r.rank,
        questionTerms: r.questionTerms,
        names: r.names,
        nouns: r.nouns,
        passages: r.passages.map((p) => ({ document: p.documentName, title: p.document, headingPath: p.headingPath, text: p.text, score: p.score, bm25: p.bm25, similarity: p.similarity, matchedLexemes: p.matchedLexemes, titleTerms: p.titleTerms, corpusChunks: p.corpusChunks })),
      }));
    // --splits train,dev while deciding: the sealed test split is measured once a decision is made.
    const evidence = evidenceOf(q, 'questions');
    for (const split of (['train', 'dev', 'test'] as const).filter((name) => values.splits!.split(',').includes(name))) {
      const file = projectPath('tests', 'fixtures', 'retrieval-narratives', `${split}.json`);
      if (!fs.existsSync(file)) {
        console.log(`\nnarratives ${split}: ${file} not present (skipped)`);
        continue;
      }
      const items = (JSON.parse(fs.readFileSync(file, 'utf8')) as Narrative[]).map((x) => ({ id: x.id, tenant: x.tenant, text: x.text, document: x.document, batch: x.batch }));
      const rows = await evaluate(items, 5);
      latencies.push(...rows.map((r) => r.ms));
      const answerable = rows.filter((r) => r.c.document !== null);
      const uncovered = rows.filter((r) => r.c.document === null);
      const a = answerable.length;
      const abstainedRight = uncovered.filter((r) => !r.verdict.covered).length;
      const abstainedWrong = answerable.filter((r) => !r.verdict.covered).length;
      const offered3 = answerable.filter((r) => r.offeredRank >= 1 && r.offeredRank <= 3).length;
      console.log(`\nnarratives ${split}${split === 'train' ? ' (the answerability model is fitted on it: in-sample)' : ''} — ${a} answerable, ${uncovered.length} not covered, ${new Set(rows.map((r) => r.c.tenant)).size} demo packs`);
      console.log(`  hit@1 ${(hit(answerable, 1) / a).toFixed(3)} (${hit(answerable, 1)}/${a})   hit@3 ${(hit(answerable, 3) / a).toFixed(3)} (${hit(answerable, 3)}/${a}) target ≥ 0.90   MRR@5 ${mrr(answerable).toFixed(3)}`);
      console.log(`  offered to the coach (above the threshold) in the top 3: ${(offered3 / a).toFixed(3)} (${offered3}/${a})`);
      // What a configured model's answerability check (ADR 013) could at best do: it only reads the passages that
      // cleared MODEL_CHECK_FLOOR. A model's own figure cannot be measured offline (a mock only answers as scripted).
      const checkable = answerable.filter((r) => r.passages.some((p) => p.documentName === r.c.document && p.answerScore >= MODEL_CHECK_FLOOR)).length;
      const checked = uncovered.filter((r) => r.passages.some((p) => p.answerScore >= MODEL_CHECK_FLOOR)).length;
      console.log(`  a configured model's check would read the answering passage for ${(checkable / a).toFixed(3)} (${checkable}/${a}) answerable; it is called for ${checked}/${uncovered.length} not covered`);
      console.log(`  not covered, correctly abstained ${(abstainedRight / Math.max(uncovered.length, 1)).toFixed(3)} (${abstainedRight}/${uncovered.length}) target ≥ 0.90`);
      console.log(`  answerable, wrongly abstained   ${(abstainedWrong / Math.max(a, 1)).toFixed(3)} (${abstainedWrong}/${a}) target ≤ 0.05`);
      for (const [tenant, group] of groupBy(rows, (r) => r.c.tenant)) {
        const ans = group.filter((r) => r.c.document !== null);
        const unc = group.filter((r) => r.c.document === null);
        console.log(`  ${tenant.padEnd(22)} hit@3 ${(hit(ans, 3) / Math.max(ans.length, 1)).toFixed(3)}   abstained ${unc.filter((r) => !r.verdict.covered).length}/${unc.length} not covered, ${ans.filter((r) => !r.verdict.covered).length}/${ans.length} answerable`);
      }
      printBatches(rows, hit);
      // The sealed split's messages are never printed or written anywhere.
      if (split === 'test') continue;
      evidence.push(...evidenceOf(rows, split));
      if (values.verbose && split === 'dev') {
        for (const r of answerable.filter((r) => r.rank < 1 || r.rank > 3 || !r.verdict.covered)) {
          console.log(`    ${r.c.id}: "${r.c.text}" → wanted ${r.c.document}, got ${r.passages.map((p) => p.documentName).join(', ')} (relevance ${r.verdict.relevance.toFixed(3)})`);
        }
        for (const r of uncovered.filter((r) => r.verdict.covered)) {
          console.log(`    ${r.c.id}: "${r.c.text}" → not covered, answered from ${r.verdict.supported.map((p) => p.documentName).join(', ')} (relevance ${r.verdict.relevance.toFixed(3)})`);
        }
      }
    }
    // Questions in the person's own language against the demo packs (written in English): the
    // cross-language glossary's figures (tests/fixtures/retrieval-languages/, dev and sealed test).
    for (const split of (['train', 'dev', 'test'] as const).filter((name) => values.splits!.split(',').includes(name))) {
      const file = projectPath('tests', 'fixtures', 'retrieval-languages', `${split}.json`);
      if (!fs.existsSync(file)) continue;
      const items = JSON.parse(fs.readFileSync(file, 'utf8')) as (Narrative & { lang: string })[];
      const rows = await evaluate(items.map((x) => ({ id: x.id, tenant: x.tenant, text: x.text, document: x.document, batch: x.batch })), 5);
      latencies.push(...rows.map((r) => r.ms));
      const answerable = rows.filter((r) => r.c.document !== null);
      const uncovered = rows.filter((r) => r.c.document === null);
      const a = Math.max(answerable.length, 1);
      const lang = new Map(items.map((x) => [x.id, x.lang]));
      console.log(`
questions in ${new Set(items.map((x) => x.lang)).size} other languages, ${split} — ${answerable.length} answerable, ${uncovered.length} not covered (English packs)`);
      console.log(`  hit@1 ${(hit(answerable, 1) / a).toFixed(3)}   hit@3 ${(hit(answerable, 3) / a).toFixed(3)} (${hit(answerable, 3)}/${answerable.length})   MRR@5 ${mrr(answerable).toFixed(3)}`);
      console.log(`  answerable, wrongly abstained ${(answerable.filter((r) => !r.verdict.covered).length / a).toFixed(3)}   not covered, correctly abstained ${uncovered.filter((r) => !r.verdict.covered).length}/${uncovered.length}`);
      // By language (aggregates only, for the sealed split too): where a glossary falls short.
      for (const [code, group] of groupBy(rows, (r) => lang.get(r.c.id) ?? '?')) {
        const ans = group.filter((r) => r.c.document !== null);
        const unc = group.filter((r) => r.c.document === null);
        console.log(`  ${code.padEnd(3)} hit@3 ${hit(ans, 3)}/${ans.length}   wrongly abstained ${ans.filter((r) => !r.verdict.covered).length}/${ans.length}   not covered abstained ${unc.filter((r) => !r.verdict.covered).length}/${unc.length}`);
      }
      printBatches(rows, hit);
      // Evidence of the cross-language splits for the calibration bench: dev is measured there and never fitted on;
      // train is fitted on only with --glossed (ADR 061).
      if (split === 'dev') evidence.push(...evidenceOf(rows, 'languages-dev'));
      if (split === 'train') evidence.push(...evidenceOf(rows, 'languages-train'));
      if (split === 'dev' && values.verbose) {
        for (const r of answerable.filter((r) => r.rank < 1 || r.rank > 3 || !r.verdict.covered)) console.log(`    ${r.c.id} (${lang.get(r.c.id)}): "${r.c.text}" → wanted ${r.c.document}, got ${r.passages.map((p) => p.documentName).join(', ')}${r.verdict.covered ? '' : ' (abstained)'}`);
        for (const r of uncovered.filter((r) => r.verdict.covered)) console.log(`    ${r.c.id} (${lang.get(r.c.id)}): "${r.c.text}" → not covered, answered from ${r.verdict.supported.map((p) => p.documentName).join(', ')}`);
      }
    }
    if (values.features) {
      fs.writeFileSync(values.features, JSON.stringify(evidence));
      console.log(`\nwrote the retrieval evidence of the 81 questions and the ${[...new Set(evidence.map((e) => e.split))].filter((s) => s !== 'questions').join(' and ')} split(s) to ${values.features} (npm run bench -- answerability-calibration)`);
    }
    const sorted = [...latencies].sort((x, y) => x - y);
    console.log(`\nretrieval latency over the ${sorted.length} messages above (query embedding + one SQL statement): p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms`);
  } finally {
    await database.close();
  }
}

/**
 * A split's figures by batch (a `batch` field on its cases): a fresh batch is written and measured once before the
 * change it prompts, so its figures are read apart from the older cases of the same split.
 */
function printBatches<R extends { c: Case; rank: number; verdict: { covered: boolean } }>(rows: R[], hit: (rows: R[], at: number) => number): void {
  const batches = groupBy(rows, (r) => r.c.batch ?? 'earlier');
  if (batches.size < 2) return;
  for (const [batch, group] of batches) {
    const ans = group.filter((r) => r.c.document !== null);
    const unc = group.filter((r) => r.c.document === null);
    const wrong = ans.filter((r) => !r.verdict.covered).length;
    const right = unc.filter((r) => !r.verdict.covered).length;
    console.log(`  batch ${batch.padEnd(8)} hit@3 ${hit(ans, 3)}/${ans.length}   not covered abstained ${(right / Math.max(unc.length, 1)).toFixed(3)} (${right}/${unc.length})   answerable wrongly abstained ${(wrong / Math.max(ans.length, 1)).toFixed(3)} (${wrong}/${ans.length})`);
  }
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}
