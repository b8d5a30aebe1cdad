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

const ASCII = 128;

/**
 * A set of regexes compiled for anchored scanning. `candidates(text)` finds, in one pass, where
 * each can start; a MatchCursor then steps through one regex's matches in order.
 */
export class AnchoredScanner {
  /** The trie of word-start anchors over ASCII: transitions[node * 128 + code] = child node (0: none). */
  private transitions = new Int32Array(ASCII);
  /** Per trie node: the rules (by index) with a word-start anchor ending there. */
  private readonly nodeRules: number[][] = [[]];
  /** Per rule: anchors that need not stand at a word start (found with indexOf). */
  private readonly loose: string[][] = [];
  /** Per rule: where "^" holds is a start ('text': position 0 only; 'line': also after each line break). */
  private readonly lineStart: ('text' | 'line' | null)[] = [];
  /** Per rule: the sticky copy of its regex, or null when it is scanned globally. */
  readonly sticky: (RegExp | null)[] = [];
  private readonly regexes: RegExp[];

  constructor(rules: readonly AnchoredRule[]) {
    this.regexes = rules.map((r) => r.re);
    rules.forEach((rule, index) => {
      const anchors = anchorsOf(rule.re);
      this.sticky.push(anchors ? new RegExp(rule.re.source, `${rule.re.flags.replace('g', '')}y`) : null);
      const loose: string[] = [];
      let lineStart: 'text' | 'line' | null = null;
      for (const a of anchors ?? []) {
        if (a.lineStart) lineStart = a.lineStart === 'line' || lineStart === 'line' ? 'line' : 'text';
        else if (a.wordStart && /^[\x00-\x7f]+$/.test(a.text)) this.addWordAnchor(a.text, index);
        else loose.push(a.text);
      }
      this.loose.push(loose);
      this.lineStart.push(lineStart);
    });
  }

  private addWordAnchor(text: string, rule: number): void {
    let node = 0;
    for (let k = 0; k < text.length; k++) {
      const slot = node * ASCII + text.charCodeAt(k);
      let child = this.transitions[slot];
      if (child === 0) {
        child = this.nodeRules.length;
        this.nodeRules.push([]);
        if ((child + 1) * ASCII > this.transitions.length) {
          const grown = new Int32Array(this.transitions.length * 2);
          grown.set(this.transitions);
          this.transitions = grown;
        }
        this.transitions[slot] = child;
      }
      node = child;
    }
    if (!this.nodeRules[node].includes(rule)) this.nodeRules[node].push(rule);
  }

  /** Is rule `index` scanned by anchors (true) or globally (false)? */
  anchored(index: number): boolean {
    return this.sticky[index] !== null;
  }

  /** Does rule `index` match anywhere in `text` (RegExp.test, from the start)? `starts` from candidates(). */
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

  /**
   * Candidate start positions per anchored rule, ascending (empty when the rule cannot match).
   * Rules `wanted` rejects may get an incomplete list (they are not going to be run).
   */
  candidates(text: string, wanted?: (index: number) => boolean): number[][] {
    const out: number[][] = this.sticky.map(() => []);
    const { transitions, nodeRules } = this;
    const length = text.length;
    let prevWord = false;
    for (let p = 0; p < length; p++) {
      const code = text.charCodeAt(p);
      const word = isWordCode(code);
      if (word && !prevWord) {
        // Walk the trie from this word start for as long as the text follows an anchor.
        let node = transitions[code];
        for (let k = p + 1; node !== 0; k++) {
          const rules = nodeRules[node];
          for (let r = 0; r < rules.length; r++) {
            const list = out[rules[r]];
            if (list[list.length - 1] !== p) list.push(p);
          }
          if (k >= length) break;
          const next = text.charCodeAt(k);
          node = next < ASCII ? transitions[node * ASCII + next] : 0;
        }
      }
      prevWord = word;
    }
    for (let r = 0; r < this.loose.length; r++) {
      const loose = this.loose[r];
      const lineStart = this.lineStart[r];
      if ((loose.length === 0 && lineStart === null) || (wanted && !wanted(r))) continue;
      const list = out[r];
      const before = list.length;
      if (lineStart) {
        list.push(0);
        if (lineStart === 'line') for (let at = 0; at < length; at++) if (isLineBreak(text.charCodeAt(at))) list.push(at + 1);
      }
      for (const literal of loose) {
        for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) list.push(at);
      }
      if (list.length > before) {
        list.sort((a, b) => a - b);
        let w = 0;
        for (let k = 0; k < list.length; k++) if (k === 0 || list[k] !== list[k - 1]) list[w++] = list[k];
        list.length = w;
      }
    }
    return out;
  }
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
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
