// Chat capacity through HTTP, as a browser uses it: sign in (/login), then POST /api/chat on a
// tenant with a published culture pack (so retrieval is part of every turn). The web server and
// the mock provider run in processes of their own; the app is the production server
// (server/index.ts, NODE_ENV=production) on a temporary embedded database, or on DATABASE_URL.
// "Added" time to first token = TTFT through the app − the mock's own TTFT (idle, p50).
// CPU per turn comes from process.cpuUsage() inside each web process (cpu-probe.mjs over IPC).
//   [DATABASE_URL=postgres://…] npm run bench -- chat [--only=sequential,steady,burst] [--seconds=30] [--redaction]
//     [--live=100] [--concurrency=N] [--turns=40] [--burst=100] [--burst-processes=1] [--users=20] [--warmup=3] [--marks] [--profile] [--db-stats]
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freshBenchDatabase } from '../bench-database';
import { buildIfStale, trainSafetyModelIfStale } from '../../../scripts/build-if-stale.mjs';
import { closeDb, createSql, setDb } from '~/.server/db/client';
import { migrate } from '~/.server/db/migrate';
import { importPackDirectory } from '~/.server/culture/import-dir';
import { publishDraft } from '~/.server/culture/versions';
import { createMember } from '~/.server/tenants/members';
import { createTenant } from '~/.server/tenants/tenants';

const SHORT_REPLY =
  'Thanks for bringing this to me. It sounds like a tricky situation, and it is good that you are taking it seriously. What would a good outcome look like for you and for the team this week?';
/** About 250 tokens (words with their spaces), a realistic coaching answer. */
const LONG_REPLY = Array.from({ length: 7 }, () =>
  'Start with a short one-to-one, ask how things are going for them, and listen before you raise the pattern you have noticed. Agree one specific next step together and write it down [P1].',
).join(' ');
const PASSWORD = 'bench-password-1';
/** Conversation text is encrypted at rest (ADR 029): the web server and this process share one key per run. */
const BENCH_MASTER_KEY = crypto.randomBytes(32).toString('hex');
process.env.RAPPORT_MASTER_KEY = BENCH_MASTER_KEY;
const SHORT_TOKENS = SHORT_REPLY.match(/\s*\S+\s*/g)!.length;
/** --profile: the web server records a V8 CPU profile of the measured turns into .tmp/profiles. */
let profile = false;
/** --marks: the web server records process.cpuUsage() at named points of a turn (globalThis.__cpuMark). */
let marks = false;
/**
 * --warmup=N: turns before the measured ones (default 3, as in the earlier records). V8 keeps optimizing newly hot
 * functions for tens of turns after that (ADR 054 session 14): a larger N measures a process that has served a while.
 */
let warmupTurns = 3;
/** --db-stats (real Postgres): database transactions (round trips) per turn, from pg_stat_database, after each load scenario. */
let dbStats = false;
let probeIds = 0;

type Cpu = { user: number; system: number };
type Probe = { cpu: Cpu; rss: number; pid: number };

function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(values: number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const cpuMs = (c: Cpu) => (c.user + c.system) / 1000;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

// ── Processes ────────────────────────────────────────────────────────────────────────────

interface Proc {
  child: ChildProcess;
  output: () => string;
  ask<T>(message: unknown, match: (reply: Record<string, unknown>) => boolean): Promise<T>;
  stop(): Promise<void>;
}

function startProcess(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.setMaxListeners(0); // concurrent probes each wait for their reply
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    ask: (message, match) =>
      new Promise((resolve) => {
        const onMessage = (reply: Record<string, unknown>) => {
          if (!match(reply)) return;
          child.off('message', onMessage);
          resolve(reply as never);
        };
        child.on('message', onMessage);
        child.send(message as never);
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function waitFor(proc: Proc, re: RegExp, what: string): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = proc.output().match(re);
    if (m) return m;
    if (proc.child.exitCode !== null) throw new Error(`${what} exited:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start:\n${proc.output()}`);
    await sleep(20);
  }
}

async function startMock(options: Record<string, unknown>): Promise<{ proc: Proc; url: string }> {
  const proc = startProcess(['--import', 'tsx', 'tests/fixtures/mock-openai-process.ts', JSON.stringify(options)], { ...process.env, NODE_ENV: 'production' });
  const url = (await waitFor(proc, /mock listening at (\S+)/, 'the mock provider'))[1];
  return { proc, url };
}

interface WebServer {
  proc: Proc;
  url: string;
  databaseUrl: string;
  /** process.cpuUsage() and RSS of every web process (one, or the cluster's workers and primary). */
  probe(): Promise<Probe[]>;
}

async function startWeb(opts: { dataDir: string; mockUrl: string; databaseUrl?: string; concurrency: number }): Promise<WebServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    DATA_DIR: opts.dataDir,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    WEB_CONCURRENCY: String(opts.concurrency),
    OPENAI_COMPATIBLE_BASE_URL: opts.mockUrl,
    OPENAI_COMPATIBLE_CHAT_MODEL: 'bench-model',
    RAPPORT_MASTER_KEY: BENCH_MASTER_KEY,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
  };
  // The compiled server, as `npm start` runs it (no tsx loader; scripts/build-server.mjs).
  // BENCH_WEB_NODE_ARGS: Node/V8 flags for the web server alone (an experiment, e.g. "--single-threaded-gc").
  const nodeArgs = (process.env.BENCH_WEB_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const proc = startProcess([...nodeArgs, '--import', './app/cli/bench/cpu-probe.mjs', 'build/web-server.mjs'], env);
  const url = (await waitFor(proc, /running at (http:\/\/localhost:\d+)/, 'the web server'))[1];
  const databaseUrl = opts.databaseUrl ?? (await waitFor(proc, /psql "(postgres:\/\/[^"]+)"/, 'the embedded database'))[1];
  return {
    proc,
    url,
    databaseUrl,
    probe: async () => {
      const id = ++probeIds;
      const main = await proc.ask<Probe>({ cpu: id }, (r) => r.id === id);
      return [main, ...childProbes(proc.child.pid!)];
    },
  };
}

/** Children of a process (cluster workers): CPU and RSS from /proc, in the same units. */
function childProbes(pid: number): Probe[] {
  const ticks = 100; // USER_HZ on Linux
  let children: number[] = [];
  try {
    children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
  return children.flatMap((child) => {
    try {
      const stat = fs.readFileSync(`/proc/${child}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child}/status`, 'utf8'))?.[1] ?? 0);
      return [{ pid: child, cpu: { user: (Number(fields[11]) * 1e6) / ticks, system: (Number(fields[12]) * 1e6) / ticks }, rss: rssKb * 1024 }];
    } catch {
      return [];
    }
  });
}

/** A child of the server: a cluster's web process, or the ingestion job process (ADR 038). */
function childLabel(pid: number, i: number): string {
  try {
    if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ingestion-worker')) return 'ingestion job process';
  } catch {
    // gone
  }
  return `web process ${i}`;
}

/**
 * [on a core, runnable but waiting for a core] of the process's main thread (the event loop) so far, in ms
 * (/proc/<pid>/schedstat): on a shared machine the second is what other processes took from a turn.
 */
function schedstat(pid: number): [number, number] {
  try {
    const [running, waiting] = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
    return [Number(running) / 1e6, Number(waiting) / 1e6];
  } catch {
    return [NaN, NaN];
  }
}

/**
 * Times the event loop went to sleep and was woken (the main thread's voluntary context switches, /proc): on this
 * virtual machine a wake-up costs more than most of the JavaScript of a token (ADR 041), and unlike CPU time the
 * count does not grow with the machine's load. Summed over the process and its children (cluster workers, job process).
 */
function wakeUps(pid: number): number {
  const one = (p: number) => {
    try {
      return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  return one(pid) + childProbes(pid).reduce((n, c) => n + one(c.pid), 0);
}

function sumCpu(probes: Probe[]): number {
  return probes.reduce((s, p) => s + cpuMs(p.cpu), 0);
}

// ── Setup: a tenant with a published pack and signed-in managers ─────────────────────────

async function setupTenant(databaseUrl: string, users: number) {
  process.env.RAPPORT_DATABASE_URL = databaseUrl;
  const sql = createSql(databaseUrl, 4);
  setDb(sql);
  try {
    await migrate(sql);
    const tenant = await createTenant({
      slug: `bench-${Date.now().toString(36)}`,
      name: 'Bench Stores',
      settings: { dailyMessageQuota: 100_000, monthlyBudgetUsd: 1_000_000 },
    });
    const outcomes = await importPackDirectory({ tenantId: tenant.id, userId: null, dir: path.resolve('tenants/brightmart/pack') });
    // Every turn retrieves from this pack: a document that failed to ingest would make turns cheaper than real ones.
    const statuses = await sql<{ status: string; count: number }[]>`select status, count(*)::int as count from pack_document where tenant_id = ${tenant.id} group by status`;
    const ready = statuses.find((s) => s.status === 'ready')?.count ?? 0;
    if (ready !== outcomes.length) console.warn(`  WARNING: pack documents ${statuses.map((s) => `${s.status} ${s.count}`).join(', ')} (of ${outcomes.length})`);
    await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'bench' } });
    const emails: string[] = [];
    for (let i = 0; i < users; i++) {
      const email = `bench-${i}@${tenant.slug}.example`;
      await createMember({ tenantId: tenant.id, email, role: 'manager', password: PASSWORD, actor: { userId: null, label: 'bench' } });
      emails.push(email);
    }
    return { tenant, emails, documents: outcomes.length };
  } finally {
    await closeDb();
  }
}

async function signIn(baseUrl: string, email: string): Promise<string> {
  const res = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams({ email, password: PASSWORD }),
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (res.status !== 302 || !cookie) throw new Error(`sign-in failed for ${email}: ${res.status} ${await res.text()}`);
  return cookie;
}

// ── One turn through HTTP ────────────────────────────────────────────────────────────────

interface TurnOutcome {
  ttft: number;
  total: number;
  ok: boolean;
  tokens: number;
  error?: string;
}

async function chatTurn(baseUrl: string, cookie: string, text: string, onFirstToken?: () => void, onLastToken?: () => void): Promise<TurnOutcome> {
  const t0 = performance.now();
  let ttft = NaN;
  let tokens = 0;
  try {
    const res = await fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl, cookie },
      body: JSON.stringify({ text }),
    });
    if (res.status !== 200) return { ttft, total: performance.now() - t0, ok: false, tokens, error: `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}` };
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let complete = false;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      buffer += decoder.decode(next.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.includes('"type":"text-delta"')) {
          tokens += 1;
          if (Number.isNaN(ttft)) {
            ttft = performance.now() - t0;
            onFirstToken?.();
          }
        } else if (event.includes('"type":"text-end"')) onLastToken?.();
        else if (event.includes('"type":"message-metadata"')) complete = event.includes('"status":"complete"');
        else if (event.includes('"type":"error"')) return { ttft, total: performance.now() - t0, ok: false, tokens, error: event.slice(0, 200) };
      }
    }
    return { ttft, total: performance.now() - t0, ok: complete && !Number.isNaN(ttft), tokens, error: complete ? undefined : 'stream ended without a complete answer' };
  } catch (error) {
    return { ttft, total: performance.now() - t0, ok: false, tokens, error: (error as Error).message };
  }
}

async function mockAloneTtft(mockUrl: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${mockUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench-model', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let ttft = NaN;
  let buffer = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    buffer += decoder.decode(next.value, { stream: true });
    if (Number.isNaN(ttft) && buffer.includes('"content"')) ttft = performance.now() - t0;
  }
  return ttft;
}

// Every sentence differs from turn to turn: the noun tagger remembers sentences it has seen (answerability.ts), and a
// bench that repeated one would measure that memory, not a new question's tagging.
const question = (i: number) => `One of my team keeps swapping shifts without telling me (${i}). How much notice do they need to give for a shift trade (${i})?`;

// ── Scenarios ────────────────────────────────────────────────────────────────────────────

interface Env {
  databaseUrl?: string;
  dbLabel: string;
  users: number;
}

async function withStack<T>(env: Env, opts: { tokenDelayMs: number; reply: string; concurrency: number }, body: (s: Stack) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-chat-'));
  const mock = await startMock({ reply: opts.reply, tokenDelayMs: opts.tokenDelayMs });
  let web: WebServer | undefined;
  try {
    web = await startWeb({ dataDir, mockUrl: mock.url, databaseUrl: env.databaseUrl, concurrency: opts.concurrency });
    const setup = await setupTenant(web.databaseUrl, env.users);
    const cookies: string[] = [];
    for (const email of setup.emails) cookies.push(await signIn(web.url, email));
    const aloneSamples: number[] = [];
    for (let i = 0; i < 10; i++) aloneSamples.push(await mockAloneTtft(mock.url));
    const stack: Stack = { web, mock, cookies, mockAloneP50: percentile(aloneSamples, 0.5), rssPeak: new Map() };
    // Warm up JIT, connections, prompt files and the pack.
    for (let i = 0; i < warmupTurns; i++) await chatTurn(web.url, cookies[i % cookies.length], question(1000 + i));
    if (marks) await web.proc.ask('marks-on', (r) => 'marking' in r);
    if (!profile) return await body(stack);
    await web.proc.ask('profile-start', (r) => 'profiling' in r);
    try {
      return await body(stack);
    } finally {
      fs.mkdirSync('.tmp/profiles', { recursive: true });
      const file = path.resolve(`.tmp/profiles/chat-${Date.now()}.cpuprofile`);
      await web.proc.ask(`profile-stop ${file}`, (r) => 'profiled' in r);
      console.log(`  CPU profile of the measured turns: ${file}`);
    }
  } finally {
    // The job process's complaints (a pack that did not ingest) belong in the bench's output.
    // BENCH_WEB_OUTPUT=FILE: the web server's whole output (e.g. with BENCH_WEB_NODE_ARGS="--trace-deopt") for reading after.
    if (web && process.env.BENCH_WEB_OUTPUT) fs.writeFileSync(process.env.BENCH_WEB_OUTPUT, web.proc.output());
    const ingestLines = web?.proc.output().split('\n').filter((l) => l.includes('[ingest]')) ?? [];
    if (ingestLines.length) console.warn(`  ingestion job process said:\n    ${ingestLines.slice(0, 10).join('\n    ')}`);
    await web?.proc.stop();
    await mock.proc.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Stack {
  web: WebServer;
  mock: { proc: Proc; url: string };
  cookies: string[];
  mockAloneP50: number;
  rssPeak: Map<number, number>;
}

async function mockProbe(stack: Stack): Promise<Probe> {
  const reply = await stack.mock.proc.ask<{ cpu: Cpu; rss: number }>('stats', (r) => 'stats' in r);
  return { cpu: reply.cpu, rss: reply.rss, pid: stack.mock.proc.child.pid! };
}

function report(name: string, stack: Stack, outcomes: TurnOutcome[], extra: { cpuPerTurn: number; wallMs: number; target: string; rss: string; load?: string }) {
  const errors = outcomes.filter((o) => !o.ok);
  const added = outcomes.filter((o) => o.ok).map((o) => o.ttft - stack.mockAloneP50);
  console.log(`${name}: ${outcomes.length} turns in ${ms(extra.wallMs)}`);
  console.log(`  errors ${errors.length}${errors.length ? ` (first: ${errors[0].error})` : ''}`);
  console.log(`  added TTFT p50 ${ms(percentile(added, 0.5))}  p95 ${ms(percentile(added, 0.95))}   (${extra.target})   [mock alone p50 ${ms(stack.mockAloneP50)}]`);
  console.log(`  complete turn p95 ${ms(percentile(outcomes.map((o) => o.total), 0.95))}; CPU per turn (all web processes) ${ms(extra.cpuPerTurn)}`);
  console.log(`  RSS ${extra.rss}; load average ${extra.load ?? loadAverage()} (2 cores)`);
}

async function rssLine(stack: Stack): Promise<string> {
  const web = await stack.web.probe();
  const mock = await mockProbe(stack);
  const peak = (p: Probe) => Math.max(p.rss, stack.rssPeak.get(p.pid) ?? 0);
  const labels = web.map((p, i) => `${i === 0 ? (web.length > 2 ? 'primary' : 'web') : childLabel(p.pid, i)} ${mb(peak(p))}`);
  return `${labels.join(', ')}, mock provider ${mb(mock.rss)} (peaks)`;
}

/** RSS peaks, read from /proc by this process: the sampler costs the web server no CPU (no IPC probe). */
function sampleRss(stack: Stack): () => void {
  const pid = stack.web.proc.child.pid!;
  const timer = setInterval(() => {
    for (const p of [{ pid, rss: rssOf(pid) }, ...childProbes(pid)]) stack.rssPeak.set(p.pid, Math.max(p.rss, stack.rssPeak.get(p.pid) ?? 0));
  }, 250);
  return () => clearInterval(timer);
}

function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Transactions committed in the web server's database so far (pg_stat_database); undefined without --db-stats. */
async function databaseTransactions(stack: Stack, settle: boolean): Promise<number | undefined> {
  if (!dbStats) return undefined;
  // Idle backends flush their statistics within 10 s (PGSTAT_IDLE_INTERVAL): wait them out after a scenario.
  if (settle) await sleep(11_000);
  const sql = createSql(stack.web.databaseUrl, 1);
  try {
    const [row] = await sql<{ n: string }[]>`select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`;
    return row ? Number(row.n) : undefined;
  } catch {
    return undefined;
  } finally {
    await sql.end();
  }
}

/**
 * CPU (ms) the Postgres backends serving the bench's database have used so far, by backend pid (/proc/<pid>/stat, clock
 * ticks): on this machine they compete with the web process for the same 2 cores. Real Postgres on this host only.
 */
async function backendCpu(stack: Stack): Promise<Map<number, number> | undefined> {
  if (!process.env.DATABASE_URL) return undefined;
  const sql = createSql(stack.web.databaseUrl, 1);
  try {
    const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime + stime, USER_HZ = 100
      } catch {
        // not on this host, or gone
      }
    }
    return cpu.size ? cpu : undefined;
  } catch {
    return undefined;
  } finally {
    await sql.end();
  }
}

function backendCpuLine(before: Map<number, number> | undefined, after: Map<number, number> | undefined, turns: number) {
  if (!before || !after) return;
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  console.log(`  Postgres backends of the bench's database: CPU per turn ${ms(used / turns)} (/proc, 10 ms ticks; ${after.size} backends)`);
}

function transactionsLine(before: number | undefined, after: number | undefined, turns: number) {
  if (before === undefined || after === undefined) return;
  console.log(`  database transactions (round trips) per turn ${((after - before) / turns).toFixed(1)} (pg_stat_database, the bench's own reads included)`);
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** What relaying one token costs a process that does nothing else, on this machine (stream-floor.ts). */
async function streamFloor(mockUrl: string): Promise<number> {
  const proc = startProcess(['--import', 'tsx', 'app/cli/bench/stream-floor.ts', mockUrl], { ...process.env, NODE_ENV: 'production' });
  const m = await waitFor(proc, /floor (\S+) (\d+)/, 'the stream-floor process');
  await proc.stop();
  return Number(m[1]);
}

async function sequential(stack: Stack, turns: number) {
  const outcomes: TurnOutcome[] = [];
  const before: number[] = [];
  const perToken: number[] = [];
  const after: number[] = [];
  const stages = new Map<string, number[]>();
  const wakesPerToken: number[] = [];
  const gcTotals = new Map<string, [number, number]>();
  const tails: TurnTail[] = [];
  const stop = sampleRss(stack);
  const wall = performance.now();
  for (let i = 0; i < turns; i++) {
    const cookie = stack.cookies[0];
    const [start] = await stack.web.probe();
    let atFirst: Promise<Probe[]> | undefined;
    let atLast: Promise<Probe[]> | undefined;
    const webPid = stack.web.proc.child.pid!;
    let wakesAtFirst = 0;
    let wakesAtLast = 0;
    const [ranAtStart, waitedAtStart] = schedstat(webPid);
    let waitedAtFirst = NaN;
    let ranAtFirst = NaN;
    const outcome = await chatTurn(
      stack.web.url,
      cookie,
      question(i),
      () => ((wakesAtFirst = wakeUps(webPid)), ([ranAtFirst, waitedAtFirst] = schedstat(webPid)), (atFirst = stack.web.probe())),
      () => ((wakesAtLast = wakeUps(webPid)), (atLast = stack.web.probe())),
    );
    await sleep(5); // the server finishes storing the answer
    const [end] = await stack.web.probe();
    outcomes.push(outcome);
    let firstCpu = NaN;
    if (atFirst && atLast && outcome.ok) {
      const [first] = await atFirst;
      firstCpu = cpuMs(first.cpu);
      const [last] = await atLast;
      before.push(cpuMs(first.cpu) - cpuMs(start.cpu));
      // Per provider token (the guard releases whole words, so SSE events are fewer than tokens).
      perToken.push((cpuMs(last.cpu) - cpuMs(first.cpu)) / (SHORT_TOKENS - 1));
      wakesPerToken.push((wakesAtLast - wakesAtFirst) / (SHORT_TOKENS - 1));
      after.push(cpuMs(end.cpu) - cpuMs(last.cpu));
    }
    if (marks) {
      const id = ++probeIds;
      const reply = await stack.web.proc.ask<{ marks: Array<[string, Cpu, number]>; gcs: Record<string, [number, number]> }>({ marks: id }, (r) => r.id === id);
      for (const [kind, [count, msTotal]] of Object.entries(reply.gcs)) {
        const slot = gcTotals.get(kind) ?? [0, 0];
        gcTotals.set(kind, [slot[0] + count, slot[1] + msTotal]);
      }
      let previous = cpuMs(start.cpu);
      let previousWall = NaN;
      const seen = new Set<string>();
      const turnStages: TurnStage[] = [];
      for (const [label, cpu, wall] of reply.marks) {
        if (seen.has(label)) continue;
        seen.add(label);
        const list = stages.get(label) ?? [];
        list.push(cpuMs(cpu) - previous);
        stages.set(label, list);
        turnStages.push({ label, cpu: cpuMs(cpu) - previous, wall: wall - previousWall });
        previous = cpuMs(cpu);
        previousWall = wall;
      }
      // The CPU after the first text was written and before the bench's probe at the first token was answered: work
      // the process did meanwhile (the SSE write, whatever else ran), part of "before the first token".
      const firstText = reply.marks.find(([label]) => label === 'first-text-sent');
      if (firstText && Number.isFinite(firstCpu)) {
        const list = stages.get('until-probe') ?? [];
        list.push(firstCpu - cpuMs(firstText[1]));
        stages.set('until-probe', list);
      }
      const gcMs = Object.values(reply.gcs).reduce((n, [, msTotal]) => n + msTotal, 0);
      if (outcome.ok) tails.push({ turn: i, added: outcome.ttft - stack.mockAloneP50, before: before.at(-1) ?? NaN, stages: turnStages, gcMs, waitedMs: waitedAtFirst - waitedAtStart, mainThreadMs: ranAtFirst - ranAtStart });
    }
  }
  stop();
  const load = loadAverage();
  const total = outcomes.length;
  const floor = await streamFloor(stack.mock.url);
  report(`1 user, ${turns} sequential turns`, stack, outcomes, {
    load,
    cpuPerTurn: percentile(before, 0.5) + percentile(perToken, 0.5) * (SHORT_TOKENS - 1) + percentile(after, 0.5),
    wallMs: performance.now() - wall,
    target: 'target p95 ≤ 15 ms',
    rss: await rssLine(stack),
  });
  console.log(`  CPU before first token p50 ${ms(percentile(before, 0.5))} p95 ${ms(percentile(before, 0.95))} (target ≤ 3 ms); per streamed token p50 ${percentile(perToken, 0.5).toFixed(3)} ms (target ≤ 0.05 ms; this machine's floor for relaying a lone token ${floor.toFixed(3)} ms); after the last token (storing the answer) p50 ${ms(percentile(after, 0.5))}   [${total} turns]`);
  console.log(`  event-loop wake-ups per streamed token p50 ${percentile(wakesPerToken, 0.5).toFixed(2)} (web process, /proc voluntary context switches)`);
  if (marks) console.log(`  garbage collections per turn: ${[...gcTotals].map(([kind, [count, msTotal]]) => `${kind} ${(count / turns).toFixed(2)} (${(msTotal / turns).toFixed(2)} ms)`).join(', ')}`);
  if (marks) console.log(`  CPU by stage (ms since the previous mark, p50 / p95): ${[...stages].map(([label, v]) => `${label} ${percentile(v, 0.5).toFixed(2)}/${percentile(v, 0.95).toFixed(2)}`).join(', ')}`);
  if (marks) printTail(tails);
}

type TurnStage = { label: string; cpu: number; wall: number };
type TurnTail = { turn: number; added: number; before: number; stages: TurnStage[]; gcMs: number; waitedMs: number; mainThreadMs: number };

/**
 * --marks: the slowest turns (the p95 tail of added TTFT), stage by stage, wall time beside CPU, so a slow turn shows
 * whether it worked (CPU), waited (database, provider, other processes on the machine) or collected garbage.
 */
function printTail(tails: TurnTail[]) {
  const wallP50 = new Map<string, number>();
  for (const label of new Set(tails.flatMap((t) => t.stages.map((s) => s.label)))) {
    wallP50.set(label, percentile(tails.map((t) => t.stages.find((s) => s.label === label)?.wall ?? NaN), 0.5));
  }
  console.log(`  wall time by stage p50 (ms since the previous mark): ${[...wallP50].filter(([, v]) => Number.isFinite(v)).map(([label, v]) => `${label} ${v.toFixed(1)}`).join(', ')}`);
  const waited = tails.map((t) => t.waitedMs);
  console.log(`  event loop runnable but waiting for a core before the first token (/proc schedstat) p50 ${ms(percentile(waited, 0.5))} p95 ${ms(percentile(waited, 0.95))}`);
  // process.cpuUsage() counts every thread: V8's compiler and GC helpers and libuv's pool besides the event loop.
  const mainThread = tails.map((t) => t.mainThreadMs);
  const others = tails.map((t) => t.before - t.mainThreadMs);
  console.log(`  CPU before the first token on the main thread (schedstat) p50 ${ms(percentile(mainThread, 0.5))} p95 ${ms(percentile(mainThread, 0.95))}; on the process's other threads (JIT, GC helpers) p50 ${ms(percentile(others, 0.5))} p95 ${ms(percentile(others, 0.95))}`);
  const slowest = [...tails].sort((a, b) => b.added - a.added).slice(0, 3);
  for (const t of slowest) {
    // Stages whose wall time is well above their p50: where the extra time of this turn went.
    const extra = t.stages
      .map((s) => ({ ...s, over: s.wall - (wallP50.get(s.label) ?? 0) }))
      .filter((s) => Number.isFinite(s.over) && s.over >= 2)
      .sort((a, b) => b.over - a.over)
      .slice(0, 4);
    console.log(
      `  slow turn ${t.turn + 1}: added ${ms(t.added)}, CPU before first token ${ms(t.before)}, waiting for a core ${ms(t.waitedMs)}, GC ${ms(t.gcMs)}; above the stage p50: ${extra.map((s) => `${s.label} +${s.over.toFixed(1)} (wall ${s.wall.toFixed(1)}, CPU ${s.cpu.toFixed(1)})`).join(', ') || 'none'}`,
    );
  }
}

/** Poisson arrivals at the rate that keeps `live` streams open, for `seconds`. */
async function steady(stack: Stack, live: number, seconds: number, streamSeconds: number, label: string, target: string) {
  const rate = live / streamSeconds;
  const outcomes: Promise<TurnOutcome>[] = [];
  let seed = 42;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const transactionsBefore = await databaseTransactions(stack, true);
  const before = sumCpu(await stack.web.probe());
  const wakesBefore = wakeUps(stack.web.proc.child.pid!);
  const stop = sampleRss(stack);
  const wall = performance.now();
  let next = 0;
  let i = 0;
  let liveNow = 0;
  let liveMax = 0;
  while (next < seconds * 1000) {
    const wait = next - (performance.now() - wall);
    if (wait > 0) await sleep(wait);
    const cookie = stack.cookies[i % stack.cookies.length];
    liveNow += 1;
    liveMax = Math.max(liveMax, liveNow);
    outcomes.push(chatTurn(stack.web.url, cookie, question(i)).finally(() => (liveNow -= 1)));
    i += 1;
    next += (-Math.log(1 - random()) / rate) * 1000;
  }
  const done = await Promise.all(outcomes);
  stop();
  const wakes = wakeUps(stack.web.proc.child.pid!) - wakesBefore;
  const load = loadAverage();
  const cpu = sumCpu(await stack.web.probe()) - before;
  const tokens = done.reduce((n, o) => n + o.tokens, 0);
  report(`${label}: Poisson arrivals ${rate.toFixed(1)}/s for ${seconds} s (up to ${liveMax} live streams)`, stack, done, {
    cpuPerTurn: cpu / done.length,
    wallMs: performance.now() - wall,
    target,
    rss: await rssLine(stack),
    load,
  });
  const replyTokens = LONG_REPLY.match(/\s*\S+\s*/g)!.length;
  console.log(
    `  CPU per provider token under load ${(cpu / done.length / replyTokens).toFixed(3)} ms (all of a turn's CPU, its work before the first token included, over ${replyTokens} tokens; ${Math.round(tokens / done.length)} SSE text events per turn)`,
  );
  console.log(`  event-loop wake-ups per turn ${(wakes / done.length).toFixed(1)} (all web processes)`);
  transactionsLine(transactionsBefore, await databaseTransactions(stack, true), done.length);
}

async function burst(stack: Stack, count: number, processes = 1) {
  const transactionsBefore = await databaseTransactions(stack, true);
  // --marks: the web process's garbage collections during the burst (the probe's counts since its last report).
  const gcReport = async () => (await stack.web.proc.ask<{ gcs: Record<string, [number, number]> }>({ marks: ++probeIds }, (r) => 'gcs' in r)).gcs;
  if (marks) await gcReport();
  const backendsBefore = await backendCpu(stack);
  const before = sumCpu(await stack.web.probe());
  const wakesBefore = wakeUps(stack.web.proc.child.pid!);
  const [ranBefore, waitedBefore] = schedstat(stack.web.proc.child.pid!);
  const stop = sampleRss(stack);
  const wall = performance.now();
  const outcomes: Promise<TurnOutcome>[] = [];
  for (let i = 0; i < count; i++) {
    outcomes.push(chatTurn(stack.web.url, stack.cookies[i % stack.cookies.length], question(i)));
    await sleep(1000 / count);
  }
  const done = await Promise.all(outcomes);
  stop();
  const load = loadAverage();
  const cpu = sumCpu(await stack.web.probe()) - before;
  const wakes = wakeUps(stack.web.proc.child.pid!) - wakesBefore;
  const [ranAfter, waitedAfter] = schedstat(stack.web.proc.child.pid!);
  report(`burst: ${count} turns started within one second${processes > 1 ? `, WEB_CONCURRENCY=${processes}` : ''}`, stack, done, { cpuPerTurn: cpu / done.length, wallMs: performance.now() - wall, target: 'target 0 errors, p95 ≤ 500 ms', rss: await rssLine(stack), load });
  console.log(`  event-loop wake-ups per turn ${(wakes / done.length).toFixed(1)}`);
  // A burst's p95 is the event loop's serial work: its own CPU (process.cpuUsage() also counts V8's helper threads) and
  // the time it was runnable but other processes (Postgres, the mock, other sessions) held the cores.
  if (processes === 1) {
    console.log(
      `  web process main thread per turn: CPU ${ms((ranAfter - ranBefore) / done.length)}, runnable but waiting for a core ${ms((waitedAfter - waitedBefore) / done.length)} (/proc schedstat; ${ms(ranAfter - ranBefore)} / ${ms(waitedAfter - waitedBefore)} in all)`,
    );
  }
  backendCpuLine(backendsBefore, await backendCpu(stack), done.length);
  if (marks) console.log(`  garbage collections in the burst (web process): ${Object.entries(await gcReport()).map(([kind, [n, total]]) => `${kind} ${n} (${total.toFixed(1)} ms)`).join(', ') || 'none'}`);
  transactionsLine(transactionsBefore, await databaseTransactions(stack, true), done.length);
}

export async function run(args: string[]): Promise<void> {
  // --redaction: what "Remove personal details" adds to TTFT against an external provider (chat-redaction.ts).
  if (args.includes('--redaction')) return (await import('./chat-redaction')).run(args);
  buildIfStale({ quiet: true });
  trainSafetyModelIfStale({ quiet: true });
  profile = args.includes('--profile');
  marks = args.includes('--marks');
  warmupTurns = Math.round(option(args, 'warmup', 3));
  dbStats = args.includes('--db-stats');
  // A fresh database beside the one named, dropped after: its text is encrypted with this run's master key.
  const fresh = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL, 'chat') : undefined;
  try {
    await scenarios(args, fresh?.url);
  } finally {
    await fresh?.drop();
  }
}


async function scenarios(args: string[], databaseUrl: string | undefined) {
  const only = (args.find((a) => a.startsWith('--only='))?.split('=')[1] ?? 'sequential,steady,steady2,burst').split(',');
  const env: Env = { databaseUrl, dbLabel: process.env.DATABASE_URL ? 'Postgres from DATABASE_URL' : 'embedded database', users: option(args, 'users', 20) };
  const seconds = option(args, 'seconds', 30);
  const live = option(args, 'live', 100);
  console.log(`bench chat through HTTP on the ${env.dbLabel}; tenant with a published pack (brightmart's documents); ${env.users} signed-in managers; mock provider in its own process`);
  const streamSeconds = (LONG_REPLY.match(/\s*\S+\s*/g)!.length * (1000 / 30)) / 1000;
  if (only.includes('sequential')) {
    await withStack(env, { tokenDelayMs: 20, reply: SHORT_REPLY, concurrency: 1 }, (s) => sequential(s, option(args, 'turns', 40)));
  }
  if (only.includes('steady')) {
    await withStack(env, { tokenDelayMs: 1000 / 30, reply: LONG_REPLY, concurrency: 1 }, (s) =>
      steady(s, live, seconds, streamSeconds, `steady, 1 web process, ${live} live streams of ${Math.round(streamSeconds * 30)} tokens at 30 tok/s`, 'target 0 errors, p95 ≤ 50 ms on real Postgres'),
    );
  }
  if (only.includes('steady2')) {
    const n = option(args, 'concurrency', 2);
    await withStack(env, { tokenDelayMs: 1000 / 30, reply: LONG_REPLY, concurrency: n }, (s) =>
      steady(s, live * 3, seconds, streamSeconds, `steady, WEB_CONCURRENCY=${n}, ${live * 3} live streams`, 'target 0 errors, p95 ≤ 100 ms'),
    );
  }
  if (only.includes('burst')) {
    // --burst-processes=N: the burst on N web processes (WEB_CONCURRENCY=N; default 1, as in the earlier records).
    const processes = option(args, 'burst-processes', 1);
    await withStack(env, { tokenDelayMs: 20, reply: SHORT_REPLY, concurrency: processes }, (s) => burst(s, option(args, 'burst', 100), processes));
  }
}
