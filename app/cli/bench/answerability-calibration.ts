// `npm run bench -- answerability-calibration --features features.json [--max-wrong 0.02]`: fits
// the answerability model (app/.server/culture/answerability.ts) on the retrieval evidence that
// `npm run bench -- retrieval-quality --features FILE` writes for the train split and the 81 labelled
// questions, and measures it on the dev split, which is never fitted on (ADR 046); the sealed test
// split is never used. Passage level: a passage of the answering document is a positive, every
// passage retrieved for a not-covered message a negative; a message's score is its best passage's.
// Prints the weights, the threshold (chosen on train) that keeps answerable messages wrongly
// abstained ≤ --max-wrong, the train (in-sample) and dev (held-out) figures at it, and a 5-fold
// cross-validated estimate on train (fitted on 4/5 of the messages, measured on the rest).
// --without a,b fits with every feature but those; --glossed also fits on the cross-language train split
// (tests/fixtures/retrieval-languages/train.json, ADR 061); --dump FILE writes every message's passage features.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ANSWER_FEATURES, ANSWER_WEIGHTS, ANSWER_THRESHOLD, answerFeaturesOf, answerScoreOf, nounsIn, type QuestionTerm } from '~/.server/culture/answerability';
import { projectPath } from '~/.server/env';
import { askContextOf } from '~/.server/culture/query-terms';
import { glossForRetrieval } from '~/.server/culture/gloss';

/** Train and dev messages and the 81 questions by id (the asking sentences are read from the text). */
function messageTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const q of JSON.parse(fs.readFileSync(projectPath('tests', 'fixtures', 'retrieval-questions.json'), 'utf8')) as Array<{ id: string; question: string }>) texts.set(q.id, q.question);
  for (const split of ['train', 'dev']) {
    for (const n of JSON.parse(fs.readFileSync(projectPath('tests', 'fixtures', 'retrieval-narratives', `${split}.json`), 'utf8')) as Array<{ id: string; text: string }>) texts.set(n.id, n.text);
  }
  // The cross-language dev split as retrieval read it: its English gloss (ADR 049).
  for (const split of ['train', 'dev']) {
    const file = projectPath('tests', 'fixtures', 'retrieval-languages', `${split}.json`);
    if (!fs.existsSync(file)) continue;
    for (const n of JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ id: string; text: string }>) {
      texts.set(n.id, glossForRetrieval(n.text)?.text || n.text); // as the bench searched: language detected
    }
  }
  return texts;
}

type Evidence = {
  id: string;
  split: string;
  batch?: string;
  document: string | null;
  questionTerms: QuestionTerm[];
  names: string[];
  nouns?: string[];
  passages: Array<{ document: string; title?: string; headingPath?: string[]; text?: string; bm25: number; score?: number; matchedLexemes: string[]; titleTerms: number; corpusChunks: number; similarity: number }>;
};
type Item = { id: string; split: string; batch?: string; answerable: boolean; passages: Array<{ x: number[]; positive: boolean }> };

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { features: { type: 'string' }, 'max-wrong': { type: 'string', default: '0.02' }, only: { type: 'string' }, without: { type: 'string' }, dump: { type: 'string' }, glossed: { type: 'boolean' } }, allowPositionals: true });
  if (!values.features) throw new Error('--features FILE (written by `npm run bench -- retrieval-quality --features FILE`)');
  const maxWrong = Number(values['max-wrong']);
  // --only a,b,c: fit with those features alone (the others' weights held at 0), to compare smaller models.
  const only = values.only ? new Set(['bias', ...values.only.split(',')]) : null;
  if (only) for (const name of only) if (!(ANSWER_FEATURES as readonly string[]).includes(name)) throw new Error(`--only: no feature ${name} (${ANSWER_FEATURES.join(', ')})`);
  // --without a,b: fit with every feature but those (held at 0): is a new feature worth its weight?
  const without = new Set(values.without ? values.without.split(',') : []);
  for (const name of without) if (!(ANSWER_FEATURES as readonly string[]).includes(name)) throw new Error(`--without: no feature ${name}`);
  const mask = ANSWER_FEATURES.map((name) => ((only && !only.has(name)) || without.has(name) ? 0 : 1));
  const evidence = JSON.parse(fs.readFileSync(values.features, 'utf8')) as Evidence[];
  if (evidence.some((e) => e.split === 'test')) throw new Error('the sealed test split is never used for calibration');
  const texts = messageTexts();
  const all: Item[] = evidence.map((e) => ({
    id: e.id,
    split: e.split,
    batch: e.batch,
    answerable: e.document !== null,
    passages: e.passages.map((p) => {
      const text = texts.get(e.id) ?? '';
      const f = answerFeaturesOf({ ...p, document: p.title }, e.questionTerms, new Set(e.names), new Set(e.nouns ?? nounsIn(text)), askContextOf(text));
      return { x: ANSWER_FEATURES.map((name) => f[name]), positive: e.document !== null && p.document === e.document };
    }),
  }));
  // --dump FILE: every message's passages with their features (ANSWER_FEATURES order), for analysis outside the bench.
  if (values.dump) {
    const byId = new Map(evidence.map((e) => [e.id, e]));
    fs.writeFileSync(values.dump, JSON.stringify({ features: ANSWER_FEATURES, items: all.map((i) => ({ ...i, passages: i.passages.map((p, n) => ({ ...p, document: byId.get(i.id)!.passages[n].document, bm25: byId.get(i.id)!.passages[n].bm25, similarity: byId.get(i.id)!.passages[n].similarity })) })) }));
  }
  // Fitted on the 81 questions and train; dev is only measured.
  // --glossed: the model for messages read through a gloss (ADR 061), fitted on the English train split, the 81
  // questions and the cross-language train split; without it, the English model, fitted without the glosses.
  const items = all.filter((i) => i.split !== 'dev' && i.split !== 'languages-dev' && (values.glossed || i.split !== 'languages-train'));
  const dev = all.filter((i) => i.split === 'dev');
  // Questions in other languages (dev, read through their gloss): measured, never fitted on.
  const languages = all.filter((i) => i.split === 'languages-dev');
  const count = (rows: Item[]) => `${rows.length} messages (${rows.filter((i) => i.answerable).length} answerable, ${rows.filter((i) => !i.answerable).length} not covered)`;
  console.log(`answerability calibration: fitted on ${count(items)}; measured on dev, ${count(dev)}`);
  const show = (label: string, f: ReturnType<typeof figures>) => `${label}: not covered abstained ${f.abstained.toFixed(3)}, answerable wrongly abstained ${f.wrong.toFixed(3)}`;

  console.log(`  current weights, threshold ${ANSWER_THRESHOLD}: ${show('train', figures(items, ANSWER_WEIGHTS, ANSWER_THRESHOLD))}; ${show('dev', figures(dev, ANSWER_WEIGHTS, ANSWER_THRESHOLD))}`);

  const weights = fit(items, mask);
  const threshold = thresholdFor(items, weights, maxWrong);
  console.log(`\nfitted weights (${ANSWER_FEATURES.join(', ')}):\n  [${weights.map((w) => w.toFixed(3)).join(', ')}]`);
  console.log(`  threshold ${threshold.toFixed(3)} (train answerable wrongly abstained ≤ ${maxWrong})`);
  console.log(`    ${show('train (in-sample)', figures(items, weights, threshold))}`);
  console.log(`    ${show('dev (held out)', figures(dev, weights, threshold))}`);
  const batches = [...new Set(dev.map((i) => i.batch ?? 'earlier'))];
  if (batches.length > 1) for (const batch of batches) console.log(`      ${show(`dev batch ${batch}`, figures(dev.filter((i) => (i.batch ?? 'earlier') === batch), weights, threshold))}`);
  if (languages.length > 0) {
    console.log(`    ${show('other languages dev (held out)', figures(languages, weights, threshold))}; current weights: ${show('', figures(languages, ANSWER_WEIGHTS, ANSWER_THRESHOLD)).slice(2)}`);
    for (const batch of [...new Set(languages.map((i) => i.batch ?? 'earlier'))]) console.log(`      ${show(`batch ${batch}`, figures(languages.filter((i) => (i.batch ?? 'earlier') === batch), weights, threshold))}`);
  }
  for (const t of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    console.log(`    at ${t.toFixed(2)}: ${show('train', figures(items, weights, t))}; ${show('dev', figures(dev, weights, t))}${languages.length > 0 ? `; ${show('other languages dev', figures(languages, weights, t))}` : ''}`);
  }

  // 5-fold cross-validation: the estimate of unseen messages (threshold chosen on the training folds).
  const folds = 5;
  let abstainedRight = 0;
  let uncovered = 0;
  let wrong = 0;
  let answerable = 0;
  // Out-of-fold scores: each message scored by the model fitted without its fold.
  const outOfFold: Array<{ answerable: boolean; score: number }> = [];
  // The answering passage's rank among the retrieved, in retrieval order and re-ranked by the out-of-fold answer score.
  const ranked = { retrieval: [] as number[], answerScore: [] as number[] };
  for (let k = 0; k < folds; k += 1) {
    const train = items.filter((_, i) => i % folds !== k);
    const held = items.filter((_, i) => i % folds === k);
    const w = fit(train, mask);
    const t = thresholdFor(train, w, maxWrong);
    for (const item of held) {
      const score = scoreOf(item, w);
      outOfFold.push({ answerable: item.answerable, score });
      if (item.answerable) {
        ranked.retrieval.push(rankOfAnswer(item.passages));
        ranked.answerScore.push(rankOfAnswer(byAnswerScore(item, w)));
      }
      const covered = score >= t;
      if (item.answerable) {
        answerable += 1;
        if (!covered) wrong += 1;
      } else {
        uncovered += 1;
        if (!covered) abstainedRight += 1;
      }
    }
  }
  console.log(`\n5-fold cross-validated on train and the 81 questions: not covered abstained ${(abstainedRight / uncovered).toFixed(3)} (${abstainedRight}/${uncovered}), answerable wrongly abstained ${(wrong / answerable).toFixed(3)} (${wrong}/${answerable})`);
  // The trade-off itself, on the out-of-fold scores (steadier than one threshold a fold): how much
  // is abstained on at each rate of answerable messages wrongly abstained on.
  const oof = outOfFold.filter((o) => o.answerable).map((o) => o.score).sort((a, b) => a - b);
  const curve = [0.02, 0.03, 0.05].map((rate) => {
    const t = oof[Math.floor(oof.length * rate)] - 1e-9;
    const right = outOfFold.filter((o) => !o.answerable && o.score < t).length;
    return `${rate.toFixed(2)} wrongly → ${(right / uncovered).toFixed(3)} abstained`;
  });
  console.log(`  out-of-fold trade-off: ${curve.join(', ')}`);
  for (const [order, ranks] of Object.entries(ranked)) {
    const at = (k: number) => (ranks.filter((r) => r >= 1 && r <= k).length / ranks.length).toFixed(3);
    const mrr = (ranks.reduce((sum, r) => sum + (r >= 1 ? 1 / r : 0), 0) / ranks.length).toFixed(3);
    console.log(`  answerable (train and the 81 questions), ranked by ${order === 'retrieval' ? 'retrieval (fused ranks)' : 'out-of-fold answer score'}: hit@1 ${at(1)}, hit@3 ${at(3)}, MRR ${mrr}`);
  }
}

function passageScore(p: Item['passages'][number], weights: readonly number[]): number {
  return answerScoreOf(Object.fromEntries(ANSWER_FEATURES.map((n, i) => [n, p.x[i]])) as never, weights);
}

/** The passages by answer score, best first (retrieval order among equals). */
function byAnswerScore(item: Item, weights: readonly number[]): Item['passages'] {
  return item.passages.map((p, i) => ({ p, i, s: passageScore(p, weights) })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.p);
}

function rankOfAnswer(passages: Item['passages']): number {
  return passages.findIndex((p) => p.positive) + 1;
}

function scoreOf(item: Item, weights: readonly number[]): number {
  let best = 0;
  for (const p of item.passages) best = Math.max(best, passageScore(p, weights));
  return best;
}

function figures(items: Item[], weights: readonly number[], threshold: number) {
  const answerable = items.filter((i) => i.answerable);
  const uncovered = items.filter((i) => !i.answerable);
  return {
    abstained: uncovered.filter((i) => scoreOf(i, weights) < threshold).length / Math.max(uncovered.length, 1),
    wrong: answerable.filter((i) => scoreOf(i, weights) < threshold).length / Math.max(answerable.length, 1),
  };
}

/** The highest threshold at which at most maxWrong of the answerable messages fall under it. */
function thresholdFor(items: Item[], weights: readonly number[], maxWrong: number): number {
  const scores = items.filter((i) => i.answerable).map((i) => scoreOf(i, weights)).sort((a, b) => a - b);
  const allowed = Math.floor(scores.length * maxWrong);
  return Math.max(0.01, scores[allowed] - 1e-6);
}

/** L2-regularised logistic regression by gradient descent; each message weighs the same in total. */
function fit(items: Item[], mask: readonly number[]): number[] {
  const rows: Array<{ x: number[]; y: number; weight: number }> = [];
  for (const item of items) {
    const useful = item.answerable ? item.passages.filter((p) => p.positive) : item.passages;
    for (const p of useful) rows.push({ x: p.x, y: p.positive ? 1 : 0, weight: 1 / useful.length });
  }
  const d = ANSWER_FEATURES.length;
  const w = new Array<number>(d).fill(0);
  const total = rows.reduce((s, r) => s + r.weight, 0);
  const lambda = 0.01;
  for (let iter = 0; iter < 20000; iter += 1) {
    const grad = new Array<number>(d).fill(0);
    for (const r of rows) {
      const z = r.x.reduce((s, v, i) => s + v * w[i], 0);
      const e = (1 / (1 + Math.exp(-z)) - r.y) * r.weight;
      for (let i = 0; i < d; i += 1) grad[i] += e * r.x[i];
    }
    for (let i = 0; i < d; i += 1) w[i] -= mask[i] * 0.5 * (grad[i] / total + (i === 0 ? 0 : lambda * w[i]));
  }
  return w;
}
