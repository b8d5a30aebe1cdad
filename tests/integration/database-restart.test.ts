// The database going away under load (issue 14, faults), with answers streaming and pages being
// asked for: (1) the production server reaches this file's database through a loopback TCP proxy
// that the test cuts — every connection dropped, new ones refused for a few seconds; (2) on the
// real-server project, a throwaway PostgreSQL 15 cluster of the test's own (initdb in a temp dir,
// a free port) restarted with `pg_ctl restart -m fast` (skipped only when the binaries are absent). Every request gets an answer in bounded time: a page or a 503 (never a hang or a 500);
// the answers in flight finish and are stored once the database is back (or read as interrupted);
// no message, answer or usage event is stored twice; afterwards the server serves as before.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveStatus } from '~/.server/coach/answer-checkpoint';
import { createSql, db, setDb, type Sql } from '~/.server/db/client';
import { migrate } from '~/.server/db/migrate';
import { withTenant } from '~/.server/db/tenant';
import { resetEnvForTests } from '~/.server/env';
import { resetMasterKeyForTests } from '~/.server/privacy/master-key';
import { testDatabaseKind, useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant, TEST_PASSWORD } from '../helpers/factories';
import { cleanEnv, start, stop, until } from '../helpers/processes';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const database = useTestDatabase();
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

type Reply = { status: number; body: string; ms: number; error?: string; headers?: http.IncomingHttpHeaders };

/** One request on its own connection; resolves with whatever arrived, bounded by `timeoutMs`. */
function request(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; onData?: (text: string) => void; timeoutMs?: number } = {}): Promise<Reply> {
  const started = Date.now();
  return new Promise((resolve) => {
    let body = '';
    let status = 0;
    let headers: http.IncomingHttpHeaders | undefined;
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, body, ms: Date.now() - started, error, headers });
    };
    const req = http.request(`${base}${path}`, { method: opts.method ?? 'GET', headers: { origin: base, ...opts.headers }, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        opts.onData?.(d);
      });
      res.on('end', () => done());
      res.on('error', (e) => done(e.message));
      res.on('aborted', () => done('aborted'));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done('timeout');
    }, opts.timeoutMs ?? 30_000);
    req.on('error', (e) => done(e.message));
    req.end(opts.body);
  });
}

const OUTAGE_MS = 2500;

/** The built server on `databaseUrl`, with a slow mock provider: answers of 30 tokens at 80 ms. */
async function startServer(databaseUrl: string, dataDir: string) {
  const build = start(['scripts/build-if-stale.mjs'], process.env);
  const code = await new Promise<number | null>((resolve) => build.child.on('exit', resolve));
  if (code !== 0) throw new Error(`the build failed:\n${build.output()}`);
  const mock = start(['--import', 'tsx', 'tests/fixtures/mock-openai-process.ts', JSON.stringify({ tokenDelayMs: 80, reply: 'Listen first, then agree one small next step together. '.repeat(3) })], cleanEnv());
  const mockUrl = (await until('the mock provider', () => /mock listening at (\S+)/.exec(mock.output())?.[1], 30_000))!;
  const web = start(['--import', 'tsx', 'server/index.ts'], {
    ...cleanEnv(),
    NODE_ENV: 'production',
    WEB_CONCURRENCY: '1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    OPENAI_COMPATIBLE_BASE_URL: mockUrl,
    OPENAI_COMPATIBLE_CHAT_MODEL: 'mock-chat',
    RAPPORT_MASTER_KEY: MASTER_KEY,
  });
  const base = await until('the web server', () => /running at (http:\/\/localhost:\d+)/.exec(web.output())?.[1], 120_000).catch((e) => {
    throw new Error(`${(e as Error).message}:\n${web.output()}`);
  });
  return { base, web, stop: async () => Promise.all([stop(web.child), stop(mock.child)]) };
}

/**
 * Four answers streaming, then `outage()` (resolving when the database is back) while pages and
 * new turns are asked for every 150 ms; then what each request got and what was stored.
 */
async function restartUnderLoad(base: string, webOutput: () => string, outage: () => Promise<void>) {
  const tenant = await makeTenant({ settings: { dailyMessageQuota: 1000 } });
  const member = await makeMember(tenant.id, 'manager');
  const login = await request(base, '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: member.email, password: TEST_PASSWORD }).toString(),
  });
  expect(login.status).toBe(302);
  const cookie = (login.headers?.['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const chat = (text: string, onData?: (t: string) => void) =>
    request(base, '/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ text }), onData });

  const tokens = [0, 0, 0, 0];
  const inFlight = tokens.map((_, i) =>
    chat(`How do I start a one-to-one with a new starter, number ${i}?`, (d) => (tokens[i] += d.split('"type":"text-delta"').length - 1)),
  );
  await until('every answer to be streaming', () => tokens.every((n) => n >= 3), 30_000);

  let down = true;
  const restarted = outage().finally(() => (down = false));
  const during: Array<Promise<Reply & { what: string }>> = [];
  // Bounded: at most 200 requests, however long the outage takes.
  while (down && during.length < 200) {
    during.push(request(base, '/chat', { headers: { cookie } }).then((r) => ({ ...r, what: 'GET /chat' })));
    if (during.length % 4 === 1) during.push(chat('Is anyone there while the database restarts?').then((r) => ({ ...r, what: 'POST /api/chat' })));
    // The same page's data as the browser's router asks for it on a client-side navigation (single fetch).
    if (during.length % 4 === 2) during.push(request(base, '/chat.data', { headers: { cookie } }).then((r) => ({ ...r, what: 'GET /chat.data' })));
    await new Promise((r) => setTimeout(r, 150));
  }
  await restarted;

  const answered = await Promise.all(during);
  for (const r of answered) {
    expect(r.error, `${r.what}: ${r.error}`).toBeUndefined();
    // A page, or 503 (the unavailable page, or the chat endpoint's JSON), never a 500.
    expect([200, 503], `${r.what} answered ${r.status}: ${r.body.slice(0, 200)}\n${r.status === 500 ? webOutput().slice(-3000) : ""}`).toContain(r.status);
    if (r.status === 503) expect(r.body).toMatch(/can.t reach its database/i);
  }
  expect(answered.some((r) => r.status === 503)).toBe(true);

  // The answers in flight were streamed to the end and then stored once the database was back.
  const streams = await Promise.all(inFlight);
  for (const s of streams) {
    expect(s.error).toBeUndefined();
    expect(s.status).toBe(200);
    expect(s.body).toContain('"status":"complete"');
    expect(s.body).not.toContain('"type":"error"');
  }

  // Serving again once the database is back.
  await until('a healthy /healthz', async () => (await request(base, '/healthz')).status === 200, 20_000);
  const after = await chat('And now, how do I follow up after the one-to-one?');
  expect(after.status).toBe(200);
  expect(after.body).toContain('"status":"complete"');

  // Stored once each: a user message per turn that was answered 200, one answer per question, one usage event per answer.
  const accepted = 4 + 1 + answered.filter((r) => r.what === 'POST /api/chat' && r.status === 200).length;
  const messages = await withTenant(tenant.id, (tx) => tx<{ id: string; role: string; status: string; checkpoint_at: Date | null; conversation_id: string }[]>`
    select id, role, status, checkpoint_at, conversation_id from message order by created_at`);
  const users = messages.filter((m) => m.role === 'user');
  const answers = messages.filter((m) => m.role === 'assistant');
  expect(users.length).toBe(accepted);
  const perConversation = new Map<string, number>();
  for (const a of answers) perConversation.set(a.conversation_id, (perConversation.get(a.conversation_id) ?? 0) + 1);
  expect([...perConversation.values()].every((n) => n === 1)).toBe(true);
  expect(answers.map((a) => effectiveStatus(a.status, a.checkpoint_at))).toEqual(answers.map(() => 'complete'));
  const doubled = await withTenant(tenant.id, (tx) => tx<{ n: number }[]>`
    select count(*)::int as n from (select message_id from usage_event where purpose like 'chat%' and message_id is not null group by message_id having count(*) > 1) d`);
  expect(doubled[0].n).toBe(0);
  expect(webOutput()).not.toMatch(/Unhandled|uncaught/i);
}

describe('the database connection cut under load (TCP proxy)', () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    server = await startServer(proxy.url(database.url), database.dataDir);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
  });

  it('answers every request with a page or a 503, finishes the answers in flight, stores nothing twice', async () => {
    await restartUnderLoad(server!.base, server!.web.output, async () => {
      proxy.cut();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      proxy.restore();
    });
  }, 120_000);
});

const PG_BIN = '/usr/lib/postgresql/15/bin';
const haveBinaries = fs.existsSync(path.join(PG_BIN, 'initdb')) && fs.existsSync(path.join(PG_BIN, 'pg_ctl'));

describe.skipIf(testDatabaseKind() !== 'postgres' || !haveBinaries)('a real PostgreSQL server restarted under load (pg_ctl restart)', () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let cluster: { dir: string; port: number; pgCtl: (...args: string[]) => Promise<unknown> } | undefined;
  let fileDb: Sql | undefined;
  let clusterDb: Sql | undefined;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-restart-pg-'));
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chown', ['postgres', dir]);
    const pg = (...args: string[]) => {
      const [bin, ...rest] = args;
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...rest], { stdio: 'ignore' });
      else execFileSync(path.join(PG_BIN, bin), rest, { stdio: 'ignore' });
    };
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    pg('initdb', '-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync');
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    pg('pg_ctl', '-D', path.join(dir, 'data'), '-l', path.join(dir, 'server.log'), '-w', '-o', options, 'start');
    // Asynchronous, so this process keeps sending requests while the server restarts.
    const pgCtl = (...args: string[]) => {
      const argv = [path.join(PG_BIN, 'pg_ctl'), '-D', path.join(dir, 'data'), '-l', path.join(dir, 'server.log'), '-w', '-o', options, ...args];
      return asRoot ? promisify(execFile)('runuser', ['-u', 'postgres', '--', ...argv]) : promisify(execFile)(argv[0], argv.slice(1));
    };
    cluster = { dir, port, pgCtl };
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    // The factories and checks below work on this cluster for the rest of the file.
    fileDb = db();
    clusterDb = createSql(url, 4);
    setDb(clusterDb);
    await migrate(clusterDb);
    server = await startServer(url, database.dataDir);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await clusterDb?.end({ timeout: 1 });
    if (fileDb) setDb(fileDb);
    if (cluster) {
      await cluster.pgCtl('-m', 'immediate', 'stop').catch(() => {});
      fs.rmSync(cluster.dir, { recursive: true, force: true });
    }
  });

  it('answers every request with a page or a 503, finishes the answers in flight, stores nothing twice', async () => {
    await restartUnderLoad(server!.base, server!.web.output, async () => {
      // A fast restart: connections are terminated (57P01), new ones refused, then accepted again.
      await cluster!.pgCtl('-m', 'fast', 'restart');
    });
  }, 120_000);
});
