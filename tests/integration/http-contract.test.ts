// What the HTTP layer answers where Remix's defaults would leak internals or redirect an API
// call (issue 13, item 12): a POST to a page without a form is a plain 405 page; a signed-out
// POST /api/chat is a 401 with a JSON message the chat shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { runTurn } from '~/.server/coach/run-turn';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import { action as chatAction, SIGNED_OUT_MESSAGE } from '~/routes/api.chat';
import { loader as exportLoader } from '~/routes/chat.export';
import { buildAppIfStale, startBuiltApp, type BuiltApp } from '../helpers/built-app';
import { testDatabaseKind, useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

describe('POST /api/chat signed out (the route itself)', () => {
  it('answers 401 with a JSON message, not a redirect to the sign-in page', async () => {
    const request = new Request('http://x/api/chat', { method: 'POST', body: JSON.stringify({ text: 'hello' }), headers: { 'Content-Type': 'application/json' } });
    const response = (await chatAction({ request, context: (await contextFor(null)) as never, params: {} })) as Response;
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ error: SIGNED_OUT_MESSAGE, signIn: '/login' });
  });
});

describe('GET /chat/export', () => {
  it('numbers sources in Markdown as the chat does, and refuses an unknown format with 400', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id);
    const files = ['shift-swaps.md', 'attendance-and-lateness.md'].map((name) => {
      const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
      return { fileName: name, bytes, sizeBytes: bytes.length };
    });
    await ingestFilesNow({ tenantId: tenant.id, userId: null, files });
    await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: 'Two of my associates keep swapping shifts without telling me. What does our policy say?' }, { env: {} });
    const reader = handle.stream.getReader();
    while (!(await reader.read()).done);
    const result = await handle.result;
    expect(result.citations.length).toBeGreaterThan(0);

    const ctx = (await contextFor(user)) as never;
    const get = (q: string) => exportLoader({ request: new Request(`http://x/chat/export${q}`), context: ctx, params: {} });
    const md = await (await get('?format=markdown')).text();
    expect(md).not.toMatch(/\[P\d+\]/);
    expect(md).toMatch(/\[1\]/);
    const sources = md.split('\n').filter((l) => l.startsWith('> '));
    expect(sources.length).toBe(result.citations.length);
    sources.forEach((line, i) => expect(line).toMatch(new RegExp(`^> \\[${i + 1}\\] Source: `)));

    expect((await get('')).headers.get('content-type')).toMatch(/application\/json/);
    const xml = await get('?format=xml');
    expect(xml.status).toBe(400);
    expect(await xml.text()).toMatch(/format=json or \?format=markdown/);
  });
});

// The embedded project only: one build and one app, whichever database the other project uses.
describe.skipIf(testDatabaseKind() !== 'embedded')('the served app', () => {
  let app: BuiltApp;
  beforeAll(async () => {
    await buildAppIfStale();
    app = await startBuiltApp();
  }, 300_000);
  afterAll(async () => {
    await app?.stop();
  });

  const post = (path: string, body: string, contentType: string) =>
    fetch(`${app.url}${path}`, { method: 'POST', body, redirect: 'manual', headers: { 'Content-Type': contentType, Origin: app.url } });

  it.each(['/', '/admin/audit', '/hr/pack/status'])('a form POST to %s, which has no action, is a plain 405 page', async (path) => {
    const response = await post(path, 'a=1', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(405);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('Error 405');
    expect(html).toContain('This page cannot do that');
    expect(html).not.toMatch(/did not provide an .?action|routes\//);
  });

  it('a signed-out POST /api/chat is a 401 with a JSON message', async () => {
    const response = await post('/api/chat', JSON.stringify({ text: 'How do I run a huddle?' }), 'application/json');
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toEqual({ error: SIGNED_OUT_MESSAGE, signIn: '/login' });
  });

  it('/favicon.ico is served', async () => {
    const response = await fetch(`${app.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/image\//);
  });
});
