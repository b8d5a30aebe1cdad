// Client-safe safety types shared by the classifier (server), the chat UI (resources panel)
// and the records (safety events). No message text ever lives in these shapes.

export const SAFETY_LEVELS = ['none', 'concern', 'crisis'] as const;
export type SafetyLevel = (typeof SAFETY_LEVELS)[number];

export const SAFETY_CATEGORIES = [
  'self_harm',
  'harm_to_others',
  'abuse_or_harassment',
  'medical_emergency',
  'toxicity',
  'prompt_injection',
  'jailbreak',
] as const;
export type SafetyCategory = (typeof SAFETY_CATEGORIES)[number];

/** The rule id of a short reply read as a crisis because of the person's own crisis just before it (ADR 075). */
export const REPLY_AFTER_CRISIS_RULE = 'context.reply_after_crisis';

export interface SafetyVerdict {
  level: SafetyLevel;
  /** Sorted in SAFETY_CATEGORIES order, no duplicates. */
  categories: SafetyCategory[];
  /** Ids of the rules that fired, for the append-only safety event (never the text). */
  ruleIds: string[];
  /** The person at risk is someone else (a team member, a customer): the manager needs support guidance. */
  thirdParty: boolean;
  /** The message is stuffed with fake dialogue turns (many-shot jailbreak). */
  manyShot: boolean;
}

export const OUTPUT_CATEGORIES = [
  'toxicity',
  'medical_advice',
  'legal_advice',
  'discrimination',
  'system_prompt_leak',
] as const;
export type OutputCategory = (typeof OUTPUT_CATEGORIES)[number];

export interface OutputVerdict {
  ok: boolean;
  ruleIds: string[];
  categories: OutputCategory[];
}

/** Injection and jailbreak attempts are refused politely rather than answered. */
export function isManipulationAttempt(verdict: Pick<SafetyVerdict, 'categories'>): boolean {
  return verdict.categories.includes('prompt_injection') || verdict.categories.includes('jailbreak');
}

const LEVEL_RANK: Record<SafetyLevel, number> = { none: 0, concern: 1, crisis: 2 };

export function maxSafetyLevel(a: SafetyLevel, b: SafetyLevel): SafetyLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}
