// `npm run bench -- startup`: time from launch to a healthy /healthz on a first start (empty
// DATA_DIR or a fresh database: create, migrate, seed) and a warm start, and the idle resident
// memory of one web process (WEB_CONCURRENCY=1). With DATABASE_URL the web process runs against
// that Postgres (a fresh database is created beside the one named, and dropped after).
// Targets: warm ≤ 2 s, first ≤ 20 s; idle RSS ≤ 150 MB against an external Postgres (≤ 250 MB
// with the embedded database, which lives in the same process). Builds the app first if needed.
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshBenchDatabase } from '../bench-database';
import { buildIfStale } from '../../../scripts/build-if-stale.mjs';

type Started = { ms: number; pid: number; url: string; stop: () => Promise<void> };

const MASTER_KEY = crypto.randomBytes(32).toString('hex');

async function launch(dataDir: string, databaseUrl: string | undefined): Promise<Started> {
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', WEB_CONCURRENCY: '1', PORT: '0', DATA_DIR: dataDir, DEMO_PASSWORD: 'bench-password-1', RAPPORT_MASTER_KEY: MASTER_KEY };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  // The compiled server, as `npm start` runs it (no tsx loader; scripts/build-server.mjs).
  const child = spawn(process.execPath, ['build/web-server.mjs'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s:\n${out}`)), 120_000);
    child.stdout.on('data', () => {
      const m = out.match(/running at (http:\/\/localhost:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  return {
    ms,
    pid: child.pid!,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function rssMb(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  return kb / 1024;
}

/** The server's ingestion job process (a child of the web process with WEB_CONCURRENCY=1), if running. */
function jobProcessRssMb(pid: number): number | null {
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
        if (fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('ingestion-worker')) return rssMb(Number(child));
      }
    }
  } catch {
    // gone
  }
  return null;
}

export async function run() {
  buildIfStale({ quiet: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-startup-'));
  const external = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL, 'startup') : undefined;
  const databaseUrl = external?.url;
  try {
    const first = await launch(dataDir, databaseUrl);
    await first.stop();
    const warmTimes: number[] = [];
    let idleRss = 0;
    let jobRss: number | null = null;
    for (let i = 0; i < 3; i++) {
      const warm = await launch(dataDir, databaseUrl);
      warmTimes.push(warm.ms);
      if (i === 2) {
        await new Promise((r) => setTimeout(r, 5000));
        idleRss = rssMb(warm.pid);
        jobRss = jobProcessRssMb(warm.pid);
      }
      await warm.stop();
    }
    warmTimes.sort((a, b) => a - b);
    const warm = warmTimes[1];
    const line = (name: string, value: string, target: string, ok: boolean) =>
      console.log(`${name.padEnd(28)} ${value.padStart(10)}   target ${target.padEnd(10)} ${ok ? 'ok' : 'MISSED'}`);
    console.log(`startup benchmark (launch → healthy /healthz), one web process on ${databaseUrl ? 'an external Postgres (DATABASE_URL)' : 'the embedded database'}`);
    line('first start (empty DATA_DIR)', `${(first.ms / 1000).toFixed(2)} s`, '≤ 20 s', first.ms <= 20_000);
    line('warm start (median of 3)', `${(warm / 1000).toFixed(2)} s`, '≤ 2 s', warm <= 2000);
    const rssTarget = databaseUrl ? 150 : 250;
    // One decimal: a web process at 150.4 MB misses a 150 MB target, and "150 MB MISSED" read as a rounding error.
    line('idle RSS after warm start', `${idleRss.toFixed(1)} MB`, `≤ ${rssTarget} MB`, idleRss <= rssTarget);
    if (jobRss !== null) console.log(`${'ingestion job process RSS'.padEnd(28)} ${`${jobRss.toFixed(1)} MB`.padStart(10)}   (its own process, not the web process's target; ADR 038/041)`);
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores)`);
  } finally {
    await external?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
