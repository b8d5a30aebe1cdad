// Output safety on a streamed answer. Streaming and "check before it reaches the person" meet
// like this: text is released to the browser only in whole words, and only once the answer so
// far passes the output check. The moment it stops passing, the caller stops the model and the
// whole answer is replaced by a safe one (the browser swaps it; only the safe one is stored).
// So nothing shown ever failed the check, and time to first token is not held back by a
// sentence buffer.
//
// The check is incremental, so its cost per answer is linear, not per token × window. The rules
// are sentence-scoped (no match crosses ". ", "! ", "? " or a newline) and no match is longer
// than OVERLAP_CHARS, so a match that ends in the new text starts after the later of the current
// sentence's start and OVERLAP_CHARS before the text already checked. Each check reads that
// overlap plus the new text, and runs only once the new text is at least 1/GROWTH of the
// overlap: short sentences are checked word by word, a long one every few words, and each
// character is folded and scanned at most GROWTH + 1 times while streaming, plus once when the
// stream ends (the whole text, as the final word).
import { createOutputChecker, type OutputChecker } from '~/.server/safety/output-check';
import type { OutputVerdict } from '~/lib/safety';

const MIN_FINGERPRINT_LINE = 60;
/** Longer than any single output-rule match (the longest is about 200 characters of one sentence). */
const MIN_OVERLAP_CHARS = 240;
const GROWTH = 4;

export type GuardStep = { ok: true; release: string } | { ok: false; verdict: OutputVerdict };

const SENTENCE_END = /[.!?]\s|\n/g;
const WHITESPACE = /\s/;

export class OutputGuard {
  private text = '';
  private released = 0;
  /** text[0, checkedTo) passed the check (a whole-word prefix). */
  private checkedTo = 0;
  /** Where the sentence containing checkedTo starts. */
  private sentenceStart = 0;
  private failed: OutputVerdict | null = null;
  private readonly check: OutputChecker;
  private readonly overlapChars: number;
  /** Characters folded and scanned so far (for tests and the benchmark). */
  scannedChars = 0;

  constructor(fingerprints: string[] = []) {
    this.check = checkerFor(fingerprints);
    this.overlapChars = Math.max(MIN_OVERLAP_CHARS, ...fingerprints.map((f) => f.length + 16));
  }

  /** Adds a streamed delta; returns the text that may be shown now. */
  push(delta: string): GuardStep {
    if (this.failed) return { ok: false, verdict: this.failed };
    this.text += delta;
    // Hold a trailing partial word: "idio" must not be shown before we know it is not "idiot".
    const end = this.wholeWordsEnd(delta.length);
    if (end <= this.checkedTo) return { ok: true, release: '' };
    const from = this.windowStart();
    if (end - this.checkedTo < (this.checkedTo - from) / GROWTH) return { ok: true, release: '' };
    const verdict = this.check(this.text.slice(from, end));
    this.scannedChars += end - from;
    if (!verdict.ok) return this.fail(verdict);
    this.advanceSentence(end);
    this.checkedTo = end;
    const release = this.text.slice(this.released, end);
    this.released = end;
    return { ok: true, release };
  }

  /** The stream ended: check everything once more and release what was held. */
  finish(): GuardStep {
    if (this.failed) return { ok: false, verdict: this.failed };
    const verdict = this.check(this.text);
    this.scannedChars += this.text.length;
    if (!verdict.ok) return this.fail(verdict);
    const release = this.text.slice(this.released);
    this.released = this.checkedTo = this.text.length;
    return { ok: true, release };
  }

  get fullText(): string {
    return this.text;
  }

  get verdict(): OutputVerdict | null {
    return this.failed;
  }

  private fail(verdict: OutputVerdict): GuardStep {
    this.failed = verdict;
    return { ok: false, verdict };
  }

  /** The earliest place a match ending after checkedTo can start, snapped to a word start. */
  private windowStart(): number {
    const cut = this.checkedTo - this.overlapChars;
    if (cut <= this.sentenceStart) return this.sentenceStart;
    let from = cut;
    while (from < this.checkedTo && !WHITESPACE.test(this.text[from - 1])) from++;
    return from;
  }

  /** Moves sentenceStart past the last sentence end in text[checkedTo - 1, end). */
  private advanceSentence(end: number) {
    SENTENCE_END.lastIndex = Math.max(this.sentenceStart, this.checkedTo - 1);
    for (let m = SENTENCE_END.exec(this.text); m && m.index < end; m = SENTENCE_END.exec(this.text)) {
      this.sentenceStart = m.index + m[0].length;
    }
  }

  /** The end of the last whole word: after the last whitespace (only the new delta and the held word are read). */
  private wholeWordsEnd(deltaLength: number): number {
    const floor = Math.max(this.checkedTo, this.text.length - deltaLength - 1);
    for (let i = this.text.length - 1; i >= floor; i--) if (WHITESPACE.test(this.text[i])) return i + 1;
    return this.checkedTo;
  }
}

/**
 * One checker per fingerprint list: systemPromptFingerprints returns the same array for the same prompts, and a
 * checker is a pure function of its fingerprints (folding them cost ≈ 0.3 ms of every turn; docs/decisions/047).
 */
const checkers = new WeakMap<string[], OutputChecker>();

function checkerFor(fingerprints: string[]): OutputChecker {
  let checker = checkers.get(fingerprints);
  if (!checker) checkers.set(fingerprints, (checker = createOutputChecker({ systemPromptFingerprints: fingerprints })));
  return checker;
}

const fingerprintCache = new Map<string, string[]>();

/** Long lines of the safety rules and persona: any of them showing up in an answer is a leak. */
export function systemPromptFingerprints(...texts: string[]): string[] {
  const key = texts.join('\u0000');
  const cached = fingerprintCache.get(key);
  if (cached) return cached;
  const lines = texts
    .flatMap((t) => t.split(/\n|(?<=[.!?])\s+/))
    .map((line) => line.replace(/^[-*\d.\s]+/, '').replace(/\*\*/g, '').trim())
    .filter((line) => line.length >= MIN_FINGERPRINT_LINE);
  if (fingerprintCache.size > 16) fingerprintCache.clear();
  fingerprintCache.set(key, lines);
  return lines;
}
