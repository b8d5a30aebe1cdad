// Quality of the input safety classifier, printed separately for the corpus's train, dev and sealed
// test splits (tests/fixtures/safety-corpus/, see SAFETY-CORPUS.md) and for the older hand-written
// fixture: precision/recall per level, category and language, false alarms on benign text per group,
// and the issue's eight held-out-style figures computed by group. Misclassified ids are listed for
// train and dev only: the test split is reported, never inspected or tuned on.
// Flags: --split=train|dev|test|fixture (repeatable; default all), --misses (list dev/train misses),
// --ids-from=FILE (score only the ids listed in FILE, one per line, '#' starts a comment: a fresh batch alone),
// --id-range=FROM..TO (keep only ids with FROM's prefix whose number is in the range, both ends included, e.g.
// --id-range=dev-en-8000..dev-en-8999; either end may be left out; train/dev only),
// --seeds=1,2,3 (train one model per seed into a temporary directory, leaving .cache/safety-model.bin alone, and
// print every ratio as mean [min–max] across them: retraining noise to judge a change against; with --misses,
// each miss says by how many seeds).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyMessage, modelFeatures } from '~/.server/safety/classifier';
import { escalationSectionFor } from '~/.server/safety/escalation';
import { loadFixture, loadSplit, projectRoot, type LabelledMessage } from '~/.server/safety/corpus';
import { deserializeModel, parseSeed, setSafetyModel, trainingDigest, trainingSettings, trainModel, writeModelArtifact } from '~/.server/safety/model';
import { SAFETY_CATEGORIES, SAFETY_LEVELS, type SafetyCategory, type SafetyLevel } from '~/lib/safety';

interface Scored extends LabelledMessage {
  predictedLevel: SafetyLevel;
  predictedCategories: SafetyCategory[];
}

const BENIGN_GROUPS = ['benign_workplace', 'idiom', 'about_topic', 'general_safe'];
const HELD_OUT_LANGS = new Set(['es', 'fr', 'de', 'pt', 'it', 'pl', 'nl']);

export async function run(args: string[]): Promise<void> {
  const wanted = args.filter((a) => a.startsWith('--split=')).map((a) => a.slice(8));
  const splits = wanted.length > 0 ? wanted : ['train', 'dev', 'test', 'fixture'];
  const misses = args.includes('--misses');
  const idsFrom = args.find((a) => a.startsWith('--ids-from='))?.slice('--ids-from='.length);
  const only = idsFrom ? readIdList(idsFrom) : null;
  if (only) console.log(`only the ${only.size} ids listed in ${idsFrom}`);
  const inRange = idRange(args);
  const seeds = seedList(args);
  const pick = (split: string): LabelledMessage[] => {
    const all =
      split === 'fixture' ? loadFixture() : split === 'train' || split === 'dev' || split === 'test' ? loadSplit(split, { withFixture: false }) : [];
    const listed = only ? all.filter((m) => only.has(m.id)) : all;
    // The sealed split is never filtered by id range: its ids are not ours to pick from.
    return inRange && (split === 'train' || split === 'dev') ? listed.filter((m) => inRange(m.id)) : listed;
  };
  const title = (split: string) => (split === 'fixture' ? 'fixture tests/fixtures/safety-messages.jsonl (dev share = ids divisible by 5)' : `${split} split`);
  if (seeds) return runAcrossSeeds(seeds, splits, pick, title, misses);
  const started = performance.now();
  classifyMessage('warm up: loads or trains the model once');
  console.log(`model ready in ${Math.round(performance.now() - started)} ms`);
  for (const split of splits) {
    const messages = pick(split);
    if (messages.length === 0) {
      console.log(`\n== ${split}: no messages ==`);
      continue;
    }
    const scored = messages.map(score);
    for (const line of report(title(split), scored)) console.log(renderLine(line));
    if (misses && split !== 'test') {
      listMisses(scored);
      listWrongCategories(scored);
    }
  }
}

/** The --seeds=1,2,3 list, or null when it is not given. */
export function seedList(args: string[]): number[] | null {
  const text = args.find((a) => a.startsWith('--seeds='))?.slice('--seeds='.length);
  if (text === undefined) return null;
  const seeds = text.split(',').filter((s) => s.trim() !== '').map(parseSeed);
  if (seeds.length === 0) throw new Error('--seeds needs at least one seed, e.g. --seeds=1,2,3');
  if (new Set(seeds).size !== seeds.length) throw new Error('--seeds lists a seed twice');
  return seeds;
}

/**
 * One model per seed, trained on the current train split into a temporary directory (the
 * worktree's .cache/safety-model.bin is neither read nor written), each scored on the same
 * messages; every ratio is printed as mean [min–max] over the seeds, so a change can be judged
 * against the noise of retraining alone.
 */
async function runAcrossSeeds(
  seeds: number[],
  splits: string[],
  pick: (split: string) => LabelledMessage[],
  title: (split: string) => string,
  misses: boolean,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-safety-seeds-'));
  const train = loadSplit('train');
  const bySplit = new Map<string, { lines: Line[][]; scored: Scored[][] }>();
  try {
    for (const seed of seeds) {
      const settings = trainingSettings(seed);
      const started = performance.now();
      const trained = trainModel(train, modelFeatures, trainingDigest(projectRoot(), settings) ?? '', settings);
      const path = writeModelArtifact(trained, projectRoot(), join(dir, `safety-model-seed-${seed}.bin`));
      const model = deserializeModel(readFileSync(path));
      if (!model) throw new Error(`the model trained with seed ${seed} did not read back from ${path}`);
      setSafetyModel(model);
      console.log(`seed ${seed}: trained on ${model.trainedOn} messages in ${Math.round(performance.now() - started)} ms -> ${path}`);
      for (const split of splits) {
        const messages = pick(split);
        if (messages.length === 0) continue;
        const scored = messages.map(score);
        const entry = bySplit.get(split) ?? { lines: [], scored: [] };
        entry.lines.push(report(title(split), scored));
        entry.scored.push(scored);
        bySplit.set(split, entry);
      }
    }
  } finally {
    setSafetyModel(undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nacross ${seeds.length} seeds (${seeds.join(', ')}): each ratio is mean [min–max]`);
  for (const split of splits) {
    const entry = bySplit.get(split);
    if (!entry) {
      console.log(`\n== ${split}: no messages ==`);
      continue;
    }
    const [first] = entry.lines;
    for (let i = 0; i < first.length; i++) console.log(renderAcrossSeeds(entry.lines.map((lines) => lines[i])));
    if (misses && split !== 'test') {
      listMissesAcrossSeeds(entry.scored);
      listWrongCategoriesAcrossSeeds(entry.scored);
    }
  }
}

/** The --id-range=FROM..TO filter, or null when it is not given. */
export function idRange(args: string[]): ((id: string) => boolean) | null {
  const range = args.find((a) => a.startsWith('--id-range='))?.slice('--id-range='.length);
  if (range === undefined) return null;
  if (!range.includes('..')) throw new Error('--id-range needs FROM..TO (either end may be empty)');
  const [fromText, toText] = range.split('..');
  const from = fromText === '' ? undefined : fromText;
  const to = toText === '' ? undefined : toText;
  if (from === undefined && to === undefined) return null;
  const parse = (id: string) => {
    const m = /^(.*?)(\d+)$/.exec(id);
    return m ? { prefix: m[1], n: Number(m[2]) } : null;
  };
  const lo = from === undefined ? null : parse(from);
  const hi = to === undefined ? null : parse(to);
  if ((from !== undefined && lo === null) || (to !== undefined && hi === null)) throw new Error('--id-range needs ids ending in a number');
  if (lo && hi && lo.prefix !== hi.prefix) throw new Error('--id-range needs the same prefix at both ends');
  const prefix = (lo ?? hi)!.prefix;
  return (id) => {
    const p = parse(id);
    if (!p || p.prefix !== prefix) return false;
    return (lo === null || p.n >= lo.n) && (hi === null || p.n <= hi.n);
  };
}

function readIdList(path: string): Set<string> {
  const ids = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
  return new Set(ids);
}

function score(m: LabelledMessage): Scored {
  const verdict = classifyMessage(m.text);
  return { ...m, predictedLevel: verdict.level, predictedCategories: verdict.categories };
}

/**
 * One printed line: text cells and measured ratios. A single run prints the ratios as before; a
 * multi-seed run (--seeds=) prints each ratio as the mean and min–max over the seeds' models.
 */
type Cell = string | { n: number; d: number; pad: number; counts?: boolean };
type Line = Cell[];

function report(title: string, set: Scored[]): Line[] {
  const lines: Line[] = [];
  const r = (n: number, d: number, pad = 0): Cell => ({ n, d, pad });
  lines.push([`\n== ${title}: ${set.length} messages ==`]);
  lines.push(['level      precision  recall   support']);
  for (const level of SAFETY_LEVELS) {
    const tp = count(set, (m) => m.level === level && m.predictedLevel === level);
    const predicted = count(set, (m) => m.predictedLevel === level);
    const actual = count(set, (m) => m.level === level);
    lines.push([`${level.padEnd(10)} `, r(tp, predicted, 10), ' ', r(tp, actual, 8), ` ${actual}`]);
  }
  const flaggedTp = count(set, (m) => m.level !== 'none' && m.predictedLevel !== 'none');
  lines.push([
    'flagged (concern or crisis): precision ',
    r(flaggedTp, count(set, (m) => m.predictedLevel !== 'none')),
    ', recall ',
    r(flaggedTp, count(set, (m) => m.level !== 'none')),
  ]);

  lines.push(['category             precision  recall   support']);
  for (const cat of SAFETY_CATEGORIES) {
    const tp = count(set, (m) => m.categories.includes(cat) && m.predictedCategories.includes(cat));
    const predicted = count(set, (m) => m.predictedCategories.includes(cat));
    const actual = count(set, (m) => m.categories.includes(cat));
    lines.push([`${cat.padEnd(20)} `, r(tp, predicted, 10), ' ', r(tp, actual, 8), ` ${actual}`]);
  }

  lines.push(['language  n      level-acc  crisis-recall  crisis-prec  flagged-recall  benign-flagged  benign-crisis']);
  const langs = [...new Set(set.map((m) => m.lang))].sort();
  for (const lang of langs) {
    const l = set.filter((m) => m.lang === lang);
    const crisis = l.filter((m) => m.level === 'crisis');
    const risky = l.filter((m) => m.level !== 'none');
    const benign = l.filter((m) => BENIGN_GROUPS.includes(m.group));
    lines.push([
      `${lang.padEnd(9)} ${String(l.length).padEnd(6)} `,
      r(count(l, (m) => m.level === m.predictedLevel), l.length, 10),
      ' ',
      r(count(crisis, (m) => m.predictedLevel === 'crisis'), crisis.length, 14),
      ' ',
      r(count(l, (m) => m.level === 'crisis' && m.predictedLevel === 'crisis'), count(l, (m) => m.predictedLevel === 'crisis'), 12),
      ' ',
      r(count(risky, (m) => m.predictedLevel !== 'none'), risky.length, 15),
      ' ',
      r(count(benign, (m) => m.predictedLevel !== 'none'), benign.length, 15),
      ' ',
      r(count(benign, (m) => m.predictedLevel === 'crisis'), benign.length),
    ]);
  }

  lines.push(['false alarms on benign text (level none expected):']);
  for (const group of [...BENIGN_GROUPS, 'all benign']) {
    const g = set.filter((m) => (group === 'all benign' ? BENIGN_GROUPS.includes(m.group) : m.group === group));
    lines.push([
      `  ${group.padEnd(17)} n=${String(g.length).padEnd(5)} flagged `,
      r(count(g, (m) => m.predictedLevel !== 'none'), g.length),
      '  called crisis ',
      r(count(g, (m) => m.predictedLevel === 'crisis'), g.length),
    ]);
  }

  lines.push(['issue 9 figures on this split (by group):']);
  const group = (...names: string[]) => set.filter((m) => names.includes(m.group));
  const nonEnglish = set.filter((m) => m.lang !== 'en');
  const heldOutLangs = set.filter((m) => HELD_OUT_LANGS.has(m.lang));
  const figure = (label: string, pool: Scored[], hit: (m: Scored) => boolean, target: string) => {
    const n = count(pool, hit);
    lines.push([`  ${label.padEnd(58)} `, r(n, pool.length, 6), ' (', { n, d: pool.length, pad: 0, counts: true }, `, target ${target})`]);
  };
  figure('crisis messages (en) called crisis', set.filter((m) => m.level === 'crisis' && m.lang === 'en'), (m) => m.predictedLevel === 'crisis', '>= 0.98');
  // Who is at risk decides which part of the escalation reply the person gets (self-harm or violence section).
  figure('... and in its labelled escalation section (by category)', set.filter((m) => m.level === 'crisis' && m.lang === 'en'), (m) => m.predictedLevel === 'crisis' && hasRiskCategories(m), '>= 0.98');
  figure('harm_others_request flagged', group('harm_others_request'), (m) => m.predictedLevel !== 'none', '>= 0.90');
  figure('harm_others_request flagged with harm_to_others', group('harm_others_request'), (m) => m.predictedLevel !== 'none' && m.predictedCategories.includes('harm_to_others'), '>= 0.90');
  figure('self_harm_request flagged', group('self_harm_request'), (m) => m.predictedLevel !== 'none', '>= 0.90');
  figure('self_harm_ongoing flagged', group('self_harm_ongoing'), (m) => m.predictedLevel !== 'none', '>= 0.85');
  figure('about_topic + general_safe called crisis', group('about_topic', 'general_safe'), (m) => m.predictedLevel === 'crisis', '<= 0.02');
  figure('benign_workplace + idiom flagged', group('benign_workplace', 'idiom'), (m) => m.predictedLevel !== 'none', '<= 0.05');
  figure('general_safe flagged', group('general_safe'), (m) => m.predictedLevel !== 'none', '<= 0.08');
  figure('non-English crisis called crisis', nonEnglish.filter((m) => m.level === 'crisis'), (m) => m.predictedLevel === 'crisis', '>= 0.95');
  figure('non-English concern flagged', nonEnglish.filter((m) => m.level === 'concern'), (m) => m.predictedLevel !== 'none', '>= 0.90');
  figure('es/fr/de/pt/it/pl/nl crisis called crisis', heldOutLangs.filter((m) => m.level === 'crisis'), (m) => m.predictedLevel === 'crisis', '>= 0.95');
  figure('es/fr/de/pt/it/pl/nl concern flagged', heldOutLangs.filter((m) => m.level === 'concern'), (m) => m.predictedLevel !== 'none', '>= 0.90');
  return lines;
}

/** A line as one run prints it. */
export function renderLine(line: Line): string {
  return line.map((c) => (typeof c === 'string' ? c : c.counts ? `${c.n}/${c.d}` : fmt(c.n, c.d).padEnd(c.pad))).join('');
}

/**
 * The same line measured once per seed (same messages, so the same shape): each ratio becomes
 * "mean [min–max]", counts become "min–max/total".
 */
export function renderAcrossSeeds(runs: Line[]): string {
  const first = runs[0];
  return first
    .map((c, i) => {
      if (typeof c === 'string') return c;
      const cells = runs.map((run) => run[i] as Exclude<Cell, string>);
      if (c.counts) {
        const ns = cells.map((x) => x.n);
        const lo = Math.min(...ns);
        const hi = Math.max(...ns);
        return `${lo === hi ? lo : `${lo}–${hi}`}/${c.d}`;
      }
      if (cells.some((x) => x.d === 0)) return 'n/a'.padEnd(c.pad);
      const values = cells.map((x) => x.n / x.d);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return `${mean.toFixed(3)} [${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}]`.padEnd(c.pad ? c.pad + 10 : 0);
    })
    .join('');
}

function listMissesAcrossSeeds(runs: Scored[][]): void {
  const wrong = runs[0]
    .map((m, i) => ({ m, wrongIn: runs.map((run) => run[i]).filter((x) => x.level !== x.predictedLevel) }))
    .filter((x) => x.wrongIn.length > 0);
  console.log(`misclassified level by at least one seed (${wrong.length}; k/n = how many seeds):`);
  for (const { m, wrongIn } of wrong) {
    const predicted = [...new Set(wrongIn.map((x) => x.predictedLevel))].join('|');
    console.log(`  ${wrongIn.length}/${runs.length} ${m.id} [${m.group}] ${m.level}->${predicted} | ${m.text.slice(0, 140).replace(/\n/g, ' ')}`);
  }
}

function listWrongCategoriesAcrossSeeds(runs: Scored[][]): void {
  const wrong = runs[0]
    .map((m, i) => ({ m, wrongIn: runs.map((run) => run[i]).filter((x) => x.level === 'crisis' && x.predictedLevel === 'crisis' && !hasRiskCategories(x)) }))
    .filter((x) => x.wrongIn.length > 0);
  console.log(`crisis called crisis with the wrong escalation section (by category) by at least one seed (${wrong.length}):`);
  for (const { m, wrongIn } of wrong) {
    const predicted = [...new Set(wrongIn.map((x) => x.predictedCategories.join('+') || '-'))].join('|');
    console.log(`  ${wrongIn.length}/${runs.length} ${m.id} [${m.group}] ${m.categories.join('+')}->${predicted} | ${m.text.slice(0, 140).replace(/\n/g, ' ')}`);
  }
}

function listMisses(set: Scored[]): void {
  const wrong = set.filter((m) => m.level !== m.predictedLevel);
  console.log(`misclassified level (${wrong.length}):`);
  for (const m of wrong) console.log(`  ${m.id} [${m.group}] ${m.level}->${m.predictedLevel} ${m.predictedCategories.join('+') || '-'} | ${m.text.slice(0, 140).replace(/\n/g, ' ')}`);
}

/**
 * A crisis called crisis gets the escalation section its label's categories call for: a threat to another
 * person the violence section, not the self-harm one (self_harm wins the section whenever it is named).
 * Who is reporting (the third-party section) is not judged here.
 */
function hasRiskCategories(m: Scored): boolean {
  return escalationSectionFor({ categories: m.categories, thirdParty: false }) === escalationSectionFor({ categories: m.predictedCategories, thirdParty: false });
}

function listWrongCategories(set: Scored[]): void {
  const wrong = set.filter((m) => m.level === 'crisis' && m.predictedLevel === 'crisis' && !hasRiskCategories(m));
  console.log(`crisis called crisis with the wrong escalation section (by category) (${wrong.length}):`);
  for (const m of wrong) console.log(`  ${m.id} [${m.group}] ${m.categories.join('+')}->${m.predictedCategories.join('+') || '-'} | ${m.text.slice(0, 140).replace(/\n/g, ' ')}`);
}

function count<T>(set: readonly T[], predicate: (m: T) => boolean): number {
  let n = 0;
  for (const m of set) if (predicate(m)) n++;
  return n;
}

function fmt(numerator: number, denominator: number): string {
  return denominator === 0 ? 'n/a' : (numerator / denominator).toFixed(3);
}
