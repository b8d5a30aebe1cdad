// Chat latency: the time the app adds before the first token reaches the browser.
// A local mock provider streams at a fixed pace; "mock alone" is a raw HTTP request to it, and
// "through the app" is runTurn() (store message, safety, entitlements, retrieval, prompt, model
// routing, the AI SDK provider) up to the first text-delta in the SSE body the route returns.
// Added = app − mock alone. Runs on a temporary embedded database with a minimal tenant, or on the
// Postgres in DATABASE_URL when set.
//   [DATABASE_URL=postgres://…] npm run bench -- chat [--turns=40] [--concurrent=100] [--token-ms=20] [--redaction]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runTurn } from '~/.server/coach/run-turn';
import { turnStreamResponse } from '~/.server/coach/turn-stream';
import { closeDb, createSql, setDb } from '~/.server/db/client';
import { startEmbeddedDatabase } from '~/.server/db/embedded';
import { migrate } from '~/.server/db/migrate';
import type { ModelEnv } from '~/.server/models/providers';
import { createMember } from '~/.server/tenants/members';
import { createTenant } from '~/.server/tenants/tenants';
import { startMockOpenAIServer } from '../../../tests/fixtures/mock-openai-server';

const REPLY =
  'Thanks for bringing this to me. It sounds like a tricky situation, and it is good that you are taking it seriously. What would a good outcome look like for you and for the team this week?';

function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function run(args: string[]): Promise<void> {
  // --redaction: what "Remove personal details" adds to TTFT against an external provider (chat-redaction.ts).
  if (args.includes('--redaction')) return (await import('./chat-redaction')).run(args);
  const turns = option(args, 'turns', 40);
  const concurrent = option(args, 'concurrent', 100);
  const tokenMs = option(args, 'token-ms', 20);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-chat-'));
  const started = performance.now();
  // DATABASE_URL: a real Postgres (migrated here; the bench adds its own tenant); else a temporary embedded one.
  const externalUrl = process.env.DATABASE_URL;
  const database = externalUrl ? null : await startEmbeddedDatabase({ dataDir, owner: 'bench chat' });
  const url = externalUrl ?? database!.url;
  process.env.RAPPORT_DATABASE_URL = url;
  const sql = createSql(url, 10);
  setDb(sql);
  await migrate(sql);
  const mock = await startMockOpenAIServer({ reply: REPLY, tokenDelayMs: tokenMs });
  const env: ModelEnv = { OPENAI_COMPATIBLE_BASE_URL: mock.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'bench-model' };
  try {
    const tenant = await createTenant({ slug: `bench-${Date.now().toString(36)}`, name: 'Bench Stores', settings: { dailyMessageQuota: 100_000, monthlyBudgetUsd: 1_000_000 } });
    const users: Awaited<ReturnType<typeof createMember>>[] = [];
    for (let i = 0; i < Math.min(concurrent, 10); i++) {
      users.push(await createMember({ tenantId: tenant.id, email: `bench-${i}@bench.example`, role: 'manager', password: 'bench-password-1', actor: { userId: null, label: 'bench' } }));
    }
    console.log(`setup: ${externalUrl ? 'Postgres from DATABASE_URL' : 'embedded database'}, tenant and ${users.length} managers in ${ms(performance.now() - started)}; mock streams a token every ${tokenMs} ms`);

    const mockAlone = async () => {
      const t0 = performance.now();
      const res = await fetch(`${mock.url}/chat/completions`, {
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
    };

    const throughApp = async (userIndex: number, text: string) => {
      const user = users[userIndex % users.length];
      const t0 = performance.now();
      const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text }, { env });
      const reader = turnStreamResponse(handle.stream).body!.getReader();
      const decoder = new TextDecoder();
      let ttft = NaN;
      let buffer = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        buffer += decoder.decode(next.value, { stream: true });
        if (Number.isNaN(ttft) && buffer.includes('"type":"text-delta"')) ttft = performance.now() - t0;
      }
      const result = await handle.result;
      return { ttft, total: performance.now() - t0, ok: result.status === 'complete' && result.modelId === 'compat:chat' };
    };

    // Warm up JIT, connections and prompt files.
    for (let i = 0; i < 3; i++) {
      await mockAlone();
      await throughApp(0, 'Warm-up: how do I run a good huddle?');
    }

    const alone: number[] = [];
    const app: number[] = [];
    for (let i = 0; i < turns; i++) {
      alone.push(await mockAlone());
      app.push((await throughApp(i, `One of my team keeps arriving late to the morning shift (${i}). How do I raise it?`)).ttft);
    }
    const aloneP50 = percentile(alone, 0.5);
    const added = app.map((t) => t - aloneP50);
    console.log(`one user, ${turns} sequential turns:`);
    console.log(`  mock alone TTFT   p50 ${ms(aloneP50)}  p95 ${ms(percentile(alone, 0.95))}`);
    console.log(`  through the app   p50 ${ms(percentile(app, 0.5))}  p95 ${ms(percentile(app, 0.95))}`);
    console.log(`  added by the app  p50 ${ms(percentile(added, 0.5))}  p95 ${ms(percentile(added, 0.95))}   (target p95 <= 30 ms)`);

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const wall = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: concurrent }, (_, i) =>
        throughApp(i, `Conversation ${i}: two of my associates keep swapping shifts without telling me. What should I do?`).catch((error: Error) => ({ ttft: NaN, total: NaN, ok: false, error })),
      ),
    );
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const errors = outcomes.filter((o) => !o.ok || Number.isNaN(o.ttft)).length;
    const concurrentAdded = outcomes.filter((o) => !Number.isNaN(o.ttft)).map((o) => o.ttft - aloneP50);
    const streamMs = REPLY.split(' ').length * tokenMs;
    console.log(`${concurrent} concurrent conversations (each reply ≈ ${streamMs} ms of streaming), wall ${ms(performance.now() - wall)}:`);
    console.log(`  errors ${errors}   (target 0)`);
    console.log(`  added TTFT        p50 ${ms(percentile(concurrentAdded, 0.5))}  p95 ${ms(percentile(concurrentAdded, 0.95))}   (target p95 <= 100 ms)`);
    console.log(`  complete turn     p95 ${ms(percentile(outcomes.map((o) => o.total), 0.95))}`);
    console.log(`  RSS peak ${(peakRss / 1048576).toFixed(0)} MB (before ${(rssBefore / 1048576).toFixed(0)} MB; ${database ? 'includes the embedded database in this process' : 'the database runs elsewhere'})   (target <= 400 MB)`);
    console.log(`  mock server: ${mock.stats.completedStreams} streams completed, ${mock.stats.clientAborts} aborted`);
  } finally {
    await mock.close();
    await closeDb();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
