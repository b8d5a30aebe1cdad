// Cost of one model call in integer micro-dollars, computed exactly with BigInt.
//
// Token convention (the AI SDK's): `inputTokens` is ALL input tokens, and
// `cachedInputTokens` is the part of them read from the provider's prompt cache.
// So uncached = input − cached bills at the input price, cached at the cached price
// (or the input price when the model has no cached price). Providers that report cache
// reads separately (Anthropic's raw API) must be added into inputTokens by the caller.
// Cache *writes* are billed at the input price: the price book has no write premium.
import type { PriceEntry } from './prices';

export type CostSource = 'provider' | 'price_book' | 'unpriced';

export interface CostInput {
  /** null/undefined = no price in the book for this model (self-hosted, unknown). */
  price: PriceEntry | null | undefined;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** A cost the provider reported for this call, in dollars; it wins over the price book. */
  providerCostUsd?: number | string | null;
}

export interface CostResult {
  /** Integer micro-dollars (1 = $0.000001). Always a safe integer. */
  costMicros: number;
  /** The price entry's version, null when the price book was not used. */
  priceVersion: string | null;
  /** false means "unpriced": show that, never $0. */
  priced: boolean;
  source: CostSource;
}

const TOKENS_PER_MTOK = 1_000_000n;

export function computeCostMicros(input: CostInput): CostResult {
  const cachedInputTokens = input.cachedInputTokens ?? 0;
  assertTokenCount('inputTokens', input.inputTokens);
  assertTokenCount('outputTokens', input.outputTokens);
  assertTokenCount('cachedInputTokens', cachedInputTokens);
  if (cachedInputTokens > input.inputTokens) {
    throw new RangeError(
      `cachedInputTokens (${cachedInputTokens}) cannot exceed inputTokens (${input.inputTokens}): cached tokens are a subset of input tokens.`,
    );
  }

  const providerMicros = providerCostToMicros(input.providerCostUsd);
  if (providerMicros !== null) {
    return { costMicros: toSafeNumber(providerMicros), priceVersion: null, priced: true, source: 'provider' };
  }
  if (!input.price) return { costMicros: 0, priceVersion: null, priced: false, source: 'unpriced' };

  const price = input.price;
  const uncached = BigInt(input.inputTokens - cachedInputTokens);
  const cached = BigInt(cachedInputTokens);
  const output = BigInt(input.outputTokens);
  const cachedPrice = price.cachedInputMicrosPerMTok ?? price.inputMicrosPerMTok;
  // Sum before dividing so the call is rounded once, not per token class.
  const scaled =
    uncached * price.inputMicrosPerMTok + cached * cachedPrice + output * price.outputMicrosPerMTok;
  return {
    costMicros: toSafeNumber(divideRoundHalfUp(scaled, TOKENS_PER_MTOK)),
    priceVersion: price.version,
    priced: true,
    source: 'price_book',
  };
}

/** Non-negative BigInt division rounded half up (0.5 micro-dollar → 1). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

// A malformed provider figure (negative, NaN, text) is ignored rather than thrown:
// metering must not fail a turn, and the price book still gives a sound cost.
function providerCostToMicros(value: number | string | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(9) : '') : value.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, whole, fraction = ''] = match;
  // Keep one digit beyond micro-dollars to round half up on it.
  const tenthsOfMicros = BigInt(whole) * 10_000_000n + BigInt(fraction.slice(0, 7).padEnd(7, '0'));
  return divideRoundHalfUp(tenthsOfMicros, 10n);
}

function assertTokenCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}.`);
  }
}

function toSafeNumber(micros: bigint): number {
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Cost of ${micros} micro-dollars is beyond the safe integer range.`);
  }
  return Number(micros);
}

/**
 * Exact display of micro-dollars: "$1.234567", "$0.0012", "$12.50", "$1,234.00".
 * Trailing zeros are trimmed down to cents, so nothing is ever rounded away.
 */
export function formatMicros(micros: number | bigint): string {
  const value = BigInt(micros);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const dollars = (absolute / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (absolute % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '-' : ''}$${dollars}.${fraction}`;
}
