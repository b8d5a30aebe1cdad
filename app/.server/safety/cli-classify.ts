// `rapport safety classify`: JSON lines {"id","text"} in, one verdict line per input out, in order.
// This is how the classifier is evaluated from outside, so the output shape is exact:
// {"id","level","categories","language"} — or {"id":null,"error"} for a line that cannot be read.
// "language" is the message's ISO 639-1 code, or null when it is too short or ambiguous to tell.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { detectMessageLanguage, preloadLanguageDetector } from '~/.server/i18n/language';
import { classifyMessage } from './classifier';

type OutputLine =
  | { id: string; level: string; categories: string[]; language: string | null }
  | { id: null; error: string };

export async function runSafetyClassify(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  // Loaded while the first line is read (the synchronous load, by path, is slower under tsx).
  const detector = preloadLanguageDetector();
  let loaded = false;
  for await (const line of lines) {
    if (line.trim() === '') continue; // a blank line (e.g. a trailing newline) is not an input
    if (!loaded) await detector;
    loaded = true;
    const ok = output.write(`${JSON.stringify(classifyLine(line))}\n`);
    if (!ok) await once(output, 'drain');
  }
}

export function classifyLine(line: string): OutputLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { id: null, error: 'invalid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { id: null, error: 'expected an object {"id": "...", "text": "..."}' };
  }
  const { id, text } = parsed as { id?: unknown; text?: unknown };
  if (typeof id !== 'string' && typeof id !== 'number') return { id: null, error: '"id" must be a string' };
  if (typeof text !== 'string') return { id: null, error: '"text" must be a string' };
  const verdict = classifyMessage(text);
  return { id: String(id), level: verdict.level, categories: [...verdict.categories], language: detectMessageLanguage(text).language };
}
