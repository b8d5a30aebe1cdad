// Fixed replies that replace a model answer: a safe stand-in when the output check fails, a
// polite refusal for prompt injection and jailbreak attempts, and a refusal that checks in for
// requests to hurt someone. Deterministic, no model call.
import { HARM_REFUSALS, MANIPULATION_REFUSALS } from '~/.server/i18n/refusals';
import { DEFAULT_LANGUAGE, type LanguageCode } from '~/lib/i18n';
import type { OutputCategory, SafetyCategory } from '~/lib/safety';

const OUTPUT_NOTES: Record<OutputCategory, string> = {
  medical_advice:
    "I can't give medical advice, diagnoses or doses. A GP, pharmacist or your occupational health service is the right place for that.",
  legal_advice:
    "I can't say what is legally allowed in a specific case. Please check with your HR contact before acting; they can involve employment law advice if needed.",
  discrimination:
    'Decisions about hiring, shifts or promotion need to rest on the job and on how people do it — never on age, pregnancy, disability, religion, race, sex or other personal characteristics.',
  toxicity: "I'd rather keep this respectful, for everyone involved.",
  system_prompt_leak: "I can't share how I'm set up behind the scenes.",
};

/** Shown instead of a model answer that failed classifyOutput. */
export function safeReplacementReply({ categories }: { categories: readonly OutputCategory[] }): string {
  const notes = [...new Set(categories)].map((c) => OUTPUT_NOTES[c]).filter(Boolean);
  return [
    "Sorry — I started to answer in a way I shouldn't have, so here's a better starting point instead.",
    ...notes,
    'Tell me a bit more about the situation with your team and what you would like to happen, and we can work out a next step together.',
  ].join('\n\n');
}

/** Shown instead of answering a request for how to hurt a person, a child, an animal or a place. */
export const HARM_REQUEST_REFUSAL = HARM_REFUSALS.en.join('\n\n');

/**
 * The harm-request refusal in the person's language (English when the language is not supported). With the tenant's
 * support lines (escalation.ts resourceLines: the emergency number, the crisis line, the assistance programme), they
 * follow the paragraph that says to call for help, so "your local emergency number" and "your employee assistance
 * line" come with the actual numbers.
 */
export function harmRequestRefusal(language: LanguageCode = DEFAULT_LANGUAGE, supportLines?: string): string {
  const paragraphs = [...(HARM_REFUSALS[language] ?? HARM_REFUSALS.en)];
  if (supportLines) paragraphs.splice(3, 0, supportLines);
  return paragraphs.join('\n\n');
}

/** Shown instead of answering a message that tries to override instructions or unlock the coach. */
export function refusalReply({
  categories = [],
  manyShot = false,
  language = DEFAULT_LANGUAGE,
  supportLines,
}: { categories?: readonly SafetyCategory[]; manyShot?: boolean; language?: LanguageCode; supportLines?: string } = {}): string {
  if (categories.includes('harm_to_others')) return harmRequestRefusal(language, supportLines);
  const texts = MANIPULATION_REFUSALS[language] ?? MANIPULATION_REFUSALS.en;
  const what = manyShot ? texts.manyShot : categories.includes('prompt_injection') ? texts.injection : texts.jailbreak;
  return `${what} ${texts.offer}`;
}

/** Why a fixed reply replaced the model, for lineage and logs. */
export function refusalReason(categories: readonly SafetyCategory[]): string {
  return categories.includes('harm_to_others') ? 'harm-to-others request refused: no model call' : 'manipulation attempt refused: no model call';
}
