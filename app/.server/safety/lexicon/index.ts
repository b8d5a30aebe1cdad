// All languages' cue lexicons, compiled once into one index.
import { compileLexicons, type CompiledLexicon } from './match';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { it } from './it';
import { nl } from './nl';
import { pl } from './pl';
import { pt } from './pt';

export const LEXICONS = [en, es, fr, de, pt, it, pl, nl];

let compiled: CompiledLexicon | null = null;

export function cueLexicon(): CompiledLexicon {
  compiled ??= compileLexicons(LEXICONS);
  return compiled;
}
