// `npm run bench -- ingest-isolation [--hosts inline,thread,process] [--tenants 4] [--mb 1] [--single-process]`:
// other tenants' retrieval latency while a 1 MB culture pack (10 Markdown files) is ingested, for
// each place the ingestion worker can run (ADR 038):
//   inline   on this process's event loop, as before ADR 038 (the baseline),
//   thread   a worker thread of this process (server/ingestion-worker.ts),
//   process  the job process `npm start` runs (server/ingestion-worker.ts, below-normal priority).
// This process plays a web process: it accepts the upload (document rows + jobs) and meanwhile asks
// retrieval questions (searchPack: query embedding + the hybrid statement) for other tenants, one
// after another with 5 ms between. Prints p50/p95/max of those, the ingestion's wall time and this
// process's event-loop delay. The database is a fresh one on DATABASE_URL's server, or an embedded
// PGlite served by a process of its own, as the cluster primary serves it (--single-process: in
// this process, as with WEB_CONCURRENCY=1). Targets: p95 ≤ 50 ms on a real PostgreSQL, ≤ 100 ms embedded.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openBenchDatabase, type BenchDatabase } from '../bench-database';

type Host = 'inline' | 'thread' | 'process';

const QUESTIONS = [
  'How much notice do I need to give for a shift swap?',
  'What happens if an associate is late three times?',
  'Can I approve holiday during peak season?',
  'How do I report harassment confidentially?',
  'What should I say in a performance conversation?',
  'Who covers the break rota on weekends?',
  'How do I handle a customer who is shouting at an agent?',
  'What is the bereavement leave policy?',
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The demo packs' Markdown, repeated with numbered titles into `fileCount` files of about `totalBytes`. */
function realisticPack(totalBytes: number, fileCount: number, tag: string) {
  const root = path.resolve('tenants');
  const sources = fs.readdirSync(root).flatMap((tenant) => {
    const dir = path.join(root, tenant, 'pack');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
  });
  const perFile = Math.ceil(totalBytes / fileCount);
  return Array.from({ length: fileCount }, (_, d) => {
    const parts = [`# Policy handbook ${tag} ${d + 1}`];
    for (let i = 0; parts.join('\n\n').length < perFile; i += 1) {
      parts.push(sources[(d * 7 + i) % sources.length].replace(/^(#+) (.*)$/gm, (_m, hashes: string, title: string) => `${hashes}# ${title} (${tag} ${d + 1}.${i + 1})`));
    }
    const bytes = new TextEncoder().encode(parts.join('\n\n'));
    return { fileName: `handbook-${d + 1}.md`, bytes, sizeBytes: bytes.byteLength };
  });
}

/** PGlite served on loopback by a process of its own (what the cluster primary does). */
async function embeddedInOwnProcess(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const code = `
    const { startEmbeddedDatabase } = await import(${JSON.stringify(path.resolve('app/.server/db/embedded.ts'))});
    const db = await startEmbeddedDatabase({ dataDir: ${JSON.stringify(dataDir)}, owner: 'bench ingest-isolation', maxConnections: 64 });
    console.log('URL ' + db.url);
    process.on('SIGTERM', async () => { await db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (c) => reject(new Error(`the database process exited (${c})`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts the worker where `host` says; returns how to stop it. */
async function startWorkerOn(host: Host, databaseUrl: string): Promise<() => Promise<void>> {
  const entry = path.resolve('server/ingestion-worker.ts');
  const env = { ...process.env, RAPPORT_DATABASE_URL: databaseUrl, RAPPORT_INGEST_POLL_MS: '100' };
  if (host === 'inline') {
    const { startIngestionWorker } = await import('~/.server/culture/ingest-worker');
    const worker = startIngestionWorker({ pollMs: 100 });
    return () => worker.stop();
  }
  if (host === 'thread') {
    // A .ts entry is loaded through tsx once its hooks are in place (a worker's own entry is not).
    const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
    const worker = new Worker(load, { eval: true, execArgv: [], env });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return async () => {
      worker.postMessage({ type: 'stop' });
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    };
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (c) => reject(new Error(`the job process exited (${c})`)));
  });
  return async () => {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      hosts: { type: 'string', default: 'inline,thread,process' },
      tenants: { type: 'string', default: '4' },
      mb: { type: 'string', default: '1' },
      'single-process': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const hosts = values.hosts.split(',').map((h) => h.trim()) as Host[];
  for (const h of hosts) if (!['inline', 'thread', 'process'].includes(h)) throw new Error(`unknown host ${h}`);
  const started = performance.now();
  const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  process.env.SEED_DEMO = 'false';
  // This process is a web process of the server: uploads only queue jobs.
  process.env.RAPPORT_INGESTION_WORKER = 'process';

  let database: BenchDatabase | undefined;
  let separate: { url: string; stop: () => Promise<void> } | undefined;
  let dataDir: string | undefined;
  if (process.env.DATABASE_URL || values['single-process']) {
    database = await openBenchDatabase({ prefix: 'rapport-bench-ingest', owner: 'bench ingest-isolation' });
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-ingest-'));
    process.env.DATA_DIR = dataDir;
    separate = await embeddedInOwnProcess(dataDir);
    process.env.RAPPORT_DATABASE_URL = separate.url;
    const { createSql, setDb, db } = await import('~/.server/db/client');
    setDb(createSql(separate.url, 4));
    await (await import('~/.server/db/migrate')).migrate(db());
  }
  const databaseUrl = process.env.RAPPORT_DATABASE_URL!;
  const label = database?.label ?? 'embedded database (PGlite) served by a process of its own, as with WEB_CONCURRENCY ≥ 2';

  const { closeDb, db } = await import('~/.server/db/client');
  const { createTenant } = await import('~/.server/tenants/tenants');
  const { acceptUploads, ingestFilesNow } = await import('~/.server/culture/ingest');
  const { getDocuments, PROCESSING_STATUSES } = await import('~/.server/culture/store');
  const { publishDraft } = await import('~/.server/culture/versions');
  const { resolveEmbedder } = await import('~/.server/culture/embed');
  const { searchPack } = await import('~/.server/culture/retrieve');
  try {
    log(`${label}; ${os.availableParallelism()} cores; ${values.mb} MB pack per run; hosts: ${hosts.join(', ')}`);
    const embedder = resolveEmbedder();
    // Other tenants, each with a published pack (the demo packs' Markdown, 0.2 MB each).
    const others: string[] = [];
    for (let t = 0; t < Number(values.tenants); t += 1) {
      const tenant = await createTenant({ slug: `bench-other-${t}`, name: `Other tenant ${t}` });
      await ingestFilesNow({ tenantId: tenant.id, userId: null, files: realisticPack(200 * 1024, 2, `o${t}`) });
      await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'bench' } });
      others.push(tenant.id);
    }
    const [{ n: baseChunks }] = await db()<{ n: number }[]>`select count(*)::int as n from pack_chunk`;
    log(`${others.length} other tenants with published packs (${baseChunks} passages in all)`);

    let q = 0;
    const ask = async () => {
      const t0 = performance.now();
      await searchPack({ tenantId: others[q % others.length], query: QUESTIONS[q % QUESTIONS.length], embedder });
      q += 1;
      return performance.now() - t0;
    };
    for (let i = 0; i < 40; i += 1) await ask(); // warm: modules, plans, caches
    const idle: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      idle.push(await ask());
      await new Promise((r) => setTimeout(r, 5));
    }
    log(`idle (no ingestion): retrieval p50 ${percentile(idle, 50).toFixed(1)} ms, p95 ${percentile(idle, 95).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms`);

    for (const host of hosts) {
      const stopWorker = await startWorkerOn(host, databaseUrl);
      const tenant = await createTenant({ slug: `bench-ingest-${host}`, name: `Ingesting (${host})` });
      const files = realisticPack(Number(values.mb) * 1024 * 1024, 10, host);
      const bytes = files.reduce((s, f) => s + f.sizeBytes, 0);
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const during: number[] = [];
      const t0 = performance.now();
      const outcomes = await acceptUploads({ tenantId: tenant.id, userId: null, files });
      const acceptMs = performance.now() - t0;
      const ids = outcomes.map((o) => o.documentId!).filter(Boolean);
      let ingesting = true;
      const watcher = (async () => {
        while (ingesting) {
          await new Promise((r) => setTimeout(r, 200));
          const docs = await getDocuments({ tenantId: tenant.id, ids });
          if (!docs.some((d) => PROCESSING_STATUSES.includes(d.status))) ingesting = false;
        }
      })();
      while (ingesting) {
        during.push(await ask());
        await new Promise((r) => setTimeout(r, 5));
      }
      await watcher;
      const ingestSeconds = (performance.now() - t0) / 1000;
      loop.disable();
      await stopWorker();
      const docs = await getDocuments({ tenantId: tenant.id, ids });
      const [{ n: chunks }] = await db()<{ n: number }[]>`select count(*)::int as n from pack_chunk where tenant_id = ${tenant.id}`;
      const failed = docs.filter((d) => d.status !== 'ready').length;
      const target = database?.kind === 'server' ? 50 : 100;
      const p95 = percentile(during, 95);
      log(
        `${host.padEnd(7)}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${files.length} files, ${chunks} passages ready in ${ingestSeconds.toFixed(1)} s (upload accepted in ${acceptMs.toFixed(0)} ms)` +
          `${failed ? `, ${failed} NOT READY` : ''}; meanwhile ${during.length} retrievals for other tenants: ` +
          `p50 ${percentile(during, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...during).toFixed(1)} ms   target p95 ≤ ${target} ms ${p95 <= target ? 'ok' : 'MISSED'}; ` +
          `this process's event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`,
      );
    }
    log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (database) await database.close();
    else {
      await closeDb();
      await separate?.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
