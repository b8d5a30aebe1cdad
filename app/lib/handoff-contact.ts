// How a person asking for a hand-off wants to be reached: the choices, and the server's check of
// the phone number or email that goes with them (issue 13, item 4). Client-safe.
import { z } from 'zod';

export const CONTACT_METHODS = ['work_email', 'phone', 'other_email', 'via_manager_hr'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** A phone number as people write it: digits with spaces, dots, dashes, brackets, a leading +; 6–15 digits. */
export function normalisePhone(raw: string): string | null {
  const value = raw.trim();
  if (!/^\+?[\d\s().-]{6,30}$/.test(value)) return null;
  const digits = value.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return null;
  return value.replace(/\s+/g, ' ');
}

const emailSchema = z.string().trim().toLowerCase().email().max(200);

/** Error codes (not text): the form shows them in the person's language (errPhone / errEmail). */
export type ContactError = 'errPhone' | 'errEmail';

export function parseContactChoice(method: unknown, value: unknown): { ok: true; method: ContactMethod; value: string } | { ok: false; error: ContactError | 'method' } {
  if (typeof method !== 'string' || !(CONTACT_METHODS as readonly string[]).includes(method)) return { ok: false, error: 'method' };
  const text = typeof value === 'string' ? value : '';
  switch (method as ContactMethod) {
    case 'phone': {
      const phone = normalisePhone(text);
      return phone ? { ok: true, method: 'phone', value: phone } : { ok: false, error: 'errPhone' };
    }
    case 'other_email': {
      const email = emailSchema.safeParse(text);
      return email.success ? { ok: true, method: 'other_email', value: email.data } : { ok: false, error: 'errEmail' };
    }
    default:
      return { ok: true, method: method as ContactMethod, value: '' };
  }
}

/** For HR: how the person asked to be reached, in one line. */
export function describeContactChoice(method: ContactMethod, value: string, workEmail: string): string {
  switch (method) {
    case 'phone':
      return `By phone: ${value}`;
    case 'other_email':
      return `By email at ${value} (not the work email)`;
    case 'via_manager_hr':
      return 'Only through their manager or HR — do not contact them directly';
    default:
      return `By work email: ${workEmail}`;
  }
}
