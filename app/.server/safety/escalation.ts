// The crisis reply: composed from prompts/escalation.md (English) or prompts/escalation.<lang>.md
// (the person's language, app/lib/i18n.ts) and the tenant's support resources, never from a model call. It acknowledges, expresses care, asks whether the person is safe right now,
// lists the lines to call (tenant assistance line, local emergency number, crisis line for their
// country) and offers a human; the hand-off itself needs the person's consent (a UI button).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FALLBACK_COUNTRY_RESOURCES, resourcesForCountry, type Contact, type CountryResources, type SupportResources } from '~/lib/culture';
import { DEFAULT_LANGUAGE, fillText, isSupportedLanguage, supportText, type LanguageCode } from '~/lib/i18n';
import { REPLY_AFTER_CRISIS_RULE, type SafetyVerdict } from '~/lib/safety';
import { emergencyNumbers } from '~/lib/contact-links';

export const ESCALATION_TEMPLATE_PATH = 'prompts/escalation.md';

/** The template's prompt name, as lineage records it: "escalation" (English) or "escalation.<lang>". */
export function escalationTemplateName(language: LanguageCode | null | undefined): string {
  return !language || language === DEFAULT_LANGUAGE ? 'escalation' : `escalation.${language}`;
}

export interface LocalisedTemplate {
  /** Prompt name for lineage ("escalation.es"). */
  name: string;
  language: LanguageCode;
  text: string;
}

/**
 * The template in the person's language; English if that file is missing or unreadable (a crisis
 * reply must never fail for want of a translation).
 */
export async function loadLocalisedEscalationTemplate(language: LanguageCode | null | undefined): Promise<LocalisedTemplate> {
  const wanted = isSupportedLanguage(language) ? language : DEFAULT_LANGUAGE;
  if (wanted !== DEFAULT_LANGUAGE) {
    const name = escalationTemplateName(wanted);
    const text = await loadEscalationTemplate(`prompts/${name}.md`).catch(() => null);
    if (text) return { name, language: wanted, text };
  }
  return { name: 'escalation', language: DEFAULT_LANGUAGE, text: await loadEscalationTemplate() };
}

export type EscalationSection = 'self' | 'still_here' | 'third_party' | 'medical' | 'violence';

export interface EscalationInput {
  verdict: Pick<SafetyVerdict, 'categories' | 'thirdParty'> & Partial<Pick<SafetyVerdict, 'ruleIds'>>;
  resources: SupportResources;
  /** ISO 3166-1 alpha-2 of the person, when known; the tenant's default country otherwise. */
  country?: string | null;
  /** Text of prompts/escalation.md or a translation (see loadLocalisedEscalationTemplate). */
  template: string;
  /** The template's language, for the resource lines around tenant-entered names; English if omitted. */
  language?: LanguageCode;
}

/** Reads the versioned template relative to the working directory (the app root). */
export async function loadEscalationTemplate(path = ESCALATION_TEMPLATE_PATH): Promise<string> {
  return readFile(resolve(process.cwd(), path), 'utf8');
}

/** The number in the template's `<!-- version: N -->` header, recorded with the reply's lineage. */
export function escalationTemplateVersion(template: string): string | null {
  return /<!--\s*version:\s*([\w.-]+)\s*-->/.exec(template)?.[1] ?? null;
}

export function composeEscalationReply({ verdict, resources, country, template, language }: EscalationInput): string {
  const section = escalationSectionFor(verdict);
  const local = resourcesForCountry(resources, country);
  const body = templateSection(template, section) ?? templateSection(template, 'self') ?? DEFAULT_SELF_SECTION;
  const values: Record<string, string> = {
    resources: resourceLines(local, resources.eap, language),
    emergency: emergencyNumber(local, language),
    crisis_line: plain(local.crisisLine),
    support_contact: plain(resources.supportContact.name) || 'someone from our support team',
  };
  return body.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '').replace(EXTRA_BLANK_LINES, '\n\n').trim();
}

/**
 * Which part of the template fits: an emergency first, then violence, then someone else at risk.
 * A short reply to the coach's "Are you safe right now?" just after the person's own crisis ("yes its
 * now", "I'm fine now") gets still_here: the coach stays, repeats the lines to call and the offer of a
 * person, without greeting the disclosure again as if it were new (ADR 075).
 */
export function escalationSectionFor(verdict: Pick<SafetyVerdict, 'categories' | 'thirdParty'> & Partial<Pick<SafetyVerdict, 'ruleIds'>>): EscalationSection {
  if (verdict.categories.includes('medical_emergency') && !verdict.categories.includes('self_harm')) return 'medical';
  if (verdict.categories.includes('self_harm')) return verdict.thirdParty ? 'third_party' : verdict.ruleIds?.includes(REPLY_AFTER_CRISIS_RULE) ? 'still_here' : 'self';
  if (verdict.categories.includes('abuse_or_harassment') || verdict.categories.includes('harm_to_others')) return 'violence';
  return verdict.thirdParty ? 'third_party' : 'self';
}

/** The resources as a markdown list: emergency number, crisis line, tenant assistance line. */
export function resourceLines(local: CountryResources, eap: Contact | null, language: LanguageCode = DEFAULT_LANGUAGE): string {
  const text = supportText(language);
  const lines = [`- ${fillText(text.inAnEmergency, { number: emergencyNumber(local, language) })}`];
  const crisisWays = [local.crisisPhone && fillText(text.callOrText, { number: plain(local.crisisPhone) }), local.crisisUrl && plain(local.crisisUrl)]
    .filter(Boolean)
    .join(' · ');
  lines.push(`- ${plain(local.crisisLine)}${crisisWays ? `: ${crisisWays}` : ''}`);
  if (eap) lines.push(`- ${plain(eap.name)} (${text.eapSuffix})${contactDetails(eap)}`);
  return lines.join('\n');
}

/** The local number, or "your local emergency number" in the person's language when none is on file. */
export function emergencyNumber(local: CountryResources, language: LanguageCode = DEFAULT_LANGUAGE): string {
  const text = supportText(language);
  if (local.emergency === FALLBACK_COUNTRY_RESOURCES.emergency) return text.localEmergencyNumber;
  return emergencyNumbers(plain(local.emergency)).join(` ${text.or} `);
}

function contactDetails(contact: Contact): string {
  const ways = [contact.phone, contact.email, contact.url].filter((v): v is string => Boolean(v)).map(plain);
  const hours = contact.hours ? ` (${plain(contact.hours)})` : '';
  return ways.length ? `: ${ways.join(' · ')}${hours}` : hours;
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
const EXTRA_BLANK_LINES = /\n{3,}/g;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;

function templateSection(template: string, section: EscalationSection): string | null {
  const text = template.replace(HTML_COMMENT, '');
  const heading = new RegExp(`^##[ \\t]+${section}[ \\t]*$`, 'm').exec(text);
  if (!heading) return null;
  const rest = text.slice(heading.index + heading[0].length);
  const next = /^##[ \t]+/m.exec(rest);
  const body = (next ? rest.slice(0, next.index) : rest).trim();
  return body || null;
}

/** Tenant-entered values go into markdown: one line, no markup that could change the reply's shape. */
function plain(value: string | undefined): string {
  return (value ?? '').replace(/[\r\n]+/g, ' ').replace(/[<>`*_[\]]/g, '').trim();
}

// Used only if the template file lost its sections; the reply must never be empty.
const DEFAULT_SELF_SECTION = `I'm really glad you told me. You matter, and you don't have to face this alone.

**Are you safe right now?** If you are in danger, please call {{emergency}} now.

{{resources}}

If you'd like, I can ask {{support_contact}} to get in touch with you — only if you choose to.`;
