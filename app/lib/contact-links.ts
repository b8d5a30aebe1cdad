// Crisis resources a person can tap: the tenant's phone numbers become tel: (and, for lines that
// take texts, sms:) links, web addresses https: links, e-mail addresses mailto: links. Generic by
// design: it links the exact values stored in the tenant's support resources wherever they appear
// in a text, so it works in any language and for any number format the tenant entered ("911",
// "116 123", "+44 20 7946 0000"), without guessing what else in a sentence might be a number.
// Client-safe: pure functions only.
import { resourcesForCountry, type Contact, type SupportResources } from './culture';

export interface ContactPoint {
  /** The value as written in the tenant's resources, e.g. "116 123". */
  text: string;
  kind: 'phone' | 'web' | 'email';
  /** tel:, https: or mailto: */
  href: string;
  /** A line that also takes text messages (the crisis line): an sms: link beside the call link. */
  sms?: string;
}

const DIALABLE = /^\+?[\d\s().\-/]+$/;

/** "1-800-555-0199" → "tel:18005550199"; null for text like "your local emergency number". */
export function telHref(value: string): string | null {
  const trimmed = value.trim();
  if (!DIALABLE.test(trimmed)) return null;
  const digits = trimmed.replace(/[^\d+]/g, '');
  return digits.replace(/\+/g, '').length >= 2 ? `tel:${digits}` : null;
}

/**
 * The numbers an emergency field lists: "112 or 999" (Ireland answers both), "112, 999". Split on words
 * and commas only — a slash or a dash can be part of one number ("030/123456"). A value that is not a
 * list of dialable numbers ("your local emergency number") is returned whole.
 */
export function emergencyNumbers(value: string): string[] {
  const parts = value
    .split(/\s*(?:,|;|\|)\s*|\s+(?:or|o|ou|oder|of|lub|sau|або|или)\s+/i)
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.length > 1 && parts.every((part) => telHref(part) !== null) ? parts : [value.trim()];
}

function phonePoint(value: string | undefined, sms = false): ContactPoint | null {
  if (!value) return null;
  const href = telHref(value);
  if (!href) return null;
  return { text: value.trim(), kind: 'phone', href, ...(sms ? { sms: href.replace(/^tel:/, 'sms:') } : {}) };
}

function webPoint(value: string | undefined): ContactPoint | null {
  if (!value || !/^https?:\/\/\S+$/i.test(value.trim())) return null;
  return { text: value.trim(), kind: 'web', href: value.trim() };
}

function emailPoint(value: string | undefined): ContactPoint | null {
  if (!value || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())) return null;
  return { text: value.trim(), kind: 'email', href: `mailto:${value.trim()}` };
}

function contactPoints(contact: Contact | null | undefined): Array<ContactPoint | null> {
  if (!contact) return [];
  return [phonePoint(contact.phone), emailPoint(contact.email), webPoint(contact.url)];
}

/** Every tappable value of the tenant's resources for this country, emergency number first. */
export function contactPointsFor(resources: SupportResources, country?: string | null): ContactPoint[] {
  const local = resourcesForCountry(resources, country);
  const points = [
    ...emergencyNumbers(local.emergency).map((number) => phonePoint(number)),
    phonePoint(local.crisisPhone, true),
    webPoint(local.crisisUrl),
    ...contactPoints(resources.eap),
    ...contactPoints(resources.hrContact),
    ...contactPoints(resources.supportContact),
  ].filter((p): p is ContactPoint => p !== null);
  const seen = new Set<string>();
  return points.filter((p) => (seen.has(p.text) ? false : (seen.add(p.text), true)));
}

export type LinkedSegment = { text: string; point?: ContactPoint };

/**
 * Splits `text` at each occurrence of a contact value. A number is matched only as a whole (not
 * inside a longer number); longer values win over shorter ones they contain.
 */
export function linkContacts(text: string, points: ContactPoint[]): LinkedSegment[] {
  const ordered = [...points].sort((a, b) => b.text.length - a.text.length);
  const segments: LinkedSegment[] = [];
  let plain = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const point of ordered) {
      if (!text.startsWith(point.text, i)) continue;
      const before = text[i - 1] ?? '';
      const after = text[i + point.text.length] ?? '';
      if (point.kind === 'phone' && (/[\d+]/.test(before) || /\d/.test(after))) continue;
      if (point.kind !== 'phone' && /[\w/#?=&%-]/.test(after)) continue;
      if (plain) segments.push({ text: plain });
      plain = '';
      segments.push({ text: point.text, point });
      i += point.text.length;
      continue outer;
    }
    plain += text[i];
    i += 1;
  }
  if (plain) segments.push({ text: plain });
  return segments;
}

/** A number inside a name ("988 Suicide & Crisis Lifeline") is a name, not a place to tap. */
function partOfName(text: string, end: number): boolean {
  return /^ \p{L}/u.test(text.slice(end, end + 2));
}

/**
 * Markdown with the contact values turned into links ([911](tel:911), <https://…>), for the
 * escalation reply. Lines that take texts get a second, sms: link. Values in a heading-like name
 * are left as they are.
 */
export function linkContactsInMarkdown(markdown: string, points: ContactPoint[], smsLabel = 'SMS'): string {
  if (points.length === 0) return markdown;
  let offset = 0;
  return linkContacts(markdown, points)
    .map((segment) => {
      const start = offset;
      offset += segment.text.length;
      const point = segment.point;
      if (!point) return segment.text;
      if (point.kind !== 'phone') return `<${point.kind === 'email' ? point.text : point.href}>`;
      if (partOfName(markdown, start + segment.text.length)) return segment.text;
      return `[${point.text}](${point.href})${point.sms ? ` · [${smsLabel} ${point.text}](${point.sms})` : ''}`;
    })
    .join('');
}

/** Protocols the chat may link to: the markdown renderer's safe set plus tel: and sms:. */
export function isTappableHref(href: string | undefined): boolean {
  return typeof href === 'string' && /^(tel|sms):\+?\d+$/.test(href);
}
