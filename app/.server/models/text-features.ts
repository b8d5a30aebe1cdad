// Shared word analysis for the offline embedder and the offline coach: lower-casing,
// workplace synonyms, a light English stemmer and stopwords. Deterministic, no data files.

const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers herself him himself
  his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours
  ourselves out over own same she should so some such than that the their theirs them themselves then there these they this
  those through to too under until up very was we were what when where which while who whom why will with would you your
  yours yourself yourselves also get got let lets us may might must shall am im ive id youre dont doesnt didnt cant wont`
    .split(/\s+/)
    .filter(Boolean),
);

/** Multi-word phrases folded into one canonical word before tokenising. */
const PHRASE_SYNONYMS: Array<[RegExp, string]> = [
  [/\b(time|days?) off\b/g, 'leave'],
  [/\bannual leave\b/g, 'leave'],
  [/\bpaid time off\b/g, 'leave'],
  [/\bno[- ]shows?\b/g, 'absent'],
  [/\bcall(?:ed|s|ing)? in sick\b/g, 'sick'],
  [/\blet (?:him|her|them|someone|somebody)? ?go\b/g, 'dismiss'],
  [/\bone[- ]to[- ]ones?\b/g, 'meeting'],
];

/** Canonical word → the words that mean the same thing at work. */
const SYNONYM_GROUPS: Record<string, string[]> = {
  late: ['late', 'tardy', 'tardiness', 'lateness', 'latecomer', 'latecomers', 'unpunctual', 'punctuality', 'punctual'],
  swap: ['swap', 'swaps', 'trade', 'trades', 'exchange', 'exchanges', 'switch', 'switches'],
  leave: ['leave', 'holiday', 'holidays', 'vacation', 'vacations', 'pto'],
  sick: ['sick', 'ill', 'unwell', 'illness', 'sickness'],
  absent: ['absent', 'absence', 'absences', 'absenteeism'],
  shift: ['shift', 'shifts', 'rota', 'rotas', 'roster', 'rosters', 'schedule', 'schedules', 'scheduling'],
  pay: ['pay', 'wage', 'wages', 'salary', 'salaries', 'payroll', 'paycheck', 'payslip'],
  dismiss: ['dismiss', 'dismissal', 'terminate', 'termination', 'fired', 'firing', 'sacked'],
  harass: ['harass', 'harassment', 'bully', 'bullying', 'bullied'],
  complaint: ['complaint', 'complaints', 'grievance', 'grievances'],
  manager: ['manager', 'supervisor', 'boss', 'lead'],
  meeting: ['meeting', 'catchup', 'check-in', 'checkin'],
};

export function stemWord(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ness') && w.length > 6) w = w.slice(0, -4);
  else if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(stem: string): string {
  return /([bdgmnprt])\1$/.test(stem) ? stem.slice(0, -1) : stem;
}

const SYNONYM_BY_WORD = new Map<string, string>();
const SYNONYM_BY_STEM = new Map<string, string>();
for (const [canonical, words] of Object.entries(SYNONYM_GROUPS)) {
  for (const word of words) {
    SYNONYM_BY_WORD.set(word, canonical);
    SYNONYM_BY_STEM.set(stemWord(word), canonical);
  }
}

/** Lower-cased word-like runs (letters, digits, inner apostrophes and hyphens). */
export function splitWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

export function foldPhrases(lowerText: string): string {
  let folded = lowerText;
  for (const [pattern, canonical] of PHRASE_SYNONYMS) folded = folded.replace(pattern, canonical);
  return folded;
}

/** One word → its canonical stem, or null for a stopword. */
export function canonicalTerm(word: string): string | null {
  const w = word.replace(/’/g, "'");
  if (STOPWORDS.has(w.replace(/'/g, ''))) return null;
  const direct = SYNONYM_BY_WORD.get(w);
  if (direct) return direct;
  const stem = stemWord(w);
  return SYNONYM_BY_STEM.get(stem) ?? stem;
}

/** Content terms of a text: phrases folded, stopwords dropped, synonyms and stems canonicalised. */
export function analyzeText(text: string): string[] {
  const terms: string[] = [];
  for (const word of splitWords(foldPhrases(text.toLowerCase()))) {
    const term = canonicalTerm(word);
    if (term !== null) terms.push(term);
  }
  return terms;
}
