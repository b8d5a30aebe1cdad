// Usage metering at scale, on a temporary embedded database (never ./data): inserts 1M usage
// events across 20 tenants through recordUsageEvents (batched), then times each dashboard query
// and the per-turn budget check. Prints insert throughput and p50/p95 per query.
// Targets: >= 5,000 events/s inserted; p95 <= 150 ms per dashboard query.
// Options: --events=N (default 1,000,000) --tenants=N (20) --days=N (120) --rounds=N (3)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeDb, createSql, setDb } from '~/.server/db/client';
import { startEmbeddedDatabase } from '~/.server/db/embedded';
import { migrate } from '~/.server/db/migrate';
import { withSystem, withTenant } from '~/.server/db/tenant';
import { budgetStatus, conversationCost, getUsageDashboard, ttftHistogramByDay, usageByDayAndModel, usageByUser } from '~/.server/metering/dashboard';
import { checkEntitlements, releaseReservation } from '~/.server/metering/entitlements';
import { usageCsvStream } from '~/.server/metering/export';
import { recordUsageEvents, type UsageEventInput, type UsagePurpose } from '~/.server/metering/usage';
import { createTenant } from '~/.server/tenants/tenants';
import { makeUsageRangeSchema, type UsageRange } from '~/lib/budget-form';

const DAY_MS = 86_400_000;
const USERS_PER_TENANT = 50;
const BATCH = 5_000;
const MODELS: Array<{ id: string; provider: string; weight: number }> = [
  { id: 'openai:gpt-4o-mini', provider: 'openai', weight: 5 },
  { id: 'anthropic:claude-sonnet-4', provider: 'anthropic', weight: 1 },
  { id: 'offline-coach', provider: 'offline', weight: 2 },
  { id: 'compat:chat', provider: 'openai-compatible', weight: 1 },
  { id: 'openai:text-embedding-3-small', provider: 'openai', weight: 1 },
];

function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const value = raw === undefined ? fallback : Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

export async function run(args: string[]): Promise<void> {
  const totalEvents = option(args, 'events', 1_000_000);
  const tenantCount = option(args, 'tenants', 20);
  const days = option(args, 'days', 120);
  const rounds = option(args, 'rounds', 3);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-usage-'));
  const database = await startEmbeddedDatabase({ dataDir, owner: 'bench usage' });
  process.env.RAPPORT_DATABASE_URL = database.url;
  const sql = createSql(database.url, 8);
  setDb(sql);
  try {
    await migrate(sql);
    console.log(`database: temporary embedded PGlite in ${dataDir}`);
    const tenants = await makeTenants(tenantCount);
    const now = new Date();

    const insert = await insertEvents(tenants, totalEvents, days, now);
    console.log(
      `insert: ${fmt(insert.events)} events in ${(insert.ms / 1000).toFixed(1)} s = ${fmt(Math.round(insert.events / (insert.ms / 1000)))} events/s ` +
        `(recordUsageEvents, batches of ${fmt(BATCH)}, rollups by trigger; target >= 5,000)`,
    );

    await timeDashboard(tenants, now, rounds);
    await timeEntitlements(tenants);
    await timeCsv(tenants[0], now, days);
  } finally {
    await closeDb();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

type BenchTenant = { id: string; users: string[] };

async function makeTenants(count: number): Promise<BenchTenant[]> {
  const tenants: BenchTenant[] = [];
  for (let t = 0; t < count; t++) {
    const tenant = await createTenant({ slug: `bench-${t}`, name: `Bench ${t}`, settings: { monthlyBudgetUsd: 1_000_000, dailyMessageQuota: 0 } });
    const users = Array.from({ length: USERS_PER_TENANT }, (_, u) => `bench-${t}-u${u}`);
    // Members without passwords: hashing 1,000 passwords would dominate the run.
    await withSystem((tx) => tx`
      insert into app_user (tenant_id, id, email, role)
      select ${tenant.id}, id, id || '@bench.example', 'manager' from unnest(${tx.array(users)}::text[]) as id`);
    tenants.push({ id: tenant.id, users });
  }
  return tenants;
}

/** A deterministic pseudo-random sequence, so runs are comparable. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function insertEvents(tenants: BenchTenant[], total: number, days: number, now: Date) {
  const next = random(42);
  const weights = MODELS.flatMap((m) => Array<typeof m>(m.weight).fill(m));
  const perTenant = Math.ceil(total / tenants.length);
  const conversations = new Map<string, string>();
  let inserted = 0;
  let ms = 0;
  for (let offset = 0; offset < perTenant; offset += BATCH) {
    for (const tenant of tenants) {
      const size = Math.min(BATCH, perTenant - offset, total - inserted);
      if (size <= 0) break;
      const batch: UsageEventInput[] = [];
      for (let i = 0; i < size; i++) {
        const model = weights[Math.floor(next() * weights.length)];
        const user = tenant.users[Math.floor(next() * tenant.users.length)];
        const embedding = model.id.includes('embedding');
        const purpose: UsagePurpose = embedding ? 'embedding' : next() < 0.1 ? 'chat-sensitive' : next() < 0.05 ? 'judge' : 'chat';
        // About eight calls per conversation: a user keeps one conversation for a while.
        const key = `${tenant.id}:${user}`;
        if (!conversations.has(key) || next() < 0.125) conversations.set(key, crypto.randomUUID());
        const input = 200 + Math.floor(next() * 3000);
        batch.push({
          tenantId: tenant.id,
          userId: user,
          conversationId: embedding ? null : conversations.get(key),
          messageId: embedding ? null : crypto.randomUUID(),
          purpose,
          provider: model.provider,
          modelId: model.id,
          inputTokens: input,
          outputTokens: embedding ? 0 : 50 + Math.floor(next() * 600),
          cachedInputTokens: next() < 0.3 ? Math.floor(input / 2) : 0,
          latencyMs: 300 + Math.floor(next() * 4000),
          ttftMs: embedding ? null : 80 + Math.floor(next() * next() * 2500),
          status: next() < 0.02 ? 'error' : 'ok',
          at: new Date(now.getTime() - Math.floor(next() * days * DAY_MS)),
        });
      }
      const started = performance.now();
      inserted += await recordUsageEvents(batch);
      ms += performance.now() - started;
    }
    if (offset > 0 && offset % 10_000 === 0) process.stdout.write(`  … ${fmt(inserted)} events\n`);
  }
  return { events: inserted, ms };
}

async function timeDashboard(tenants: BenchTenant[], now: Date, rounds: number) {
  const schema = makeUsageRangeSchema(() => now);
  const ranges: Array<[string, UsageRange]> = [
    ['last 30 days', schema.parse({})],
    ['last 90 days', schema.parse({ from: new Date(now.getTime() - 89 * DAY_MS).toISOString().slice(0, 10) })],
    ['366 days', schema.parse({ from: new Date(now.getTime() - 365 * DAY_MS).toISOString().slice(0, 10) })],
  ];
  type Query = (tx: Parameters<typeof budgetStatus>[0], tenantId: string, range: UsageRange) => Promise<unknown>;
  const queries: Record<string, Query> = {
    'cost & tokens by day and model': usageByDayAndModel,
    'by user (with member email)': usageByUser,
    'TTFT histogram by day': ttftHistogramByDay,
    'cost per conversation': conversationCost,
    'budget status (month spend)': (tx, tenantId) => budgetStatus(tx, tenantId, now),
  };
  for (const [rangeName, range] of ranges) {
    const samples: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const tenant of tenants) {
        for (const [name, query] of Object.entries(queries)) {
          const started = performance.now();
          await withTenant(tenant.id, (tx) => query(tx, tenant.id, range));
          (samples[name] ??= []).push(performance.now() - started);
        }
        const started = performance.now();
        await getUsageDashboard({ tenantId: tenant.id, range, now });
        (samples['whole page (all of the above, one transaction)'] ??= []).push(performance.now() - started);
      }
    }
    console.log(`dashboard queries, ${rangeName} (${fmt(samples[Object.keys(queries)[0]].length)} samples each; target p95 <= 150 ms per query):`);
    for (const [name, values] of Object.entries(samples)) {
      console.log(`  ${name.padEnd(48)} p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}`);
    }
  }
}

async function timeEntitlements(tenants: BenchTenant[]) {
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const tenant = tenants[i % tenants.length];
    const started = performance.now();
    const decision = await checkEntitlements({
      tenantId: tenant.id,
      userId: tenant.users[i % tenant.users.length],
      modelId: 'openai:gpt-4o-mini',
      estimatedInputTokens: 2_000,
      maxOutputTokens: 800,
    });
    samples.push(performance.now() - started);
    if (decision.reservationId) await releaseReservation({ tenantId: tenant.id, reservationId: decision.reservationId });
  }
  console.log(`checkEntitlements (lock tenant, month spend, reservations, quota, reserve): p50 ${ms(percentile(samples, 50))}  p95 ${ms(percentile(samples, 95))}`);
}

async function timeCsv(tenant: BenchTenant, now: Date, days: number) {
  const range = makeUsageRangeSchema(() => now).parse({ from: new Date(now.getTime() - (Math.min(days, 366) - 1) * DAY_MS).toISOString().slice(0, 10) });
  const started = performance.now();
  const reader = usageCsvStream({ tenantId: tenant.id, range }).getReader();
  let bytes = 0;
  let lines = 0;
  let firstChunkMs: number | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    firstChunkMs ??= performance.now() - started;
    bytes += value.byteLength;
    for (const byte of value) if (byte === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `CSV export of one tenant, ${range.days} days: ${fmt(lines - 1)} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s ` +
      `(${fmt(Math.round((lines - 1) / seconds))} rows/s, first bytes after ${ms(firstChunkMs ?? 0)}; streamed in keyset pages)`,
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;
