// Language detection on short chat messages (ADR 010): per-language accuracy of the app's detector
// (eld, restricted to the supported languages, unsure answers withheld) over
// tests/fixtures/language-messages.jsonl, how often it withholds, and the time per message.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { detectMessageLanguage } from '~/.server/i18n/language';
import { SUPPORTED_LANGUAGES } from '~/lib/i18n';

const FIXTURE = 'tests/fixtures/language-messages.jsonl';

export async function run(): Promise<void> {
  const rows = readFileSync(resolve(process.cwd(), FIXTURE), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { lang: string; text: string });
  const per = new Map<string, { right: number; wrong: number; unsure: number }>();
  for (const row of rows) {
    const got = detectMessageLanguage(row.text).language;
    const entry = per.get(row.lang) ?? { right: 0, wrong: 0, unsure: 0 };
    if (got === null) entry.unsure += 1;
    else if (got === row.lang) entry.right += 1;
    else entry.wrong += 1;
    per.set(row.lang, entry);
  }
  console.log(`language detection over ${rows.length} messages of 5–200 characters (${FIXTURE})`);
  console.log('lang  right  wrong  unsure (falls back to the conversation / tenant language)');
  let right = 0;
  let wrong = 0;
  let unsure = 0;
  for (const lang of SUPPORTED_LANGUAGES) {
    const e = per.get(lang) ?? { right: 0, wrong: 0, unsure: 0 };
    right += e.right;
    wrong += e.wrong;
    unsure += e.unsure;
    console.log(`${lang.padEnd(4)}  ${String(e.right).padStart(5)}  ${String(e.wrong).padStart(5)}  ${String(e.unsure).padStart(6)}`);
  }
  console.log(`all   ${right}/${rows.length} right (${(right / rows.length).toFixed(3)}), ${wrong} wrong, ${unsure} unsure`);

  for (let i = 0; i < 5; i++) for (const row of rows) detectMessageLanguage(row.text);
  const rounds = 50;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) for (const row of rows) detectMessageLanguage(row.text);
  const perMessageUs = ((performance.now() - started) * 1000) / (rounds * rows.length);
  const long = 'Estoy harta de los turnos, nadie me escucha y todo sale mal. '.repeat(70).slice(0, 4000);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) detectMessageLanguage(long);
  const longUs = ((performance.now() - t0) * 1000) / 200;
  console.log(`time: ${perMessageUs.toFixed(1)} µs per short message, ${longUs.toFixed(1)} µs for a 4,000-character message (one core)`);
}
