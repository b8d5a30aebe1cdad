// All languages' cue lexicons, compiled once into one index.
import { compileLexicons, type CompiledLexicon } from './match';
import { ar } from './ar';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { hi } from './hi';
import { it } from './it';
import { nl } from './nl';
import { pl } from './pl';
import { pt } from './pt';
import { ro } from './ro';
import { tl } from './tl';
import { uk } from './uk';
import { vi } from './vi';
import { zh } from './zh';

export const LEXICONS = [en, es, fr, de, pt, it, pl, nl, ro, uk, tl, vi, ar, zh, hi];

let compiled: CompiledLexicon | null = null;

export function cueLexicon(): CompiledLexicon {
  compiled ??= compileLexicons(LEXICONS);
  return compiled;
}
