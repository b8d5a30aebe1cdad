// Conversations stay private: no admin or HR page returns message text. Every admin.* and hr.*
// route in app/routes is discovered and its loader called as the role it is meant for, with
// conversations, messages and feedback holding a distinctive secret in the tenant.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '~/.server/db/tenant';
import { recordUsageEvent } from '~/.server/metering/usage';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

const SECRET = 'ZEBRA-PLUM-7731 my report cries in the stockroom';
const ROUTES_DIR = path.resolve('app/routes');

type RouteModule = { loader?: (args: unknown) => Promise<unknown> };
type RouteFile = { file: string; url: string; audience: 'tenant_admin' | 'hr_admin' };

/** app/routes/admin.usage[.]csv.tsx → /admin/usage.csv; $params become a conversation id. */
function routeUrl(file: string, paramValue: string): string {
  const segments = file
    .replace(/\.tsx?$/, '')
    .split(/\.(?![^[]*\])/)
    .filter((segment) => segment !== '_index' && !segment.startsWith('_'))
    .map((segment) => (segment.startsWith('$') ? (segment === '$' ? 'anything' : paramValue) : segment.replace(/\[(.)\]/g, '$1')));
  return `/${segments.join('/')}`;
}

function discoverRoutes(paramValue: string): RouteFile[] {
  return fs
    .readdirSync(ROUTES_DIR)
    .filter((file) => /^(admin|hr)[._]/.test(file) && /\.tsx?$/.test(file))
    .sort()
    .map((file) => ({ file, url: routeUrl(file, paramValue), audience: file.startsWith('admin') ? 'tenant_admin' : 'hr_admin' }));
}

/** Everything a loader can hand back — plain data, data(), a Response, a thrown Response — as text. */
async function responseText(outcome: unknown): Promise<{ status: number; text: string }> {
  if (outcome instanceof Response) return { status: outcome.status, text: await outcome.text() };
  const value = outcome as { type?: string; data?: unknown; init?: ResponseInit } | undefined;
  const isData = value && value.type === 'DataWithResponseInit';
  const body = isData ? value.data : outcome;
  return {
    status: (isData ? value.init?.status : undefined) ?? 200,
    text: JSON.stringify(body, (_key, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? '',
  };
}

async function callLoader(mod: RouteModule, url: string, user: { id: string; tenantId: string }, params: Record<string, string>) {
  try {
    return await responseText(await mod.loader!({ request: new Request(`http://localhost${url}`), context: await contextFor(user), params }));
  } catch (thrown) {
    return responseText(thrown);
  }
}

describe('admin and HR pages never return conversation text', () => {
  let tenantId: string;
  let conversationId: string;
  const people: Record<'manager' | 'hr_admin' | 'tenant_admin', { id: string; tenantId: string }> = {} as never;

  beforeAll(async () => {
    const tenant = await makeTenant();
    tenantId = tenant.id;
    for (const role of ['manager', 'hr_admin', 'tenant_admin'] as const) people[role] = await makeMember(tenant.id, role);
    const manager = people.manager;
    // Several conversations with the secret in every text field a conversation has.
    for (let i = 0; i < 3; i++) {
      const ids = await withTenant(tenantId, async (tx) => {
        const [conversation] = await tx<{ id: string }[]>`
          insert into conversation (tenant_id, user_id, title, safety_level) values (${tenantId}, ${manager.id}, ${`${SECRET} title ${i}`}, 'concern') returning id`;
        const ids: string[] = [];
        for (const role of ['user', 'assistant'] as const) {
          const [message] = await tx<{ id: string }[]>`
            insert into message (tenant_id, conversation_id, user_id, role, content, model_id)
            values (${tenantId}, ${conversation.id}, ${manager.id}, ${role}, ${`${SECRET} (${role} ${i})`}, 'offline-coach') returning id`;
          ids.push(message.id);
        }
        await tx`insert into message_lineage (tenant_id, message_id, conversation_id, model_id, provider)
          values (${tenantId}, ${ids[1]}, ${conversation.id}, 'offline-coach', 'offline')`;
        await tx`insert into message_feedback (tenant_id, message_id, user_id, rating, comment)
          values (${tenantId}, ${ids[1]}, ${manager.id}, -1, ${`${SECRET} feedback`})`;
        return { conversationId: conversation.id, messageId: ids[1] };
      });
      conversationId = ids.conversationId;
      await recordUsageEvent({
        tenantId,
        userId: manager.id,
        conversationId: ids.conversationId,
        messageId: ids.messageId,
        purpose: 'chat',
        provider: 'offline',
        modelId: 'offline-coach',
        inputTokens: 120,
        outputTokens: 80,
        latencyMs: 40,
        ttftMs: 12,
        status: 'ok',
      });
    }
  });

  it('finds the admin and HR routes to check', () => {
    const files = discoverRoutes('x').map((r) => r.file);
    expect(files).toEqual(expect.arrayContaining(['admin._index.tsx', 'admin.usage.tsx', 'admin.usage[.]csv.tsx', 'admin.settings.tsx', 'admin.audit.tsx', 'admin.members.tsx', 'hr._index.tsx']));
    expect(routeUrl('admin.usage[.]csv.tsx', 'x')).toBe('/admin/usage.csv');
    expect(routeUrl('hr._index.tsx', 'x')).toBe('/hr');
  });

  it('the check would catch a leak: the secret is really stored', async () => {
    const leaky = { loader: async () => withTenant(tenantId, (tx) => tx`select content from message`) };
    const { text } = await callLoader(leaky, '/leak', people.tenant_admin, {});
    expect(text).toContain('ZEBRA-PLUM-7731');
  });

  it('no loader response, for its own audience, contains the secret', async () => {
    const routes = discoverRoutes(conversationId);
    let checked = 0;
    for (const route of routes) {
      const mod = (await import(pathToFileURL(path.join(ROUTES_DIR, route.file)).href)) as RouteModule;
      if (!mod.loader) continue;
      const params = Object.fromEntries(
        route.file
          .replace(/\.tsx?$/, '')
          .split('.')
          .filter((s) => s.startsWith('$') && s.length > 1)
          .map((s) => [s.slice(1), conversationId]),
      );
      const { status, text } = await callLoader(mod, route.url, people[route.audience], params);
      expect({ route: route.file, leaked: text.includes('ZEBRA-PLUM-7731') }).toEqual({ route: route.file, leaked: false });
      expect({ route: route.file, serverError: status >= 500 }).toEqual({ route: route.file, serverError: false });
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('the usage console shows the conversations as numbers only', async () => {
    const mod = (await import('~/routes/admin.usage')) as RouteModule;
    const { status, text } = await callLoader(mod, '/admin/usage', people.tenant_admin, {});
    expect(status).toBe(200);
    const data = JSON.parse(text) as { dashboard: { summary: { conversations: number; calls: number } } };
    expect(data.dashboard.summary).toMatchObject({ conversations: 3, calls: 3 });
  });

  it('a manager calling an admin loader gets 403', async () => {
    for (const route of discoverRoutes(conversationId).filter((r) => r.audience === 'tenant_admin')) {
      const mod = (await import(pathToFileURL(path.join(ROUTES_DIR, route.file)).href)) as RouteModule;
      if (!mod.loader) continue;
      const { status, text } = await callLoader(mod, route.url, people.manager, {});
      expect({ route: route.file, status }).toEqual({ route: route.file, status: 403 });
      expect(text).not.toContain('ZEBRA-PLUM-7731');
    }
  });

  it('an HR admin calling an admin loader gets 403', async () => {
    for (const route of discoverRoutes(conversationId).filter((r) => r.audience === 'tenant_admin')) {
      const mod = (await import(pathToFileURL(path.join(ROUTES_DIR, route.file)).href)) as RouteModule;
      if (!mod.loader) continue;
      const { status } = await callLoader(mod, route.url, people.hr_admin, {});
      expect({ route: route.file, status }).toEqual({ route: route.file, status: 403 });
    }
  });
});
