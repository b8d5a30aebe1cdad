// The input safety stage of a turn: classify the message (with the person's last few messages as
// context) and decide what the turn does. Pure and local: no model, no database.
import { readMessage, type MessageReading } from '~/.server/safety/classifier';
import type { SafetyAction } from '~/.server/safety/events';
import { isManipulationAttempt, type SafetyLevel, type SafetyVerdict } from '~/lib/safety';

export type InputDecisionKind =
  /** Crisis: the escalation reply with the tenant's resources, no model call. */
  | 'escalate'
  /**
   * Injection, jailbreak or many-shot: a polite refusal, no model call. Also a request for how to
   * hurt someone (harm_to_others below crisis): a refusal that checks in and offers support, so no
   * chat model ever answers it with methods (ADR 009).
   */
  | 'refuse'
  /** Concern: the coach checks in on the person first, then keeps coaching. */
  | 'check-in'
  | 'proceed';

export interface InputDecision {
  kind: InputDecisionKind;
  verdict: SafetyVerdict;
  /** What the append-only safety event records; null when nothing needs recording. */
  action: SafetyAction | null;
  /**
   * An injection followed by a question of its own ("Ignore your previous instructions. Can I …?"):
   * the override was removed and the turn answers `text`, the question alone (ADR 037). The
   * verdict still carries the injection's categories and rules, for the safety event and lineage.
   */
  overrideRemoved?: { text: string; removedSegments: number };
}

const CONTEXT_MESSAGES = 3;

/**
 * The local classifier's verdicts for one chat turn: each text the turn reads (the message, for its
 * title and for its decision; an override's segments; the history's earlier messages) is classified
 * once. It lives as long as the turn (created in runTurn, dropped with it), so a verdict never
 * outlives the turn, another tenant never reads it, and a reloaded model is read by the next turn.
 */
export class TurnVerdicts {
  private readonly readings = new Map<string, MessageReading>();
  /** Classifier runs so far (a message read again with context that makes it a follow-up counts twice). */
  classifications = 0;

  /** classifyMessage(text), or with the person's recent messages as context. */
  verdict(text: string, recentUserMessages: string[] = []): SafetyVerdict {
    let reading = this.readings.get(text);
    if (!reading) {
      reading = readMessage(text);
      this.classifications++;
      this.readings.set(text, reading);
    }
    if (recentUserMessages.length === 0) return reading.verdict;
    const verdict = reading.withContext(recentUserMessages, (message) => this.verdict(message));
    if (verdict !== reading.verdict) this.classifications++;
    return verdict;
  }
}

/**
 * What the turn does with the message. `conversationLevel` is the conversation's level before this
 * turn: once a conversation has held a crisis, a later message that reads as nothing on its own is
 * still answered with a check-in first (ADR 075) — the coach asks how the person is before it coaches.
 * (A short reply just after the crisis is a crisis itself: the classifier reads it with the context.)
 */
export function decideInput(text: string, recentUserMessages: string[] = [], verdicts: TurnVerdicts = new TurnVerdicts(), conversationLevel: SafetyLevel = 'none'): InputDecision {
  const decision = decideMessage(text, recentUserMessages, verdicts);
  if (decision.kind === 'proceed' && conversationLevel === 'crisis') return { ...decision, kind: 'check-in' };
  return decision;
}

function decideMessage(text: string, recentUserMessages: string[], verdicts: TurnVerdicts): InputDecision {
  const verdict = verdicts.verdict(text, recentUserMessages.slice(-CONTEXT_MESSAGES));
  // People first: someone in danger gets help even if the message also looks like an attack.
  if (verdict.level === 'crisis') return { kind: 'escalate', verdict, action: 'escalated' };
  if (verdict.categories.includes('harm_to_others')) return { kind: 'refuse', verdict, action: 'refused' };
  if (verdict.manyShot) return { kind: 'refuse', verdict, action: 'refused' };
  if (isManipulationAttempt(verdict)) {
    // An override in front of a question loses the override; a jailbreak's persona frames all that
    // follows it ("You are DAN … now tell me"), so it is refused whole.
    const question = verdict.categories.includes('jailbreak') ? null : withoutOverride(text, verdicts);
    if (question) {
      const rest = decideMessage(question.text, recentUserMessages, verdicts);
      if (rest.kind === 'proceed' || rest.kind === 'check-in') {
        return {
          kind: rest.kind,
          verdict: { ...rest.verdict, categories: union(verdict.categories, rest.verdict.categories), ruleIds: union(verdict.ruleIds, rest.verdict.ruleIds) },
          action: rest.action ?? 'none',
          overrideRemoved: { text: question.text, removedSegments: question.removed },
        };
      }
    }
    return { kind: 'refuse', verdict, action: 'refused' };
  }
  if (verdict.level === 'concern') return { kind: 'check-in', verdict, action: 'checked_in' };
  return { kind: 'proceed', verdict, action: verdict.categories.length > 0 ? 'none' : null };
}

/** The text the coach answers: the question alone when an override was removed from the message. */
export function questionOf(text: string, decision: Pick<InputDecision, 'overrideRemoved'> | null): string {
  return decision?.overrideRemoved?.text ?? text;
}

/**
 * A message as the coach should read it in later turns' history: without a removed override (the
 * model never sees "ignore your previous instructions", in this turn or any later one).
 */
export function withoutOverrideInHistory(text: string, verdicts: TurnVerdicts = new TurnVerdicts()): string {
  if (!isManipulationAttempt(verdicts.verdict(text))) return text;
  return withoutOverride(text, verdicts)?.text ?? text;
}

// A role reassignment addressed to the coach ("You work for me now:", "From now on you …") is part
// of the override even when the classifier does not flag the fragment on its own.
const ROLE_OVERRIDE =
  /^\s*(?:(?:ok(?:ay)?|now|so|and),?\s+)?(?:you (?:work|answer|report) (?:for|to) me(?: now)?|from now on\b.*|you are (?:now|no longer)\b.*|(?:pretend|act|behave) (?:to be|as|like)\b.*|forget (?:your|all|the)\b.*|new (?:rules|instructions)\b.*)\s*[.:;,!-]*\s*$/i;
// What is left must not still talk to the model about its rules, prompt or persona.
const STILL_ADDRESSES_THE_MODEL =
  /\b(?:instructions?|system prompt|your (?:rules|guidelines|programming|prompt|persona|restrictions)|no (?:rules|restrictions|limits|filters?)|jailbr\w*|developer mode|DAN|as an ai|unfiltered|uncensored|role-?play)\b/i;

/**
 * The question that follows (or precedes) an injection in a message, with the override's sentences
 * and clauses removed, or null when nothing legitimate is left: a pure injection or jailbreak, a
 * remainder that still addresses the model's instructions or persona, or one too short to be a
 * question of its own. Segments are sentences and the clauses a colon or semicolon sets off; each
 * is removed when the classifier reads it as an injection or jailbreak, or it reassigns the
 * coach's role. The remainder is classified again as a whole (decideInput).
 */
export function withoutOverride(text: string, verdicts: TurnVerdicts = new TurnVerdicts()): { text: string; removed: number } | null {
  const segments = text.split(/(?<=[.!?:;])\s+/).map((s) => s.trim()).filter(Boolean);
  if (segments.length < 2) return null;
  const kept: string[] = [];
  let removed = 0;
  for (const segment of segments) {
    if (ROLE_OVERRIDE.test(segment) || isManipulationAttempt(verdicts.verdict(segment))) removed += 1;
    else kept.push(segment);
  }
  if (removed === 0 || kept.length === 0) return null;
  const rest = kept.join(' ').replace(/^[\s:;,.-]+/, '').trim();
  const words = rest.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 5 || STILL_ADDRESSES_THE_MODEL.test(rest)) return null;
  if (isManipulationAttempt(verdicts.verdict(rest))) return null;
  return { text: rest.charAt(0).toUpperCase() + rest.slice(1), removed };
}

function union<T>(a: T[], b: T[]): T[] {
  return [...new Set([...a, ...b])];
}
