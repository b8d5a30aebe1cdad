// Quality of the input safety classifier, printed separately for the corpus's train, dev and sealed
// test splits (tests/fixtures/safety-corpus/, see SAFETY-CORPUS.md) and for the older hand-written
// fixture: precision/recall per level, category and language, false alarms on benign text per group,
// and the eight held-out-style figures computed by group. Misclassified ids are listed for
// train and dev only: the test split is reported, never inspected or tuned on.
// Flags: --split=train|dev|test|fixture (repeatable; default all), --misses (list dev/train misses),
// --ids-from=FILE (score only the ids listed in FILE, one per line, '#' starts a comment: a fresh batch alone),
// --id-range=FROM..TO (keep only ids with FROM's prefix whose number is in the range, both ends included, e.g.
// --id-range=dev-en-8000..dev-en-8999; either end may be left out; train/dev only).
import { readFileSync } from 'node:fs';
import { classifyMessage } from '~/.server/safety/classifier';
import { loadFixture, loadSplit, type LabelledMessage } from '~/.server/safety/corpus';
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
  const started = performance.now();
  classifyMessage('warm up: loads or trains the model once');
  console.log(`model ready in ${Math.round(performance.now() - started)} ms`);
  for (const split of splits) {
    const all =
      split === 'fixture' ? loadFixture() : split === 'train' || split === 'dev' || split === 'test' ? loadSplit(split, { withFixture: false }) : [];
    const listed = only ? all.filter((m) => only.has(m.id)) : all;
    // The sealed split is never filtered by id range: its ids are not ours to pick from.
    const messages = inRange && (split === 'train' || split === 'dev') ? listed.filter((m) => inRange(m.id)) : listed;
    if (messages.length === 0) {
      console.log(`\n== ${split}: no messages ==`);
      continue;
    }
    const scored = messages.map(score);
    report(split === 'fixture' ? 'fixture tests/fixtures/safety-messages.jsonl (dev share = ids divisible by 5)' : `${split} split`, scored);
    if (misses && split !== 'test') listMisses(scored);
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

function report(title: string, set: Scored[]): void {
  console.log(`\n== ${title}: ${set.length} messages ==`);
  console.log('level      precision  recall   support');
  for (const level of SAFETY_LEVELS) {
    const tp = count(set, (m) => m.level === level && m.predictedLevel === level);
    const predicted = count(set, (m) => m.predictedLevel === level);
    const actual = count(set, (m) => m.level === level);
    console.log(`${level.padEnd(10)} ${fmt(tp, predicted).padEnd(10)} ${fmt(tp, actual).padEnd(8)} ${actual}`);
  }
  const flaggedTp = count(set, (m) => m.level !== 'none' && m.predictedLevel !== 'none');
  console.log(`flagged (concern or crisis): precision ${fmt(flaggedTp, count(set, (m) => m.predictedLevel !== 'none'))}, recall ${fmt(flaggedTp, count(set, (m) => m.level !== 'none'))}`);

  console.log('category             precision  recall   support');
  for (const cat of SAFETY_CATEGORIES) {
    const tp = count(set, (m) => m.categories.includes(cat) && m.predictedCategories.includes(cat));
    const predicted = count(set, (m) => m.predictedCategories.includes(cat));
    const actual = count(set, (m) => m.categories.includes(cat));
    console.log(`${cat.padEnd(20)} ${fmt(tp, predicted).padEnd(10)} ${fmt(tp, actual).padEnd(8)} ${actual}`);
  }

  console.log('language  n      level-acc  crisis-recall  crisis-prec  flagged-recall  benign-flagged  benign-crisis');
  const langs = [...new Set(set.map((m) => m.lang))].sort();
  for (const lang of langs) {
    const l = set.filter((m) => m.lang === lang);
    const crisis = l.filter((m) => m.level === 'crisis');
    const risky = l.filter((m) => m.level !== 'none');
    const benign = l.filter((m) => BENIGN_GROUPS.includes(m.group));
    console.log(
      [
        lang.padEnd(9),
        String(l.length).padEnd(6),
        fmt(count(l, (m) => m.level === m.predictedLevel), l.length).padEnd(10),
        fmt(count(crisis, (m) => m.predictedLevel === 'crisis'), crisis.length).padEnd(14),
        fmt(count(l, (m) => m.level === 'crisis' && m.predictedLevel === 'crisis'), count(l, (m) => m.predictedLevel === 'crisis')).padEnd(12),
        fmt(count(risky, (m) => m.predictedLevel !== 'none'), risky.length).padEnd(15),
        fmt(count(benign, (m) => m.predictedLevel !== 'none'), benign.length).padEnd(15),
        fmt(count(benign, (m) => m.predictedLevel === 'crisis'), benign.length),
      ].join(' '),
    );
  }

  console.log('false alarms on benign text (level none expected):');
  for (const group of [...BENIGN_GROUPS, 'all benign']) {
    const g = set.filter((m) => (group === 'all benign' ? BENIGN_GROUPS.includes(m.group) : m.group === group));
    console.log(`  ${group.padEnd(17)} n=${String(g.length).padEnd(5)} flagged ${fmt(count(g, (m) => m.predictedLevel !== 'none'), g.length)}  called crisis ${fmt(count(g, (m) => m.predictedLevel === 'crisis'), g.length)}`);
  }

  console.log('issue 9 figures on this split (by group):');
  const group = (...names: string[]) => set.filter((m) => names.includes(m.group));
  const nonEnglish = set.filter((m) => m.lang !== 'en');
  const heldOutLangs = set.filter((m) => HELD_OUT_LANGS.has(m.lang));
  const figure = (label: string, pool: Scored[], hit: (m: Scored) => boolean, target: string) =>
    console.log(`  ${label.padEnd(58)} ${fmt(count(pool, hit), pool.length).padEnd(6)} (${count(pool, hit)}/${pool.length}, target ${target})`);
  figure('crisis messages (en) called crisis', set.filter((m) => m.level === 'crisis' && m.lang === 'en'), (m) => m.predictedLevel === 'crisis', '>= 0.98');
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
}

function listMisses(set: Scored[]): void {
  const wrong = set.filter((m) => m.level !== m.predictedLevel);
  console.log(`misclassified level (${wrong.length}):`);
  for (const m of wrong) console.log(`  ${m.id} [${m.group}] ${m.level}->${m.predictedLevel} ${m.predictedCategories.join('+') || '-'} | ${m.text.slice(0, 140).replace(/\n/g, ' ')}`);
}

function count<T>(set: readonly T[], predicate: (m: T) => boolean): number {
  let n = 0;
  for (const m of set) if (predicate(m)) n++;
  return n;
}

function fmt(numerator: number, denominator: number): string {
  return denominator === 0 ? 'n/a' : (numerator / denominator).toFixed(3);
}
