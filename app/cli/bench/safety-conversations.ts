// Replies read with the conversation before them (ADR 075): a short answer to the coach's "Are you
// safe right now?" just after the person's crisis, and the same kind of reply after ordinary talk.
//   npm run bench -- safety-conversations [--verbose]
// Reads tests/fixtures/safety-conversations/<split>.jsonl (id, context: the person's earlier
// messages, text, level) and prints, per file: crisis replies called crisis, and replies after
// ordinary talk that the context raised to a crisis (the message alone is not one).
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyMessage } from '~/.server/safety/classifier';
import type { SafetyLevel } from '~/lib/safety';

const DIR = 'tests/fixtures/safety-conversations';

interface ConversationCase {
  id: string;
  context: string[];
  text: string;
  level: SafetyLevel;
}

export async function run(args: string[]): Promise<void> {
  const verbose = args.includes('--verbose');
  const files = readdirSync(resolve(process.cwd(), DIR)).filter((f) => f.endsWith('.jsonl')).sort();
  for (const file of files) {
    const cases = readFileSync(resolve(process.cwd(), DIR, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as ConversationCase);
    const crisis = cases.filter((c) => c.level === 'crisis');
    const ordinary = cases.filter((c) => c.level !== 'crisis');
    let caught = 0;
    let raised = 0;
    for (const c of cases) {
      const withContext = classifyMessage(c.text, { recentUserMessages: c.context });
      const alone = classifyMessage(c.text);
      if (c.level === 'crisis') {
        if (withContext.level === 'crisis') caught++;
        else if (verbose) console.log(`  missed ${c.id}: ${withContext.level} (${withContext.ruleIds.join(' ') || 'no rule'})`);
      } else if (withContext.level === 'crisis' && alone.level !== 'crisis') {
        raised++;
        if (verbose) console.log(`  raised ${c.id}: ${withContext.ruleIds.join(' ')}`);
      }
    }
    console.log(`${file}: crisis replies called crisis ${caught}/${crisis.length} (${ratio(caught, crisis.length)}); replies after ordinary talk raised to crisis by context ${raised}/${ordinary.length} (${ratio(raised, ordinary.length)})`);
  }
}

function ratio(n: number, d: number): string {
  return d === 0 ? 'n/a' : (n / d).toFixed(3);
}
