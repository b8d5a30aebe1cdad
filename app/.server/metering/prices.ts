// The price book: per-model token prices read from prices.json (see PRICES.md).
// Prices stay decimal strings in the file and become BigInt micro-dollars here, so
// cost arithmetic never touches floating point.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import bundledPrices from './prices.json';

/** A price entry ready for arithmetic. Prices are micro-dollars per million tokens. */
export interface PriceEntry {
  model: string;
  match: RegExp | null;
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  /** null = the provider has no cached-input discount; cached tokens bill at the input price. */
  cachedInputMicrosPerMTok: bigint | null;
  effectiveFrom: Date;
  version: string;
  /** Position in the file, for messages and tie-breaks. */
  index: number;
}

export interface PriceBook {
  source: string;
  entries: readonly PriceEntry[];
}

export class PriceFileError extends Error {
  override name = 'PriceFileError';
}

const DECIMAL_PRICE = /^\d{1,7}(\.\d{1,6})?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const priceString = z
  .string({
    required_error: 'is required (a decimal string such as "0.15")',
    invalid_type_error: 'must be a decimal string such as "0.15" (a string keeps the price exact)',
  })
  .regex(DECIMAL_PRICE, 'must be a non-negative decimal string with at most 6 decimal places, such as "0.15"');

const priceEntrySchema = z
  .object({
    model: z.string({ required_error: 'is required' }).trim().min(1, 'must not be empty').max(200),
    match: z.string().min(1, 'must not be empty when present').max(500).optional(),
    inputPerMTokUsd: priceString,
    outputPerMTokUsd: priceString,
    cachedInputPerMTokUsd: priceString.optional(),
    effectiveFrom: z
      .string({ required_error: 'is required (YYYY-MM-DD)', invalid_type_error: 'must be a date string YYYY-MM-DD' })
      .refine(isCalendarDate, 'must be a real date written YYYY-MM-DD'),
    version: z.string({ required_error: 'is required' }).trim().min(1, 'must not be empty').max(40),
  })
  .strict();

type RawPriceEntry = z.infer<typeof priceEntrySchema>;

/**
 * Reads and validates a price file. Without a path, validates the prices.json bundled
 * with the app (bundled so the built server does not depend on the source tree).
 * Throws PriceFileError naming the entry and field on the first problem found.
 */
export function loadPriceBook(path?: string): PriceBook {
  if (!path) return parsePriceBook(bundledPrices, 'app/.server/metering/prices.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PriceFileError(`Price file ${path} cannot be read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PriceFileError(`Price file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePriceBook(raw, path);
}

let defaultBook: PriceBook | null = null;
/** The bundled price book, validated once per process. */
export function getDefaultPriceBook(): PriceBook {
  defaultBook ??= loadPriceBook();
  return defaultBook;
}

export function parsePriceBook(raw: unknown, source: string): PriceBook {
  if (!Array.isArray(raw)) {
    throw new PriceFileError(`Price file ${source} must be a JSON array of price entries.`);
  }
  const entries = raw.map((item, index) => toPriceEntry(item, index, source));
  assertNoDuplicates(entries, source);
  return { source, entries };
}

function toPriceEntry(item: unknown, index: number, source: string): PriceEntry {
  const parsed = priceEntrySchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(entry)';
    const message = issue.code === 'unrecognized_keys' ? 'is not a known field (check the spelling)' : issue.message;
    throw new PriceFileError(`Price file ${source}, entry ${index}${modelLabel(item)}: ${field} ${message}.`);
  }
  const entry: RawPriceEntry = parsed.data;
  return {
    model: entry.model,
    match: entry.match === undefined ? null : compileMatch(entry.match, index, entry.model, source),
    inputMicrosPerMTok: usdToMicros(entry.inputPerMTokUsd),
    outputMicrosPerMTok: usdToMicros(entry.outputPerMTokUsd),
    cachedInputMicrosPerMTok:
      entry.cachedInputPerMTokUsd === undefined ? null : usdToMicros(entry.cachedInputPerMTokUsd),
    effectiveFrom: new Date(`${entry.effectiveFrom}T00:00:00Z`),
    version: entry.version,
    index,
  };
}

// Case-insensitive because gateways (Azure deployments, proxies) vary the case of model ids.
function compileMatch(pattern: string, index: number, model: string, source: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch (error) {
    throw new PriceFileError(
      `Price file ${source}, entry ${index} (${model}): match is not a valid regular expression: ${(error as Error).message}.`,
    );
  }
}

function assertNoDuplicates(entries: readonly PriceEntry[], source: string): void {
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.model}\u0000${entry.effectiveFrom.getTime()}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const day = entry.effectiveFrom.toISOString().slice(0, 10);
      throw new PriceFileError(
        `Price file ${source}, entry ${entry.index} (${entry.model}): effectiveFrom ${day} duplicates entry ${earlier}; ` +
          'each model may have one price per effective date.',
      );
    }
    seen.set(key, entry.index);
  }
}

/**
 * The price in effect for a model at a moment: the latest effectiveFrom ≤ at.
 * Exact catalogue id first; only a model absent from the book by id is tried against
 * `match` patterns (file order breaks ties). null means unpriced.
 */
export function findPrice(book: PriceBook, modelId: string, at: Date): PriceEntry | null {
  const exact = book.entries.filter((entry) => entry.model === modelId);
  if (exact.length > 0) return latestEffective(exact, at);
  const matched = book.entries.filter((entry) => entry.match?.test(modelId));
  return latestEffective(matched, at);
}

function latestEffective(candidates: readonly PriceEntry[], at: Date): PriceEntry | null {
  let best: PriceEntry | null = null;
  for (const entry of candidates) {
    if (entry.effectiveFrom.getTime() > at.getTime()) continue;
    if (!best || entry.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = entry;
  }
  return best;
}

/** "0.15" (dollars) → 150000n (micro-dollars), exactly. Input already validated. */
export function usdToMicros(decimal: string): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}

function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function modelLabel(item: unknown): string {
  if (item && typeof item === 'object' && typeof (item as { model?: unknown }).model === 'string') {
    return ` (${(item as { model: string }).model})`;
  }
  return '';
}
