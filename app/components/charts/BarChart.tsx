// Vertical bars per category (e.g. cost or tokens per day), optionally stacked by series
// (e.g. by model). Each segment carries a <title> tooltip.
import { Axes, VERTICAL_CHART, plotArea } from './axes';
import { ChartFrame, ChartLegend, type ChartBaseProps } from './ChartFrame';
import { niceTicks, seriesColor } from './scale';

export interface ChartSeries {
  key: string;
  label: string;
  color?: string;
}

export interface BarDatum {
  /** Category, e.g. "2025-03-05". */
  label: string;
  /** Value per series key; missing keys count as 0. */
  values: Record<string, number>;
}

export interface BarChartProps extends ChartBaseProps {
  data: BarDatum[];
  /** One series draws plain bars; several stack in this order from the bottom. */
  series: ChartSeries[];
  formatValue?: (value: number) => string;
  formatLabel?: (label: string) => string;
  xLabel?: string;
  yLabel?: string;
}

const defaultFormat = (value: number) => String(value);

export function BarChart(props: BarChartProps) {
  const { data, series } = props;
  const formatValue = props.formatValue ?? defaultFormat;
  const formatLabel = props.formatLabel ?? ((label: string) => label);
  const area = plotArea();
  const totals = data.map((datum) => series.reduce((sum, s) => sum + Math.max(0, datum.values[s.key] ?? 0), 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1];
  const slot = data.length > 0 ? area.width / data.length : 0;
  const barWidth = Math.max(1, Math.min(48, slot * 0.72));
  const centres = data.map((_, index) => area.left + slot * index + slot / 2);
  const scale = (value: number) => (value / top) * area.height;
  const stacked = series.length > 1;

  return (
    <ChartFrame
      {...props}
      kind="bar-chart"
      // All zero (say, no cost yet): an empty state, not an axis of "<$0.0001" steps.
      isEmpty={data.length === 0 || series.length === 0 || totals.every((t) => t === 0)}
      summary={summarise(data, totals, formatValue, formatLabel)}
      width={VERTICAL_CHART.width}
      height={VERTICAL_CHART.height}
      table={{
        columns: [props.xLabel ?? 'Category', ...series.map((s) => s.label), ...(stacked ? ['Total'] : [])],
        rows: data.map((datum, index) => [
          formatLabel(datum.label),
          ...series.map((s) => formatValue(datum.values[s.key] ?? 0)),
          ...(stacked ? [formatValue(totals[index])] : []),
        ]),
      }}
      legend={stacked ? <ChartLegend items={series.map((s, i) => ({ label: s.label, color: seriesColor(i, s.color) }))} /> : undefined}
    >
      <Axes
        area={area}
        ticks={ticks}
        formatTick={formatValue}
        categoryX={centres}
        categoryLabels={data.map((datum) => formatLabel(datum.label))}
        xLabel={props.xLabel}
        yLabel={props.yLabel}
      />
      <g className="chart__bars">
        {data.map((datum, index) => {
          let base = area.top + area.height;
          return (
            <g key={`${datum.label}-${index}`} className="chart__column" data-label={datum.label}>
              {series.map((s, seriesIndex) => {
                const value = Math.max(0, datum.values[s.key] ?? 0);
                if (value === 0) return null;
                const height = scale(value);
                base -= height;
                const tooltip = stacked
                  ? `${formatLabel(datum.label)} · ${s.label}: ${formatValue(value)} (total ${formatValue(totals[index])})`
                  : `${formatLabel(datum.label)}: ${formatValue(value)}`;
                return (
                  <rect
                    key={s.key}
                    className="chart__bar"
                    data-series={s.key}
                    x={centres[index] - barWidth / 2}
                    y={base}
                    width={barWidth}
                    height={height}
                    fill={seriesColor(seriesIndex, s.color)}
                  >
                    <title>{tooltip}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
      </g>
    </ChartFrame>
  );
}

function summarise(
  data: BarDatum[],
  totals: number[],
  formatValue: (value: number) => string,
  formatLabel: (label: string) => string,
): string {
  if (data.length === 0) return '';
  const peak = totals.indexOf(Math.max(...totals));
  const sum = totals.reduce((a, b) => a + b, 0);
  const span = data.length === 1 ? formatLabel(data[0].label) : `${formatLabel(data[0].label)} to ${formatLabel(data[data.length - 1].label)}`;
  return `Bar chart of ${data.length} ${data.length === 1 ? 'value' : 'values'}, ${span}. Total ${formatValue(sum)}; highest ${formatLabel(data[peak].label)} at ${formatValue(totals[peak])}.`;
}
