// `npm run bench -- follow-ups [--verbose]`: retrieval for the second message of a conversation, over
// the demo packs seeded into a temporary database (embedded, or a fresh database on DATABASE_URL).
// tests/fixtures/retrieval-follow-ups/dev.jsonl: a previous user message, the new one, and the
// document that answers the new one in that conversation (null: the pack does not cover it). Kinds:
// follow_up (points back), follow_up_not_covered, new_topic, new_topic_not_covered, acknowledgement (asks
// nothing: right when no passage is offered).
// Prints hit@1 / hit@3 for answerable cases and abstention for not-covered ones, for three ways of
// reading the turn: the message alone (before ADR 063), always with the previous message, and
// retrievalQueryOf (what the coach does).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openBenchDatabase } from '../bench-database';

type Case = { id: string; tenant: string; previous: string; text: string; document: string | null; kind: string; batch?: string };

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { verbose: { type: 'boolean' } }, allowPositionals: true });
  process.env.DEMO_PASSWORD ??= 'bench-password-1';
  const database = await openBenchDatabase({ prefix: 'rapport-bench-follow-ups', owner: 'bench follow-ups' });
  const { seedDemoTenants, seedTenantsFrom } = await import('~/.server/seed');
  await import('~/.server/culture/seed-packs');
  const { searchPack } = await import('~/.server/culture/retrieve');
  const { assessAnswerability } = await import('~/.server/culture/answerability');
  const { resolveEmbedder } = await import('~/.server/culture/embed');
  const { findTenantBySlug } = await import('~/.server/tenants/tenants');
  const { projectPath } = await import('~/.server/env');
  const { retrievalQueryOf, isFollowUp, isAcknowledgement } = await import('~/.server/culture/follow-up');
  try {
    await seedDemoTenants();
    // Packs no demo tenant has (tests/fixtures/packs), for untuned batches (ADR 061).
    await seedTenantsFrom(projectPath('tests', 'fixtures', 'packs'));
    const embedder = resolveEmbedder();
    const ids = new Map<string, string>();
    // dev.jsonl (ADR 063) and the batches written after it (dev-<batch>.jsonl, ADR 061), each printed apart too.
    const dir = projectPath('tests', 'fixtures', 'retrieval-follow-ups');
    const cases = fs
      .readdirSync(dir)
      .filter((name) => /^dev(?:-[\w-]+)?\.jsonl$/.test(name))
      .sort()
      .flatMap((name) =>
        fs
          .readFileSync(`${dir}/${name}`, 'utf8')
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => ({ batch: name.replace(/^dev-?|\.jsonl$/g, '') || 'dev', ...(JSON.parse(line) as Case) })),
      );
    // null: the turn skips retrieval (an acknowledgement, ADR 061 session 11).
    const strategies: Array<[string, (c: Case) => { query: string; followUp?: string } | null]> = [
      ['the message alone', (c) => ({ query: c.text })],
      ['always with the previous message', (c) => ({ query: `${c.previous}\n${c.text}` })],
      ['retrievalQueryOf, no new-topic check (ADR 063)', (c) => ({ query: retrievalQueryOf(c.text, [c.previous]).query })],
      ['retrievalQueryOf + new-topic check (ADR 061)', (c) => { const r = retrievalQueryOf(c.text, [c.previous]); return { query: r.query, ...(r.followUp ? { followUp: c.text } : {}) }; }],
      ['+ acknowledgements skip retrieval (the coach, ADR 061 session 11)', (c) => { if (isAcknowledgement(c.text)) return null; const r = retrievalQueryOf(c.text, [c.previous]); return { query: r.query, ...(r.followUp ? { followUp: c.text } : {}) }; }],
    ];
    for (const slug of new Set(cases.map((c) => c.tenant))) ids.set(slug, (await findTenantBySlug(slug))!.id);
    console.log(`follow-ups — ${cases.length} second messages on ${database.label}; embedder ${embedder.modelId}`);
    const detected = cases.filter((c) => c.kind !== 'acknowledgement' && isFollowUp(c.text) === c.kind.startsWith('follow_up')).length;
    console.log(`  follow-up detection agrees with the label for ${detected}/${cases.filter((c) => c.kind !== 'acknowledgement').length}`);
    const acknowledged = cases.filter((c) => isAcknowledgement(c.text) === (c.kind === 'acknowledgement')).length;
    console.log(`  acknowledgement detection agrees with the label for ${acknowledged}/${cases.length}`);
    for (const [name, queryOf] of strategies) {
      const rows = [];
      for (const c of cases) {
        const search = queryOf(c);
        const { passages } = search ? await searchPack({ tenantId: ids.get(c.tenant)!, ...search, k: 5, embedder }) : { passages: [] };
        const verdict = assessAnswerability(passages);
        const offered = verdict.supported.map((p) => p.documentName);
        const rank = c.document ? offered.indexOf(c.document) + 1 : 0;
        rows.push({ c, rank, covered: verdict.covered, offered });
      }
      const answerable = rows.filter((r) => r.c.document !== null);
      // An acknowledgement ("thanks, that helps!") asks nothing: right when nothing is offered, counted apart.
      const uncovered = rows.filter((r) => r.c.document === null && r.c.kind !== 'acknowledgement');
      const acknowledgements = rows.filter((r) => r.c.kind === 'acknowledgement');
      const at = (n: number) => answerable.filter((r) => r.rank >= 1 && r.rank <= n).length;
      const abstained = uncovered.filter((r) => !r.covered).length;
      const wrong = answerable.filter((r) => !r.covered).length;
      console.log(`\n  ${name}`);
      console.log(`    answerable ${answerable.length}: offered hit@1 ${(at(1) / answerable.length).toFixed(3)} (${at(1)})   hit@3 ${(at(3) / answerable.length).toFixed(3)} (${at(3)})   wrongly abstained ${wrong}`);
      console.log(`    not covered ${uncovered.length}: abstained ${abstained}/${uncovered.length}`);
      if (acknowledgements.length > 0) console.log(`    acknowledgements ${acknowledgements.length}: nothing offered ${acknowledgements.filter((r) => !r.covered).length}/${acknowledgements.length}`);
      for (const batch of [...new Set(rows.map((r) => r.c.batch))]) {
        for (const kind of [...new Set(rows.map((r) => r.c.kind))]) {
          const k = rows.filter((r) => r.c.kind === kind && r.c.batch === batch);
          if (k.length === 0) continue;
          const good = k.filter((r) => (r.c.document === null ? !r.covered : r.rank >= 1 && r.rank <= 3)).length;
          console.log(`    ${batch.padEnd(6)} ${kind.padEnd(24)} ${good}/${k.length} right`);
        }
      }
      if (values.verbose) for (const r of rows.filter((r) => (r.c.document === null ? r.covered : r.rank < 1 || r.rank > 3))) console.log(`      ${r.c.id}: "${r.c.text}" → wanted ${r.c.document ?? 'not covered'}, offered ${r.offered.join(', ') || 'nothing'}`);
    }
  } finally {
    await database.close();
  }
}
