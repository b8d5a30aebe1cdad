// Throughput and latency of the local safety layer on one core (this process, one thread).
//   npm run bench -- safety [--seconds=3] [--rounds=10]
// Prints:
// - throughput over the labelled fixture (messages/s of wall time and of this process's CPU time);
// - per message length (the fixture as written, and messages of 500, 2,000 and 4,000 characters
//   made of fixture text, so they carry the same mix of triggers): latency percentiles of wall
//   time and of CPU time per call, and the 99th percentile of each message's fastest run (its own
//   cost, with other processes' load and GC pauses taken out: the figure that compares builds);
// - the output guard's cost per streamed answer (it runs on every coach turn);
// - the load average before and after, since the machine is shared and wall figures move with it.
// The process is single-threaded; CPU time (process.cpuUsage) counts only this process, so a
// loaded machine shows up as wall > CPU rather than as a slower classifier.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OutputGuard } from '~/.server/coach/output-guard';
import { classifyMessage } from '~/.server/safety/classifier';

const FIXTURE = 'tests/fixtures/safety-messages.jsonl';
const LENGTHS = [500, 2_000, 4_000];
const TARGET_RATE = 10_000;
const TARGET_P99_MS = 1;
const TARGET_P99_CHARS = 2_000;
const ANSWER_CHARS = 1_500;

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 3);
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 10);
  const texts = readFileSync(resolve(process.cwd(), FIXTURE), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const loadBefore = loadavg();
  console.log(`load average before: ${formatLoad(loadBefore)} (2 cores shared; wall figures move with load, CPU figures much less)`);

  const sets: [string, string[]][] = [['fixture', texts], ...LENGTHS.map((n): [string, string[]] => [`${n.toLocaleString('en-US')} chars`, buildLongMessages(texts, n)])];
  // Warm-up: every set several times, so the JIT, the lexicon's word caches and the model are hot.
  for (let i = 0; i < 3; i++) for (const [, set] of sets) for (const t of set) classifyMessage(t);

  let count = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (const t of texts) classifyMessage(t);
    count += texts.length;
  }
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(process.cpuUsage(cpu0));
  const meanChars = Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length);
  console.log(
    `throughput: ${fmt(count / wall)} messages/s of wall time, ${fmt(count / cpu)} messages/s of CPU time, one core ` +
      `(fixture of ${texts.length} messages, mean ${meanChars} chars; target >= ${fmt(TARGET_RATE)})`,
  );

  for (const [name, set] of sets) {
    const walls: number[] = [];
    const cpus: number[] = [];
    const fastest = set.map(() => Infinity);
    for (let round = 0; round < rounds; round++) {
      set.forEach((t, i) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        classifyMessage(t);
        const ms = performance.now() - t0;
        const c = process.cpuUsage(c0);
        walls.push(ms);
        cpus.push((c.user + c.system) / 1000);
        if (ms < fastest[i]) fastest[i] = ms;
      });
    }
    const target = name === `${TARGET_P99_CHARS.toLocaleString('en-US')} chars` ? ` (target p99 <= ${TARGET_P99_MS} ms)` : '';
    console.log(
      `latency, ${name} (${walls.length} runs): wall p50 ${ms3(pct(walls, 0.5))} p90 ${ms3(pct(walls, 0.9))} p99 ${ms3(pct(walls, 0.99))} max ${ms3(pct(walls, 1))} ms; ` +
        `CPU p50 ${ms3(pct(cpus, 0.5))} p99 ${ms3(pct(cpus, 0.99))} ms; fastest run per message p50 ${ms3(pct(fastest, 0.5))} p99 ${ms3(pct(fastest, 0.99))} ms${target}`,
    );
  }

  // The output guard on a streamed answer, word by word, as the coach streams it.
  const answers = buildLongMessages(texts.filter((_, i) => i % 3 === 0), ANSWER_CHARS).slice(0, 60);
  const streamed = answers.map((a) => a.split(/(?<= )/));
  const guardRun = () => {
    for (const words of streamed) {
      const guard = new OutputGuard(['You are Rapport, a coaching assistant for frontline managers; you never diagnose or prescribe.']);
      for (const w of words) if (!guard.push(w).ok) break;
      guard.finish();
    }
  };
  guardRun();
  const guardRounds = 5;
  const g0 = process.cpuUsage();
  const gt = performance.now();
  for (let r = 0; r < guardRounds; r++) guardRun();
  const guardWall = (performance.now() - gt) / (guardRounds * streamed.length);
  const guardCpu = (cpuSeconds(process.cpuUsage(g0)) * 1000) / (guardRounds * streamed.length);
  console.log(`output guard: ${ms3(guardWall)} ms wall, ${ms3(guardCpu)} ms CPU per ${fmt(ANSWER_CHARS)}-character answer streamed word by word (${streamed.length} answers x ${guardRounds})`);
  console.log(`load average after: ${formatLoad(loadavg())}`);
}

/** Messages of `chars` characters made of fixture text, so they carry the same mix of triggers. */
function buildLongMessages(texts: string[], chars: number): string[] {
  return texts.map((_, i) => {
    let out = '';
    for (let j = i; out.length < chars; j = (j + 7) % texts.length) out += `${texts[j]} `;
    return out.slice(0, chars);
  });
}

function pct(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms3 = (n: number) => n.toFixed(3);
const formatLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
