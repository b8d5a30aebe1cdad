// Throughput and latency of the input safety classifier on one core (this process, one thread):
// messages/s over the labelled fixture, and p50/p99 latency for 2,000-character messages.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifyMessage } from '~/.server/safety/classifier';

const FIXTURE = 'tests/fixtures/safety-messages.jsonl';
const LONG_MESSAGE_CHARS = 2_000;

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 3);
  const texts = readFileSync(resolve(process.cwd(), FIXTURE), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text);

  for (let i = 0; i < 3; i++) for (const t of texts) classifyMessage(t); // warm up the JIT

  let count = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (const t of texts) classifyMessage(t);
    count += texts.length;
  }
  const elapsed = (performance.now() - started) / 1000;
  const meanChars = Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length);
  console.log(`throughput: ${Math.round(count / elapsed).toLocaleString('en-US')} messages/s on one core (fixture of ${texts.length} messages, mean ${meanChars} chars; target >= 10,000)`);

  const long = buildLongMessages(texts, LONG_MESSAGE_CHARS);
  for (const t of long) classifyMessage(t);
  const latencies: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const t of long) {
      const t0 = performance.now();
      classifyMessage(t);
      latencies.push(performance.now() - t0);
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  console.log(`latency for ${LONG_MESSAGE_CHARS}-character messages (${latencies.length} runs): p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, max ${at(1).toFixed(3)} ms (target p99 <= 1 ms)`);
}

/** 2,000-character messages made of fixture text, so they carry the same mix of triggers. */
function buildLongMessages(texts: string[], chars: number): string[] {
  return texts.map((_, i) => {
    let out = '';
    for (let j = i; out.length < chars; j = (j + 7) % texts.length) out += `${texts[j]} `;
    return out.slice(0, chars);
  });
}
