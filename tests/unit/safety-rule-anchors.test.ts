// The anchored rule scan (rule-anchors.ts) must find exactly the matches a global regex scan
// finds, in the same order, for every rule: on the folded train and dev messages, on texts made
// of the rules' own anchors (dense with near-misses) and on random text.
import { describe, expect, it } from 'vitest';
import { loadSplit } from '~/.server/safety/corpus';
import { INPUT_RULES } from '~/.server/safety/input-rules';
import { tokenizeWithSentences } from '~/.server/safety/lexicon/match';
import { normalizeForClassification } from '~/.server/safety/normalize';
import { OUTPUT_RULES } from '~/.server/safety/output-check';
import { AnchoredScanner, LiteralAutomaton, MatchCursor, anchorsOf } from '~/.server/safety/rule-anchors';

const RULES = [...INPUT_RULES.map((r) => r.re), ...OUTPUT_RULES.map((r) => r.re)];

function globalMatches(re: RegExp, text: string): [number, string][] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const out: [number, string][] = [];
  for (let m = g.exec(text); m; m = g.exec(text)) {
    out.push([m.index, m[0]]);
    if (m[0].length === 0) g.lastIndex++;
  }
  return out;
}

function anchoredMatches(scanner: AnchoredScanner, index: number, re: RegExp, text: string, starts: number[][]): [number, string][] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const cursor = new MatchCursor(text, g, scanner.sticky[index], starts[index]);
  const out: [number, string][] = [];
  for (let m = cursor.next(); m; m = cursor.next()) out.push([m.index, m[0]]);
  cursor.done();
  return out;
}

// A small deterministic generator, so a failure reproduces.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function texts(): string[] {
  const corpus = [...loadSplit('train'), ...loadSplit('dev')].map((m) => normalizeForClassification(m.text));
  const next = random(9);
  // Words and pieces of the rules themselves, glued with spaces, punctuation and newlines.
  const pieces = RULES.flatMap((re) => re.source.split(/[^a-z ]+/).filter((p) => p.trim().length > 1));
  const glue = [' ', ' ', ' ', '  ', '\n', '. ', ', ', '#', '<', '[', '(', '>', '*', '-', '1', '_', 'é', '😭'];
  const built: string[] = [];
  for (let n = 0; n < 3000; n++) {
    let s = '';
    const words = 3 + Math.floor(next() * 40);
    for (let w = 0; w < words; w++) s += pieces[Math.floor(next() * pieces.length)] + glue[Math.floor(next() * glue.length)];
    built.push(s);
  }
  const alphabet = 'abcdeilmnostu \n.#<[(';
  for (let n = 0; n < 500; n++) built.push(Array.from({ length: 200 }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
  return [...corpus, ...built];
}

describe('anchored rule scan', () => {
  it('reads the anchors of almost every rule (the rest are scanned globally)', () => {
    const anchored = RULES.filter((re) => anchorsOf(re) !== null);
    expect(anchored.length / RULES.length).toBeGreaterThan(0.9);
    // "\b(?:kill|killing|kil|...) ?(?:my ?self|...)": word-start anchors, none longer than 5 characters.
    const kill = anchorsOf(INPUT_RULES.find((r) => r.id === 'self_harm.kill_self')!.re)!;
    expect(kill.map((a) => a.text)).toContain('kil');
    expect(kill.every((a) => a.wordStart && a.text.length <= 5)).toBe(true);
  });

  it('gives up on what it cannot read rather than guess', () => {
    expect(anchorsOf(/\w+ing/g)).toBeNull();
    expect(anchorsOf(/(?:a|)b/g)).not.toBeNull();
    expect(anchorsOf(/a?/g)).toBeNull();
    expect(anchorsOf(/kill/gi)).toBeNull();
    expect(anchorsOf(/(a)\1/g)).toBeNull();
    expect(anchorsOf(/[^a]b/g)).toBeNull();
    expect(anchorsOf(/^hello|\nhi/gm)?.some((a) => a.lineStart === 'line')).toBe(true);
  });

  it('finds the same matches as a global scan, in the same order, for every rule', () => {
    const scanner = new AnchoredScanner(RULES.map((re) => ({ re })));
    let compared = 0;
    let matched = 0;
    const mismatches: string[] = [];
    for (const text of texts()) {
      const { starts } = scanner.scan(text);
      RULES.forEach((re, index) => {
        const expected = globalMatches(re, text);
        const found = anchoredMatches(scanner, index, re, text, starts);
        const same = JSON.stringify(found) === JSON.stringify(expected) && scanner.test(index, text, starts[index]) === expected.length > 0;
        if (!same && mismatches.length < 5) mismatches.push(`${re.source.slice(0, 40)} on ${JSON.stringify(text.slice(0, 80))}`);
        compared++;
        matched += expected.length;
      });
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(100_000);
    expect(matched).toBeGreaterThan(1_000);
  });

  it('finds every occurrence of every literal in one pass, and which key substrings are present', () => {
    const needles = [...new Set(INPUT_RULES.flatMap((r) => r.needs))];
    const literals = [...needles, 'a', 'aa', 'aaa', 'ab', 'b', 'é', '😭', ' ', '\n'];
    const automaton = new LiteralAutomaton(literals);
    const scanner = new AnchoredScanner([], needles);
    for (const text of [...texts().slice(0, 4000), 'aaaa', 'ababab', '', 'é😭é']) {
      const found: string[] = [];
      automaton.run(text, (k, end) => found.push(`${end - literals[k].length}:${k}`));
      const expected: string[] = [];
      literals.forEach((literal, k) => {
        for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) expected.push(`${at}:${k}`);
      });
      expect(found.sort()).toEqual(expected.sort());
      const present = scanner.scan(text).present;
      expect(needles.filter((_, k) => present[k] === 1)).toEqual(needles.filter((n) => text.includes(n)));
    }
  });

  it('tokenises exactly as the Unicode-property regex does (letters, marks, digits; surrogate pairs; sentences)', () => {
    const TOKEN = /[\p{L}\p{M}\p{N}\u0001\u0002]+/gu;
    const BREAKS = new Set(['.', '!', '?', '\n', '。', '！', '？', '؟', '।']);
    const reference = (text: string) => {
      const words: string[] = [];
      const sentence: number[] = [];
      const offset: number[] = [];
      let s = 0;
      let last = 0;
      for (const m of text.matchAll(TOKEN)) {
        for (let i = last; i < m.index; i++) {
          if (BREAKS.has(text[i])) {
            s++;
            break;
          }
        }
        words.push(m[0]);
        sentence.push(s);
        offset.push(m.index);
        last = m.index + m[0].length;
      }
      return { words, sentence, offset };
    };
    const next = random(3);
    const pool = ['a', 'é', 'क', 'ि', '्', '٣', '中', '😭', '𝐀', '𠀀', '\uD800', '\uDC00', '\u0001', ' ', '.', '।', '\n', '\u0301', '5', '_', '-', '。'];
    const generated = Array.from({ length: 5000 }, () => Array.from({ length: 1 + Math.floor(next() * 30) }, () => pool[Math.floor(next() * pool.length)]).join(''));
    const differing = [...loadSplit('dev').map((m) => m.text), ...generated].filter((t) => {
      const { words, sentence, offset, info } = tokenizeWithSentences(t);
      // Each word comes with its word-table entry, whose text is the word.
      return JSON.stringify({ words, sentence, offset }) !== JSON.stringify(reference(t)) || info.some((w, i) => w.text !== words[i]);
    });
    expect(differing).toEqual([]);
  });
});
