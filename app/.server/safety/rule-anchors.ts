// Where a rule regex can match, found without running it. A global regex scan tries every position
// of the text; on a 2,000-character message with forty rules that is most of the rule cost. But
// nearly every rule begins with a word boundary and one of a list of words ("\b(?:kill|end|…) …"),
// so a match can only start where one of those first letters stands. This module reads each
// regex's source once, works out the literal text every match must start with (its anchors), finds
// the anchors in one pass over the text (a trie walked from each word start, plus indexOf for the
// few anchors not at a word start), and tries the regex, sticky, only there.
//
// Same result as the global scan, by construction: `next(from)` tries the candidate starts >= from
// in increasing order and returns the first match, which is the leftmost match at or after `from`,
// because every match starts at a candidate. A regex whose source this reader does not fully
// understand (flags i/u/v, an unknown escape, a branch that can start with \w or a negated class,
// a branch that can match the empty string) gets no anchors and is scanned globally as before.

/**
 * One literal every match may start with; `wordStart` when a \b stands right before it.
 * `lineStart`: no literal, the match starts where "^" holds (the text's start, or any line's with /m).
 */
export interface Anchor {
  text: string;
  wordStart: boolean;
  lineStart?: 'text' | 'line';
}

interface Found {
  literals: Map<string, boolean>;
  lineStart: boolean;
}

// ── the regex source, as far as its first consumed characters ───────────────────────────────
type Atom =
  | { kind: 'chars'; chars: string[] }
  | { kind: 'other' } // consumes, but what it matches is not a short list of characters
  | { kind: 'assert'; wordBoundary: boolean; lineStart?: boolean } // zero-width
  | { kind: 'group'; alts: Elem[][] };
interface Elem {
  atom: Atom;
  min: number;
  max: number;
}

class Unsupported extends Error {}

const CLASS_ESCAPES = new Set(['w', 'W', 'd', 'D', 's', 'S']);
const CONTROL_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' };
// Escaped characters that stand for themselves (without the u flag).
const IDENTITY_ESCAPES = new Set('\\/^$.*+?()[]{}|-,:;!@#%&=<>"\'`~ _');

function parse(source: string): Elem[][] {
  let i = 0;
  const peek = () => source[i];

  function escapeAt(inClass: boolean): Atom {
    const c = source[i + 1];
    if (c === undefined) throw new Unsupported('trailing backslash');
    i += 2;
    if (!inClass && (c === 'b' || c === 'B')) return { kind: 'assert', wordBoundary: c === 'b' };
    if (CLASS_ESCAPES.has(c)) return { kind: 'other' };
    if (c in CONTROL_ESCAPES && !(c === '0' && /\d/.test(source[i] ?? ''))) return { kind: 'chars', chars: [CONTROL_ESCAPES[c]] };
    if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(source.slice(i, i + 2))) {
      i += 2;
      return { kind: 'chars', chars: [String.fromCharCode(parseInt(source.slice(i - 2, i), 16))] };
    }
    if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i, i + 4))) {
      i += 4;
      return { kind: 'chars', chars: [String.fromCharCode(parseInt(source.slice(i - 4, i), 16))] };
    }
    if (IDENTITY_ESCAPES.has(c)) return { kind: 'chars', chars: [c] };
    throw new Unsupported(`escape \\${c}`);
  }

  function charClass(): Atom {
    i++; // [
    // A negated class or a range matches more than a short list: it still has to be read to its end.
    let other = peek() === '^';
    if (other) i++;
    const chars: string[] = [];
    while (i < source.length && peek() !== ']') {
      if (peek() === '\\') {
        const atom = escapeAt(true);
        if (atom.kind === 'chars') chars.push(...atom.chars);
        else other = true;
      } else chars.push(source[i++]);
      if (peek() === '-' && source[i + 1] !== ']' && chars.length > 0) other = true;
    }
    if (peek() !== ']') throw new Unsupported('unterminated class');
    i++;
    return other || chars.length === 0 ? { kind: 'other' } : { kind: 'chars', chars };
  }

  function quantifier(): [number, number] {
    const c = peek();
    let q: [number, number] = [1, 1];
    if (c === '?') q = [0, 1];
    else if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) throw new Unsupported('brace that is not a quantifier');
      const min = Number(m[1]);
      q = [min, m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])];
      i += m[0].length - 1;
    } else return q;
    i++;
    if (peek() === '?') i++; // lazy: the same matches are possible, only their order differs
    return q;
  }

  function alternation(): Elem[][] {
    const alts: Elem[][] = [[]];
    while (i < source.length && peek() !== ')') {
      const c = peek();
      if (c === '|') {
        i++;
        alts.push([]);
        continue;
      }
      let atom: Atom;
      if (c === '\\') atom = escapeAt(false);
      else if (c === '[') atom = charClass();
      else if (c === '(') {
        i++;
        let lookaround = false;
        if (source.startsWith('?:', i)) i += 2;
        else if (source.startsWith('?=', i) || source.startsWith('?!', i)) (i += 2), (lookaround = true);
        else if (source.startsWith('?<=', i) || source.startsWith('?<!', i)) (i += 3), (lookaround = true);
        else if (peek() === '?') throw new Unsupported('group kind');
        const inner = alternation();
        if (peek() !== ')') throw new Unsupported('unterminated group');
        i++;
        atom = lookaround ? { kind: 'assert', wordBoundary: false } : { kind: 'group', alts: inner };
      } else if (c === '^' || c === '$') {
        i++;
        atom = { kind: 'assert', wordBoundary: false, lineStart: c === '^' };
      } else if (c === '.') {
        i++;
        atom = { kind: 'other' };
      } else if (c === '*' || c === '+' || c === '?' || c === '{' || c === ']' || c === '}') {
        throw new Unsupported(`stray ${c}`);
      } else {
        i++;
        atom = { kind: 'chars', chars: [c] };
      }
      const [min, max] = quantifier();
      if (atom.kind === 'assert' && (min !== 1 || max !== 1)) throw new Unsupported('quantified assertion');
      alts[alts.length - 1].push({ atom, min, max });
    }
    return alts;
  }

  const alts = alternation();
  if (i !== source.length) throw new Unsupported('unbalanced )');
  return alts;
}

// ── the literal prefixes of every match ─────────────────────────────────────────────────────
/** Anchors are cut at this length: long enough to be selective, short enough to stay few. */
const ANCHOR_CHARS = 5;
const MAX_ANCHORS = 400;

/**
 * The literals every match of `rest` (the elements of a path, in order) starts with, given that
 * `acc` has been matched already; `boundary` is whether a \b holds at the position of acc[0].
 * Sound: each returned literal is a prefix of what the path matches, for every way it can match.
 */
function prefixes(rest: readonly Elem[], acc: string, boundary: boolean, out: Found): void {
  if (out.literals.size > MAX_ANCHORS) throw new Unsupported('too many anchors');
  if (acc.length >= ANCHOR_CHARS || rest.length === 0) {
    if (acc === '') throw new Unsupported('a branch can match the empty string');
    addAnchor(out, acc, boundary);
    return;
  }
  const [e, ...tail] = rest;
  const { atom } = e;
  if (atom.kind === 'assert') {
    // Zero-width: the position does not move. A \b right before the first character is kept.
    if (acc !== '') return addAnchor(out, acc, boundary);
    // "^" first: the match starts where a line does (the text's start, or after a newline with /m).
    if (atom.lineStart) {
      out.lineStart = true;
      return;
    }
    return prefixes(tail, acc, boundary || atom.wordBoundary, out);
  }
  if (atom.kind === 'other') {
    if (acc === '') throw new Unsupported('a branch starts with a character class');
    return addAnchor(out, acc, boundary);
  }
  if (e.min === 0) {
    // Either it is not there (the rest follows at once) or it is (at least once).
    if (acc !== '') return addAnchor(out, acc, boundary);
    prefixes(tail, acc, boundary, out);
    prefixes([{ atom, min: 1, max: e.max }, ...tail], acc, boundary, out);
    return;
  }
  // At least once: one occurrence, then the rest; when it may repeat, the literal stops after it.
  const once = e.min === 1 && e.max === 1;
  if (atom.kind === 'chars') {
    for (const ch of atom.chars) {
      if (once) prefixes(tail, acc + ch, boundary, out);
      else addAnchor(out, acc + ch, boundary);
    }
    return;
  }
  for (const alt of atom.alts) {
    if (!once) {
      // e.g. (?:ab|c)+ : one occurrence of the group is a prefix of every match.
      if (alt.length === 0 && acc === '') throw new Unsupported('a branch can match the empty string');
      prefixes(alt, acc, boundary, out);
    } else prefixes([...alt, ...tail], acc, boundary, out);
  }
}

function addAnchor(out: Found, text: string, boundary: boolean): void {
  // Word start only when the \b stands before a word character (then the character before is not one).
  const wordStart = boundary && isWordCode(text.charCodeAt(0));
  // The same literal reached on two paths is a word-start anchor only if it is one on both.
  const known = out.literals.get(text);
  out.literals.set(text, known === undefined ? wordStart : known && wordStart);
}

/** The anchors of a regex, or null when it must be scanned globally. */
export function anchorsOf(re: RegExp): Anchor[] | null {
  if (/[iuv]/.test(re.flags)) return null;
  try {
    const out: Found = { literals: new Map(), lineStart: false };
    for (const alt of parse(re.source)) prefixes(alt, '', false, out);
    const anchors = minimalAnchors([...out.literals].map(([text, wordStart]): Anchor => ({ text, wordStart })));
    return out.lineStart ? [...anchors, { text: '', wordStart: false, lineStart: re.flags.includes('m') ? 'line' : 'text' }] : anchors;
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

/** Drops an anchor another one is a prefix of (of the same kind or a looser one): "kil" covers "kill". */
function minimalAnchors(anchors: Anchor[]): Anchor[] {
  return anchors.filter((a) => !anchors.some((b) => b !== a && a.text.startsWith(b.text) && (!b.wordStart || a.wordStart)));
}

// ── finding the anchors in a text ───────────────────────────────────────────────────────────
function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

export interface AnchoredRule {
  /** The rule's own regex (global): used as is when there are no anchors. */
  re: RegExp;
}

/** What one pass over a text found: where each rule can start, and which presence literals occur. */
export interface ScanResult {
  /** Per rule, ascending candidate starts (for a rule scanned globally: empty, and unused). */
  starts: number[][];
  /** Per presence literal (in the order given to the scanner): 1 when it occurs anywhere in the text. */
  present: Uint8Array;
}

/**
 * A set of regexes compiled for anchored scanning, plus optional "presence" literals (the rules'
 * key substrings). `scan(text)` finds all of them in one pass of an Aho–Corasick automaton; a
 * MatchCursor then steps through one regex's matches in order.
 */
export class AnchoredScanner {
  /** Per rule: the sticky copy of its regex, or null when it is scanned globally. */
  readonly sticky: (RegExp | null)[] = [];
  private readonly regexes: RegExp[];
  private readonly automaton: LiteralAutomaton;
  /** Per automaton pattern: the rules it anchors (as a start anywhere or at a word start), and its presence index. */
  private readonly patternRules: { anywhere: number[]; wordStart: number[]; presence: number; length: number }[] = [];
  /** Per rule: where "^" holds is a start ('text': position 0 only; 'line': also after each line break). */
  private readonly lineStart: ('text' | 'line' | null)[] = [];
  private readonly presenceCount: number;
  private readonly alwaysPresent: number[] = [];

  constructor(rules: readonly AnchoredRule[], presence: readonly string[] = []) {
    this.regexes = rules.map((r) => r.re);
    this.presenceCount = presence.length;
    const index = new Map<string, number>();
    const pattern = (text: string) => {
      let k = index.get(text);
      if (k === undefined) {
        index.set(text, (k = this.patternRules.length));
        this.patternRules.push({ anywhere: [], wordStart: [], presence: -1, length: text.length });
      }
      return this.patternRules[k];
    };
    rules.forEach((rule, r) => {
      const anchors = anchorsOf(rule.re);
      this.sticky.push(anchors ? new RegExp(rule.re.source, `${rule.re.flags.replace('g', '')}y`) : null);
      let lineStart: 'text' | 'line' | null = null;
      for (const a of anchors ?? []) {
        if (a.lineStart) lineStart = a.lineStart === 'line' || lineStart === 'line' ? 'line' : 'text';
        else (a.wordStart ? pattern(a.text).wordStart : pattern(a.text).anywhere).push(r);
      }
      this.lineStart.push(lineStart);
    });
    presence.forEach((text, k) => {
      // The empty string occurs in every text.
      if (text === '') this.alwaysPresent.push(k);
      else pattern(text).presence = k;
    });
    this.automaton = new LiteralAutomaton([...index.keys()]);
  }

  /** Is rule `index` scanned by anchors (true) or globally (false)? */
  anchored(index: number): boolean {
    return this.sticky[index] !== null;
  }

  scan(text: string): ScanResult {
    const starts: number[][] = this.sticky.map(() => []);
    const present = new Uint8Array(this.presenceCount);
    for (const k of this.alwaysPresent) present[k] = 1;
    const { patternRules } = this;
    const { classes, wideClasses, delta, width, outStart, outputs } = this.automaton;
    const wide = wideClasses.size > 0;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = delta[state * width + (code < 128 ? classes[code] : wide ? (wideClasses.get(code) ?? 0) : 0)];
      for (let o = outStart[state], to = outStart[state + 1]; o < to; o++) {
        const p = patternRules[outputs[o]];
        if (p.presence >= 0) present[p.presence] = 1;
        const start = i + 1 - p.length;
        for (let r = 0; r < p.anywhere.length; r++) insertStart(starts[p.anywhere[r]], start);
        // A word-start anchor begins with a word character: the one before it must not be one.
        if (p.wordStart.length > 0 && (start === 0 || !isWordCode(text.charCodeAt(start - 1)))) {
          for (let r = 0; r < p.wordStart.length; r++) insertStart(starts[p.wordStart[r]], start);
        }
      }
    }
    for (let r = 0; r < this.lineStart.length; r++) {
      const lineStart = this.lineStart[r];
      if (!lineStart) continue;
      insertStart(starts[r], 0);
      if (lineStart === 'line') for (let at = 0; at < text.length; at++) if (isLineBreak(text.charCodeAt(at))) insertStart(starts[r], at + 1);
    }
    return { starts, present };
  }

  /** Does rule `index` match anywhere in `text` (RegExp.test, from the start)? `starts` from scan(). */
  test(index: number, text: string, starts: readonly number[]): boolean {
    const sticky = this.sticky[index];
    if (!sticky) {
      const re = this.regexes[index];
      re.lastIndex = 0;
      const found = re.test(text);
      re.lastIndex = 0;
      return found;
    }
    let found = false;
    for (let k = 0; k < starts.length && !found; k++) {
      sticky.lastIndex = starts[k];
      found = sticky.test(text);
    }
    sticky.lastIndex = 0;
    return found;
  }
}

/** Keeps `list` ascending and without repeats; occurrences arrive by their end, so a start may be a little out of order. */
function insertStart(list: number[], start: number): void {
  let k = list.length;
  while (k > 0 && list[k - 1] > start) k--;
  if (k > 0 && list[k - 1] === start) return;
  if (k === list.length) list.push(start);
  else list.splice(k, 0, start);
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/**
 * Every occurrence of a set of literals in one pass (Aho–Corasick, as a full transition table over
 * the characters the literals use; any other character leads back to the root).
 */
export class LiteralAutomaton {
  /** Character class per ASCII code (0: a character no pattern uses), and for the other codes the patterns use. */
  readonly classes = new Int32Array(128);
  readonly wideClasses = new Map<number, number>();
  readonly width: number;
  /** delta[state * width + class] = next state (16-bit while the states fit: half the table to keep in cache). */
  readonly delta: Uint16Array | Int32Array;
  /** Per state, the patterns ending there (its own and its suffixes'): outputs[outStart[s] .. outStart[s + 1]). */
  readonly outStart: Int32Array;
  readonly outputs: Int32Array;

  constructor(patterns: readonly string[]) {
    let width = 1; // class 0: a character no pattern uses
    for (const p of patterns) {
      for (let i = 0; i < p.length; i++) {
        const code = p.charCodeAt(i);
        if (code < 128 ? this.classes[code] === 0 : !this.wideClasses.has(code)) {
          if (code < 128) this.classes[code] = width++;
          else this.wideClasses.set(code, width++);
        }
      }
    }
    this.width = width;
    // The trie.
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    patterns.forEach((p, k) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = this.classOf(p.charCodeAt(i));
        let next = children[s].get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push([]);
          children[s].set(c, next);
        }
        s = next;
      }
      own[s].push(k);
    });
    // Failure links, breadth first, folded into a full transition table.
    const states = children.length;
    const delta = states <= 0xffff ? new Uint16Array(states * width) : new Int32Array(states * width);
    const fail = new Int32Array(states);
    const out: number[][] = own.map((o) => [...o]);
    const queue: number[] = [];
    for (const [c, next] of children[0]) {
      delta[c] = next;
      queue.push(next);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      out[s].push(...out[fail[s]]);
      for (let c = 0; c < width; c++) {
        const next = children[s].get(c);
        if (next === undefined) delta[s * width + c] = delta[fail[s] * width + c];
        else {
          fail[next] = delta[fail[s] * width + c];
          delta[s * width + c] = next;
          queue.push(next);
        }
      }
    }
    this.delta = delta;
    this.outStart = new Int32Array(states + 1);
    for (let s = 0; s < states; s++) this.outStart[s + 1] = this.outStart[s] + out[s].length;
    this.outputs = Int32Array.from(out.flat());
  }

  private classOf(code: number): number {
    return code < 128 ? this.classes[code] : (this.wideClasses.get(code) ?? 0);
  }

  /** Calls `hit(pattern, end)` for every occurrence, in order of its end (exclusive). */
  run(text: string, hit: (pattern: number, end: number) => void): void {
    const { classes, wideClasses, delta, width, outStart, outputs } = this;
    const wide = wideClasses.size > 0;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const c = code < 128 ? classes[code] : wide ? (wideClasses.get(code) ?? 0) : 0;
      s = delta[s * width + c];
      const from = outStart[s];
      const to = outStart[s + 1];
      for (let o = from; o < to; o++) hit(outputs[o], i + 1);
    }
  }
}

/**
 * Steps through one regex's matches in `text` in the order a global scan finds them.
 * `next()` returns the next match (starting at or after the end of the previous one) or null.
 */
export class MatchCursor {
  private from = 0;
  private k = 0;

  constructor(
    private readonly text: string,
    private readonly global: RegExp,
    private readonly sticky: RegExp | null,
    private readonly starts: readonly number[],
  ) {
    global.lastIndex = 0;
  }

  next(): RegExpExecArray | null {
    if (!this.sticky) {
      const match = this.global.exec(this.text);
      if (match && match[0].length === 0) this.global.lastIndex++;
      if (!match) this.global.lastIndex = 0;
      return match;
    }
    const { starts, sticky, text } = this;
    while (this.k < starts.length && starts[this.k] < this.from) this.k++;
    for (; this.k < starts.length; this.k++) {
      sticky.lastIndex = starts[this.k];
      const match = sticky.exec(text);
      if (match) {
        this.from = match.index + match[0].length;
        this.k++;
        return match;
      }
    }
    return null;
  }

  /** Leaves the shared regexes as they were found (lastIndex 0). */
  done(): void {
    this.global.lastIndex = 0;
    if (this.sticky) this.sticky.lastIndex = 0;
  }
}
