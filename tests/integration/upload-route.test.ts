// The upload endpoint is a resource route the page calls with XMLHttpRequest (issue 13, item 13: each upload
// logged Remix's "REMIX FUTURE CHANGE" warning). With single fetch a resource route must answer with a real
// Response; a `data()` object was converted with that warning, and React Router v7 will not convert it at all.
import { describe, expect, it } from 'vitest';
import { whenIngestionIdle } from '~/.server/culture/ingest';
import { action as uploadAction } from '~/routes/hr.pack.upload';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

function uploadRequest(files: Array<{ name: string; text: string }>): Request {
  const form = new FormData();
  for (const f of files) form.append('files', new File([f.text], f.name, { type: 'text/markdown' }));
  return new Request('http://x/hr/pack/upload', { method: 'POST', body: form });
}

describe('POST /hr/pack/upload', () => {
  it('answers with a JSON Response (accepted and refused), so Remix logs no future-change warning', async () => {
    const tenant = await makeTenant();
    const hr = await makeMember(tenant.id, 'hr_admin');
    const context = (await contextFor(hr)) as never;
    const accepted = await uploadAction({ request: uploadRequest([{ name: 'breaks.md', text: '# Breaks\n\nEveryone takes a 30 minute break on an 8 hour shift.\n' }]), context, params: {} });
    expect(accepted).toBeInstanceOf(Response);
    expect((accepted as Response).headers.get('content-type')).toMatch(/application\/json/);
    const body = (await (accepted as Response).json()) as { outcomes: Array<{ fileName: string }> };
    expect(body.outcomes.map((o) => o.fileName)).toEqual(['breaks.md']);
    await whenIngestionIdle(); // the accepted file is processed in the background

    const refused = await uploadAction({ request: uploadRequest([]), context, params: {} });
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(400);
    expect(await (refused as Response).json()).toMatchObject({ outcomes: [], error: expect.stringMatching(/Choose at least one file/) });
  });
});
