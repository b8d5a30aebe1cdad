// Several web processes on one database (issue 14): the production server with WEB_CONCURRENCY=2
// on this file's database, reached over loopback with a fresh connection per request so the
// cluster spreads them; sign-in on one process and chat on the other, a sign-in rate limit
// counted across processes, a web process killed mid-stream (the user's message kept, the answer
// marked interrupted, the other process serving on) — and the budget raced by two OS processes.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { effectiveStatus } from '~/.server/coach/answer-checkpoint';
import { resetEnvForTests } from '~/.server/env';
import { resetMasterKeyForTests } from '~/.server/privacy/master-key';
import { withTenant } from '~/.server/db/tenant';
import { recordUsageEvent } from '~/.server/metering/usage';
import { useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant, TEST_PASSWORD } from '../helpers/factories';
import { cleanEnv, start, stop, until } from '../helpers/processes';

const database = useTestDatabase();
// The web processes (production, DATABASE_URL) need the master key in the environment; this test
// process writes with the same one.
const MASTER_KEY = crypto.randomBytes(32).toString('hex');
beforeAll(() => {
  process.env.RAPPORT_MASTER_KEY = MASTER_KEY;
  resetEnvForTests();
  resetMasterKeyForTests();
});
afterAll(() => {
  delete process.env.RAPPORT_MASTER_KEY;
  resetEnvForTests();
  resetMasterKeyForTests();
});

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string; process: string };

/** One request on a connection of its own (no keep-alive), so the cluster may hand it to any web process. */
function request(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; onData?: (text: string) => void } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: opts.method ?? 'GET', headers: { origin: base, ...opts.headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        opts.onData?.(d);
      });
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, process: String(res.headers['x-rapport-web-process'] ?? '') });
      res.on('end', done);
      res.on('error', done); // a process killed mid-stream: what arrived so far
      res.on('aborted', done);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function signIn(base: string, email: string, password = TEST_PASSWORD) {
  return request(base, '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

const cookieOf = (reply: Reply) => (reply.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

function chat(base: string, cookie: string, text: string, onData?: (text: string) => void) {
  return request(base, '/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ text }), onData });
}

describe('WEB_CONCURRENCY=2 on one database', () => {
  let web: ReturnType<typeof start> | undefined;
  let mock: ReturnType<typeof start> | undefined;
  let base = '';

  beforeAll(async () => {
    // Built in a child process: a synchronous build would block this worker's test runner.
    const build = start(['scripts/build-if-stale.mjs'], process.env);
    const code = await new Promise<number | null>((resolve) => build.child.on('exit', resolve));
    if (code !== 0) throw new Error(`the build failed:\n${build.output()}`);
    // A slow provider, so a stream is still running when its web process is killed.
    mock = start(['--import', 'tsx', 'tests/fixtures/mock-openai-process.ts', JSON.stringify({ tokenDelayMs: 60, reply: 'Start with a short one-to-one and listen first. '.repeat(20) })], cleanEnv());
    const mockUrl = (await until('the mock provider', () => /mock listening at (\S+)/.exec(mock!.output())?.[1], 30_000))!;
    web = start(['--import', 'tsx', 'server/index.ts'], {
      ...cleanEnv(),
      NODE_ENV: 'production',
      WEB_CONCURRENCY: '2',
      PORT: '0',
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      OPENAI_COMPATIBLE_BASE_URL: mockUrl,
      OPENAI_COMPATIBLE_CHAT_MODEL: 'mock-chat',
      RAPPORT_MASTER_KEY: MASTER_KEY,
    });
    base = await until('both web processes', () => /running at (http:\/\/localhost:\d+) \(2 web processes/.exec(web!.output())?.[1], 120_000).catch((e) => {
      throw new Error(`${(e as Error).message}:\n${web!.output()}`);
    });
  }, 300_000);

  afterAll(async () => {
    await stop(web?.child);
    await stop(mock?.child);
  });

  it('spreads requests over both processes; a session started on one is valid on the other', async () => {
    const tenant = await makeTenant({ settings: { dailyMessageQuota: 1000 } });
    const member = await makeMember(tenant.id, 'manager');
    const login = await signIn(base, member.email);
    expect(login.status).toBe(302);
    const cookie = cookieOf(login);
    expect(['1', '2']).toContain(login.process);
    // Bounded: connections alternate between the processes, so another one answers within a few tries.
    let other: Reply | undefined;
    for (let i = 0; i < 10 && !other; i++) {
      const reply = await chat(base, cookie, 'How do I give feedback to a new starter?');
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('"type":"text-delta"');
      if (reply.process !== login.process) other = reply;
    }
    expect(other, 'no request reached the second web process').toBeDefined();
    const [row] = await withTenant(tenant.id, (tx) => tx<{ n: number }[]>`select count(*)::int as n from message where role = 'assistant' and status = 'complete'`);
    expect(row.n).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('counts failed sign-ins across processes', async () => {
    const tenant = await makeTenant();
    const member = await makeMember(tenant.id, 'manager');
    const served = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const reply = await signIn(base, member.email, 'wrong-password');
      expect(reply.status).not.toBe(302);
      served.add(reply.process);
    }
    expect(served.size).toBe(2); // both processes counted some of the five failures
    // The right password is refused now, by whichever process answers.
    for (let i = 0; i < 2; i++) {
      const reply = await signIn(base, member.email);
      expect(reply.status).toBe(429);
      expect(reply.body).toContain('Too many attempts');
    }
  }, 60_000);

  it('a web process killed mid-stream: the message is kept, the answer marked interrupted, the other process serves on', async () => {
    const tenant = await makeTenant({ settings: { dailyMessageQuota: 1000 } });
    const member = await makeMember(tenant.id, 'manager');
    const cookie = cookieOf(await signIn(base, member.email));
    const pids = new Map([...web!.output().matchAll(/web process (\d+) starting \(pid (\d+)\)/g)].map((m) => [m[1], Number(m[2])]));
    let killed: string | undefined;
    let tokens = 0;
    // Stream an answer and kill the process serving it (read from the response header) after a few tokens.
    const streaming = new Promise<Reply>((resolve, reject) => {
      const req = http.request(`${base}/api/chat`, { method: 'POST', agent: false, headers: { origin: base, cookie, 'content-type': 'application/json' } }, (res) => {
        const serving = String(res.headers['x-rapport-web-process']);
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
          tokens += d.split('"type":"text-delta"').length - 1;
          if (!killed && tokens >= 3) {
            killed = serving;
            process.kill(pids.get(serving)!, 'SIGKILL');
          }
        });
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, process: serving });
        res.on('end', done);
        res.on('error', done);
        res.on('aborted', done);
        res.on('close', done);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ text: 'Two of my team argue in front of customers. How do I handle it?' }));
    });
    const reply = await streaming;
    expect(killed).toBeDefined();
    expect(reply.body).not.toContain('"status":"complete"');

    // The other process keeps serving while the killed one is replaced.
    const next = await chat(base, cookie, 'How do I start a one-to-one?');
    expect(next.status).toBe(200);
    expect(next.body).toContain('"status":"complete"');

    // The question is stored (text is encrypted at rest, so found by order: the first of the two turns);
    // its answer, last checkpointed by the dead process, reads as interrupted.
    const rows = await withTenant(tenant.id, (tx) => tx<{ id: string; conversation_id: string }[]>`
      select id, conversation_id from message where role = 'user' order by created_at`);
    expect(rows).toHaveLength(2);
    const answer = await until(
      'the cut-off answer to read as interrupted',
      async () => {
        const [a] = await withTenant(tenant.id, (tx) => tx<{ status: string; checkpoint_at: Date | null; content: string | null }[]>`
          select status, checkpoint_at, content from message where conversation_id = ${rows[0].conversation_id} and role = 'assistant'`);
        return a && effectiveStatus(a.status, a.checkpoint_at) === 'interrupted' ? a : undefined;
      },
      30_000,
    );
    expect(answer.content ?? '').not.toBe('');
    await until('a replacement web process', () => (web!.output().match(/web process \d+ starting/g) ?? []).length >= 3 && /starting a replacement/.test(web!.output()), 10_000);
  }, 120_000);
});

describe('the budget raced by two processes', () => {
  it('50 simultaneous turns from two OS processes overshoot the budget by at most the estimates’ shortfall', async () => {
    const tenant = await makeTenant({ settings: { monthlyBudgetUsd: 1, budgetAction: 'hard_stop', dailyMessageQuota: 0 } });
    const users = await Promise.all([makeMember(tenant.id), makeMember(tenant.id)]);
    // $0.99 already spent: $0.01 left = 13 worst-case turns of 750 µ$ (as in metering.test.ts, in one process).
    await recordUsageEvent({
      tenantId: tenant.id,
      userId: users[0].id,
      conversationId: crypto.randomUUID(),
      messageId: crypto.randomUUID(),
      purpose: 'chat',
      provider: 'openai',
      modelId: 'openai:gpt-4o-mini',
      inputTokens: 1_000,
      outputTokens: 500,
      latencyMs: 900,
      ttftMs: 250,
      status: 'ok',
      providerCostUsd: '0.99',
    });
    const at = Date.now() + 3000;
    const runs = await Promise.all(
      [0, 1].map(async () => {
        const p = start(['--import', 'tsx', 'tests/fixtures/entitlement-turns-process.ts', JSON.stringify({ tenantId: tenant.id, userIds: users.map((u) => u.id), turns: 25, start: at })], {
          ...cleanEnv(),
          RAPPORT_DATABASE_URL: database.url,
          DATA_DIR: database.dataDir,
          RAPPORT_MASTER_KEY: MASTER_KEY,
        });
        const code = await new Promise<number | null>((resolve) => p.child.on('exit', resolve));
        if (code !== 0) throw new Error(`a racing process failed:\n${p.output()}`);
        return JSON.parse(p.output().trim().split('\n').pop()!) as { allowed: number; blocked: string[] };
      }),
    );
    expect(runs.reduce((n, r) => n + r.allowed, 0)).toBe(13);
    expect(runs.flatMap((r) => r.blocked).every((a) => a === 'blocked_budget')).toBe(true);
    const [spent] = await withTenant(tenant.id, (tx) => tx<{ micros: string }[]>`select sum(cost_micros)::text as micros from usage_event`);
    const turnCost = 1_200 * 0.15 + 1_000 * 0.6; // 780 µ$ against 750 reserved
    const overshoot = Number(spent.micros) - 1_000_000;
    expect(overshoot).toBe(13 * turnCost - 10_000);
    expect(overshoot).toBeLessThanOrEqual(turnCost);
    const [open] = await withTenant(tenant.id, (tx) => tx<{ n: number }[]>`select count(*)::int as n from budget_reservation`);
    expect(open.n).toBe(0);
  }, 120_000);
});
