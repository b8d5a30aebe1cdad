// Upload progress comes from the ingestion itself (received → parsing → splitting → embedding n/m
// → indexing → ready), and a failed upload is never a document of the draft: the page lists it
// for the upload panel, with its reason, until it is dismissed.
import { describe, expect, it } from 'vitest';
import { acceptUploads, ingestFilesNow, whenIngestionIdle, type IncomingFile } from '~/.server/culture/ingest';
import { getDocuments } from '~/.server/culture/store';
import * as documentsPage from '~/routes/hr.pack._index';
import * as statusRoute from '~/routes/hr.pack.status';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

const file = (fileName: string, content: string): IncomingFile => {
  const bytes = new TextEncoder().encode(content);
  return { fileName, bytes, sizeBytes: bytes.byteLength };
};

/** A handbook long enough for several embedding batches (64 passages each). */
function longHandbook(sections: number): string {
  const sentence = (i: number, j: number) => `Rule ${i}.${j}: associates in store ${i} record shift ${j} changes in the rota book before the manager signs the week off.`;
  return Array.from({ length: sections }, (_, i) => `## Section ${i}\n\n${Array.from({ length: 14 }, (_, j) => sentence(i, j)).join(' ')}`).join('\n\n');
}

describe('culture upload: stages and failures', () => {
  it('reports each stage as the ingestion reaches it, with embedding counted passage by passage', async () => {
    const tenant = await makeTenant();
    const admin = await makeMember(tenant.id, 'hr_admin');
    const context = await contextFor(admin);
    const [outcome] = await acceptUploads({ tenantId: tenant.id, userId: admin.id, files: [file('handbook.md', `# Handbook\n\n${longHandbook(180)}`)] });
    expect(outcome.status).toBe('queued');
    const seen: Array<{ status: string; progress: number; chunksEmbedded: number; chunkCount: number }> = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const response = (await statusRoute.loader({ request: new Request(`http://localhost/hr/pack/status?ids=${outcome.documentId}`), context, params: {} } as never)) as Response;
        const { documents } = (await response.json()) as { documents: typeof seen };
        seen.push(documents[0]);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await whenIngestionIdle();
    polling = false;
    await poller;
    const final = (await getDocuments({ tenantId: tenant.id, ids: [outcome.documentId!] }))[0];
    expect(final).toMatchObject({ status: 'ready', progress: 100 });
    expect(final.chunkCount).toBeGreaterThan(128);
    expect(final.chunksEmbedded).toBe(final.chunkCount);

    const order = ['uploaded', 'parsing', 'splitting', 'embedding', 'indexing', 'ready'];
    const ranks = seen.map((s) => order.indexOf(s.status));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b)); // never goes back a stage
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Mid-embedding the poll says how many passages of how many are done.
    const embedding = seen.filter((s) => s.status === 'embedding');
    expect(embedding.some((s) => s.chunksEmbedded > 0 && s.chunksEmbedded < s.chunkCount && s.chunkCount === final.chunkCount)).toBe(true);
    const counts = embedding.map((s) => s.chunksEmbedded);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  }, 60_000);

  it('keeps failed uploads out of the draft: the page lists them for the upload panel until dismissed', async () => {
    const tenant = await makeTenant();
    const admin = await makeMember(tenant.id, 'hr_admin');
    const context = await contextFor(admin);
    const outcomes = await ingestFilesNow({
      tenantId: tenant.id,
      userId: admin.id,
      files: [file('empty.md', ''), file('fake.pdf', 'this is not really a pdf'), file('breaks.md', '# Breaks\n\nA paid 15 minute break for each four hours worked.')],
    });
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'queued', 'queued']);

    const load = async () =>
      (await documentsPage.loader({ request: new Request('http://localhost/hr/pack'), context, params: {} } as never)) as Awaited<
        ReturnType<typeof import('~/.server/culture/admin').loadDocumentsPage>
      >;
    const page = await load();
    expect(page.documents.map((d) => [d.name, d.status])).toEqual([['breaks.md', 'ready']]);
    expect(page.failedUploads.map((d) => d.name).sort()).toEqual(['empty.md', 'fake.pdf']);
    const byName = Object.fromEntries(page.failedUploads.map((d) => [d.name, d]));
    expect(byName['empty.md'].error).toMatch(/empty/i);
    expect(byName['fake.pdf'].error).toBeTruthy();

    const post = (body: Record<string, string>) =>
      documentsPage.action({ request: new Request('http://localhost/hr/pack?index', { method: 'POST', body: new URLSearchParams(body) }), context, params: {} } as never);
    // Dismiss removes a failed upload; it cannot remove a ready document.
    const ready = page.documents[0];
    const refused = (await post({ intent: 'dismiss', id: ready.id })) as unknown as { init: { status: number } | null };
    expect(refused.init?.status).toBe(404);
    await post({ intent: 'dismiss', id: byName['empty.md'].id });
    const after = await load();
    expect(after.failedUploads.map((d) => d.name)).toEqual(['fake.pdf']);
    expect(after.documents.map((d) => d.name)).toEqual(['breaks.md']);
  });
});
