// The tenant's culture as the coach sees it for one turn: tone, norms and support resources
// from the published pack, or (before any pack is published) from tenants/<slug>/tenant.json,
// or neutral defaults. Also the starter prompts for the chat's empty state.
import fs from 'node:fs';
import path from 'node:path';
import { getPublishedCulture } from '~/.server/culture/retrieve';
import { projectPath } from '~/.server/env';
import type { Tenant } from '~/.server/tenants/tenants';
import { DEFAULT_TONE, defaultResources, resourcesForCountry, tenantFileSchema, type Norm, type SupportResources, type Tone, type TenantFile } from '~/lib/culture';
import type { ResourcesView } from '~/lib/chat';
import { DEFAULT_LANGUAGE, fillText, isSupportedLanguage, supportText } from '~/lib/i18n';
import { emergencyNumber } from '~/.server/safety/escalation';

export interface CoachCulture {
  tone: Tone;
  norms: Norm[];
  resources: SupportResources;
  packVersion: { id: string; number: number } | null;
  source: 'published' | 'tenant-file' | 'default';
}

export type PublishedCultureLoader = (input: { tenantId: string }) => Promise<{
  versionId: string;
  version: number;
  tone: Tone;
  norms: Norm[];
  resources: SupportResources;
} | null>;



export const DEFAULT_STARTER_PROMPTS = [
  'One of my team keeps turning up late. How do I bring it up?',
  'I have to tell someone they did not get the promotion. How do I start?',
  "I'm exhausted and I've been snapping at people. What can I do?",
];

export async function loadCoachCulture(tenant: Pick<Tenant, 'id' | 'slug' | 'country'>, loadPublished: PublishedCultureLoader = getPublishedCulture): Promise<CoachCulture> {
  const published = await loadPublished({ tenantId: tenant.id }).catch(() => null);
  if (published) {
    return {
      tone: published.tone,
      norms: published.norms,
      resources: published.resources,
      packVersion: { id: published.versionId, number: published.version },
      source: 'published',
    };
  }
  const file = readTenantFile(tenant.slug);
  if (file) return { tone: file.tone, norms: file.norms, resources: file.resources, packVersion: null, source: 'tenant-file' };
  return { tone: DEFAULT_TONE, norms: [], resources: defaultResources(tenant.country), packVersion: null, source: 'default' };
}

export function starterPromptsFor(tenant: Pick<Tenant, 'slug'>): string[] {
  return readTenantFile(tenant.slug)?.starterPrompts ?? DEFAULT_STARTER_PROMPTS;
}

const tenantFiles = new Map<string, TenantFile | null>();

/** tenants/<slug>/tenant.json, validated and cached; null when the tenant is not a shipped one. */
function readTenantFile(slug: string): TenantFile | null {
  if (tenantFiles.has(slug)) return tenantFiles.get(slug) ?? null;
  let file: TenantFile | null = null;
  try {
    if (/^[a-z0-9-]{2,40}$/.test(slug)) {
      const raw = fs.readFileSync(path.join(projectPath('tenants'), slug, 'tenant.json'), 'utf8');
      const parsed = tenantFileSchema.safeParse(JSON.parse(raw));
      file = parsed.success ? parsed.data : null;
    }
  } catch {
    file = null;
  }
  tenantFiles.set(slug, file);
  return file;
}

/**
 * The crisis resources panel: emergency number, crisis line, assistance line, HR — its fixed
 * wording in the person's language (tenant-entered names stay as entered).
 */
export function resourcesViewFor(resources: SupportResources, country?: string | null, language?: string | null): ResourcesView {
  const lang = isSupportedLanguage(language) ? language : DEFAULT_LANGUAGE;
  const text = supportText(lang);
  const local = resourcesForCountry(resources, country);
  // The same words as the escalation reply: the local number(s), or "your local emergency number".
  const emergency = emergencyNumber(local, lang);
  const lines = [{ label: text.emergencyLabel, detail: fillText(text.callNumber, { number: emergency }) }];
  const crisisWays = [local.crisisPhone && fillText(text.callOrText, { number: local.crisisPhone }), local.crisisUrl].filter(Boolean).join(' · ');
  lines.push({ label: local.crisisLine, detail: crisisWays || text.availableAnyTime });
  for (const contact of [resources.eap, resources.hrContact]) {
    if (!contact) continue;
    const ways = [contact.phone, contact.email, contact.url].filter(Boolean).join(' · ');
    lines.push({ label: contact.name, detail: [ways, contact.hours].filter(Boolean).join(' — ') || text.askForDetails });
  }
  return { language: lang, lines, supportContactName: resources.supportContact.name };
}
