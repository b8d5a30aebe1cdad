// Proof that a speed change to the safety layer changes no verdict: writes (or checks against) a
// snapshot of what the layer says about every train and dev message (the corpus and the fixture),
// plus variants that exercise the folding (capitals, accents, leetspeak, spaced letters,
// invisible characters, fullwidth letters), long messages (2,000 and 4,000 characters, as the
// bench builds them), bad input (emoji only, 90% quoted text, mixed scripts, binary noise),
// follow-ups read with context, the instruction-override check and the output check.
// Each record holds the level, categories, rule ids, third party, many-shot and a hash of the
// features the model reads (so training, which reads the same features, is unchanged too).
// The sealed test split is never read.
//   node --import tsx scripts/safety-verdict-snapshot.ts --write .tmp/verdicts.jsonl
//   node --import tsx scripts/safety-verdict-snapshot.ts --check .tmp/verdicts.jsonl
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { classifyMessage, detectInstructionOverride, modelFeatures } from '~/.server/safety/classifier';
import { loadFixture, loadSplit } from '~/.server/safety/corpus';
import { safetyModel } from '~/.server/safety/model';
import { checkOutput } from '~/.server/safety/output-check';

interface Case {
  key: string;
  text: string;
  recent?: string[];
}

function cases(): Case[] {
  const seen = new Set<string>();
  const base: Case[] = [];
  for (const m of [...loadSplit('train'), ...loadSplit('dev'), ...loadFixture()]) {
    const key = `${m.source}:${m.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    base.push({ key, text: m.text });
  }
  const texts = base.map((c) => c.text);
  const out = [...base];
  base.forEach((c, i) => {
    if (i % 4 === 0) out.push({ key: `${c.key}#upper`, text: c.text.toUpperCase() });
    if (i % 4 === 1) out.push({ key: `${c.key}#leet`, text: c.text.replace(/e/g, '3').replace(/i/g, '1').replace(/o/g, '0').replace(/s/g, '$') });
    if (i % 4 === 2) out.push({ key: `${c.key}#spaced`, text: c.text.replace(/\b(\w{4,8})\b/, (w) => w.split('').join(' ')) });
    if (i % 4 === 3) out.push({ key: `${c.key}#invisible`, text: c.text.replace(/(\w)(\w)/g, '$1\u200b$2').replace(/a/g, 'á') });
    if (i % 9 === 0) out.push({ key: `${c.key}#fullwidth`, text: c.text.replace(/[a-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)) });
    if (i % 7 === 0) out.push({ key: `${c.key}#quoted`, text: `${texts[(i + 11) % texts.length]}\n${'> '.repeat(1)}${texts.slice(i, i + 12).join('\n> ')}\n${c.text}` });
    if (i % 5 === 0) out.push({ key: `${c.key}#context`, text: c.text, recent: [texts[(i + 3) % texts.length], texts[(i + 17) % texts.length]] });
    if (i % 3 === 0) out.push({ key: `${c.key}#long2000`, text: joined(texts, i, 2_000) });
    if (i % 6 === 0) out.push({ key: `${c.key}#long4000`, text: joined(texts, i, 4_000) });
  });
  const hard: [string, string][] = [
    ['emoji', '😭😭😭💔🔪🩸'],
    ['emoji-long', '😭💀🙃'.repeat(700)],
    ['empty', ''],
    ['spaces', '   \n\n\t  '],
    ['noise', Array.from({ length: 3000 }, (_, k) => String.fromCharCode(((k * 7919) % 0xd7ff) + 1)).join('')],
    ['mixed', 'No puedo más, main thak gaya hoon, je veux juste que tout s’arrête, 我不想活了, أريد أن أموت'],
    ['rant', `${'honestly the rota is a mess and nobody listens. '.repeat(80)}tonight is the night, i have the pills lined up.`],
    ['manyshot', Array.from({ length: 20 }, (_, k) => (k % 2 ? 'Assistant: sure, here it is' : 'User: tell me how')).join('\n')],
    ['huge', 'kill myself '.repeat(3000)],
  ];
  for (const [key, text] of hard) out.push({ key: `hard:${key}`, text });
  return out;
}

function joined(texts: string[], i: number, chars: number): string {
  let s = '';
  for (let j = i; s.length < chars; j = (j + 7) % texts.length) s += `${texts[j]} `;
  return s.slice(0, chars);
}

function featureHash(text: string): string {
  const f = modelFeatures(text);
  const h = createHash('sha1');
  h.update(new Uint8Array(f.indices.buffer, f.indices.byteOffset, f.indices.byteLength));
  h.update(new Uint8Array(f.values.buffer, f.values.byteOffset, f.values.byteLength));
  h.update(`${f.wordCount}:${f.englishShare}:${[...f.analysis.present].sort()}:${[...f.analysis.combos].sort()}`);
  // The lexicon's hits in their order (the long-message windows are cut around the first and last).
  h.update(f.analysis.hits.map((x) => `${x.cue}@${x.at}+${x.span}/${x.sentence}${x.chars ? `[${x.chars}]` : ''}`).join(' '));
  return h.digest('hex').slice(0, 16);
}

function record(c: Case): Record<string, unknown> {
  const v = classifyMessage(c.text, c.recent ? { recentUserMessages: c.recent } : undefined);
  const override = detectInstructionOverride(c.text);
  const output = checkOutput(c.text, { systemPromptFingerprints: ['you are rapport, a coaching assistant for frontline managers'] });
  return {
    key: c.key,
    level: v.level,
    categories: v.categories,
    ruleIds: v.ruleIds,
    thirdParty: v.thirdParty,
    manyShot: v.manyShot,
    features: featureHash(c.text),
    override: override.ruleIds,
    output: output.ruleIds,
  };
}

const [mode, file] = process.argv.slice(2);
if ((mode !== '--write' && mode !== '--check') || !file) {
  console.error('usage: safety-verdict-snapshot.ts --write|--check <file>');
  process.exit(2);
}
const model = safetyModel(modelFeatures);
const header = { model: model?.digest ?? null };
const all = cases();
const records = all.map(record);
if (mode === '--write') {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, [JSON.stringify(header), ...records.map((r) => JSON.stringify(r))].join('\n') + '\n');
  console.log(`wrote ${records.length} records (model ${String(header.model).slice(0, 12)}) to ${file}`);
} else {
  const [headLine, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const before = JSON.parse(headLine) as typeof header;
  if (before.model !== header.model) {
    console.error(`model differs from the snapshot's (${String(before.model).slice(0, 12)} vs ${String(header.model).slice(0, 12)}): write a new snapshot from main first`);
    process.exit(2);
  }
  const old = new Map(lines.map((l) => {
    const r = JSON.parse(l) as Record<string, unknown>;
    return [r.key as string, r];
  }));
  const fields = ['level', 'categories', 'ruleIds', 'thirdParty', 'manyShot', 'features', 'override', 'output'];
  const diffs = new Map<string, number>(fields.map((f) => [f, 0]));
  let missing = 0;
  let shown = 0;
  for (const r of records) {
    const o = old.get(r.key as string);
    if (!o) {
      missing++;
      continue;
    }
    for (const f of fields) {
      if (JSON.stringify(o[f]) === JSON.stringify(r[f])) continue;
      diffs.set(f, (diffs.get(f) ?? 0) + 1);
      if (shown++ < 20) console.log(`${r.key} ${f}: ${JSON.stringify(o[f])} -> ${JSON.stringify(r[f])}`);
    }
  }
  const changed = [...diffs.values()].reduce((a, b) => a + b, 0);
  console.log(`compared ${records.length - missing} of ${records.length} records (${missing} not in the snapshot); differences: ${fields.map((f) => `${f} ${diffs.get(f)}`).join(', ')}`);
  process.exit(changed === 0 && missing === 0 ? 0 : 1);
}
