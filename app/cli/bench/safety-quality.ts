// Quality of the input safety classifier on the labelled fixture (tests/fixtures/safety-messages.jsonl):
// precision and recall per level and per category, the issue's targets, and the misclassified ids.
// `--holdout` also reports ids divisible by 5 separately: they were kept aside while tuning rules.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyMessage } from '~/.server/safety/classifier';
import { SAFETY_CATEGORIES, SAFETY_LEVELS, type SafetyCategory, type SafetyLevel } from '~/lib/safety';

interface LabelledMessage {
  id: string;
  text: string;
  level: SafetyLevel;
  categories: SafetyCategory[];
  group: string;
}

interface Scored extends LabelledMessage {
  predictedLevel: SafetyLevel;
  predictedCategories: SafetyCategory[];
}

const FIXTURE = 'tests/fixtures/safety-messages.jsonl';
const BENIGN_GROUPS = new Set(['benign', 'idiom', 'venting']);

export function loadSafetyFixture(path = FIXTURE): LabelledMessage[] {
  return readFileSync(resolve(process.cwd(), path), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledMessage);
}

export async function run(args: string[]): Promise<void> {
  const all = loadSafetyFixture().map(score);
  const holdout = args.includes('--holdout');
  report('all messages', all);
  if (holdout) {
    const isHeldOut = (m: Scored) => Number(m.id.slice(1)) % 5 === 0;
    report('tuning set (ids not divisible by 5)', all.filter((m) => !isHeldOut(m)));
    report('held-out set (ids divisible by 5)', all.filter(isHeldOut));
  }
}

function score(m: LabelledMessage): Scored {
  const verdict = classifyMessage(m.text);
  return { ...m, predictedLevel: verdict.level, predictedCategories: verdict.categories };
}

function report(title: string, set: Scored[]): void {
  console.log(`\n== ${title}: ${set.length} messages ==`);
  console.log('level      precision  recall   support');
  for (const level of SAFETY_LEVELS) {
    const tp = set.filter((m) => m.level === level && m.predictedLevel === level).length;
    const predicted = set.filter((m) => m.predictedLevel === level).length;
    const actual = set.filter((m) => m.level === level).length;
    console.log(`${level.padEnd(10)} ${fmt(tp, predicted).padEnd(10)} ${fmt(tp, actual).padEnd(8)} ${actual}`);
  }
  console.log('category             precision  recall   support');
  for (const cat of SAFETY_CATEGORIES) {
    const tp = set.filter((m) => m.categories.includes(cat) && m.predictedCategories.includes(cat)).length;
    const predicted = set.filter((m) => m.predictedCategories.includes(cat)).length;
    const actual = set.filter((m) => m.categories.includes(cat)).length;
    console.log(`${cat.padEnd(20)} ${fmt(tp, predicted).padEnd(10)} ${fmt(tp, actual).padEnd(8)} ${actual}`);
  }

  const crisis = set.filter((m) => m.level === 'crisis');
  const concern = set.filter((m) => m.level === 'concern');
  const benign = set.filter((m) => BENIGN_GROUPS.has(m.group));
  const crisisFound = crisis.filter((m) => m.predictedLevel === 'crisis').length;
  const concernExact = concern.filter((m) => m.predictedLevel === 'concern').length;
  const concernAtLeast = concern.filter((m) => m.predictedLevel !== 'none').length;
  const benignCrisis = benign.filter((m) => m.predictedLevel === 'crisis').length;
  const benignFlagged = benign.filter((m) => m.predictedLevel !== 'none').length;
  console.log(`crisis recall: ${fmt(crisisFound, crisis.length)} (${crisisFound}/${crisis.length}, target >= 0.98)`);
  console.log(`crisis false positives on benign venting/idioms: ${pct(benignCrisis, benign.length)} (${benignCrisis}/${benign.length}, target <= 1%)`);
  console.log(`concern recall: ${fmt(concernExact, concern.length)} exact, ${fmt(concernAtLeast, concern.length)} flagged at least concern (target >= 0.90)`);
  console.log(`benign venting/idioms flagged at any level: ${pct(benignFlagged, benign.length)} (${benignFlagged}/${benign.length})`);

  const wrongLevel = set.filter((m) => m.level !== m.predictedLevel);
  const wrongCategories = set.filter((m) => m.level === m.predictedLevel && !sameSet(m.categories, m.predictedCategories));
  console.log(`misclassified level (${wrongLevel.length}): ${wrongLevel.map((m) => `${m.id}[${m.level}->${m.predictedLevel}]`).join(' ') || '-'}`);
  console.log(`right level, wrong categories (${wrongCategories.length}): ${wrongCategories.map((m) => `${m.id}[${m.categories.join('+') || '-'}->${m.predictedCategories.join('+') || '-'}]`).join(' ') || '-'}`);
}

function fmt(numerator: number, denominator: number): string {
  return denominator === 0 ? 'n/a' : (numerator / denominator).toFixed(3);
}

function pct(numerator: number, denominator: number): string {
  return denominator === 0 ? 'n/a' : `${((100 * numerator) / denominator).toFixed(1)}%`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
