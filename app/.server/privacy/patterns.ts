// Rule-based detectors for what has a shape: emails, phone numbers (libphonenumber-js), employee and badge
// ids, store/site identifiers and postal addresses. Each returns spans over the original text; overlaps
// between detectors are settled by the caller (anonymize.ts) in a fixed priority order.
import { createRequire } from 'node:module';
import type { CountryCode, findNumbers as findNumbersType } from 'libphonenumber-js/max';

// libphonenumber-js's full metadata (≈ 13 MB resident) is loaded on the first text that looks like it holds a number.
let findNumbersLoaded: typeof findNumbersType | undefined;
const findNumbers: typeof findNumbersType = ((...args: Parameters<typeof findNumbersType>) =>
  (findNumbersLoaded ??= (createRequire(import.meta.url)('libphonenumber-js/max') as { findNumbers: typeof findNumbersType }).findNumbers)(
    ...(args as [never, never]),
  )) as typeof findNumbersType;
import type { DetectedEntity, EntityType } from './types';

const span = (type: EntityType, text: string, start: number, end: number): DetectedEntity => ({
  type,
  start,
  end,
  text: text.slice(start, end),
});

// Addresses written so that scrapers miss them, the way people type them in chat (ADR 048): "sam.o at gmail dot com",
// "dave [at] lumen [dot] ie", "rota(at)northwind.co.uk", "ahmed.k @ brightmart.com". The "at" and "dot" may be
// bracketed, spaced or capitalised. A bare " at " needs an address's shape on one side — a local part with a dot,
// underscore, digit or plus, a bracketed "dot", or a domain ending in a top-level domain written with a real dot —
// so that "meet me at costa dot" or "look at this" are not addresses.
const EMAIL_LOCAL = "[\\p{L}\\p{N}._%+'’=-]+";
const AT_SEPARATOR = '\\s*[[(]\\s*at\\s*[\\])]\\s*|\\s+@\\s*|\\s*@\\s+|\\s+at\\s+';
const DOT_SEPARATOR = '\\.|\\s*[[(]\\s*dot\\s*[\\])]\\s*|\\s+dot\\s+';
const TLD = 'com|net|org|co|uk|ie|de|fr|es|it|nl|pl|pt|be|at|ch|se|no|dk|fi|eu|us|ca|au|nz|io|info|biz|edu|gov|ac|in|za|ng|ke|ph|mx|br|ar|jp|cn|kr|vn';
// The local part may spell its dots too: "jay dot patel at gmail dot com".
const OBFUSCATED_EMAIL = new RegExp(
  `(?<![\\p{L}\\p{N}._%+'’=-])(${EMAIL_LOCAL}(?:(?:\\s*[[(]\\s*dot\\s*[\\])]\\s*|\\s+dot\\s+)${EMAIL_LOCAL})*)(${AT_SEPARATOR})([\\p{L}\\p{N}-]+(?:(?:${DOT_SEPARATOR})[\\p{L}\\p{N}-]+)+)`,
  'giu',
);
const TLD_SET = new Set(TLD.split('|'));
const DOMAIN_PIECES = new RegExp(`(${DOT_SEPARATOR})`, 'giu');
const MAIL_PROVIDERS = new Set('gmail googlemail outlook hotmail live msn yahoo ymail icloud me mac aol proton protonmail gmx web btinternet sky virginmedia eircom orange libero wp onet o2 mail'.split(' '));
const NOT_LOCAL_PART = new Set('dot look looking looked me us him her them it this that here there arrive arrived is be am are was were meet met see stay work works worked working be based live lives lived email mail send sent text the a an at on in be'.split(' '));

export function findEmails(text: string): DetectedEntity[] {
  const out: DetectedEntity[] = [];
  // The local part may hold any of RFC 5322's atext characters people use: "j.o'neill@", "first_last+rota@".
  for (const m of text.matchAll(/[\p{L}\p{N}._%+'’=-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu)) {
    out.push(span('EMAIL', text, m.index!, m.index! + m[0].length));
  }
  if (!/@|\bat\b/i.test(text)) return out;
  // A rejected candidate must not swallow the real address after it ("email Krystal at krystal.b at gmail dot com"):
  // the search resumes at the next word, not after the rejected span.
  const re = new RegExp(OBFUSCATED_EMAIL.source, OBFUSCATED_EMAIL.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    re.lastIndex = m.index + 1;
    const [, local, at, domain] = m;
    // The domain ends at its last top-level domain: "brightmart dot co dot uk is hers" → "brightmart dot co dot uk".
    const pieces = domain.split(DOMAIN_PIECES); // label, separator, label, …
    let last = pieces.length - 1;
    while (last > 1 && !TLD_SET.has(pieces[last].toLowerCase())) last -= 2;
    if (last < 2) continue;
    const kept = pieces.slice(0, last + 1).join('');
    const start = m.index!;
    const end = start + local.length + at.length + kept.length;
    if (out.some((o) => o.start < end && start < o.end)) continue;
    if (/^\s+at\s+$/i.test(at)) {
      if (NOT_LOCAL_PART.has(local.toLowerCase())) continue;
      const spelled = pieces.slice(1, last).some((sep, k) => k % 2 === 0 && /dot/i.test(sep));
      // "shop at tesco.com" is a website; "krystal at outlook.com" is a mailbox.
      const shaped = /[._\d+]/.test(local) || /[[(]/.test(kept) || spelled || MAIL_PROVIDERS.has(pieces[0].toLowerCase());
      if (!shaped) continue;
    }
    out.push(span('EMAIL', text, start, end));
    re.lastIndex = end;
  }
  return out;
}

// The tenant's country first, then the US, UK and Irish conventions, then the EU countries whose national
// formats the others do not read ("0151 12345678" is a German mobile).
const PHONE_COUNTRIES: CountryCode[] = ['US', 'GB', 'IE', 'DE', 'FR', 'ES', 'IT', 'NL', 'PL'];

/**
 * Phone numbers in national and international formats. libphonenumber-js at POSSIBLE leniency finds
 * numbers by the length rules of each country (a valid-looking but unassigned number is still a number
 * somebody typed); we try the tenant's country first, then the US, UK and Irish conventions.
 */
// A cheap first scan: a run of digits and phone punctuation holding at least 7 digits. libphonenumber only
// reads these windows (with a little context for extensions), not the whole text — most messages have none.
const PHONE_CANDIDATE = /(?:\+|\(|\b)\d[\d\s().\-/]{5,24}\d/g;

const PHONE_EXTENSION = /^(?:\s*[,;(]?\s*)(?:ext(?:ension)?\.?|x|poste|durchwahl|dw\.?|int\.?|interno|wew\.?)\s*[:.#-]?\s*\d{1,6}(?:-\d{1,4})?\)?(?![\p{L}\p{N}])/iu;

export function findPhones(text: string, country?: string): DetectedEntity[] {
  const windows: Array<{ start: number; end: number; runs: Array<{ start: number; end: number }> }> = [];
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    if (m[0].replace(/\D/g, '').length < 7) continue;
    const start = Math.max(0, m.index! - 2);
    const end = Math.min(text.length, m.index! + m[0].length + 12);
    const run = { start: m.index!, end: m.index! + m[0].length };
    const last = windows[windows.length - 1];
    if (last && start <= last.end) {
      last.end = Math.max(last.end, end);
      last.runs.push(run);
    } else windows.push({ start, end, runs: [run] });
  }
  if (windows.length === 0) return [];
  const countries = [...new Set([...(country ? [country.toUpperCase() as CountryCode] : []), ...PHONE_COUNTRIES])];
  const out: DetectedEntity[] = [];
  for (const w of windows) {
    const part = text.slice(w.start, w.end);
    for (const defaultCountry of countries) {
      let found: { startsAt: number; endsAt: number }[];
      try {
        // `leniency` is a documented runtime option that the type definitions leave out.
        const options = { defaultCountry, leniency: 'POSSIBLE', v2: true } as unknown as { defaultCountry: CountryCode; v2: true };
        found = findNumbers(part, options);
      } catch {
        continue;
      }
      for (const f of found) {
        const raw = part.slice(f.startsAt, f.endsAt);
        const digits = raw.replace(/\D/g, '');
        if (digits.length < 7) continue;
        // A bare run of digits with no separators and no '+' is more often an id or an amount than a phone,
        // unless it has a phone's shape (leading 0 and 10-11 digits).
        if (/^\d+$/.test(raw) && !/^0\d{9,10}$/.test(raw)) continue;
        out.push(span('PHONE', text, w.start + f.startsAt, w.start + f.endsAt));
      }
      // Every digit run of the window read as a number: the other countries' rules are not needed (each
      // findNumbers call costs; most windows are one number read by the first convention).
      const read = out.filter((o) => o.start < w.end && o.end > w.start);
      if (w.runs.every((r) => read.some((o) => o.start <= r.start + 1 && o.end >= r.end - 1))) break;
    }
  }
  // International numbers libphonenumber cannot place (unknown plan): '+', country code, 8-14 digits.
  for (const m of text.matchAll(/\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}/g)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 8 && digits.length <= 15) out.push(span('PHONE', text, m.index!, m.index! + m[0].length));
  }
  // ADR 062 (session 11): an extension belongs to the number, however long or spelt ("extension 4512", "ext: 22", "x312",
  // "poste 245", "Durchwahl 12", "ext. 2-145"): libphonenumber only reads what its window held.
  return out.map((o) => {
    // What libphonenumber took as an extension is read again here, whole ("extension 4" of "extension 4512").
    const taken = /[\s,;(]*(?:ext(?:ension)?\.?|x|poste|durchwahl|dw\.?|int\.?|interno|wew\.?)[\s:.#-]*\d*\)?$/iu.exec(o.text);
    const base = taken && taken.index > 0 ? o.start + taken.index : o.end;
    const ext = PHONE_EXTENSION.exec(text.slice(base));
    return ext && !/^\s*x\s+\d/i.test(ext[0]) ? span('PHONE', text, o.start, base + ext[0].length) : span('PHONE', text, o.start, base);
  });
}

// "employee ID E-48213", "badge no 88213", "payroll no. 123456", "staff number #4821", "worker id: A1234567" — and
// the way people type it (ADR 048): "his badge number's 88214", "id's 40112", "badge no's 5521", "id# 44517",
// "emp#55120", "clock card 7731", "their badge numbers are 4412 and 4419".
const ID_KEYWORD =
  /\b(?:employee|emp|staff|badge|payroll|personnel|worker|associate|colleague|agent|operator|clock(?:ing)?|id|works(?=\s+(?:number|no|id)\b))\b\.?(?:\s*((?:id|no|number|num|code|card|ref)(?:s\b|['’]s\b|\b)\.?|#))?\s*(?:(?:is|was|are|=)\s+|['’]s\s+|:\s*|=\s*|-\s+|#\s*)?(#?(?:[A-Z]{1,4}(?:-|\/|\s(?=\d))?)?(?:\d{2,10}(?:-\d{1,6})+|\d{3,10})(?:-[A-Z]|[A-Z])?)\b/giu;
// More ids in a list after one: "4412 and 4419", "E-1101, E-1102".
const ID_LIST_MORE = /^(?:\s*,\s*|\s*,?\s+(?:and|&|or)\s+|\s*[&/]\s*)(#?(?:[A-Z]{1,4}-?)?\d{3,10})\b/iu;
// A code of capital letters and digits, the way HR systems print ids: E-48213, EMP0042, NW353811, A1234567.
const ID_SHAPE = /\b(?:[A-Z]{1,4}-?|[a-z]{1,4}-)\d{4,9}\b/gu;
// ADR 055: after an id's keyword, whatever code stands there — ids are printed in every format a system has: "badge
// A7-332", "staff no 4412/B", "payroll number is E-00-4412", "HR number HR/22/0917", and typed with spaces ("my staff
// number is 4 4 7 1 9"). The systems' own names count as keywords before id/number ("SAP number 10042877", "Workday
// ID W-000381", "pension ref 88120"). A code needs three digits; a date or "24/7" is not one.
const ID_KEYWORD_CODE =
  /\b(?:(?:employee|emp|staff|badge|payroll|personnel|worker|associate|colleague|agent|operator|clock(?:ing)?|works)\b\.?(?:\s*(?:id|no|number|num|code|card|ref)(?:s\b|['’]s\b|\b)\.?|\s*#)?|(?:sap|workday|hr|kronos|ukg|adp|sage|oracle|peoplesoft|pension|login|user|ni|insurance|security|id)\b\.?\s*(?:id|no|number|num|code|ref)(?:['’]s\b|\b)\.?|id\b|id#)\s*(?:(?:is|was|=)\s+|['’]s\s+|:\s*|#\s*|-\s+)?(\d{1,2}(?: \d{1,2}){3,9}(?![\p{L}\p{N}])|#?[\p{L}\p{N}]{1,8}(?:[-/][\p{L}\p{N}]{1,8}){0,3}(?![\p{L}\p{N}/-]))/giu;
// A UK National Insurance number ("QQ 12 34 56 C"): a person's own identifier.
const NI_NUMBER = /\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gu;
const idCodeShaped = (code: string) => {
  const digits = code.replace(/\D/g, '').length;
  if (digits < 3 || code.length > 20) return false;
  // "24/7", "12/05/2024", "2023-24": a time, a date or a range of years.
  if (/^\d{1,2}\/\d{1,2}(?:\/\d{2,4})?$|^\d{1,2}-\d{1,2}-\d{2,4}$|^(?:19|20)\d{2}[-/]\d{2}$/.test(code)) return false;
  // Spaced digits: single digits or pairs, four or more in all ("4 4 7 1 9", "00 44 12"), not "12 300".
  if (code.includes(' ')) return digits >= 4 && /^\d{1,2}(?: \d{1,2})+$/.test(code);
  return /\d/.test(code);
};

export function findEmployeeIds(text: string): DetectedEntity[] {
  const out: DetectedEntity[] = [];
  for (const m of text.matchAll(ID_KEYWORD)) {
    const id = m[2];
    // A space inside the id only between capital letters and digits ("PN 33019"), not "staff in 2023".
    if (id.includes(' ') && !/^#?\p{Lu}+ \d/u.test(id)) continue;
    // "are" joins only a plural of ids ("badge numbers are 4412…"), not "staff are 120 today".
    if (/\sare\s/i.test(m[0]) && !(m[1] && /s$/i.test(m[1]))) continue;
    const start = m.index! + m[0].lastIndexOf(id);
    out.push(span('EMPLOYEE_ID', text, start, start + id.length));
    for (let at = start + id.length, more = ID_LIST_MORE.exec(text.slice(at)); more; more = ID_LIST_MORE.exec(text.slice(at))) {
      const s0 = at + more[0].length - more[1].length;
      out.push(span('EMPLOYEE_ID', text, s0, s0 + more[1].length));
      at = s0 + more[1].length;
    }
  }
  for (const m of text.matchAll(ID_KEYWORD_CODE)) {
    const code = m[1];
    if (!idCodeShaped(code.replace(/^#/, ''))) continue;
    const start = m.index! + m[0].lastIndexOf(code);
    out.push(span('EMPLOYEE_ID', text, start, start + code.length));
  }
  for (const re of [ID_SHAPE, NI_NUMBER]) for (const m of text.matchAll(re)) out.push(span('EMPLOYEE_ID', text, m.index!, m.index! + m[0].length));
  return out;
}

const SITE_NOUN =
  'store|shop|site|branch|depot|warehouse|location|unit|dc|distribution cent(?:er|re)|fulfil?ment cent(?:er|re)|hub|outlet|plant|yard|restaurant|franchise|flagship|superstore|megastore|concession';
// "store #1423", "site 12", "depot no. 7", "dc 44", "branch LDS-04".
// Plurals and lists too: "stores 12 and 14", "sites 3, 4 and 7"; "store ID 4451", "site code is GLA-3".
const SITE_NUMBER = new RegExp(
  `\\b(?:${SITE_NOUN})(?:e?s)?\\s*\\(?\\s*(?:(?:id|code|ref)\\b\\s*(?:is\\s+|:\\s*|#\\s*)?)?((?:(?:number|no\\.?|num)\\s*|#\\s*)?(?:\\d{1,5}(?:-[A-Z0-9]{1,3}|[A-Z])?|[A-Z]{1,4}-?\\d{1,4}))\\b`,
  'giu',
);
const SITE_LIST_MORE = /^(?:\s*,\s*|\s*,?\s+(?:and|&|or)\s+|\s*&\s*|\s*\/\s*)(#?\d{1,5}[A-Z]?)\b/iu;
// "the 1423 store", "our #0457 branch": the number before the noun.
const SITE_NUMBER_BEFORE = new RegExp(`\\b(?:the|our|at|in|from|to)\\s+(#?\\d{2,5})\\s+(?:${SITE_NOUN})\\b`, 'giu');
// "DC4", "store12", "unit7": the noun and its number written as one word are the identifier.
const SITE_GLUED = /\b(?:dc|store|site|unit|depot|branch|shop)[#-]?\d{1,5}\b/giu;
// "#552's keyholder is on holiday": a hash number owning what a site has.
const SITE_HASH_OWNER =
  /(?<![\p{L}\p{N}])(#\d{2,5})['’]s\s+(?:keyholder|manager|team|staff|rota|deli|bakery|tills?|alarm|deliver(?:y|ies)|figures|sales|stock|cleaner|car\s+park|shutters?|sales|targets?|opening|closing)\b/giu;
// "the new shift lead at Stratford", "works at Kirkstall", "transfer to Valencia": a place where someone works — also with
// the role's name between (ADR 062 session 11: "store manager Lakshmi at Croydon").
const SITE_AT_WORK =
  /\b(?:(?:lead|leader|manager|supervisor|keyholder|deputy)(?:\s+\p{Lu}[\p{L}'’-]+){0,2}|work|works|worked|working|based|job|transfer|transferred|transferring|moved|moving|move|placed|posted|covering|cover)\s+(?:at|in|to|from)\s+(\p{Lu}[\p{L}'’-]+)(?![\p{L}'’-]*\s+(?:store|shop|site|branch|depot|warehouse|office))/gu;
// ADR 055: the people of a place ("half the team at Bramley", "the lads at Kirkstall", "nobody at Hillsborough
// knows") and being there ("I was at Meadowhall last week", "she's at Fenwick today"), and "the Westgate one":
// a capitalised word there is the site, unless it is a person's name, a time or an ordinary word.
const SITE_PEOPLE_AT =
  /\b(?:team|teams|staff|lads|girls|guys|folks|people|crew|colleagues|everyone|everybody|nobody|noone|no-one|someone|anyone|managers?|workers|pickers|drivers|cashiers|(?:[Ii]|[Ww]e|[Tt]hey|[Hh]e|[Ss]he)\s+(?:was|were)|(?:[Ii]['’]?m|[Ww]e['’]?re|[Tt]hey['’]?re|[Ss]he['’]?s|[Hh]e['’]?s|been))\s+(?:over\s+|down\s+|up\s+)?at\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)(?![\p{L}'’-]*\p{N})(?![\p{L}'’-]*\s+(?:store|shop|site|branch|depot|warehouse|office))/gu;
const SITE_THE_ONE = /\b(?:at|from|to|in|with)\s+the\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)\s+ones?\b/gu;
// "the new keyholder at Kraków 3", "moved from Leeds 2": a town and a number is a numbered site in that town — not a
// time, a count or a date ("at Christmas 2 people", "in Leeds 3 days", "in March 2024").
const SITE_PLACE_NUMBER = /\b(?:at|from|in|to)\s+(\p{Lu}[\p{L}'’-]+\s+\d{1,3})\b(?![:.,]?\d|\s*(?:am|pm|a\.m|p\.m|%|x\b|days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes?|people|staff|of|times?|shifts?))/gu;
// English place-name endings: "the riverside depot", "the northgate store" in lowercase typing.
const TOPONYM = /(?:side|gate|field|wood|ford|bridge|ton|ham|bury|borough|burgh|ley|water|dale|vale|mouth|port|minster|cross|stead|wick|worth|thorpe|by|chester|caster|mere|moor|stone|brook)$/;
// ADR 062 (session 11): a site noun, then where it is — "the depot in Daventry", "our branch at Kirkstall", "the store on
// Princes Street" is found by the street rules.
const SITE_NOUN_IN_PLACE = new RegExp(`\\b(?:${SITE_NOUN})(?:e?s)?\\s+(?:in|at)\\s+(\\p{Lu}[\\p{L}'’-]+(?:\\s+\\p{Lu}[\\p{L}'’-]+)?)`, 'giu');
// ADR 062 (session 11): estates, parks and centres named by their place ("Unit 4, Brook Industrial Estate", "Fosse
// Retail Park", "the Kingsgate Shopping Centre"): where a site is, whole.
const SITE_ESTATE =
  /(?<![\p{L}])((?:(?!(?:The|Our|A|An|This|That|Their|My)\s)\p{Lu}[\p{L}'’-]+\s+){1,3}(?:Industrial|Trading|Business|Retail|Shopping|Distribution|Logistics|Enterprise|Technology|Science|Commercial)\s+(?:Estate|Park|Centre|Center|Village))\b/gu;
// "the Castlebar depot", "our Eastgate store".
const SITE_NAMED = new RegExp(`(?<![\\p{L}])((?:\\p{Lu}[\\p{L}'’-]+)(?:\\s+\\p{Lu}[\\p{L}'’-]+){0,2})\\s+(?:${SITE_NOUN}|DC|office)(?:e?s)?\\b`, 'gu');
// Named sites listed before a plural site noun: "the Eastfield and Westfield branches", "Leeds, York and Hull stores".
const STREET_WORD_LAST = /^(?:Road|Street|Lane|Avenue|Way|Park|Square|Hill|Green|Parade|Broadway|Row|Place|Retail\s+Park)$/;
const SITE_LIST_BEFORE = /(?:^|[^\p{L}])(\p{Lu}[\p{L}'’-]+)(?:\s*,\s*|\s*,?\s+(?:and|&|or)\s+|\s*[&/]\s*)$/u;
// "#3307" after at/of/from…: a hash number of three to five digits where a place stands ("store manager of #3307").
const SITE_HASH = /\b(?:at|from|of|in|to|for)\s+(#\d{3,5})\b(?![.,]\d)/giu;
// "we're st 2231": a store abbreviated before its number (three digits or more, so "St 12" stays a street or a saint).
const SITE_ABBREVIATED = /\b(?:st|str|stn)\.?\s+(#?\d{3,5})\b/giu;
const SITE_NAMED_LOWER = new RegExp(`\\b(?:the|our|at|in|from|to)\\s+([\\p{Ll}][\\p{L}'’-]{2,})\\s+(?:${SITE_NOUN})\\b`, 'gu');

// Site nouns after which a capitalised ordinary word is the site's name ("the Harbour depot"); hubs, units, plants and
// locations also name programmes and wards ("the Wellbeing Hub", "the Maternity unit").
const NAMING_SITE_NOUN = /\s(?:store|shop|site|branch|depot|warehouse|dc|outlet|restaurant|franchise|distribution cent(?:er|re)|fulfil?ment cent(?:er|re))(?:e?s)?$/i;
// Capitalised words before a site noun that say what kind of site it is, not which one.
const GENERIC_SITE_WORD =
  /^(?:Main|New|Old|Big|Small|Large|Local|Head|Central|Flagship|Whole|Same|Other|Next|Last|First|Nearest|Closest|Busiest|Biggest|Original|Temporary|Express|Metro|Extra|Superstore|Mini|Online|Pop-up|Outlet|Retail|Regional|Area|Sister|Partner|Franchise|Company|Night|Day|Bakery|Deli|Grocery|Food|Clothing|Home|Garden|Furniture|Coffee|Corner|Flower|Charity|Phone|Mobile|Retail|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Christmas|Easter|January|February|March|April|May|June|July|August|September|October|November|December|Closing|Opening|Whole|Entire|Relief|Support)$/;

export interface SiteWords {
  /** An ordinary English word. */
  isCommonWord(word: string): boolean;
  /** A place or organisation compromise knows ("Croydon", "Westfield", "riverside"). */
  isPlaceWord(word: string): boolean;
  /** Clearly a person's name ("Priya", "Grace", "Will"). */
  isPersonName(word: string): boolean;
}

// "I cover Slough and Maidenhead", "covering Stillorgan on Sundays": what someone covers, capitalised, is a site —
// unless it is clearly a person's name ("cover Priya", "cover Grace on Sunday").
// The same for the places someone looks after, manages or runs: "I look after Basingstoke and Andover".
// ADR 062 (session 12): a place of two or three words too ("covering Milton Keynes", "runs Bishop's Stortford") — unless
// the words are a given name and a family name ("cover Mary Jones").
const SITE_COVERED = /\b(?:cover|covers|covering|covered|(?:look|looks|looking|looked)\s+after|manage|manages|managing|run|runs|running)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})(?![\p{L}'’-]*\s+\p{Lu})(?![\p{L}'’-]*\p{N})/gu;
// ADR 062 (session 12): "moved from the Kirkstall store to Headingley", "from Croydon to Sutton", "from our Leith branch
// over to Portobello": after a site and "to", the place moved to is a site too, even when people are called so.
const SITE_FROM_TO = /^(?:\s+(?:store|shop|branch|depot|site|warehouse|office|unit|dc)s?)?\s+(?:over\s+|across\s+|down\s+|up\s+|back\s+)?to\s+(?:the\s+)?(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})(?![\p{L}'’-]*\p{N})/u;
// A site named in a list after another one: "Slough and Maidenhead", "Leeds, Bradford or York".
const SITE_LIST_NAMED = /^(?:\s*,\s*|\s*,?\s+(?:and|&|or)\s+|\s*[&/]\s*)(\p{Lu}[\p{L}'’-]+)(?![\p{L}'’-]*\s+\p{Lu})(?![\p{L}'’-]*\p{N})/u;

export function findSites(text: string, { isCommonWord, isPlaceWord, isPersonName }: SiteWords): DetectedEntity[] {
  const out: DetectedEntity[] = [];
  const notPlace = (w: string) => /^(?:The|Our|My|Nights?|Days?|Weekends?|Lates|Earlies|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?|Christmas|Easter|January|February|March|April|May|June|July|August|September|October|November|December)$/.test(w);
  for (const m of text.matchAll(SITE_COVERED)) {
    const words = m[1].split(/\s+/);
    // One word: a site unless it is clearly a person's name; several: unless the first is a given name and the last a
    // family name, or a word of them is a time ("covering Nights This Week").
    if (words.length === 1 ? isPersonName(words[0]) || notPlace(words[0]) : words.some(notPlace) || (isPersonName(words[0]) && isPersonName(words[words.length - 1]) && !isPlaceWord(words[words.length - 1]))) continue;
    const start = m.index! + m[0].lastIndexOf(m[1]);
    out.push(span('SITE', text, start, start + m[1].length));
  }
  for (const m of text.matchAll(SITE_GLUED)) out.push(span('SITE', text, m.index!, m.index! + m[0].length));
  for (const m of text.matchAll(SITE_ESTATE)) out.push(span('SITE', text, m.index!, m.index! + m[1].length));
  for (const m of text.matchAll(SITE_NOUN_IN_PLACE)) {
    // Case-insensitive for the noun only: the place must be capitalised as written.
    if (!/^\p{Lu}/u.test(m[1])) continue;
    const words = m[1].split(/\s+/);
    const kept = words.length > 1 && /^\p{Lu}/u.test(words[1]) && !GENERIC_SITE_WORD.test(words[1]) ? words : [words[0]];
    const first = kept[0];
    if (GENERIC_SITE_WORD.test(first) || /['’]s?$/.test(first) || (isCommonWord(first) && !isPlaceWord(first))) continue;
    const start = m.index! + m[0].lastIndexOf(m[1]);
    out.push(span('SITE', text, start, start + kept.join(' ').length));
  }
  for (const re of [SITE_HASH, SITE_ABBREVIATED, SITE_HASH_OWNER]) {
    for (const m of text.matchAll(re)) {
      const start = m.index! + m[0].lastIndexOf(m[1]);
      out.push(span('SITE', text, start, start + m[1].length));
    }
  }
  for (const m of text.matchAll(SITE_NUMBER_BEFORE)) {
    const start = m.index! + m[0].indexOf(m[1]);
    out.push(span('SITE', text, start, start + m[1].length));
  }
  for (const m of text.matchAll(SITE_AT_WORK)) {
    const word = m[1];
    // "night manager at Swords": a capitalised word there is the place, unless it is a time or a generic word.
    if (!isPlaceWord(word) && isCommonWord(word) && /^(?:night|nights|day|days|weekends?|home|work|christmas|easter|the|our|my|head|main|short|least|last|first|times?|lunch|break|peak|sales|finance|payroll|accounts|marketing|logistics|admin|operations|security|reception|customer|produce|bakery|deli|grocery|dairy|checkouts?|tills|frozen|fresh|electricals?|clothing|returns|goods|stock|deliver(?:y|ies)|management|training|facilities|cleaning|maintenance|kitchen|cafe|pharmacy|optical|menswear|womenswear|homeware|nights|lates|earlies)$/i.test(word)) continue;
    // "our manager Jo in March", "moved in January": a month or a day, not a site (March is also a town).
    if (/^(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?|Christmas|Easter)$/.test(word)) continue;
    // "manager at Store 4471": the site noun of a numbered site (the number is found by SITE_NUMBER).
    if (new RegExp(`^(?:${SITE_NOUN})$`, 'i').test(word)) continue;
    const start = m.index! + m[0].lastIndexOf(word);
    out.push(span('SITE', text, start, start + word.length));
  }
  for (const re of [SITE_PEOPLE_AT, SITE_THE_ONE]) {
    for (const m of text.matchAll(re)) {
      // Where people work or were, a capitalised word is the place even when the name list holds it as a family name
      // ("Bramley", "Westgate").
      const words = m[1].split(/\s+/);
      // "at Christmas", "at Tesco's", "at Will's": a time, an ordinary word or a person is not the site.
      if (words.some((w) => GENERIC_SITE_WORD.test(w) || /['’]s?$/.test(w)) || words.every((w) => isCommonWord(w) && !isPlaceWord(w))) continue;
      const start = m.index! + m[0].lastIndexOf(m[1]);
      out.push(span('SITE', text, start, start + m[1].length));
    }
  }
  for (const m of text.matchAll(SITE_PLACE_NUMBER)) {
    const place = m[1].split(/\s+/)[0];
    if (isCommonWord(place) && !isPlaceWord(place)) continue;
    const start = m.index! + m[0].lastIndexOf(m[1]);
    out.push(span('SITE', text, start, start + m[1].length));
  }
  for (const m of text.matchAll(SITE_NUMBER)) {
    const start = m.index! + m[0].lastIndexOf(m[1]);
    out.push(span('SITE', text, start, start + m[1].length));
    for (let at = start + m[1].length, more = SITE_LIST_MORE.exec(text.slice(at)); more; more = SITE_LIST_MORE.exec(text.slice(at))) {
      const s0 = at + more[0].length - more[1].length;
      out.push(span('SITE', text, s0, s0 + more[1].length));
      at = s0 + more[1].length;
    }
    // "unit 12 in Gorey", "store 318 at Kirkstall": the place after a site number is part of the identifier.
    // ADR 062 (session 14): typed in lower case too ("unit 4 in peterhead"), where the word is a place or no English word —
    // not a time or a state ("store 12 in march", "site 3 in trouble").
    const place = /^\s+(?:in|at)\s+(\p{L}[\p{L}'’-]+)/u.exec(text.slice(start + m[1].length));
    const lowerPlace = (w: string) => !notPlace(w.charAt(0).toUpperCase() + w.slice(1)) && (isPlaceWord(w) || !isCommonWord(w) || TOPONYM.test(w)) && !/^(?:the|our|a|an|my|this|that|total|all|person|charge|time|town|store|stock|work|progress)$/.test(w);
    // A capitalised word there is the place even when it is a word ("unit 4 in Bath", "store 9 in Sale").
    if (place && (/^\p{Lu}/u.test(place[1]) ? !notPlace(place[1]) && !GENERIC_SITE_WORD.test(place[1]) && !/['’]s?$/.test(place[1]) : lowerPlace(place[1]))) {
      const at = start + m[1].length + place[0].length - place[1].length;
      out.push(span('SITE', text, at, at + place[1].length));
    }
  }
  for (const m of text.matchAll(SITE_NAMED)) {
    const words = m[1].split(/\s+/);
    // "The store", "Our depot", "New site": capitalised ordinary words are not names (places are: "Our Lewisham
    // site") — except before "office": "the Amsterdam office" is a company's office in a city, not a site id.
    const office = /\soffice$/i.test(m[0]);
    // "the Harbour depot", "our Parkway site", "at the Limerick branch": after a determiner, a capitalised ordinary
    // word before a site noun names the site (ADR 048) — unless it is a kind of store or a department ("the Express
    // store", "the Bakery unit"), a day or a month, or the noun is one that programmes and wards use (hub, unit, plant).
    const all = m[1].split(/\s+/);
    const determinerBefore = (k: number) =>
      k > 0 ? /^(?:The|Our|Their|Your|My)$/.test(all[k - 1]) : /(?:^|[^\p{L}])(?:the|our|their|your|my|at|from|to|in)\s+$/u.test(text.slice(Math.max(0, m.index! - 8), m.index!));
    const namesSite = (k: number) => !office && NAMING_SITE_NOUN.test(m[0]) && determinerBefore(k) && !/^(?:The|Our|Their|Your|My)$/.test(all[k]) && !GENERIC_SITE_WORD.test(all[k]);
    // "the Old Kent Road branch", "our High Street store": a site named after its street keeps every word of it.
    const streetNamed = all.length > 1 && STREET_WORD_LAST.test(all[all.length - 1]) && determinerBefore(0);
    while (!streetNamed && words.length && isCommonWord(words[0]) && (office || !isPlaceWord(words[0])) && !namesSite(all.length - words.length)) words.shift();
    if (!words.length) continue;
    const name = words.join(' ');
    const start = m.index! + m[1].length - name.length + m[0].indexOf(m[1]);
    out.push(span('SITE', text, start, start + name.length));
    if (/s$/i.test(m[0]) && !/(?:ss|us)$/i.test(m[0])) {
      for (let at = start, more = SITE_LIST_BEFORE.exec(text.slice(0, at)); more; more = SITE_LIST_BEFORE.exec(text.slice(0, at))) {
        const s0 = at - more[0].length + more[0].indexOf(more[1]);
        if (isCommonWord(more[1]) && !isPlaceWord(more[1])) break;
        out.push(span('SITE', text, s0, s0 + more[1].length));
        at = s0;
      }
    }
  }
  for (const m of text.matchAll(SITE_NAMED_LOWER)) {
    if (isCommonWord(m[1]) && !isPlaceWord(m[1]) && !TOPONYM.test(m[1].toLowerCase())) continue;
    const start = m.index! + m[0].indexOf(m[1], m[0].indexOf(' '));
    out.push(span('SITE', text, start, start + m[1].length));
  }
  // After a site and "to", where someone was moved to (SITE_FROM_TO), when "from" came before the site.
  for (const site of [...out]) {
    if (!/\bfrom\s+(?:the\s+|our\s+|their\s+)?$/i.test(text.slice(Math.max(0, site.start - 12), site.start))) continue;
    const to = SITE_FROM_TO.exec(text.slice(site.end));
    if (!to || to[1].split(/\s+/).some((w) => notPlace(w) || /['’]s?$/.test(w))) continue;
    const start = site.end + to[0].length - to[1].length;
    out.push(span('SITE', text, start, start + to[1].length));
  }
  // Named sites continue through a list ("cover Slough and Maidenhead"), unless the next one is a person's name.
  for (const site of [...out]) {
    if (!/^\p{Lu}/u.test(site.text)) continue;
    let at = site.end;
    // A town that is also a family name ("Guildford", "Crawley") still continues the list: places by compromise's
    // lexicon and English toponym endings are not taken for people here.
    const personNext = (w: string) => isPersonName(w) && !isPlaceWord(w) && !TOPONYM.test(w.toLowerCase());
    for (let more = SITE_LIST_NAMED.exec(text.slice(at)); more && !personNext(more[1]); more = SITE_LIST_NAMED.exec(text.slice(at))) {
      const s0 = at + more[0].length - more[1].length;
      out.push(span('SITE', text, s0, s0 + more[1].length));
      at = s0 + more[1].length;
    }
  }
  return out;
}

const STREET_SUFFIX =
  'street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|close|crescent|cres|terrace|tce|park|row|square|sq|grove|gardens|gdns|hill|walk|parade|mews|highway|hwy|green|quay|view|wharf|rise|vale|circus|approach|embankment|esplanade|promenade|meadows|croft|heights|wynd|brae';
const STREET = new RegExp(
  `(?:\\b(?:apt|apartment|flat|unit|suite|ste)\\.?\\s*\\d+(?:\\/\\d+)?[A-Z]?,?\\s+)?\\b\\d{1,5}[A-Z]?,?\\s+(?:(?:\\d{1,3}(?:st|nd|rd|th)|[\\p{L}'’-]+)\\s+){1,3}?(?:${STREET_SUFFIX})\\b(?:\\s+(?:${STREET_SUFFIX})\\b)?\\.?`,
  'giu',
);
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/giu;
const EIRCODE = /\b[ACDEFHKNPRTVWXY]\d[0-9W]\s?[0-9ACDEFHKNPRTVWXY]{4}\b/giu;
const US_STATE_ZIP =
  /\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)\s+\d{5}(?:-\d{4})?\b/gu;
const DUBLIN_DISTRICT = /\bDublin\s+\d{1,2}W?\b/giu;
// Continental streets: the street word first ("Calle Mayor 5", "12 rue de la Paix", "Via Roma 21", "ul. Marszałkowska 84",
// with a flat after a slash: "ul. Długa 14/3")
// or last, joined to the name ("Hauptstraße 12", "Kerkstraat 4").
const EU_STREET_FIRST =
  /(?:\b\d{1,4}[a-z]?,?\s+)?(?<![\p{L}])(?:calle|c\/|avenida|avda\.|plaza|paseo|carrer|rue|avenue|boulevard|bd|allée|chemin|quai|via|viale|piazza|corso|largo|ul\.|ulica|al\.|aleja|plac|rua|praça|travessa|strada|heol|ffordd|stryd|lôn|maes|rhodfa|bóthar|sráid)\s+(?:(?:de|del|de la|la|le|les|des|du|di|della|dei|do|da|dos|das|d'|y|yr|an|na)\s*)*\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}(?:,?\s+\d{1,4}[a-zA-Z]?(?:\/\d{1,4}[a-zA-Z]?)?\b)?/giu;
const EU_STREET_LAST = /\b\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|straat|laan|gracht|plein|vej|gade|gatan|vägen)\s+\d{1,4}[a-z]?(?:\/\d{1,4}[a-z]?)?\b/gu;
// After a street: a continental postcode and the town ("10115 Berlin", "00-514 Warszawa", "1012 AB Amsterdam", and ADR 062
// session 11: Portugal's "1250-146 Lisboa", Sweden's, Czechia's and Greece's "114 55 Stockholm").
const EU_POSTCODE_TOWN = /^,?\s*(?:\d{5}|\d{2}-\d{3}|\d{4}-\d{3}|\d{3} \d{2}|\d{4}(?:\s?[A-Z]{2})?)\s+\p{Lu}[\p{L}'’-]+/u;
// ADR 062 (session 12): the floor and door after a continental street and its number ("Calle Mayor 12, 3º B", "2º izq.",
// "Rua Augusta 120, 3º Esq.", "Carrer de Mallorca 401, 4t 2a", "Via Roma 10, int. 5", "bajo A"), before the postcode.
// ADR 062 (session 13): and the flat written as the Polish "m." / "lok.", "kv.", the German "Whg." ("ul. Piękna 7 m. 12").
const FLOOR_AFTER =
  /^,?\s*(?:\d{1,2}\s?[ºª°](?:\s?(?:izq(?:da|uierda)?|dcha|der(?:echa)?|esq(?:uerdo)?|dto|dta|dir(?:eito)?|frente|centro|[A-H])\b\.?)?|\d{1,2}(?:r|n|t|è|er|e)\s+\d{1,2}(?:a|ª)?\b|(?:piso|planta|étage|etage|int\.?|interno|scala|sc\.|esc\.?|escalera|puerta|pta\.?|porta|appt\.?|apt\.?|apto\.?|bte|bus|m\.|lok\.?|kv\.?|whg\.?|wohnung)\s*\d{1,3}[A-Za-z]?\b\.?|bajo(?:\s+[A-H]\b)?)/iu;
// ADR 062 (session 12): a postcode says an address is there — "7 Heol Y Bryn, Swansea SA1 2BB", "12 Oak Tree Walk,
// Bangor LL57 2DG": a house number and up to four words, a comma and a town right before it belong to it, whatever the
// street is called.
const BEFORE_POSTCODE = /(?<![\p{L}\p{N}])\d{1,4}[A-Za-z]?,?\s+(?:[\p{Lu}][\p{L}'’-]*|y|yr|an|na|the)(?:\s+(?:[\p{Lu}][\p{L}'’-]*|y|yr|an|na|the|de|of)){0,3},\s*(?:\p{Lu}[\p{L}'’-]+\s+){1,2}$/u;
// ADR 062 (session 14): the same typed in lower case ("flat 3b, 22 kingsway, cardiff cf10 3ab"), with no function word
// among the street's words (so "we had 3 people in, so cf10…" is no street).
const BEFORE_POSTCODE_LOWER = /(?<![\p{L}\p{N}])\d{1,4}[a-z]?,?\s+\p{Ll}[\p{L}'’-]*(?:\s+\p{Ll}[\p{L}'’-]*){0,3},\s*(?:\p{Ll}[\p{L}'’-]+\s+){1,2}$/u;
// A flat, unit or apartment written before the house number belongs to the address ("Unit 4, Meadowbank Trading Estate,
// Dundee DD2 4XY", "flat 3b, 22 kingsway…").
const APARTMENT_BEFORE = /(?<![\p{L}])(?:apt|apartment|flat|unit|suite|ste)\.?\s*#?(?:\d{1,4}[\p{L}]?,?\s+)?$/iu;
// A street named without a number where a person lives: "lives on Willow Crescent", "moved to Baker Street".
const NAMED_STREET =
  /\b(?:on|at|in|off|near|to|from)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?\s+(?:Street|Road|Avenue|Lane|Drive|Crescent|Close|Terrace|Grove|Gardens|Way|Court|Mews|Square|Rise|Walk|Row|Parade|Boulevard))\b/gu;
const APARTMENT = /^(?:apt|apartment|suite|ste|unit|flat)\.?\s*#?[\p{L}\p{N}]{1,5},?\s*/iu;
// An apartment written after the street ("32 w 14th st apt 2", "103 E 86th St, Apt 5B").
const APARTMENT_AFTER = /^,?\s*(?:apt|apartment|suite|ste|unit|flat|fl)\.?\s*#?\d{1,4}[\p{L}]?\b/iu;
// ADR 055: a house number and a street with no street word, where the words around say it is an address — "she moved
// to 5 The Paddocks, Wymondham", "lives at 7 the green, little haddon", "address is 12 Larkspur, Hove": after living,
// moving, an address or post sent, a number, then "the" and a name or a name and a town after a comma.
const CUED_ADDRESS =
  /\b(?:live|lives|lived|living|moved|moving|move|moves|staying|stays|address(?:\s+is|\s+as|\s+changed\s+to|\s+now|:)?|post(?:ed)?\s+(?:it|them|this)\s+to|send\s+(?:it|them|this|the\s+\p{L}+)\s+to|sent\s+(?:it|them|this|the\s+\p{L}+)\s+to)\s+(?:(?:at|to|is|as|in)\s+)?(?:(?:no\.?|number)\s+)?(\d{1,4}[A-Za-z]?,?\s+(?:the\s+[\p{L}'’-]+(?:\s+[\p{L}'’-]+)?|\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?(?=,\s*\p{L})))/giu;
const NOT_ADDRESS_WORD = /\b(?:on|off|in|a|an|of|at|to|for|and|or|per|by|with|days?|weeks?|hours?|hour|times?|people|staff|shifts?|nights?|mins?|minutes?|months?|years?|pm|am|percent|hrs?)\b/i;

/** Postal addresses: a numbered street, and what follows it (town, postcode); postcodes on their own too. */
export function findAddresses(text: string, words?: Pick<SiteWords, 'isCommonWord' | 'isPlaceWord'>): DetectedEntity[] {
  const pieces: DetectedEntity[] = [];
  const cued = new Set<number>();
  for (const m of text.matchAll(CUED_ADDRESS)) {
    const rest = m[1].replace(/^\d{1,4}[A-Za-z]?,?\s+(?:the\s+)?/i, '');
    if (NOT_ADDRESS_WORD.test(rest)) continue;
    const start = m.index! + m[0].lastIndexOf(m[1]);
    cued.add(start);
    pieces.push(span('ADDRESS', text, start, start + m[1].length));
  }
  for (const re of [STREET, UK_POSTCODE, EIRCODE, US_STATE_ZIP, DUBLIN_DISTRICT, EU_STREET_FIRST, EU_STREET_LAST]) {
    for (const m of text.matchAll(re)) {
      if (re === UK_POSTCODE || re === EIRCODE) {
        const preceding = text.slice(Math.max(0, m.index! - 80), m.index!);
        const lower = BEFORE_POSTCODE_LOWER.exec(preceding);
        const before = BEFORE_POSTCODE.exec(preceding) ?? (lower && !NOT_ADDRESS_WORD.test(lower[0].replace(/^\d{1,4}[a-z]?,?\s+/, '')) ? lower : null);
        if (before && /\d/.test(m[0])) {
          pieces.push(span('ADDRESS', text, m.index! - before[0].length, m.index! + m[0].length));
          continue;
        }
      }
      // Postcode shapes must contain a digit-letter mix that plain words do not ("SW1A 1AA", "D02 X285").
      if (re !== STREET && re !== EU_STREET_FIRST && !/\d/.test(m[0])) continue;
      // A continental street word alone ("the avenue", "via email") is not an address: a number must go with it.
      if (re === EU_STREET_FIRST && !/\d/.test(m[0])) continue;
      // "6 days in a row", "3 people on the floor": a street name has no function words.
      if (re === STREET && /\s(?:in|a|an|the|of|on|at|to|for|and|or|per|by|from|with|days?|weeks?|hours?|times?|people|shifts?|can|could|will|would|should|she|he|they|we|you|i|is|are|was|were)\s/i.test(m[0])) continue;
      pieces.push(span('ADDRESS', text, m.index!, m.index! + m[0].length));
    }
  }
  pieces.sort((a, b) => a.start - b.start || b.end - a.end);
  // Join a street to the town and postcode after it: "14 Main Street, Leeds LS1 4DY" is one address.
  const merged: DetectedEntity[] = [];
  for (const piece of pieces) {
    const prev = merged[merged.length - 1];
    if (prev && piece.start <= prev.end) {
      if (piece.end > prev.end) merged[merged.length - 1] = span('ADDRESS', text, prev.start, piece.end);
      continue;
    }
    if (prev) {
      const between = text.slice(prev.end, piece.start).replace(/^,?\s*/, '').replace(APARTMENT, '');
      // ", Leeds " / ", Springfield, " — a town of one or two capitalised words between the pieces.
      if (/^,?\s*(?:\p{L}[\p{L}'’-]*(?:\s+\p{L}[\p{L}'’-]*)?,?\s*){0,2}$/u.test(between) && between.length <= 30) {
        merged[merged.length - 1] = span('ADDRESS', text, prev.start, piece.end);
        continue;
      }
    }
    merged.push(piece);
  }
  for (const m of text.matchAll(NAMED_STREET)) {
    const start = m.index! + m[0].indexOf(m[1]);
    merged.push(span('ADDRESS', text, start, start + m[1].length));
  }
  // A street followed only by ", Town" (no postcode): take the town too.
  return merged.map((found) => {
    const flat = APARTMENT_BEFORE.exec(text.slice(Math.max(0, found.start - 24), found.start));
    const whole = flat && /^\d/.test(found.text) ? span('ADDRESS', text, found.start - flat[0].length, found.end) : found;
    // "32 w 14th st apt 2": an apartment after the street belongs to it.
    const apartment = APARTMENT_AFTER.exec(text.slice(whole.end));
    let a = apartment ? span('ADDRESS', text, whole.start, whole.end + apartment[0].length) : whole;
    // A floor and a door after a numbered street (both may be written: "esc. 2, 3º B").
    if (/\d[a-zA-Z]?$/.test(a.text)) {
      for (let k = 0, floor = FLOOR_AFTER.exec(text.slice(a.end)); floor && k < 2; k++, floor = FLOOR_AFTER.exec(text.slice(a.end)))
        a = span('ADDRESS', text, a.start, a.end + floor[0].length);
    }
    const postcodeTown = EU_POSTCODE_TOWN.exec(text.slice(a.end));
    if (postcodeTown) return span('ADDRESS', text, a.start, a.end + postcodeTown[0].length);
    const rest = text.slice(a.end);
    const town = /^,\s*(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)/u.exec(rest);
    const streetEnd = /\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|court|ct|place|terrace|cres|crescent|grove|green|gardens|paddocks|mews|row|walk)\.?$/i.test(a.text) || cued.has(a.start);
    if (town && streetEnd) return span('ADDRESS', text, a.start, a.end + town[0].length);
    // In lowercase typing the town is lowercase too ("9 kingfisher way, bicester"): a word that is a place or no
    // ordinary English word (so "14 ashby rd, so its far" keeps "so").
    const lowerTown = /^,\s*(\p{Ll}[\p{L}'’-]+(?:\s+\p{Ll}[\p{L}'’-]+)?)(?![\p{L}])/u.exec(rest);
    if (lowerTown && streetEnd && words) {
      // One or two words ending in a place or a word no dictionary holds ("bicester", "little haddon").
      const parts = lowerTown[1].split(/\s+/);
      const townLike = (w: string) => words.isPlaceWord(w) || !words.isCommonWord(w);
      const townWords = parts.length === 2 && !townLike(parts[1]) ? parts.slice(0, 1) : parts;
      if (townLike(townWords[townWords.length - 1])) {
        const length = lowerTown[0].length - lowerTown[1].length + townWords.join(' ').length;
        return span('ADDRESS', text, a.start, a.end + length);
      }
    }
    return a;
  });
}
