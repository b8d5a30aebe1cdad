// Display formatting for the usage console. Deliberately locale-free (no
// toLocaleString) so server and browser render the same text and hydration matches.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12,345" */
export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Dashboard money from integer micro-dollars: cents from $1 up ("$12.35"), up to four
 * decimals below ("$0.0012", "$0.50"), "<$0.0001" for dust, "$0.00" for zero.
 */
export function formatMoneyMicros(micros: number | bigint): string {
  // Chart axes pass fractional micro-dollars (tick steps), so round numbers first.
  const value = typeof micros === 'bigint' ? micros : BigInt(Math.round(micros));
  if (value < 0n) return `-${formatMoneyMicros(-value)}`;
  if (value === 0n) return '$0.00';
  const tenThousandths = (value + 50n) / 100n;
  if (tenThousandths === 0n) return '<$0.0001';
  if (tenThousandths < 10_000n) {
    return `$0.${tenThousandths.toString().padStart(4, '0').replace(/0{1,2}$/, '')}`;
  }
  const cents = (value + 5_000n) / 10_000n;
  return `$${groupThousands((cents / 100n).toString())}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** Token counts: "950", "12.3k", "4.5M", "1.2B". */
export function formatTokens(tokens: number): string {
  const abs = Math.abs(tokens);
  if (abs < 1_000) return String(Math.round(tokens));
  if (abs < 999_950) return `${trimZero((tokens / 1_000).toFixed(1))}k`;
  if (abs < 999_950_000) return `${trimZero((tokens / 1_000_000).toFixed(1))}M`;
  return `${trimZero((tokens / 1_000_000_000).toFixed(1))}B`;
}

/** Latency: "850 ms", "1.24 s", "12.5 s". */
export function formatMs(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${trimZero((ms / 1_000).toFixed(2))} s`;
  return `${trimZero((ms / 1_000).toFixed(1))} s`;
}

/** Plain integers with separators: "1,234,567". */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  return `${rounded < 0 ? '-' : ''}${groupThousands(String(Math.abs(rounded)))}`;
}

/** "2025-03-05" → "Mar 5"; anything else is returned unchanged. */
export function formatShortDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const month = MONTHS[Number(match[2]) - 1];
  return month ? `${month} ${Number(match[3])}` : isoDate;
}

function trimZero(fixed: string): string {
  return fixed.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}
