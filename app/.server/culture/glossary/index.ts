// Per-language workplace glossaries for cross-language retrieval (gloss.ts, ADR 049): the words
// frontline managers use about shifts, attendance, leave, breaks, conduct, customers, feedback,
// recognition, safety and driving, and the English words a policy pack uses for them.
//
// Format, one entry a line: `pattern | pattern … = english words`. A pattern is one or more words
// (a phrase matches consecutive words); a word ending in `*` matches any word it begins (stems:
// "retras*" → retraso, retrasos, retrasa). Matching is case-insensitive and, for Latin-script
// languages except Vietnamese, without accents (managers often type without them). The longest
// phrase wins. An empty right side drops the words (function words the stopword list misses).
// Chinese patterns are exact strings (the text has no spaces; the longest string wins).
import type { LanguageCode } from '~/lib/i18n';
import { AR } from './ar';
import { DE } from './de';
import { ES } from './es';
import { FR } from './fr';
import { HI } from './hi';
import { IT } from './it';
import { NL } from './nl';
import { PL } from './pl';
import { PT } from './pt';
import { RO } from './ro';
import { TL } from './tl';
import { UK } from './uk';
import { VI } from './vi';
import { ZH } from './zh';

export type GlossaryLanguage = Exclude<LanguageCode, 'en'>;

export const GLOSSARIES: Record<GlossaryLanguage, string> = { es: ES, fr: FR, de: DE, pt: PT, it: IT, pl: PL, nl: NL, ro: RO, uk: UK, tl: TL, vi: VI, ar: AR, zh: ZH, hi: HI };
