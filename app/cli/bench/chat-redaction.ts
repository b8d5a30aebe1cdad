// What redaction adds to the time to first token (issue 12): `npm run bench -- chat --redaction`.
// The mock provider is declared a remote gateway (OPENAI_COMPATIBLE_LOCAL=false), so the app treats it as an
// external provider. Two tenants take turns with the same name-heavy messages: one with "Remove personal details"
// on, one with it off; the difference of their TTFT through the app is what redaction and rehydration add.
//   npm run bench -- chat --redaction [--turns=60] [--token-ms=5]
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
import { Anonymizer } from '~/.server/privacy/anonymize';
import { redactParams } from '~/.server/privacy/redact-turn';
import { startMockOpenAIServer } from '../../../tests/fixtures/mock-openai-server';

const MESSAGES = [
  'Marcus Okafor has been late every shift this week and Priya Raman keeps covering for him. How do I raise it with Marcus?',
  'Aisha Bello (aisha.bello@brightmart.example, 07911 123456) asked me to move her to the Leeds store. What should I check first?',
  'Tomasz Nowak, employee E-204518, told me Jana Novak is pregnant and wants fewer night shifts. How do I handle that well?',
  'Kwame Mensah and Sofia García argued in front of customers at 14 Market Street yesterday. What do I say to each of them?',
];

function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

export async function run(args: string[]): Promise<void> {
  const turns = option(args, 'turns', 60);
  const tokenMs = option(args, 'token-ms', 5);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-redaction-'));
  const externalUrl = process.env.DATABASE_URL;
  const database = externalUrl ? null : await startEmbeddedDatabase({ dataDir, owner: 'bench chat --redaction' });
  const sql = createSql(externalUrl ?? database!.url, 10);
  setDb(sql);
  await migrate(sql);
  // Replies name the first placeholder the provider was given, so rehydration has work to do.
  const mock = await startMockOpenAIServer({
    tokenDelayMs: tokenMs,
    reply: (body) => `Thanks for raising this. Have you asked ${JSON.stringify(body.messages).match(/\[PERSON_\d+\]/)?.[0] ?? 'them'} what is going on this week?`,
  });
  const env: ModelEnv = { OPENAI_COMPATIBLE_BASE_URL: mock.url, OPENAI_COMPATIBLE_CHAT_MODEL: 'bench-model', OPENAI_COMPATIBLE_LOCAL: 'false' };
  try {
    const stamp = Date.now().toString(36);
    const make = async (redact: boolean) => {
      const tenant = await createTenant({ slug: `bench-r${redact ? 'on' : 'off'}-${stamp}`, name: 'Bench Stores', settings: { dailyMessageQuota: 100_000, monthlyBudgetUsd: 1_000_000, redactPersonalDetails: redact } });
      const user = await createMember({ tenantId: tenant.id, email: `bench-${redact ? 'on' : 'off'}@bench.example`, role: 'manager', password: 'bench-password-1', actor: { userId: null, label: 'bench' } });
      return { tenantId: tenant.id, userId: user.id };
    };
    const on = await make(true);
    const off = await make(false);
    const turn = async (who: { tenantId: string; userId: string }, text: string) => {
      const t0 = performance.now();
      const handle = await runTurn({ ...who, text }, { env });
      const reader = turnStreamResponse(handle).body!.getReader();
      const decoder = new TextDecoder();
      let ttft = NaN;
      let buffer = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        buffer += decoder.decode(next.value, { stream: true });
        if (Number.isNaN(ttft) && buffer.includes('"type":"text-delta"')) ttft = performance.now() - t0;
      }
      const result = await handle.result;
      if (result.status !== 'complete') throw new Error(`turn ended ${result.status}: ${result.error}`);
      return { ttft, reply: result.reply };
    };
    for (let i = 0; i < 4; i++) {
      await turn(on, MESSAGES[i % MESSAGES.length]);
      await turn(off, MESSAGES[i % MESSAGES.length]);
    }
    const ttftOn: number[] = [];
    const ttftOff: number[] = [];
    let leaked = 0;
    const before = mock.stats.chatBodies.length;
    for (let i = 0; i < turns; i++) {
      const text = MESSAGES[i % MESSAGES.length];
      // Alternate which goes first so drift on a busy machine falls on both.
      if (i % 2 === 0) {
        ttftOn.push((await turn(on, text)).ttft);
        ttftOff.push((await turn(off, text)).ttft);
      } else {
        ttftOff.push((await turn(off, text)).ttft);
        ttftOn.push((await turn(on, text)).ttft);
      }
    }
    for (const body of mock.stats.chatBodies.slice(before)) {
      const sent = JSON.stringify(body.messages);
      if (sent.includes('[PERSON_') && /Okafor|Raman|Bello|Nowak|Novak|Mensah|García/.test(sent)) leaked += 1;
    }
    const p = (xs: number[], q: number) => percentile(xs, q);
    console.log(`redaction, ${turns} turns each, mock streams a token every ${tokenMs} ms, provider treated as external:`);
    console.log(`  redaction off  TTFT p50 ${ms(p(ttftOff, 0.5))}  p95 ${ms(p(ttftOff, 0.95))}`);
    console.log(`  redaction on   TTFT p50 ${ms(p(ttftOn, 0.5))}  p95 ${ms(p(ttftOn, 0.95))}`);
    console.log(`  added by redaction  p50 ${ms(p(ttftOn, 0.5) - p(ttftOff, 0.5))}  p95 ${ms(p(ttftOn, 0.95) - p(ttftOff, 0.95))}   (target p95 <= 3 ms)`);
    console.log(`  redacted requests that still carried a surname: ${leaked}`);

    // The redaction work itself, in process (what it adds before the request leaves): a prompt with the composed
    // system text and a conversation of six turns, anonymized afresh each time, as a turn does.
    // Each run is a new turn: five earlier texts seen before, one new message never seen.
    const history = [...MESSAGES, MESSAGES[0]];
    const work: number[] = [];
    for (let i = 0; i < 300; i++) {
      const texts = [...history.slice(0, 5), `${MESSAGES[i % MESSAGES.length]} (turn ${i})`];
      const params = {
        prompt: [
          { role: 'system' as const, content: 'Safety rules, policy passages, tone and persona. '.repeat(120) },
          ...texts.map((text, j) => (j % 2 === 0 ? { role: 'user' as const, content: [{ type: 'text' as const, text }] } : { role: 'assistant' as const, content: [{ type: 'text' as const, text }] })),
        ],
      };
      const t0 = performance.now();
      redactParams(params, new Anonymizer({ country: 'GB' }));
      work.push(performance.now() - t0);
    }
    console.log(`  redaction work per turn (6-text context, 1 new text, 300 turns)  p50 ${ms(p(work.slice(20), 0.5))}  p95 ${ms(p(work.slice(20), 0.95))}   (target p95 <= 3 ms)`);
  } finally {
    await mock.close();
    await closeDb();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
