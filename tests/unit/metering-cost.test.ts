import { describe, expect, it } from 'vitest';
import { computeCostMicros, divideRoundHalfUp, formatMicros } from '~/.server/metering/cost';
import { findPrice, loadPriceBook, parsePriceBook, type PriceEntry } from '~/.server/metering/prices';

function price(input: string, output: string, cached?: string): PriceEntry {
  const entry = {
    model: 'test:model',
    inputPerMTokUsd: input,
    outputPerMTokUsd: output,
    ...(cached === undefined ? {} : { cachedInputPerMTokUsd: cached }),
    effectiveFrom: '2025-01-01',
    version: 'test-v1',
  };
  return parsePriceBook([entry], 'fixture').entries[0];
}

const book = loadPriceBook();
const at = new Date('2025-09-01T00:00:00Z');
const gpt4oMini = findPrice(book, 'openai:gpt-4o-mini', at)!;

describe('computeCostMicros with the price book', () => {
  it('is exact: 1,234,567 input tokens at $0.15/M cost 185,185 micro-dollars (185,185.05 rounded)', () => {
    const result = computeCostMicros({ price: gpt4oMini, inputTokens: 1_234_567, outputTokens: 0 });
    expect(result).toEqual({ costMicros: 185_185, priceVersion: gpt4oMini.version, priced: true, source: 'price_book' });
  });

  it('adds input and output at their own prices', () => {
    // 1,000 × $0.15/M + 500 × $0.60/M = 150 + 300 micro-dollars
    expect(computeCostMicros({ price: gpt4oMini, inputTokens: 1_000, outputTokens: 500 }).costMicros).toBe(450);
  });

  it('rounds half up', () => {
    const half = price('0.5', '0');
    expect(computeCostMicros({ price: half, inputTokens: 1, outputTokens: 0 }).costMicros).toBe(1); // 0.5 → 1
    expect(computeCostMicros({ price: half, inputTokens: 3, outputTokens: 0 }).costMicros).toBe(2); // 1.5 → 2
    const justUnderHalf = price('0.499999', '0');
    expect(computeCostMicros({ price: justUnderHalf, inputTokens: 1, outputTokens: 0 }).costMicros).toBe(0);
  });

  it('rounds once per call, not once per token class', () => {
    // 0.5 (input) + 0.5 (output) = exactly 1 micro-dollar; rounding each part would give 2.
    const half = price('0.5', '0.5');
    expect(computeCostMicros({ price: half, inputTokens: 1, outputTokens: 1 }).costMicros).toBe(1);
  });

  it('bills cached input tokens, a subset of input tokens, at the cached price', () => {
    // 600k uncached × $0.15 + 400k cached × $0.075 + 200k output × $0.60 = 90,000 + 30,000 + 120,000
    const result = computeCostMicros({ price: gpt4oMini, inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 200_000 });
    expect(result.costMicros).toBe(240_000);
  });

  it('bills cached tokens at the input price when the model has no cached price', () => {
    const noCache = price('0.02', '0');
    const withCached = computeCostMicros({ price: noCache, inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 0 });
    expect(withCached.costMicros).toBe(20_000);
  });

  it('refuses more cached tokens than input tokens, and negative or fractional counts', () => {
    expect(() => computeCostMicros({ price: gpt4oMini, inputTokens: 10, cachedInputTokens: 11, outputTokens: 0 })).toThrow(
      /cannot exceed inputTokens/,
    );
    expect(() => computeCostMicros({ price: gpt4oMini, inputTokens: -1, outputTokens: 0 })).toThrow(/non-negative integer/);
    expect(() => computeCostMicros({ price: gpt4oMini, inputTokens: 1.5, outputTokens: 0 })).toThrow(/non-negative integer/);
  });

  it('handles large volumes exactly', () => {
    const sonnet = findPrice(book, 'anthropic:claude-sonnet-4', at)!;
    // 10M × $3 + 10M × $15 = $180
    expect(computeCostMicros({ price: sonnet, inputTokens: 10_000_000, outputTokens: 10_000_000 }).costMicros).toBe(180_000_000);
  });

  it('prices the offline models at zero and still calls them priced', () => {
    const offline = findPrice(book, 'offline-coach', at)!;
    const result = computeCostMicros({ price: offline, inputTokens: 5_000, outputTokens: 800 });
    expect(result).toMatchObject({ costMicros: 0, priced: true, source: 'price_book' });
  });
});

describe('a provider-reported cost', () => {
  it('wins over the price book', () => {
    const result = computeCostMicros({ price: gpt4oMini, inputTokens: 1_000, outputTokens: 500, providerCostUsd: 0.0123456 });
    expect(result).toEqual({ costMicros: 12_346, priceVersion: null, priced: true, source: 'provider' });
  });

  it('prices a model the book does not know', () => {
    const result = computeCostMicros({ price: null, inputTokens: 1_000, outputTokens: 500, providerCostUsd: '0.0000005' });
    expect(result).toMatchObject({ costMicros: 1, priced: true, source: 'provider' });
  });

  it('is ignored when malformed, falling back to the price book', () => {
    for (const bogus of [-1, Number.NaN, 'n/a', '']) {
      const result = computeCostMicros({ price: gpt4oMini, inputTokens: 1_000, outputTokens: 500, providerCostUsd: bogus });
      expect(result).toMatchObject({ costMicros: 450, source: 'price_book' });
    }
  });
});

describe('an unpriced model', () => {
  it('costs 0 but is marked unpriced, never a priced $0', () => {
    const compat = findPrice(book, 'compat:chat', at);
    const result = computeCostMicros({ price: compat, inputTokens: 1_000, outputTokens: 500 });
    expect(result).toEqual({ costMicros: 0, priceVersion: null, priced: false, source: 'unpriced' });
  });
});

describe('divideRoundHalfUp', () => {
  it('rounds .5 up and below .5 down', () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divideRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divideRoundHalfUp(185_185_050_000n, 1_000_000n)).toBe(185_185n);
  });
});

describe('formatMicros', () => {
  it('shows the exact amount, trimming zeros down to cents', () => {
    expect(formatMicros(1_234_567)).toBe('$1.234567');
    expect(formatMicros(1_200)).toBe('$0.0012');
    expect(formatMicros(0)).toBe('$0.00');
    expect(formatMicros(1_000_000)).toBe('$1.00');
    expect(formatMicros(12_500_000)).toBe('$12.50');
    expect(formatMicros(1_234_500_000n)).toBe('$1,234.50');
    expect(formatMicros(1)).toBe('$0.000001');
    expect(formatMicros(-1_500)).toBe('-$0.0015');
  });
});
