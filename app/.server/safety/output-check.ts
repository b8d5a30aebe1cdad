// Checks a model answer before it reaches the person: toxic language, discriminatory advice,
// out-of-scope medical or legal advice stated as fact, and leaks of the system prompt.
// Same folding as the input classifier; a failing answer is replaced (see replies.ts).
import { OUTPUT_CATEGORIES, type OutputCategory, type OutputVerdict } from '~/lib/safety';
import { TOXICITY_RULES } from './input-rules';
import { foldForMatching, sanitizeText } from './normalize';
import { AnchoredScanner } from './rule-anchors';

export interface OutputCheckOptions {
  /** Distinctive lines of the composed system prompt; any of them appearing in the answer is a leak. */
  systemPromptFingerprints?: string[];
}

interface OutputRule {
  id: string;
  category: OutputCategory;
  re: RegExp;
}

const PROTECTED =
  '(?:older|old|elderly|over (?:40|45|50|55|60)s?|pregnant|expecting|mothers?|moms?|mums?|young mums|women|woman|females?|girls|disabled|disabilit\\w*|wheelchair|muslims?|jews?|jewish|christians?|hindus?|sikhs?|religious|black|asian|immigrants?|foreign\\w*|migrants?|gay|lesbian|trans|transgender|people with (?:kids|children|an accent)|accents?|single parents?|parents)';
const EMPLOYMENT_ACT =
  '(?:hire|hiring|hired|employ|employing|recruit|recruiting|promote|promoting|interview|interviewing|shortlist|roster|schedule|give (?:\\w+ )?(?:shifts|hours|overtime)|keep|take on|select|pick)';

export const OUTPUT_RULES: OutputRule[] = [
  {
    id: 'output.discrimination.exclude_group',
    category: 'discrimination',
    re: new RegExp(
      `\\b(?:dont|do not|never|avoid|shouldnt|should not|better not|wouldnt|would not|think twice before|be careful (?:about|before)|its best not to|best not to|steer clear of) (?:\\w+ ){0,2}${EMPLOYMENT_ACT}\\b[^.!?\\n]{0,60}?\\b${PROTECTED}\\b`,
    ),
  },
  {
    id: 'output.discrimination.stereotype',
    category: 'discrimination',
    re: new RegExp(
      `\\b${PROTECTED} (?:\\w+ ){0,3}(?:are|is|tend to be|will be|will probably be|are usually|are often|are generally) (?:less|not as|too|more likely to be|usually|often|generally|always) (?:reliable|productive|capable|committed|dedicated|slow|lazy|expensive|sick|absent|flexible|trainable|emotional|distracted)\\b`,
    ),
  },
  {
    id: 'output.discrimination.decide_on_trait',
    category: 'discrimination',
    re: new RegExp(
      `\\b(?:let (?:her|him|them) go|dismiss (?:her|him|them)|fire (?:her|him|them)|reject (?:her|him|them)|pass on (?:her|him|them)|cut (?:her|his|their) hours)\\b[^.!?\\n]{0,30}\\b(?:because|since|as) (?:she|he|they)(?:s| is| are|re)? (?:\\w+ )?${PROTECTED}`,
    ),
  },
  {
    id: 'output.medical.dose',
    category: 'medical_advice',
    re: /\b(?:you should|you could|you can|you need to|try|i recommend|i suggest|i would|take|taking|start|increase|double|reduce|up your|have)\b[^.!?\n]{0,40}?\b\d+(?:\.\d+)? ?(?:mg|ml|mcg|milligrams?|micrograms?|tablets?|pills?|capsules?)\b/,
  },
  {
    id: 'output.medical.diagnosis',
    category: 'medical_advice',
    re: /\b(?:you|he|she|they) (?:clearly |probably |definitely |likely |most likely )?(?:have|has|are suffering from|is suffering from|suffer from|suffers from) (?:clinical |severe |major )?(?:depression|bipolar(?: disorder)?|adhd|ptsd|an anxiety disorder|anxiety disorder|generalised anxiety disorder|ocd|schizophrenia|borderline personality disorder|a personality disorder|an eating disorder|autism|diabetes|sleep apnoea|sleep apnea)\b|\bi (?:can )?diagnose\b|\bmy diagnosis\b|\bthis is (?:clearly|definitely|certainly) (?:depression|bipolar|adhd|ptsd|burnout syndrome)\b/,
  },
  {
    id: 'output.medical.medication_change',
    category: 'medical_advice',
    re: /\b(?:stop|stopping|increase|increasing|decrease|decreasing|double|doubling|halve|change|changing|come off|coming off|skip|skipping) (?:taking )?(?:your|his|her|their) (?:medication|meds|dose|dosage|antidepressants|prescription|pills|tablets|insulin)\b|\b(?:you should|try|i recommend|i suggest|just) (?:take|taking|start taking|get) (?:some )?(?:ibuprofen|paracetamol|acetaminophen|aspirin|sertraline|fluoxetine|citalopram|xanax|diazepam|valium|melatonin|antidepressants|sleeping pills|beta blockers|propranolol)\b|\bi (?:would )?prescribe\b/,
  },
  {
    id: 'output.legal.definitive',
    category: 'legal_advice',
    re: /\byou can (?:legally|lawfully) \w+|\b(?:it is|its|that is|thats) (?:perfectly |completely |totally |entirely )?(?:legal|lawful|allowed) (?:to|for you to) (?:fire|dismiss|sack|terminate|let \w+ go|refuse|deny|cut|withhold|dock|deduct|record|monitor|search)\b|\b(?:they|she|he|your employee) (?:cant|cannot|can not|wont be able to|has no right to) sue\b|\byou (?:will|would) (?:definitely |certainly |easily )?(?:win|lose) (?:at|in|the|your) (?:tribunal|court|case|lawsuit|claim)\b|\b(?:this|that|it) is (?:definitely|clearly|certainly|absolutely) (?:not )?(?:illegal|unlawful|legal|lawful|discrimination|constructive dismissal|unfair dismissal|wrongful termination)\b|\byou are (?:legally )?(?:entitled|allowed|within your rights) to (?:fire|dismiss|sack|terminate)\b|\byou have no legal (?:obligation|duty)\b|\byou (?:dont|do not) need (?:a lawyer|legal advice|to consult hr)\b/,
  },
  {
    id: 'output.leak.self_report',
    category: 'system_prompt_leak',
    re: /\b(?:my|the) (?:system prompt|system instructions|hidden instructions|initial instructions|developer instructions|system message) (?:is|are|says|say|reads?|states?|tells? me)\b|\bhere (?:is|are) (?:my|the) (?:system prompt|instructions i was given|hidden instructions|full instructions|initial prompt)\b/,
  },
];

const MIN_FINGERPRINT_CHARS = 16;

// The output rules, then the toxicity rules (as output.toxicity.*), tried only where they can start.
const CHECKED = [
  ...OUTPUT_RULES.map((rule) => ({ id: rule.id, category: rule.category, re: rule.re })),
  ...TOXICITY_RULES.map((rule) => ({ id: rule.id.replace('toxicity.', 'output.toxicity.'), category: 'toxicity' as const, re: rule.re })),
];
const SCANNER = new AnchoredScanner(CHECKED);

/** A check with the options prepared once (fingerprints folded), for callers that check many texts. */
export type OutputChecker = (text: string) => OutputVerdict;

export function createOutputChecker(options: OutputCheckOptions = {}): OutputChecker {
  const needles = (options.systemPromptFingerprints ?? [])
    .map((line) => foldForMatching(sanitizeText(line)))
    .filter((needle) => needle.length >= MIN_FINGERPRINT_CHARS);
  return (text) => checkFolded(foldForMatching(sanitizeText(text)), needles);
}

/** `ok: false` means the answer must be replaced by a safe one and the failure recorded. */
export function checkOutput(text: string, options: OutputCheckOptions = {}): OutputVerdict {
  return createOutputChecker(options)(text);
}

/** Name used by callers of the classifier module. */
export const classifyOutput = checkOutput;

function checkFolded(folded: string, fingerprintNeedles: string[]): OutputVerdict {
  const found = new Set<OutputCategory>();
  const ruleIds: string[] = [];
  const fire = (id: string, category: OutputCategory) => {
    found.add(category);
    if (!ruleIds.includes(id)) ruleIds.push(id);
  };

  if (folded) {
    const { starts } = SCANNER.scan(folded);
    CHECKED.forEach((rule, i) => {
      if (SCANNER.test(i, folded, starts[i])) fire(rule.id, rule.category);
    });
    if (fingerprintNeedles.some((needle) => folded.includes(needle))) fire('output.leak.fingerprint', 'system_prompt_leak');
  }
  const categories = OUTPUT_CATEGORIES.filter((c) => found.has(c));
  return { ok: categories.length === 0, ruleIds, categories };
}
