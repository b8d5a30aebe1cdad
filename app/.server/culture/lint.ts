// Ingestion lint for culture-pack chunks: flags text that tries to instruct the model and
// personal data of individuals, so an HR admin can review or exclude it before publishing.
// Pure regular expressions: fast, deterministic, explainable. It is a reviewer's aid, not a
// guarantee — the prompt composer still treats every passage as quoted data.
//
// Email decision: role mailboxes (hr@, support@, eap@, people.ops@, ...) are published on
// purpose and are allowed; any other address looks like a person's and is flagged.
// Phone decision: short service numbers (988, 911, 116 123) and toll-free/freephone numbers
// (800/888/... in North America, 0800/0808 in the UK, 1800/1300 in Australia) are allowed;
// other numbers of 7+ digits are flagged, because a named person's direct line and an office
// switchboard cannot be told apart from text alone.

/** The parser wraps text a browser would not show (display:none, white-on-white) in these markers. */
export const HIDDEN_TEXT_OPEN = '[hidden-text]';
export const HIDDEN_TEXT_CLOSE = '[/hidden-text]';

export interface LintFinding {
  kind: 'instruction' | 'pii';
  rule: string;
  excerpt: string;
}

interface Rule {
  kind: LintFinding['kind'];
  rule: string;
  pattern: RegExp;
  /** Return false to skip a match (e.g. role mailboxes). */
  accept?: (match: RegExpExecArray) => boolean;
}

const ASSISTANT = String.raw`(?:ai|a\.i\.|assistant|chat ?bot|language model|llm|gpt|chatgpt|claude|copilot|(?:the|this)\s+(?:model|bot))`;
const ROLE_MAILBOXES = new Set([
  'hr', 'humanresources', 'people', 'peopleops', 'peopleteam', 'support', 'help', 'helpdesk', 'servicedesk', 'service',
  'eap', 'wellbeing', 'wellness', 'health', 'safety', 'security', 'ethics', 'compliance', 'legal', 'privacy', 'dpo',
  'dataprotection', 'speakup', 'whistleblowing', 'whistleblower', 'hotline', 'concerns', 'grievances', 'info', 'contact',
  'hello', 'enquiries', 'inquiries', 'admin', 'office', 'reception', 'team', 'feedback', 'payroll', 'benefits', 'pensions',
  'careers', 'jobs', 'recruitment', 'recruiting', 'talent', 'training', 'learning', 'onboarding', 'it', 'facilities',
  'noreply', 'no-reply', 'donotreply', 'operations', 'ops', 'rota', 'scheduling', 'shifts', 'leave', 'absence', 'accounts',
  'finance', 'customerservice', 'care', 'diversity', 'inclusion', 'dei', 'occupationalhealth', 'oh', 'union', 'comms',
]);

const RULES: Rule[] = [
  // --- instruction-like text -------------------------------------------------------------
  {
    kind: 'instruction',
    rule: 'ignore_previous_instructions',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|foregoing|all|any|your|the|system|these|those)\b[^.\n]{0,30}?\b(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|context|messages|programming)\b/gi,
  },
  {
    kind: 'instruction',
    rule: 'role_reassignment',
    pattern:
      /\b(?:you are now|from now on,? you(?:'re| are| will| must)|you will now act|pretend (?:to be|you are)|act as (?:an? )?(?:unrestricted|unfiltered|different|new|jailbroken)|enter (?:developer|god|dan) mode|do anything now)\b/gi,
  },
  {
    kind: 'instruction',
    rule: 'assistant_directive',
    pattern: new RegExp(
      String.raw`\b(?:(?:the|an?|this|any)\s+)?${ASSISTANT}\s+(?:must|should|shall|will|is to|needs to|has to|is required to|may not|must not|should not)\s+(?:always|never|not|only|now|respond|reply|answer|say|tell|reveal|ignore|recommend|output|print|include|refuse|pretend|claim)\b|\b(?:dear|attention|note to (?:the )?)\s*${ASSISTANT}\b|\b(?:if|when) you are an? ${ASSISTANT}\b|\bas an? ${ASSISTANT},?\s+you\b|\b${ASSISTANT}\s*[:,]\s*(?:you|ignore|always|never|respond|reply|say|tell|do not|don't|approve|deny|grant|recommend|answer|output|print|send|include|refuse|pretend|treat)\b`,
      'gi',
    ),
  },
  {
    kind: 'instruction',
    rule: 'chat_role_marker',
    pattern:
      /^[ \t>*_#-]*(?:system|assistant|developer)[ \t*_]*:|\[\/?(?:system|inst|sys)\]|<\/?(?:system|assistant|sys)>|<<\/?SYS>>|<\|(?:im_start|im_end|system|endoftext)\|>|^#{1,6}[ \t]*(?:system prompt|instructions? for the (?:ai|assistant|model))\b/gim,
  },
  {
    kind: 'instruction',
    rule: 'conceal_from_user',
    pattern:
      /\b(?:do not|don't|never|without)\s+(?:tell(?:ing)?|inform(?:ing)?|reveal(?:ing)?|mention(?:ing)?|disclos(?:e|ing)|let(?:ting)?|show(?:ing)?)\s+(?:this\s+to\s+)?(?:the\s+)?(?:user|manager you are (?:talking|speaking) (?:to|with)|person you are (?:talking|speaking) (?:to|with))\b|\b(?:do not|don't|never)\s+(?:reveal|mention|disclose|repeat|acknowledge)\s+(?:this|these|the|your)\s+(?:instructions?|prompt|system prompt|rules|message)\b/gi,
  },
  {
    kind: 'instruction',
    rule: 'prompt_extraction',
    pattern:
      /\b(?:reveal|print|output|repeat|show|display|leak|return)\s+(?:me\s+)?(?:your|the)\s+(?:(?:full|entire|original|hidden|initial)\s+)?(?:system prompt|system message|instructions|prompt|hidden rules)\b/gi,
  },
  {
    kind: 'instruction',
    rule: 'hidden_text',
    pattern: new RegExp(escapeRegExp(HIDDEN_TEXT_OPEN), 'g'),
  },
  {
    kind: 'instruction',
    rule: 'invisible_characters',
    // Zero-width, bidi-override and Unicode tag characters hide text from human reviewers.
    pattern: /[\u200B-\u200D\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]+/gu,
  },
  {
    kind: 'instruction',
    rule: 'html_comment',
    pattern: /<!--[\s\S]*?(?:-->|$)/g,
  },
  {
    kind: 'instruction',
    rule: 'hidden_style',
    pattern:
      /style\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|(?<![-\w])color\s*:\s*(?:white|#fff(?:fff)?\b))[^"']*["']/gi,
  },
  {
    kind: 'instruction',
    rule: 'remote_image_with_query',
    // A model that renders this image sends the query string (possibly the conversation) to the host.
    pattern: /!\[[^\]]*\]\(\s*<?https?:\/\/[^\s)>]*\?[^\s)>]*>?[^)]*\)|<img\b[^>]*\bsrc\s*=\s*["']?https?:\/\/[^"'\s>]*\?[^"'\s>]*/gi,
  },
  {
    kind: 'instruction',
    rule: 'exfiltration_link',
    // URLs with a placeholder for data the model is meant to fill in. for data the model is meant to fill in.
    pattern:
      /https?:\/\/[^\s)<>"']*(?:\{[^}\s]*\}|%7B|<[^>\s]*>|%3C|\[[A-Z_ ]+\]|\$[A-Za-z_]+|=(?:USER|CHAT|CONVERSATION|HISTORY|SECRET|DATA|MESSAGE|SUMMARY|PASSWORD|TOKEN)\b)/g,
  },
  {
    kind: 'instruction',
    rule: 'exfiltration_request',
    pattern:
      /\b(?:append|add|include|insert|encode|put)\b[^.\n]{0,60}?\b(?:conversation|chat history|messages?|user'?s? (?:data|details|name|email)|summary|secrets?|password)\b[^.\n]{0,40}?\b(?:url|link|query|image)\b/gi,
  },
  // --- personal data ---------------------------------------------------------------------
  {
    kind: 'pii',
    rule: 'personal_email',
    pattern: /\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
    accept: (match) => !isRoleMailbox(match[0]),
  },
  {
    kind: 'pii',
    rule: 'national_id',
    // US Social Security and UK National Insurance numbers.
    pattern: /\b\d{3}-\d{2}-\d{4}\b|\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/g,
  },
  {
    kind: 'pii',
    rule: 'phone_number',
    pattern: /(?<![\w+\/.-])(?:(?:\+\d{1,3}|1)[ \u00a0.-]?)?(?:\(\d{1,5}\)[ \u00a0.-]?)?\d{2,6}(?:[ \u00a0.-]\d{2,6}){1,4}(?![\w\/-]|\.\d)|(?<![\w+])\+\d{8,15}\b/g,
    accept: (match) => isPersonalLookingPhone(match[0]),
  },
];

export function lintChunk(text: string): LintFinding[] {
  const found: Array<LintFinding & { index: number }> = [];
  const taken: Array<[number, number]> = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const match of text.matchAll(rule.pattern)) {
      const index = match.index ?? 0;
      const end = index + match[0].length;
      if (rule.accept && !rule.accept(match as RegExpExecArray)) continue;
      // One personal-data finding per span: an SSN is not also reported as a phone number.
      if (rule.kind === 'pii' && taken.some(([s, e]) => index < e && end > s)) continue;
      if (rule.kind === 'pii') taken.push([index, end]);
      found.push({ kind: rule.kind, rule: rule.rule, excerpt: excerptAround(text, index, end), index });
    }
  }
  found.sort((a, b) => a.index - b.index || a.rule.localeCompare(b.rule));
  return found.map(({ kind, rule, excerpt }) => ({ kind, rule, excerpt }));
}

const INVISIBLE = /[\u200B-\u200D\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]/gu;

const REGION_WORDS = new Set(['emea', 'apac', 'amer', 'latam', 'europe', 'north', 'south', 'east', 'west', 'central']);

/** hr@, eap@, people.ops@, support-uk@ are role mailboxes; jane.doe@ and hr.jane@ are not. */
export function isRoleMailbox(address: string): boolean {
  const local = address.split('@')[0].toLowerCase();
  if (ROLE_MAILBOXES.has(local) || ROLE_MAILBOXES.has(local.replace(/[._+-]/g, ''))) return true;
  const [first, ...rest] = local.split(/[._+-]/).filter(Boolean);
  if (!first || !ROLE_MAILBOXES.has(first)) return false;
  return rest.every((token) => ROLE_MAILBOXES.has(token) || REGION_WORDS.has(token) || /^[a-z]{2}$|^\d+$/.test(token));
}

function isPersonalLookingPhone(raw: string): boolean {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  // Dates (2024-03-01, 01.03.2024) and times share the digit-and-separator shape.
  if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(raw) || /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(raw)) return false;
  // Runs of two-digit groups ("teams of 10 20 30 40") are lists, unless shaped like 06 12 34 56 78.
  const groups = raw.split(/[^\d]+/).filter(Boolean);
  if (groups.every((g) => g.length <= 2) && !/^0\d{9}$/.test(digits)) return false;
  return !isTollFree(digits);
}

function isTollFree(digits: string): boolean {
  return (
    /^1?8(?:00|33|44|55|66|77|88)\d{7}$/.test(digits) || // North America
    /^(?:44)?0?80[08]\d{6,7}$/.test(digits) || // UK freephone
    /^(?:61)?1[38]00\d{6}$/.test(digits) || // Australia
    /^(?:353)?1800\d{6}$/.test(digits) // Ireland
  );
}

function excerptAround(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 30);
  const to = Math.min(text.length, Math.max(end, start + 1) + 30, from + 160);
  const clipped = showInvisible(text.slice(from, to)).replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${clipped}${to < text.length ? '…' : ''}`;
}

// Reviewers cannot see zero-width or tag characters, so name them in the excerpt.
function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (char) => `[U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
