// The anonymizer shared by review sharing (issue 11) and redaction before external providers (issue 12).
// It replaces people's names, emails, phone numbers, employee and badge ids, addresses and store or site
// identifiers with typed placeholders ([PERSON_1], [EMAIL_1], …) that are consistent across every text of
// one exchange (the message, the reply, the context), and keeps the mapping so text can be rehydrated —
// including a streamed reply whose placeholder arrives split across tokens. See docs/decisions/018.
import { findPersons, foldCase, isCommonWord, isPersonName, isPlaceWord } from './names';
import { findAddresses, findEmails, findEmployeeIds, findPhones, findSites } from './patterns';
import { ENTITY_TYPES, emptyCounts, type DetectedEntity, type EntityCounts, type EntityType } from './types';

export { ENTITY_TYPES, type DetectedEntity, type EntityCounts, type EntityType } from './types';

export interface AnonymizeOptions {
  /** ISO country of the tenant: phone numbers written without a country code are read by its rules first. */
  country?: string | null;
  /** Words that are never a person here: the organisation's own name, product names ("Brightmart", "Rapport"). */
  keep?: readonly string[];
  /** Who wrote the text: 'person' (default; lowercase names count) or 'coach' (see names.ts). */
  author?: 'person' | 'coach';
}

const keepSet = (options: AnonymizeOptions) =>
  new Set((options.keep ?? []).flatMap((k) => k.split(/[\s-]+/)).filter(Boolean).map((k) => foldCase(k)));

const PLACEHOLDER = /\[(PERSON|EMAIL|PHONE|EMPLOYEE_ID|ADDRESS|SITE)_(\d+)\]/g;
const PARTICLES = new Set('van von der den de da di del della la le du dos das bin binti bint ibn al el ó o ní nic mac mc ua ap'.split(' '));

// Words that name a part of a place after its name: "Cribbs Causeway", "Glasgow Fort", "Salford Quays", "Fosse Park".
const PLACE_PART_AFTER = /^ (?:Causeway|Fort|Quays?|Village|Marina|Mall|Plaza|Galleria|Arcade|Harbour|Docks?|Wharf|Junction|Interchange|Parkway|Piccadilly|Central|Retail|Outlet)\b/u;

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/**
 * Every personal detail in one text, without overlaps. Detectors run in priority order (shape-based ones
 * first, names last) and a later span that overlaps an earlier one is dropped.
 */
export function detectEntities(text: string, options: AnonymizeOptions = {}): DetectedEntity[] {
  const taken: DetectedEntity[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) taken.push({ type: m[1] as EntityType, start: m.index!, end: m.index! + m[0].length, text: m[0] });
  const reserved = taken.length;
  const accept = (candidates: DetectedEntity[]) => {
    for (const c of candidates.sort((a, b) => a.start - b.start || b.end - a.end)) {
      if (c.end > c.start && !taken.some((t) => overlaps(t, c))) taken.push(c);
    }
  };
  accept(findEmails(text));
  accept(findAddresses(text, { isCommonWord, isPlaceWord }));
  const ids = findEmployeeIds(text);
  accept(findSites(text, { isCommonWord, isPlaceWord, isPersonName }));
  accept(ids);
  accept(findPhones(text, options.country ?? undefined));
  const persons = findPersons(text, { keep: keepSet(options), author: options.author });
  // "Harry from Didsbury keeps ringing", "summer from Hull": after a person and "from", one capitalised word that is a
  // place or no one's given name is where they work — a site, not a second person (ADR 048).
  for (let k = 1; k < persons.length; k++) {
    const p = persons[k];
    const between = text.slice(persons[k - 1].end, p.start);
    if (/^\s+from\s+$/i.test(between) && /^\p{Lu}[\p{L}'’-]+$/u.test(p.text) && !/['’]s?$/.test(text.slice(p.end, p.end + 2)) && (isPlaceWord(p.text) || !isPersonName(p.text))) {
      persons[k] = { ...p, type: 'SITE' };
    }
  }
  accept(persons);
  // "Niamh Kavanagh, 645863, was seen…": a bare number set off by commas right after a name is that person's id.
  const appositiveIds: DetectedEntity[] = [];
  for (const p of persons) {
    const m = /^,\s*(#?\d{4,9})\s*[,)]/.exec(text.slice(p.end));
    if (m) {
      const start = p.end + m[0].indexOf(m[1]);
      appositiveIds.push({ type: 'EMPLOYEE_ID', start, end: start + m[1].length, text: m[1] });
    }
  }
  accept(appositiveIds);
  const found = withoutKept(text, taken.slice(reserved).sort((a, b) => a.start - b.start), keepSet(options));
  // ADR 062 (session 11): a place of several words where one word was taken and the rest left — "Manchester [Piccadilly]",
  // "[Glasgow] Fort", "[Cribbs] Causeway": a capitalised city or region right before, or a word that names a part of a
  // place right after, belongs to the same place.
  for (let k = 0; k < found.length; k++) {
    const e = found[k];
    if (e.type !== 'PERSON' && e.type !== 'SITE') continue;
    const before = /(?:^|[^\p{L}\p{N}])(\p{Lu}[\p{L}'’-]+) $/u.exec(text.slice(Math.max(0, e.start - 40), e.start));
    if (before && isPlaceWord(before[1]) && !isPersonName(before[1]) && !(k > 0 && found[k - 1].end > e.start - before[1].length - 1)) {
      const start = e.start - before[1].length - 1;
      found[k] = { type: e.type === 'PERSON' && !isPersonName(e.text) ? 'SITE' : e.type, start, end: e.end, text: text.slice(start, e.end) };
    }
    const after = PLACE_PART_AFTER.exec(text.slice(found[k].end));
    if (after && !(k + 1 < found.length && found[k + 1].start < found[k].end + after[0].length)) {
      const f = found[k];
      found[k] = { type: f.type === 'PERSON' ? 'SITE' : f.type, start: f.start, end: f.end + after[0].length, text: text.slice(f.start, f.end + after[0].length) };
    }
  }
  return found;
}

// ADR 062 (session 14): the organisation's own words are company text, never a person's detail — "the Brightmart
// Riverside store" is the site "Riverside", "Brightmart said" holds no one. Names already skip them (findPersons); a span
// of another detector that names a place or a person loses them at its ends, and goes when nothing else is left.
function withoutKept(text: string, found: DetectedEntity[], keep: ReadonlySet<string>): DetectedEntity[] {
  if (!keep.size) return found;
  const out: DetectedEntity[] = [];
  for (const e of found) {
    if (e.type !== 'SITE' && e.type !== 'PERSON') {
      out.push(e);
      continue;
    }
    let { start, end } = e;
    for (;;) {
      const first = /^[\p{L}\p{M}'’-]+/u.exec(text.slice(start, end));
      if (!first || !keep.has(foldCase(first[0].replace(/['’]s?$/u, '')))) break;
      start += first[0].length;
      while (start < end && /[\s,]/.test(text[start])) start++;
    }
    for (;;) {
      const last = /[\p{L}\p{M}'’-]+$/u.exec(text.slice(start, end));
      if (!last || !keep.has(foldCase(last[0].replace(/['’]s?$/u, '')))) break;
      end -= last[0].length;
      while (end > start && /[\s,]/.test(text[end - 1])) end--;
    }
    if (end > start && /[\p{L}\p{N}]/u.test(text.slice(start, end))) out.push({ type: e.type, start, end, text: text.slice(start, end) });
  }
  return out;
}

/**
 * The words of a tenant that are company text, not personal data: its name's and slug's words, and the product — but
 * not a word people are called by ("John Lewis Partnership" keeps "Partnership" only: every John and Lewis the managers
 * write about is still a person; the company's name may then be replaced, the safe side).
 */
export function companyWords(tenant: { name: string; slug: string }): string[] {
  const words = `${tenant.name} ${tenant.slug}`.split(/[\s-]+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);
  return [...new Set([...words.filter((w) => !isPersonName(w)), 'Rapport'])];
}

// Detection is a pure function of the text and options, and a chat turn re-anonymizes the whole conversation
// (ADR 021): earlier turns are detected once, not on every turn. Bounded, in memory only.
const DETECT_MEMO_SIZE = 512;
const detectMemo = new Map<string, DetectedEntity[]>();
function detectEntitiesMemo(text: string, options: AnonymizeOptions): DetectedEntity[] {
  const key = `${JSON.stringify(options)}\u0000${text}`;
  const hit = detectMemo.get(key);
  if (hit) {
    detectMemo.delete(key);
    detectMemo.set(key, hit);
    return hit.map((e) => ({ ...e }));
  }
  const found = detectEntities(text, options);
  detectMemo.set(key, found.map((e) => ({ ...e })));
  if (detectMemo.size > DETECT_MEMO_SIZE) detectMemo.delete(detectMemo.keys().next().value!);
  return found;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One exchange's anonymizer. Texts passed to anonymize()/anonymizeAll() share one numbering: the same person
 * (or email, phone…) gets the same placeholder everywhere, and a name found in one text is replaced wherever
 * it appears in the others ("Marcus Jones" in the message → "Marcus" in the reply is the same [PERSON_1]).
 */
export class Anonymizer {
  private readonly options: AnonymizeOptions;
  private readonly byKey = new Map<string, string>(); // `${type}:${normalised}` → placeholder
  private readonly originals = new Map<string, string>(); // placeholder → first text it replaced
  private readonly next: Record<EntityType, number> = emptyCounts();
  private readonly issued: Record<EntityType, number> = emptyCounts();
  // ADR 062 (session 14): placeholders already written in the texts (a shared copy re-read for the judge, one the person
  // typed): a new one never takes their number, so two people never share one.
  private readonly written = new Set<string>();
  private readonly personSurfaces = new Map<string, string>(); // folded name or name part → placeholder
  private collecting: Set<string> | null = null; // placeholders written while collect() runs


  constructor(options: AnonymizeOptions = {}) {
    this.options = options;
  }

  /** Anonymize one text, reusing the placeholders this exchange already gave out. */
  anonymize(text: string): string {
    return this.anonymizeAll([text])[0];
  }

  /**
   * Anonymize several texts of one exchange: detection runs over all of them before any is rewritten.
   * `authors[i]` says who wrote texts[i] ('person' unless given; the coach's replies are 'coach').
   */
  anonymizeAll(texts: readonly string[], authors: ReadonlyArray<'person' | 'coach'> = []): string[] {
    for (const t of texts) for (const m of t.matchAll(PLACEHOLDER)) if (!this.originals.has(m[0])) this.written.add(m[0]);
    const found = texts.map((t, i) => detectEntitiesMemo(t, { ...this.options, author: authors[i] ?? this.options.author }));
    for (const entities of found) for (const e of entities) if (e.type === 'PERSON') this.registerPerson(e.text);
    return texts.map((text, i) => this.rewrite(text, [...found[i], ...this.knownNameSpans(text, found[i])]));
  }

  /**
   * Replace only what this exchange already knows — the people, emails, phones… found in the texts given
   * to anonymize() — without detecting anything new. For company documents quoted as context (culture-pack
   * passages), where a name of the exchange must not slip through but the policy text should stay as written.
   */
  anonymizeKnown(text: string): string {
    const spans: DetectedEntity[] = [];
    for (const [placeholder, original] of this.originals) {
      if (placeholder.startsWith('[PERSON_')) continue;
      const re = new RegExp(escapeRegExp(original), 'gi');
      for (const m of text.matchAll(re)) spans.push({ type: placeholder.slice(1, placeholder.lastIndexOf('_')) as EntityType, start: m.index!, end: m.index! + m[0].length, text: m[0] });
    }
    spans.push(...this.knownNameSpans(text, spans));
    return this.rewrite(text, spans);
  }

  /** placeholder → original text, for rehydration. Only ever held in memory for the exchange. */
  get mapping(): Record<string, string> {
    return Object.fromEntries(this.originals);
  }

  /**
   * Runs fn (synchronous anonymizing of one request) and returns, with its value, the distinct entities it replaced,
   * per type — what one external call received, for lineage (ADR 062 session 13). Placeholders the text already held
   * (typed by the person) are not counted.
   */
  collect<T>(fn: () => T): { value: T; counts: EntityCounts; placeholders: ReadonlySet<string> } {
    const outer = this.collecting;
    const used = new Set<string>();
    this.collecting = used;
    try {
      const value = fn();
      return { value, counts: countPlaceholders(used), placeholders: used };
    } finally {
      if (outer) for (const p of used) outer.add(p);
      this.collecting = outer;
    }
  }

  /** Distinct entities replaced so far, per type (what lineage may record). */
  counts(): EntityCounts {
    const counts = emptyCounts();
    for (const type of ENTITY_TYPES) counts[type] = this.issued[type];
    return counts;
  }

  private rewrite(text: string, entities: DetectedEntity[]): string {
    let out = '';
    let last = 0;
    for (const e of entities.sort((a, b) => a.start - b.start)) {
      if (e.start < last) continue;
      out += text.slice(last, e.start) + this.placeholderFor(e);
      last = e.end;
    }
    return out + text.slice(last);
  }

  private placeholderFor(e: DetectedEntity): string {
    const placeholder = this.placeholderOf(e);
    this.collecting?.add(placeholder);
    return placeholder;
  }

  private placeholderOf(e: DetectedEntity): string {
    if (e.type === 'PERSON') {
      const placeholder = this.registerPerson(e.text);
      if (!this.originals.has(placeholder)) this.originals.set(placeholder, e.text);
      return placeholder;
    }
    const key = `${e.type}:${normalise(e.type, e.text)}`;
    let placeholder = this.byKey.get(key);
    if (!placeholder) {
      placeholder = this.issue(e.type);
      this.byKey.set(key, placeholder);
    }
    if (!this.originals.has(placeholder)) this.originals.set(placeholder, e.text);
    return placeholder;
  }

  private issue(type: EntityType): string {
    do this.next[type] += 1;
    while (this.written.has(`[${type}_${this.next[type]}]`));
    this.issued[type] += 1;
    return `[${type}_${this.next[type]}]`;
  }

  /** The placeholder of a person: the whole name first, then any part of it already seen. */
  private registerPerson(name: string): string {
    const whole = foldCase(name.trim());
    const parts = whole.split(/\s+/).filter((p) => p.length > 1 && !PARTICLES.has(p));
    let placeholder = this.personSurfaces.get(whole) ?? parts.map((p) => this.personSurfaces.get(p)).find(Boolean);
    if (!placeholder) placeholder = this.issue('PERSON');
    if (!this.personSurfaces.has(whole)) this.personSurfaces.set(whole, placeholder);
    for (const p of parts) if (!this.personSurfaces.has(p)) this.personSurfaces.set(p, placeholder);
    return placeholder;
  }

  /** Occurrences of names already known in this exchange that detection missed in this text. */
  private knownNameSpans(text: string, found: DetectedEntity[]): DetectedEntity[] {
    const extra: DetectedEntity[] = [];
    if (this.personSurfaces.size === 0) return extra;
    const matcher = this.surfaceMatcher();
    // ASCII text folds by lower-casing alone (no Unicode normalisation needed).
    const folded = /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : foldCase(text);
    // foldCase keeps length for Latin letters with combining marks removed only when the text is NFC;
    // when lengths differ, fall back to the text's own case-insensitive search.
    const haystack = folded.length === text.length ? folded : text.toLowerCase();
    for (const m of haystack.matchAll(matcher.re)) {
      const span = { type: 'PERSON' as const, start: m.index!, end: m.index! + m[0].length, text: text.slice(m.index!, m.index! + m[0].length) };
      // A name that is also a word ("Will", "Rose") is only taken again where it is capitalised mid-sentence.
      if (matcher.common.get(m[0]) && !(/^\p{Lu}/u.test(span.text) && !/(?:^|[.!?]\s+)$/u.test(text.slice(Math.max(0, span.start - 8), span.start)) && span.start > 0)) continue;
      if (found.some((e) => overlaps(e, span)) || extra.some((e) => overlaps(e, span))) continue;
      extra.push(span);
    }
    return extra;
  }

  // One regular expression for every known surface (longest first), rebuilt only when a new name is registered:
  // compiling one per surface per text was most of the cost of a turn.
  private matcherFor: { size: number; re: RegExp; common: Map<string, boolean> } | null = null;
  private surfaceMatcher(): { re: RegExp; common: Map<string, boolean> } {
    if (this.matcherFor?.size !== this.personSurfaces.size) {
      const surfaces = [...this.personSurfaces.keys()].sort((a, b) => b.length - a.length);
      const common = new Map(surfaces.map((s) => [s, !s.includes(' ') && isCommonWord(s)] as const));
      const re = new RegExp(`(?<![\\p{L}\\p{N}_\\[])(?:${surfaces.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_\\]])`, 'gu');
      this.matcherFor = { size: this.personSurfaces.size, re, common };
    }
    return this.matcherFor;
  }
}

/** Distinct placeholders per type. */
export function countPlaceholders(placeholders: Iterable<string>): EntityCounts {
  const counts = emptyCounts();
  for (const placeholder of placeholders) counts[placeholder.slice(1, placeholder.lastIndexOf('_')) as EntityType] += 1;
  return counts;
}

function normalise(type: EntityType, text: string): string {
  switch (type) {
    case 'EMAIL':
      return text.toLowerCase();
    case 'PHONE': {
      const digits = text.replace(/\D/g, '');
      return digits.slice(-9); // +44 7911 123456 and 07911 123456 are one number
    }
    case 'EMPLOYEE_ID':
    case 'SITE':
      return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
    default:
      return foldCase(text).replace(/\s+/g, ' ').trim();
  }
}

export interface AnonymizedExchange {
  parts: string[];
  mapping: Record<string, string>;
  counts: EntityCounts;
}

/** Anonymize the texts of one exchange together (e.g. [message, reply, ...passages]). */
export function anonymizeExchange(parts: readonly string[], options: AnonymizeOptions = {}): AnonymizedExchange {
  const anonymizer = new Anonymizer(options);
  const out = anonymizer.anonymizeAll(parts);
  return { parts: out, mapping: anonymizer.mapping, counts: anonymizer.counts() };
}

/**
 * Put the originals back. A placeholder that was never issued (a model may invent "[PERSON_9]") is left as
 * written.
 */
export function rehydrate(text: string, mapping: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole) => mapping[whole] ?? whole);
}

// The longest possible placeholder: "[EMPLOYEE_ID_" + digits + "]".
const MAX_PLACEHOLDER = 24;
const PARTIAL = /\[[A-Z_]*\d*$/;

/**
 * Rehydrate a reply as it streams: text is released as soon as it cannot be the start of a placeholder,
 * so a placeholder split across chunks ("[PER" + "SON_1]") still comes back whole.
 */
export function createStreamingRehydrator(mapping: Readonly<Record<string, string>>) {
  let pending = '';
  return {
    /** Feed one chunk; returns the text that can be shown now. */
    push(chunk: string): string {
      pending += chunk;
      const partial = PARTIAL.exec(pending);
      let hold = '';
      if (partial && pending.length - partial.index <= MAX_PLACEHOLDER) {
        hold = pending.slice(partial.index);
        pending = pending.slice(0, partial.index);
      }
      const ready = rehydrate(pending, mapping);
      pending = hold;
      return ready;
    },
    /** The end of the stream: whatever is held back is released as written. */
    flush(): string {
      const rest = rehydrate(pending, mapping);
      pending = '';
      return rest;
    },
  };
}
