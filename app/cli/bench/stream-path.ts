// The streaming path of a chat turn alone, for one lone stream at a time: the thin OpenAI-compatible
// transport reading the mock provider (its own process), the fallback reader, the output guard, the
// answer checkpoint (its writer a no-op: no database), the turn stream with its PacedSink, and the SSE
// frames written to an HTTP client (its own process) as the web server writes them. CPU per streamed
// token is measured like `bench chat --only=sequential` (process.cpuUsage() from the first text to the
// last, over the provider's tokens after the first), without sign-in, retrieval, the database or the
// bench's IPC probes — so two trees can be compared back to back quickly on a loaded machine. Light
// (one stream, a token every 20 ms): it needs no heavy lock. Figures also split the process's CPU by thread
// (/proc/self/task: the event loop, V8's helper threads, libuv's pool) and count the event loop's wake-ups.
//   npm run bench -- stream-path [--turns=30] [--token-ms=20] [--tokens=37]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AnswerCheckpoint, setCheckpointWriter } from '~/.server/coach/answer-checkpoint';
import { OutputGuard, systemPromptFingerprints } from '~/.server/coach/output-guard';
import { loadPromptFiles, requirePromptFile } from '~/.server/coach/prompt';
import { createTurnStream } from '~/.server/coach/turn-stream';
import { streamWithFallback } from '~/.server/models/stream-with-fallback';
import { writeChunkDirect } from '../../../server/remix-handler';

const option = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

/** Jiffies of each thread of this process, by thread name (utime + stime). */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '#');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone
    }
  }
  return out;
}

function mainThreadWakeUps(): number {
  return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/status`, 'utf8'))?.[1] ?? 0);
}

function startChild(args: string[], ready: RegExp): Promise<{ stop(): void; match: RegExpMatchArray; child: ReturnType<typeof spawn> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, NODE_ENV: 'production' } });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(ready);
      if (match) resolve({ stop: () => child.kill('SIGTERM'), match, child });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

const CLIENT = `
const http = require('node:http');
const url = process.argv[1];
process.on('message', () => {
  http.get(url, (res) => { let n = 0; res.on('data', (c) => (n += c.length)); res.on('end', () => process.send({ bytes: n })); });
});
console.log('client ready');
`;

export async function run(args: string[]) {
  const turns = option(args, 'turns', 30);
  const tokenMs = option(args, 'token-ms', 20);
  const tokenCount = option(args, 'tokens', 37);
  const reply = Array.from({ length: tokenCount }, (_, i) => (i % 9 === 8 ? 'team.' : ['What', 'would', 'a', 'good', 'outcome', 'look', 'like', 'for'][i % 9] ?? 'you')).join(' ');
  const tokens = reply.match(/\s*\S+\s*/g)!.length;
  const mock = await startChild(['--import', 'tsx', 'tests/fixtures/mock-openai-process.ts', JSON.stringify({ tokenDelayMs: tokenMs, reply })], /mock listening at (\S+)/);
  const env = { OPENAI_COMPATIBLE_BASE_URL: mock.match[1], OPENAI_COMPATIBLE_CHAT_MODEL: 'bench-model' };
  setCheckpointWriter(async () => {});
  const files = loadPromptFiles();
  const fingerprints = systemPromptFingerprints(requirePromptFile(files, 'safety-rules').text, requirePromptFile(files, 'persona').text);

  type Sample = { cpuMs: number; wakeUps: number; ticks: Map<string, number> };
  let current: ((s: Sample) => void) | null = null;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' });
    res.flushHeaders();
    let first: { cpu: NodeJS.CpuUsage; wakeUps: number; ticks: Map<string, number> } | null = null;
    let last: Sample | null = null;
    const { turnStream, writer } = createTurnStream(() => {});
    let pending = '';
    const flush = () => {
      const text = pending;
      pending = '';
      if (text && !res.destroyed && !writeChunkDirect(res as never, text)) res.write(text);
    };
    turnStream.attach({
      write: (text) => {
        if (!text) return;
        if (!pending) process.nextTick(flush);
        pending += text;
      },
      end: () => {
        flush();
        res.end();
      },
    });
    void (async () => {
      const fallback = await streamWithFallback({ chain: ['compat:chat'], env, system: 'Be kind.', messages: [{ role: 'user', content: 'hello' }] });
      const guard = new OutputGuard(fingerprints);
      const checkpoint = new AnswerCheckpoint({ tenantId: 't', userId: 'u', conversationId: 'c', messageId: 'm' }, { keepText: false, modelId: 'compat:chat', placeholderAt: Date.now() });
      writer.write({ type: 'text-start', id: 'text-0' });
      for await (const delta of fallback.textDeltas()) {
        const step = guard.push(delta);
        if (!step.ok) break;
        if (step.release) {
          writer.write({ type: 'text-delta', id: 'text-0', delta: step.release });
          checkpoint.push(step.release);
          if (!first) {
            const ticks = threadTicks();
            const wakeUps = mainThreadWakeUps();
            first = { ticks, wakeUps, cpu: process.cpuUsage() };
          }
        }
      }
      // Measured at the last provider token, as the bench's probe at the last text.
      const used = process.cpuUsage(first!.cpu);
      const ticksNow = threadTicks();
      last = {
        cpuMs: (used.user + used.system) / 1000,
        wakeUps: mainThreadWakeUps() - first!.wakeUps,
        ticks: new Map([...ticksNow].map(([k, v]) => [k, v - (first!.ticks.get(k) ?? 0)])),
      };
      await checkpoint.stop();
      await fallback.completion;
      const final = guard.finish();
      if (final.ok && final.release) writer.write({ type: 'text-delta', id: 'text-0', delta: final.release });
      writer.write({ type: 'text-end', id: 'text-0' });
      writer.write({ type: 'finish' });
      writer.close();
      current?.(last);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const client = await startChild(['-e', CLIENT, `http://127.0.0.1:${port}/`], /client ready/);

  const samples: Sample[] = [];
  for (let i = 0; i < turns + 3; i++) {
    const sample = await new Promise<Sample>((resolve) => {
      current = resolve;
      client.child.send('go');
    });
    await new Promise((r) => setTimeout(r, 30));
    if (i >= 3) samples.push(sample); // three warm-up turns
  }
  const perToken = samples.map((s) => s.cpuMs / (tokens - 1)).sort((a, b) => a - b);
  const wakes = samples.map((s) => s.wakeUps / (tokens - 1)).sort((a, b) => a - b);
  const p = (v: number[], q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  const threads = new Map<string, number>();
  for (const s of samples) for (const [k, v] of s.ticks) threads.set(k, (threads.get(k) ?? 0) + v);
  const totalMs = samples.reduce((n, s) => n + s.cpuMs, 0);
  console.log(`stream path, lone stream: ${turns} turns of ${tokens} tokens, a token every ${tokenMs} ms (load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
  console.log(`  CPU per streamed token p50 ${p(perToken, 0.5).toFixed(3)} ms  p25 ${p(perToken, 0.25).toFixed(3)}  p75 ${p(perToken, 0.75).toFixed(3)}; mean ${(totalMs / samples.length / (tokens - 1)).toFixed(3)} ms`);
  console.log(`  event-loop wake-ups per streamed token p50 ${p(wakes, 0.5).toFixed(2)}`);
  console.log(`  CPU by thread over all measured turns (ms, 10 ms ticks): ${[...threads].filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v * 10}`).join(', ')} of ${totalMs.toFixed(0)} ms`);
  client.stop();
  mock.stop();
  server.close();
}
