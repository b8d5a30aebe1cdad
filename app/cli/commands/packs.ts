// Operator commands for culture packs: import a folder into a tenant's draft (optionally publish),
// and ask the retrieval path a question the way the chat does.
import { importPackDirectory } from '~/.server/culture/import-dir';
import { retrieveCulturePassages } from '~/.server/culture/retrieve';
import { PackVersionError, publishDraft } from '~/.server/culture/versions';
import { findTenantBySlug } from '~/.server/tenants/tenants';
import { printJson, requireString, UsageError, type Command } from '../command';

async function tenantIdOf(values: Record<string, unknown>): Promise<string> {
  const slug = requireString(values, 'tenant');
  const tenant = await findTenantBySlug(slug);
  if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: rapport tenants list)`);
  return tenant.id;
}

export const commands: Command[] = [
  {
    name: 'packs import',
    summary: "Import a folder of documents into a tenant's culture-pack draft (and publish it)",
    usage: 'packs import <dir> --tenant <slug> [--publish]',
    options: { tenant: { type: 'string' }, publish: { type: 'boolean' } },
    async run({ values, positionals, io }) {
      const dir = positionals[0];
      if (!dir) throw new UsageError('give the folder to import');
      const tenantId = await tenantIdOf(values);
      const outcomes = await importPackDirectory({ tenantId, userId: null, dir });
      const { getDocuments } = await import('~/.server/culture/store');
      const docs = new Map((await getDocuments({ tenantId, ids: outcomes.flatMap((o) => (o.documentId ? [o.documentId] : [])) })).map((d) => [d.id, d]));
      let failed = 0;
      for (const outcome of outcomes) {
        const doc = outcome.documentId ? docs.get(outcome.documentId) : undefined;
        if (outcome.status === 'duplicate') io.stdout.write(`skipped   ${outcome.fileName}: ${outcome.message}\n`);
        else if (doc?.status === 'ready') io.stdout.write(`imported  ${outcome.fileName} (${doc.chunkCount} passages)\n`);
        else {
          failed += 1;
          io.stdout.write(`failed    ${outcome.fileName}: ${doc?.error ?? outcome.message ?? 'unknown error'}\n`);
        }
      }
      if (values.publish) {
        try {
          const version = await publishDraft({ tenantId, actor: { userId: null, label: 'operator' } });
          io.stdout.write(`published version ${version.number}\n`);
        } catch (err) {
          if (err instanceof PackVersionError) throw new UsageError(err.message);
          throw err;
        }
      }
      return failed > 0 ? 1 : 0;
    },
  },
  {
    name: 'retrieve',
    summary: "Show the culture-pack passages the coach would retrieve for a question (published version)",
    usage: 'retrieve --tenant <slug> [--k N] [--draft] --json "<question>"',
    options: { tenant: { type: 'string' }, k: { type: 'string' }, json: { type: 'boolean' }, draft: { type: 'boolean' } },
    async run({ values, positionals, io }) {
      const question = positionals.join(' ').trim();
      if (!question) throw new UsageError('give the question to ask');
      const k = values.k === undefined ? undefined : Number(values.k);
      if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 50)) throw new UsageError('--k must be a whole number from 1 to 50');
      const tenantId = await tenantIdOf(values);
      const result = await retrieveCulturePassages({ tenantId, query: question, k, target: values.draft ? 'draft' : 'published' });
      const passages = result.passages.map((p) => ({ document: p.document, heading: p.heading, text: p.text, score: p.score, chunkId: p.chunkId, version: p.version }));
      if (values.json) return printJson(io, { passages });
      if (!result.packVersion) io.stdout.write('This tenant has no published culture pack yet.\n');
      for (const [i, p] of passages.entries()) {
        io.stdout.write(`${i + 1}. ${p.document} › ${p.heading}  (score ${p.score}, v${p.version})\n   ${p.text.replace(/\s+/g, ' ').slice(0, 200)}\n`);
      }
    },
  },
];
