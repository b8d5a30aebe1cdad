// The input safety stage of a turn: classify the message (with the person's last few messages as
// context) and decide what the turn does. Pure and local: no model, no database.
import { classifyMessage } from '~/.server/safety/classifier';
import type { SafetyAction } from '~/.server/safety/events';
import { isManipulationAttempt, type SafetyVerdict } from '~/lib/safety';

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
}

const CONTEXT_MESSAGES = 3;

export function decideInput(text: string, recentUserMessages: string[] = []): InputDecision {
  const verdict = classifyMessage(text, { recentUserMessages: recentUserMessages.slice(-CONTEXT_MESSAGES) });
  // People first: someone in danger gets help even if the message also looks like an attack.
  if (verdict.level === 'crisis') return { kind: 'escalate', verdict, action: 'escalated' };
  if (verdict.categories.includes('harm_to_others')) return { kind: 'refuse', verdict, action: 'refused' };
  if (isManipulationAttempt(verdict) || verdict.manyShot) return { kind: 'refuse', verdict, action: 'refused' };
  if (verdict.level === 'concern') return { kind: 'check-in', verdict, action: 'checked_in' };
  return { kind: 'proceed', verdict, action: verdict.categories.length > 0 ? 'none' : null };
}
