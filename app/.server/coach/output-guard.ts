// Output safety on a streamed answer. Streaming and "check before it reaches the person" meet
// like this: text is released to the browser only in whole words, and only while the answer so
// far passes classifyOutput. The moment it stops passing, the caller stops the model and the
// whole answer is replaced by a safe one (the browser swaps it; only the safe one is stored).
// So nothing shown ever failed the check, and time to first token is not held back by a
// sentence buffer. The checks are sentence-scoped regexes, so each delta re-checks only a
// window at the end of the text; the whole text is checked once more when the stream ends.
import { classifyOutput } from '~/.server/safety/classifier';
import type { OutputVerdict } from '~/lib/safety';

const WINDOW_CHARS = 600;
const MIN_FINGERPRINT_LINE = 60;

export type GuardStep = { ok: true; release: string } | { ok: false; verdict: OutputVerdict };

export class OutputGuard {
  private text = '';
  private released = 0;
  private failed: OutputVerdict | null = null;

  constructor(private readonly fingerprints: string[] = []) {}

  /** Adds a streamed delta; returns the text that may be shown now. */
  push(delta: string): GuardStep {
    if (this.failed) return { ok: false, verdict: this.failed };
    this.text += delta;
    const verdict = classifyOutput(this.window(), { systemPromptFingerprints: this.fingerprints });
    if (!verdict.ok) return this.fail(verdict);
    // Hold a trailing partial word: "idio" must not be shown before we know it is not "idiot".
    const end = this.wholeWordsEnd();
    const release = this.text.slice(this.released, end);
    this.released = Math.max(this.released, end);
    return { ok: true, release };
  }

  /** The stream ended: check everything once more and release what was held. */
  finish(): GuardStep {
    if (this.failed) return { ok: false, verdict: this.failed };
    const verdict = classifyOutput(this.text, { systemPromptFingerprints: this.fingerprints });
    if (!verdict.ok) return this.fail(verdict);
    const release = this.text.slice(this.released);
    this.released = this.text.length;
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

  private window(): string {
    if (this.text.length <= WINDOW_CHARS) return this.text;
    const from = this.text.length - WINDOW_CHARS;
    const boundary = this.text.slice(0, from).search(/[.!?\n][^.!?\n]*$/);
    return this.text.slice(boundary >= 0 ? boundary + 1 : from);
  }

  private wholeWordsEnd(): number {
    const match = /\S+$/.exec(this.text);
    return match ? match.index : this.text.length;
  }
}

/** Long lines of the safety rules and persona: any of them showing up in an answer is a leak. */
export function systemPromptFingerprints(...texts: string[]): string[] {
  return texts
    .flatMap((t) => t.split(/\n|(?<=[.!?])\s+/))
    .map((line) => line.replace(/^[-*\d.\s]+/, '').replace(/\*\*/g, '').trim())
    .filter((line) => line.length >= MIN_FINGERPRINT_LINE);
}
