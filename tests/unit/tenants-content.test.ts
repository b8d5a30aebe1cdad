// Guards the shipped demo content: seeding, the retrieval-quality benchmark and the coach
// evaluation all read these files, so a broken tenant.json or a dangling label fails here first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tenantFileSchema } from '~/lib/culture';

const tenantsDir = fileURLToPath(new URL('../../tenants/', import.meta.url));
const questionsFile = fileURLToPath(new URL('../fixtures/retrieval-questions.json', import.meta.url));
const PACK_EXTENSIONS = new Set(['.md', '.txt', '.html']);

const scenarioSchema = z
  .object({
    id: z.string().min(1),
    message: z.string().min(10),
    expect: z
      .object({
        checkInFirst: z.boolean(),
        document: z.string().min(1).nullable(),
        mustNotContain: z.array(z.string().min(1)),
      })
      .strict(),
  })
  .strict();

const retrievalQuestionSchema = z
  .object({
    id: z.string().regex(/^q\d{2,}$/),
    tenant: z.string().min(1),
    question: z.string().min(10),
    document: z.string().min(1),
  })
  .strict();

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

const tenantSlugs = readdirSync(tenantsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(tenantsDir, entry.name, 'tenant.json')))
  .map((entry) => entry.name)
  .sort();

function packFiles(slug: string): string[] {
  return readdirSync(join(tenantsDir, slug, 'pack'))
    .filter((name) => PACK_EXTENSIONS.has(extname(name)))
    .sort();
}

function readPackFile(slug: string, name: string): string {
  return readFileSync(join(tenantsDir, slug, 'pack', name), 'utf8');
}

/** Visible text of a pack document: HTML tags and comments removed, whitespace collapsed. */
function plainText(name: string, body: string): string {
  const text = extname(name) === '.html' ? body.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]+>/g, ' ') : body;
  return text.replace(/\s+/g, ' ').trim();
}

const wordCount = (text: string) => text.split(' ').filter(Boolean).length;

/** Paragraphs long enough that sharing one between tenants means copy-paste, not coincidence. */
function longParagraphs(name: string, body: string): string[] {
  return body
    .split(/\n\s*\n|<\/?(?:p|li|h[1-6])\b[^>]*>/i)
    .map((block) => plainText(name, block).toLowerCase())
    .filter((block) => block.length >= 80);
}

describe('demo tenants', () => {
  it('ships at least two tenants, including the retail chain and the logistics firm', () => {
    expect(tenantSlugs).toEqual(expect.arrayContaining(['brightmart', 'northwind-logistics']));
  });

  describe.each(tenantSlugs)('%s', (slug) => {
    const raw = readJson(join(tenantsDir, slug, 'tenant.json'));

    it('tenant.json matches tenantFileSchema with no unknown or defaulted keys', () => {
      const parsed = tenantFileSchema.parse(raw);
      // zod strips unknown keys and fills defaults, so equality means the file states everything itself.
      expect(parsed).toEqual(raw);
      expect(parsed.slug).toBe(slug);
    });

    it('has norms, starter prompts and support resources for its own country', () => {
      const tenant = tenantFileSchema.parse(raw);
      expect(tenant.norms.length).toBeGreaterThanOrEqual(8);
      expect(tenant.norms.length).toBeLessThanOrEqual(15);
      expect(tenant.norms.some((norm) => norm.kind === 'do')).toBe(true);
      expect(tenant.norms.some((norm) => norm.kind === 'dont')).toBe(true);
      expect(tenant.starterPrompts.length).toBeGreaterThanOrEqual(4);
      expect(tenant.starterPrompts.length).toBeLessThanOrEqual(6);
      expect(tenant.resources.defaultCountry).toBe(tenant.country);
      expect(tenant.resources.byCountry[tenant.country]).toBeDefined();
      expect(tenant.resources.eap).not.toBeNull();
    });

    it('has a pack of at least 8 titled documents of 300 to 900 words, including .txt and .html', () => {
      const files = packFiles(slug);
      expect(files.length).toBeGreaterThanOrEqual(8);
      expect(files.some((name) => name.endsWith('.txt'))).toBe(true);
      expect(files.some((name) => name.endsWith('.html'))).toBe(true);
      for (const name of files) {
        const body = readPackFile(slug, name);
        if (name.endsWith('.md')) expect(body, name).toMatch(/^# \S.*\n[\s\S]*^## \S/m);
        if (name.endsWith('.html')) expect(body, name).toMatch(/<h1>[^<]+<\/h1>[\s\S]*<h2>/);
        if (name.endsWith('.txt')) expect(body.split('\n')[0].trim().length, name).toBeGreaterThan(3);
        const words = wordCount(plainText(name, body));
        expect(words, name).toBeGreaterThanOrEqual(300);
        expect(words, name).toBeLessThanOrEqual(900);
      }
    });

    it('has 8 evaluation scenarios whose expected documents exist in its pack', () => {
      const scenarios = z.array(scenarioSchema).parse(readJson(join(tenantsDir, slug, 'scenarios.json')));
      const files = new Set(packFiles(slug));
      expect(scenarios).toHaveLength(8);
      expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
      expect(scenarios.some((s) => s.expect.checkInFirst)).toBe(true);
      expect(scenarios.some((s) => !s.expect.checkInFirst)).toBe(true);
      for (const scenario of scenarios) {
        if (scenario.expect.document !== null) expect(files, scenario.id).toContain(scenario.expect.document);
      }
    });
  });

  it('packs are distinct: no shared document bodies or long paragraphs between tenants', () => {
    const ownerOfParagraph = new Map<string, string>();
    const ownerOfBody = new Map<string, string>();
    for (const slug of tenantSlugs) {
      for (const name of packFiles(slug)) {
        const body = readPackFile(slug, name);
        const key = plainText(name, body).toLowerCase();
        expect(ownerOfBody.get(key) ?? slug, `${slug}/${name} duplicates a document body`).toBe(slug);
        ownerOfBody.set(key, slug);
        for (const paragraph of longParagraphs(name, body)) {
          const owner = ownerOfParagraph.get(paragraph);
          expect(owner ?? slug, `${slug}/${name} shares a paragraph with ${owner}: ${paragraph}`).toBe(slug);
          ownerOfParagraph.set(paragraph, slug);
        }
      }
    }
  });

  it('tenants differ in tone and support resources', () => {
    const tenants = tenantSlugs.map((slug) => tenantFileSchema.parse(readJson(join(tenantsDir, slug, 'tenant.json'))));
    const tones = new Set(tenants.map((t) => `${t.tone.formality}/${t.tone.warmth}/${t.tone.directness}`));
    expect(tones.size).toBe(tenants.length);
    expect(new Set(tenants.map((t) => t.resources.hrContact.name)).size).toBe(tenants.length);
    expect(new Set(tenants.map((t) => t.emailDomain)).size).toBe(tenants.length);
  });

  it('plants exactly one prompt-injection passage, in brightmart/pack/recognition.md, for the ingestion lint demo', () => {
    const hits = tenantSlugs.flatMap((slug) =>
      packFiles(slug)
        .filter((name) => /ignore (all )?previous instructions/i.test(readPackFile(slug, name)))
        .map((name) => `${slug}/${name}`),
    );
    expect(hits).toEqual(['brightmart/recognition.md']);
  });
});

describe('retrieval questions fixture', () => {
  const questions = z.array(retrievalQuestionSchema).parse(readJson(questionsFile));

  it('has at least 48 questions with unique ids and unique wording', () => {
    expect(questions.length).toBeGreaterThanOrEqual(48);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    expect(new Set(questions.map((q) => q.question.toLowerCase())).size).toBe(questions.length);
  });

  it("labels every question with a document that exists in that tenant's pack", () => {
    for (const question of questions) {
      expect(tenantSlugs, question.id).toContain(question.tenant);
      expect(packFiles(question.tenant), question.id).toContain(question.document);
    }
  });

  it('covers every tenant and every pack document', () => {
    for (const slug of tenantSlugs) {
      const labelled = new Set(questions.filter((q) => q.tenant === slug).map((q) => q.document));
      expect([...labelled].sort(), slug).toEqual(packFiles(slug));
    }
  });
});
