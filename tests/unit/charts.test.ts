import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BarChart, HorizontalBars, LineChart, labelIndices, linePath, niceTicks } from '~/components/charts';
import { formatCount, formatMoneyMicros, formatMs, formatShortDate, formatTokens } from '~/lib/format';

function render(element: React.ReactElement): string {
  return renderToStaticMarkup(element);
}

function count(html: string, pattern: RegExp): number {
  return html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

const days = [
  { label: '2025-03-01', values: { 'openai:gpt-4o-mini': 120_000, 'anthropic:claude-3-5-haiku': 30_000 } },
  { label: '2025-03-02', values: { 'openai:gpt-4o-mini': 250_000, 'anthropic:claude-3-5-haiku': 0 } },
  { label: '2025-03-03', values: { 'openai:gpt-4o-mini': 90_000, 'anthropic:claude-3-5-haiku': 1_500_000 } },
];

function expectAccessibleSvg(html: string, title: string) {
  const svg = /<svg[^>]*role="img"[^>]*>/.exec(html)?.[0];
  expect(svg, 'an svg with role="img"').toBeDefined();
  const labelledBy = /aria-labelledby="([^"]+)"/.exec(svg!)?.[1];
  const describedBy = /aria-describedby="([^"]+)"/.exec(svg!)?.[1];
  expect(html).toContain(`<title id="${labelledBy}">${title}</title>`);
  expect(html).toMatch(new RegExp(`<desc id="${describedBy}">[^<]+</desc>`));
  expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
  // Hidden in a 1 px box, not by styling the table: a table is never narrower than its columns (it widened /hr/safety to 963 px on a phone).
  expect(html).toMatch(/<div style="position:absolute;width:1px;height:1px[^"]*"><table class="chart__data">/);
}

describe('BarChart', () => {
  const stacked = React.createElement(BarChart, {
    title: 'Cost per day',
    data: days,
    series: [
      { key: 'openai:gpt-4o-mini', label: 'GPT-4o mini' },
      { key: 'anthropic:claude-3-5-haiku', label: 'Claude 3.5 Haiku' },
    ],
    formatValue: formatMoneyMicros,
    formatLabel: formatShortDate,
    xLabel: 'Day',
    yLabel: 'Cost (USD)',
  });

  it('draws one segment per non-zero value, stacked by model', () => {
    const html = render(stacked);
    expect(count(html, /<rect class="chart__bar"/)).toBe(5);
    expect(count(html, /data-series="openai:gpt-4o-mini"/)).toBe(3);
    expect(count(html, /data-series="anthropic:claude-3-5-haiku"/)).toBe(2);
    expect(count(html, /class="chart__column"/)).toBe(3);
  });

  it('labels axes and carries tooltips', () => {
    const html = render(stacked);
    expect(html).toContain('>Day</text>');
    expect(html).toContain('>Cost (USD)</text>');
    expect(html).toContain('>Mar 1</text>');
    expect(html).toContain('<title>Mar 3 · Claude 3.5 Haiku: $1.50 (total $1.59)</title>');
    expect(html).toContain('>$0.00</text>'); // y axis starts at zero
  });

  it('is accessible: role, title, description and a hidden data table', () => {
    const html = render(stacked);
    expectAccessibleSvg(html, 'Cost per day');
    expect(html).toContain('Bar chart of 3 values, Mar 1 to Mar 3. Total $1.99; highest Mar 3 at $1.59.');
    expect(html).toContain('<th scope="col">Total</th>');
    expect(html).toContain('<tr><th scope="row">Mar 2</th><td>$0.25</td><td>$0.00</td><td>$0.25</td></tr>');
    expect(html).toContain('class="chart__legend"');
  });

  it('draws plain bars without a legend for one series, and uses a given description', () => {
    const html = render(
      React.createElement(BarChart, {
        title: 'Tokens per day',
        description: 'Tokens used each day.',
        data: days.map((d) => ({ label: d.label, values: { tokens: d.values['openai:gpt-4o-mini'] } })),
        series: [{ key: 'tokens', label: 'Tokens' }],
        formatValue: formatTokens,
      }),
    );
    expect(count(html, /<rect class="chart__bar"/)).toBe(3);
    expect(html).not.toContain('chart__legend');
    expect(html).toMatch(/<desc id="[^"]+">Tokens used each day.<\/desc>/);
    expect(html).toContain('<title>2025-03-02: 250k</title>');
  });

  it('keeps bars inside the plot: the tallest reaches at most the top tick', () => {
    const html = render(stacked);
    const ys = [...html.matchAll(/<rect class="chart__bar"[^>]* y="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(12);
  });

  it('shows the empty state', () => {
    const html = render(React.createElement(BarChart, { title: 'Cost per day', data: [], series: [{ key: 'cost', label: 'Cost' }] }));
    expect(html).toContain('No data for this range');
    expect(html).toContain('role="status"');
    expect(html).not.toContain('<svg');
  });

  it('shows the empty state when every value is zero (no "<$0.0001" axis)', () => {
    const html = render(
      React.createElement(BarChart, {
        title: 'Cost per day',
        data: [{ label: '2025-03-01', values: { cost: 0 } }, { label: '2025-03-02', values: { cost: 0 } }],
        series: [{ key: 'cost', label: 'Cost' }],
        formatValue: formatMoneyMicros,
      }),
    );
    expect(html).toContain('No data for this range');
    expect(html).not.toContain('&lt;$0.0001');
    expect(html).not.toContain('<svg');
  });
});

describe('LineChart', () => {
  const ttft = [
    { label: '2025-03-01', values: { p50: 420, p95: 1_300 } },
    { label: '2025-03-02', values: { p50: null, p95: null } },
    { label: '2025-03-03', values: { p50: 380, p95: 950 } },
    { label: '2025-03-04', values: { p50: 510, p95: 2_400 } },
  ];
  const chart = React.createElement(LineChart, {
    title: 'Time to first token',
    data: ttft,
    series: [
      { key: 'p50', label: 'p50' },
      { key: 'p95', label: 'p95', dashed: true },
    ],
    formatValue: formatMs,
    formatLabel: formatShortDate,
    yLabel: 'Milliseconds',
  });

  it('draws a point per present value and one line per series', () => {
    const html = render(chart);
    expect(count(html, /<circle class="chart__point"/)).toBe(6);
    expect(count(html, /<path class="chart__line"/)).toBe(2);
    expect(html).toContain('<title>Mar 4 · p95: 2.4 s</title>');
    expect(html).toContain('stroke-dasharray="6 4"');
  });

  it('leaves a gap where a day has no value', () => {
    const html = render(chart);
    const firstPath = /<path class="chart__line" d="([^"]+)"/.exec(html)![1];
    expect(count(firstPath, /M/)).toBe(2);
    expect(linePath([1, null, 2, 3], [0, 10, 20, 30], (v) => v)).toBe('M0 1 M20 2 L30 3');
  });

  it('is accessible and summarises each series', () => {
    const html = render(chart);
    expectAccessibleSvg(html, 'Time to first token');
    expect(html).toContain('Line chart, Mar 1 to Mar 4. p50 from 380 ms to 510 ms; p95 from 950 ms to 2.4 s.');
    expect(html).toContain('<tr><th scope="row">Mar 2</th><td>no data</td><td>no data</td></tr>');
    expect(html).toContain('>Milliseconds</text>');
  });

  it('shows the empty state when there are no points or only gaps', () => {
    const series = [{ key: 'p50', label: 'p50' }];
    expect(render(React.createElement(LineChart, { title: 'TTFT', data: [], series }))).toContain('No data for this range');
    const gaps = render(React.createElement(LineChart, { title: 'TTFT', data: [{ label: 'a', values: { p50: null } }], series }));
    expect(gaps).toContain('No data for this range');
  });
});

describe('HorizontalBars', () => {
  const byModel = [
    { label: 'openai:gpt-4.1', value: 4_200_000 },
    { label: 'openai:gpt-4o-mini', value: 2_100_000 },
    { label: 'compat:chat', value: 0, valueText: 'unpriced' },
  ];

  it('draws one bar per row, widths proportional to the value', () => {
    const html = render(React.createElement(HorizontalBars, { title: 'Cost by model', data: byModel, formatValue: formatMoneyMicros }));
    const widths = [...html.matchAll(/<rect class="chart__bar"[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    expect(widths[1]).toBeCloseTo(widths[0] / 2, 5);
    expect(widths[2]).toBe(0);
  });

  it('shows "unpriced" rather than $0 for a model without a price', () => {
    const html = render(React.createElement(HorizontalBars, { title: 'Cost by model', data: byModel, formatValue: formatMoneyMicros }));
    expect(html).toContain('>unpriced</text>');
    expect(html).toContain('<title>compat:chat: unpriced</title>');
    expect(html).not.toContain('>$0.00<');
  });

  it('is accessible, names its table columns and truncates long labels visibly only', () => {
    const long = 'a.very.long.manager.name@brightmart.example';
    const html = render(
      React.createElement(HorizontalBars, {
        title: 'Cost by user',
        data: [{ label: long, value: 10 }],
        labelHeading: 'Manager',
        valueHeading: 'Cost',
      }),
    );
    expectAccessibleSvg(html, 'Cost by user');
    expect(html).toContain('<th scope="col">Manager</th><th scope="col">Cost</th>');
    expect(html).toContain('>a.very.long.manager.n…</text>');
    expect(html).toContain(`<th scope="row">${long}</th>`);
  });

  it('draws at most `limit` rows but keeps every row in the data table', () => {
    const data = Array.from({ length: 20 }, (_, i) => ({ label: `user-${i}`, value: 100 - i }));
    const html = render(React.createElement(HorizontalBars, { title: 'Cost by user', data, limit: 5 }));
    expect(count(html, /<rect class="chart__bar"/)).toBe(5);
    expect(count(html, /<th scope="row">user-/)).toBe(20);
    expect(html).toContain('15 more not drawn.');
  });

  it('shows the empty state', () => {
    const html = render(React.createElement(HorizontalBars, { title: 'Cost by user', data: [], emptyText: undefined }));
    expect(html).toContain('<p class="chart__empty" role="status">No data for this range</p>');
  });
});

describe('axis helpers', () => {
  it('computes nice ticks from zero', () => {
    expect(niceTicks(1_590_000)).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000]);
    expect(niceTicks(2_400)).toEqual([0, 1_000, 2_000, 3_000]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('thins x labels on long ranges and keeps the last one', () => {
    const shown = labelIndices(30);
    expect(shown.size).toBeLessThanOrEqual(9);
    expect(shown.has(0)).toBe(true);
    expect(shown.has(29)).toBe(true);
    expect(labelIndices(5).size).toBe(5);
  });
});

describe('format helpers', () => {
  it('formats money from micro-dollars for the dashboard', () => {
    expect(formatMoneyMicros(0)).toBe('$0.00');
    expect(formatMoneyMicros(12_345_678)).toBe('$12.35');
    expect(formatMoneyMicros(1_234_567_890n)).toBe('$1,234.57');
    expect(formatMoneyMicros(1_200)).toBe('$0.0012');
    expect(formatMoneyMicros(500_000)).toBe('$0.50');
    expect(formatMoneyMicros(999_999)).toBe('$1.00');
    expect(formatMoneyMicros(40)).toBe('<$0.0001');
    expect(formatMoneyMicros(-2_500_000)).toBe('-$2.50');
    expect(formatMoneyMicros(250_000.4)).toBe('$0.25');
  });

  it('formats tokens with k and M', () => {
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(1_000)).toBe('1k');
    expect(formatTokens(12_345)).toBe('12.3k');
    expect(formatTokens(999_999)).toBe('1M');
    expect(formatTokens(4_500_000)).toBe('4.5M');
    expect(formatTokens(2_000_000_000)).toBe('2B');
  });

  it('formats milliseconds and counts', () => {
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(999.7)).toBe('1 s');
    expect(formatMs(1_240)).toBe('1.24 s');
    expect(formatMs(12_500)).toBe('12.5 s');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatShortDate('2025-12-25')).toBe('Dec 25');
    expect(formatShortDate('not a date')).toBe('not a date');
  });
});
