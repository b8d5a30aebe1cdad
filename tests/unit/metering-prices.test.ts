import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PriceFileError, findPrice, loadPriceBook, parsePriceBook, usdToMicros } from '~/.server/metering/prices';

const dir = mkdtempSync(join(tmpdir(), 'rapport-prices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writePriceFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const validEntry = {
  model: 'openai:gpt-4o-mini',
  match: '^(openai:)?gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?$',
  inputPerMTokUsd: '0.15',
  outputPerMTokUsd: '0.60',
  cachedInputPerMTokUsd: '0.075',
  effectiveFrom: '2025-01-01',
  version: '2025-01',
};

function refusal(entries: unknown): string {
  try {
    parsePriceBook(entries, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PriceFileError);
    return (error as Error).message;
  }
  throw new Error('expected the price file to be refused');
}

describe('the bundled price file', () => {
  const book = loadPriceBook();

  it('loads and prices the catalogue models', () => {
    for (const model of [
      'offline-coach',
      'offline-embedder',
      'openai:gpt-4o-mini',
      'openai:gpt-4.1',
      'openai:gpt-4.1-mini',
      'openai:text-embedding-3-small',
      'anthropic:claude-3-5-haiku',
      'anthropic:claude-sonnet-4',
    ]) {
      expect(findPrice(book, model, new Date('2025-09-01T00:00:00Z')), model).not.toBeNull();
    }
  });

  it('prices the offline models at zero on purpose', () => {
    const coach = findPrice(book, 'offline-coach', new Date())!;
    expect(coach.inputMicrosPerMTok).toBe(0n);
    expect(coach.outputMicrosPerMTok).toBe(0n);
  });

  it('leaves a self-hosted compatible model unpriced', () => {
    expect(findPrice(book, 'compat:chat', new Date())).toBeNull();
  });

  it('matches provider model ids by pattern without confusing gpt-4.1 and gpt-4.1-mini', () => {
    const at = new Date('2025-09-01T00:00:00Z');
    expect(findPrice(book, 'gpt-4.1-2025-04-14', at)?.model).toBe('openai:gpt-4.1');
    expect(findPrice(book, 'gpt-4.1-mini-2025-04-14', at)?.model).toBe('openai:gpt-4.1-mini');
    expect(findPrice(book, 'claude-3-5-haiku-20241022', at)?.model).toBe('anthropic:claude-3-5-haiku');
    expect(findPrice(book, 'claude-sonnet-4-20250514', at)?.model).toBe('anthropic:claude-sonnet-4');
    expect(findPrice(book, 'claude-sonnet-4-5', at)).toBeNull();
    expect(findPrice(book, 'GPT-4o-mini', at)?.model).toBe('openai:gpt-4o-mini');
  });

  it('loads the same file from a path', () => {
    const path = writePriceFile('copy.json', [validEntry]);
    const fromPath = loadPriceBook(path);
    expect(fromPath.source).toBe(path);
    expect(fromPath.entries[0].inputMicrosPerMTok).toBe(150_000n);
    expect(fromPath.entries[0].cachedInputMicrosPerMTok).toBe(75_000n);
  });
});

describe('a malformed price file is refused with a message naming the entry and field', () => {
  it('refuses a file that is not JSON', () => {
    const path = writePriceFile('broken.json', '[{"model": ');
    expect(() => loadPriceBook(path)).toThrow(PriceFileError);
    expect(() => loadPriceBook(path)).toThrow(/broken\.json is not valid JSON/);
  });

  it('refuses a missing file', () => {
    expect(() => loadPriceBook(join(dir, 'nope.json'))).toThrow(/cannot be read/);
  });

  it('refuses a file that is not a list', () => {
    expect(refusal({ prices: [validEntry] })).toMatch(/must be a JSON array/);
  });

  it('refuses a missing price', () => {
    const { outputPerMTokUsd: _omitted, ...entry } = validEntry;
    expect(refusal([validEntry, { ...entry, model: 'x' }])).toMatch(/entry 1 \(x\): outputPerMTokUsd is required/);
  });

  it('refuses a non-numeric price', () => {
    expect(refusal([{ ...validEntry, inputPerMTokUsd: 'cheap' }])).toMatch(
      /entry 0 \(openai:gpt-4o-mini\): inputPerMTokUsd must be a non-negative decimal string/,
    );
  });

  it('refuses a negative price and one with more than 6 decimals', () => {
    expect(refusal([{ ...validEntry, outputPerMTokUsd: '-1' }])).toMatch(/entry 0 .*outputPerMTokUsd/);
    expect(refusal([{ ...validEntry, outputPerMTokUsd: '0.0000001' }])).toMatch(/at most 6 decimal places/);
  });

  it('refuses a price written as a JSON number (it would not stay exact)', () => {
    expect(refusal([{ ...validEntry, inputPerMTokUsd: 0.15 }])).toMatch(/inputPerMTokUsd must be a decimal string such as "0.15"/);
  });

  it('refuses a bad date', () => {
    expect(refusal([{ ...validEntry, effectiveFrom: '2025-02-30' }])).toMatch(/entry 0 .*effectiveFrom must be a real date/);
    expect(refusal([{ ...validEntry, effectiveFrom: '01/02/2025' }])).toMatch(/effectiveFrom/);
  });

  it('refuses a duplicate model and effective date', () => {
    const message = refusal([validEntry, { ...validEntry, inputPerMTokUsd: '0.2' }]);
    expect(message).toMatch(/entry 1 \(openai:gpt-4o-mini\): effectiveFrom 2025-01-01 duplicates entry 0/);
  });

  it('refuses a bad regular expression', () => {
    expect(refusal([{ ...validEntry, match: '^(gpt-4o' }])).toMatch(/entry 0 .*match is not a valid regular expression/);
  });

  it('refuses a misspelt field rather than silently ignoring it', () => {
    expect(refusal([{ ...validEntry, cachedInputPerMtokUsd: '0.1' }])).toMatch(/cachedInputPerMtokUsd is not a known field/);
  });

  it('refuses an entry without an effective date or version', () => {
    const { effectiveFrom: _date, ...noDate } = validEntry;
    expect(refusal([noDate])).toMatch(/entry 0 .*effectiveFrom is required/);
    const { version: _version, ...noVersion } = validEntry;
    expect(refusal([noVersion])).toMatch(/entry 0 .*version is required/);
  });

  it('refuses an entry without a model', () => {
    const { model: _omitted, ...entry } = validEntry;
    expect(refusal([entry])).toMatch(/entry 0: model is required/);
  });
});

describe('findPrice', () => {
  const book = parsePriceBook(
    [
      { ...validEntry, inputPerMTokUsd: '0.20', effectiveFrom: '2024-07-01', version: 'v1' },
      { ...validEntry, inputPerMTokUsd: '0.15', effectiveFrom: '2025-01-01', version: 'v2' },
      { ...validEntry, inputPerMTokUsd: '0.10', effectiveFrom: '2025-06-01', version: 'v3' },
      { model: 'vendor:wide', match: '^vendor-', inputPerMTokUsd: '1', outputPerMTokUsd: '2', effectiveFrom: '2025-01-01', version: 'w1' },
      { model: 'vendor:narrow', match: '^vendor-small$', inputPerMTokUsd: '9', outputPerMTokUsd: '9', effectiveFrom: '2025-01-01', version: 'n1' },
    ],
    'fixture',
  );

  it('picks the latest price effective at the moment', () => {
    expect(findPrice(book, 'openai:gpt-4o-mini', new Date('2024-12-31T23:59:59Z'))?.version).toBe('v1');
    expect(findPrice(book, 'openai:gpt-4o-mini', new Date('2025-01-01T00:00:00Z'))?.version).toBe('v2');
    expect(findPrice(book, 'openai:gpt-4o-mini', new Date('2025-05-31T12:00:00Z'))?.version).toBe('v2');
    expect(findPrice(book, 'openai:gpt-4o-mini', new Date('2026-01-01T00:00:00Z'))?.version).toBe('v3');
  });

  it('is unpriced before the first effective date', () => {
    expect(findPrice(book, 'openai:gpt-4o-mini', new Date('2024-06-30T00:00:00Z'))).toBeNull();
  });

  it('matches a provider model id by pattern, at the right date', () => {
    expect(findPrice(book, 'gpt-4o-mini-2024-07-18', new Date('2025-03-01T00:00:00Z'))?.version).toBe('v2');
    expect(findPrice(book, 'gpt-4o', new Date('2025-03-01T00:00:00Z'))).toBeNull();
  });

  it('prefers an exact model id over a pattern that also matches it', () => {
    const exactAndPattern = parsePriceBook(
      [
        { model: 'vendor:any', match: '.*', inputPerMTokUsd: '5', outputPerMTokUsd: '5', effectiveFrom: '2025-01-01', version: 'any' },
        { model: 'vendor:exact', inputPerMTokUsd: '1', outputPerMTokUsd: '1', effectiveFrom: '2025-01-01', version: 'exact' },
      ],
      'fixture',
    );
    expect(findPrice(exactAndPattern, 'vendor:exact', new Date('2025-02-01'))?.version).toBe('exact');
    expect(findPrice(exactAndPattern, 'something-else', new Date('2025-02-01'))?.version).toBe('any');
  });

  it('takes the first matching pattern in file order when several match', () => {
    expect(findPrice(book, 'vendor-small', new Date('2025-02-01'))?.model).toBe('vendor:wide');
  });
});

describe('usdToMicros', () => {
  it('converts decimal dollars exactly', () => {
    expect(usdToMicros('0')).toBe(0n);
    expect(usdToMicros('0.075')).toBe(75_000n);
    expect(usdToMicros('15.00')).toBe(15_000_000n);
    expect(usdToMicros('0.000001')).toBe(1n);
    expect(usdToMicros('1234567.5')).toBe(1_234_567_500_000n);
  });
});
