// Fixed replies that replace a model answer: a safe stand-in when the output check fails, a
// polite refusal for prompt injection and jailbreak attempts, and a refusal that checks in for
// requests to hurt someone. Deterministic, no model call.
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
export const HARM_REQUEST_REFUSAL = [
  'I can’t help with ways to hurt anyone — a person, a child, an animal — or to damage a place, and I won’t give methods.',
  'If you’re feeling this angry, scared or cornered, that matters, and you don’t have to carry it alone: talking to someone you trust, your GP or your employee assistance line can help, and so can taking a step away from the situation for now.',
  'If anyone is in danger right now — including you — please call your local emergency number.',
  'If something at work is behind this, tell me what’s been happening and we can work out a safe next step together.',
].join('\n\n');

/** Shown instead of answering a message that tries to override instructions or unlock the coach. */
export function refusalReply({ categories = [], manyShot = false }: { categories?: readonly SafetyCategory[]; manyShot?: boolean } = {}): string {
  if (categories.includes('harm_to_others')) return HARM_REQUEST_REFUSAL;
  const what = manyShot
    ? 'That message contains a scripted conversation meant to steer my answers, so I won’t follow it.'
    : categories.includes('prompt_injection')
      ? 'I can’t change or reveal the instructions I work with, so I won’t follow that part.'
      : 'I can’t switch off my guidelines or act as a different assistant.';
  return `${what} I’m still happy to help with anything about leading your team — a tricky conversation, a rota, feedback, or how you’re doing yourself. What’s on your mind?`;
}
