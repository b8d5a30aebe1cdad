// The chat turn route: bad input is refused with the right status before any model is called,
// and a good turn streams an AI SDK UI message stream.
import { describe, expect, it } from 'vitest';
import { action } from '~/routes/api.chat';
import { action as conversationAction, loader as conversationLoader } from '~/routes/chat.$id';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';

useTestDatabase();

async function post(user: { id: string; tenantId: string }, body: unknown) {
  const request = new Request('http://localhost/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return action({ request, context: (await contextFor(user)) as never, params: {} });
}

async function setup() {
  const tenant = await makeTenant();
  const user = await makeMember(tenant.id, 'manager');
  return { tenant, user };
}

describe('POST /api/chat', () => {
  it('refuses an empty message with 400', async () => {
    const { user } = await setup();
    const res = await post(user, { text: '   \n ' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/write a message/);
    expect((await post(user, 'not json')).status).toBe(400);
  });

  it('refuses a message over 4,000 characters with 413 and a message', async () => {
    const { user } = await setup();
    const res = await post(user, { text: 'a'.repeat(4001) });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/too long.*4,000/);
  });

  it("answers 404 for an unknown or someone else's conversation", async () => {
    const { tenant, user } = await setup();
    const other = await makeMember(tenant.id, 'manager');
    const first = await post(user, { text: 'How do I run a good huddle?' });
    expect(first.status).toBe(200);
    const body = await first.text();
    const conversationId = /"conversationId":"([0-9a-f-]{36})"/.exec(body)![1];
    expect((await post(other, { text: 'hello', conversationId })).status).toBe(404);
    expect((await post(user, { text: 'hello', conversationId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await post(user, { text: 'hello', conversationId: 'not-a-uuid' })).status).toBe(404);
    // The page for it is a 404 too, for the other person.
    const page = await conversationLoader({ request: new Request(`http://localhost/chat/${conversationId}`), context: (await contextFor(other)) as never, params: { id: conversationId } }).catch((r: Response) => r);
    expect((page as Response).status).toBe(404);
  });

  it('streams a turn as server-sent events in the UI message stream format', async () => {
    const { user } = await setup();
    const res = await post(user, { text: 'Two of my team keep swapping shifts without telling me.' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('cache-control')).toMatch(/no-transform/);
    const body = await res.text();
    const events = body.split('\n\n').filter((e) => e.startsWith('data: ') && !e.includes('[DONE]')).map((e) => JSON.parse(e.slice(6)));
    expect(events[0]).toMatchObject({ type: 'start', messageId: expect.any(String) });
    expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(5);
    expect(events.find((e) => e.type === 'message-metadata')).toMatchObject({ messageMetadata: { modelLabel: 'offline coach', status: 'complete' } });
    expect(events.at(-1)).toMatchObject({ type: 'finish' });
  });

  it('is for managers only', async () => {
    const { tenant } = await setup();
    const admin = await makeMember(tenant.id, 'tenant_admin');
    const res = await post(admin, { text: 'hello' }).catch((r: Response) => r);
    expect((res as Response).status).toBe(403);
  });

  it('rates an answer and takes a consented hand-off request with only what the person shares', async () => {
    const { tenant, user } = await setup();
    const body = await (await post(user, { text: 'How should I recognise good work?' })).text();
    const conversationId = /"conversationId":"([0-9a-f-]{36})"/.exec(body)![1];
    const messageId = /"type":"start","messageId":"([0-9a-f-]{36})"/.exec(body)![1];
    const form = (fields: Record<string, string>) =>
      new Request(`http://localhost/chat/${conversationId}`, { method: 'POST', body: new URLSearchParams(fields) });
    const ctx = async () => (await contextFor(user)) as never;
    const rated = await conversationAction({ request: form({ intent: 'rate', messageId, rating: '1', comment: 'Helpful' }), context: await ctx(), params: { id: conversationId } });
    expect(rated).toMatchObject({ ok: true });
    const handoff = await conversationAction({
      request: form({ intent: 'handoff', sharedText: 'I would like to talk to someone this week.', contactPreference: 'email me' }),
      context: await ctx(),
      params: { id: conversationId },
    });
    expect(handoff).toMatchObject({ ok: true, handoff: true });
    const { listHandoffCases } = await import('~/.server/safety/events');
    const cases = await listHandoffCases({ tenantId: tenant.id });
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ sharedText: 'I would like to talk to someone this week.', contactPreference: 'email me' });
  });
});
