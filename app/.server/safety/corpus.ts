// The labelled safety corpus (tests/fixtures/safety-corpus/<split>/<lang>.jsonl, see SAFETY-CORPUS.md)
// and the older hand-written fixture (tests/fixtures/safety-messages.jsonl), read the same way.
// The fixture is folded into the splits: ids divisible by 5 are dev (they were held aside when the
// rules were tuned), the rest train. The sealed test split is read only by the benchmark.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafetyCategory, SafetyLevel } from '~/lib/safety';

export type CorpusSplit = 'train' | 'dev' | 'test';

export interface LabelledMessage {
  id: string;
  lang: string;
  text: string;
  level: SafetyLevel;
  categories: SafetyCategory[];
  group: string;
  /** Where it came from: "corpus" or "fixture". */
  source: 'corpus' | 'fixture';
}

export const CORPUS_DIR = 'tests/fixtures/safety-corpus';
export const FIXTURE_PATH = 'tests/fixtures/safety-messages.jsonl';

// The fixture's own groups, mapped onto the corpus groups.
const FIXTURE_GROUPS: Record<string, string> = {
  benign: 'benign_workplace',
  venting: 'benign_workplace',
  idiom: 'idiom',
  crisis: 'crisis_explicit',
  concern: 'concern_distress',
  harassment: 'harassment',
  third_party: 'third_party',
  injection: 'injection',
  jailbreak: 'jailbreak',
  toxicity: 'toxicity',
};

export function projectRoot(): string {
  return process.env.RAPPORT_ROOT ?? process.cwd();
}

/** The corpus files of one split, sorted by name (so every reader sees the same order). */
export function corpusFiles(split: CorpusSplit, root = projectRoot()): string[] {
  const dir = join(root, CORPUS_DIR, split);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

function parseLines(path: string, source: LabelledMessage['source']): LabelledMessage[] {
  const out: LabelledMessage[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const m = JSON.parse(line) as Partial<LabelledMessage>;
      if (typeof m.text !== 'string' || typeof m.level !== 'string') continue;
      out.push({
        id: String(m.id ?? ''),
        lang: String(m.lang ?? 'en'),
        text: m.text,
        level: m.level,
        categories: Array.isArray(m.categories) ? m.categories : [],
        group: source === 'fixture' ? (FIXTURE_GROUPS[String(m.group)] ?? String(m.group)) : String(m.group ?? ''),
        source,
      });
    } catch {
      // A half-written line (the corpus is written while we read it) is skipped, not fatal.
    }
  }
  return out;
}

export function loadFixture(root = projectRoot()): LabelledMessage[] {
  const path = join(root, FIXTURE_PATH);
  return existsSync(path) ? parseLines(path, 'fixture') : [];
}

function fixtureSplit(m: LabelledMessage): CorpusSplit {
  return Number(m.id.replace(/\D/g, '')) % 5 === 0 ? 'dev' : 'train';
}

/** One split: the corpus files, plus the fixture's share for train and dev. */
export function loadSplit(split: CorpusSplit, { withFixture = true, root = projectRoot() } = {}): LabelledMessage[] {
  const corpus = corpusFiles(split, root).flatMap((f) => parseLines(f, 'corpus'));
  if (!withFixture || split === 'test') return corpus;
  return [...corpus, ...loadFixture(root).filter((m) => fixtureSplit(m) === split)];
}
