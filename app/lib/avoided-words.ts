// A word a tenant asked its coach not to use ("mate", "HR", "just a quick one"), as the coach and the
// evaluation find it: the word itself and its inflections ("mates", "HR's", "staffing"), never the
// letters inside another word ("estimate", "adjust", "three"). Removing "mate" from "the driver's
// estimate" would change what the policy says (ADR 075).

const INFLECTION = "(?:s|es|'s|’s|ing|ed|d|er|ers|ly)?";

/** Every use of the term in a text (global, case-insensitive). */
export function avoidedWordPattern(term: string): RegExp {
  const escaped = term.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}${INFLECTION}(?![\\p{L}\\p{N}])`, 'giu');
}

/** Whether the text uses the term (as a word, or an inflection of it). */
export function usesAvoidedWord(text: string, term: string): boolean {
  return term.trim().length > 0 && avoidedWordPattern(term).test(text);
}
