// Lines over time, e.g. time to first token p50 and p95 per day. A null value leaves a
// gap in its line instead of pretending the value was zero.
import { Axes, VERTICAL_CHART, plotArea } from './axes';
import { ChartFrame, ChartLegend, type ChartBaseProps } from './ChartFrame';
import { niceTicks, seriesColor } from './scale';

export interface LineSeries {
  key: string;
  label: string;
  color?: string;
  /** Dashed lines tell series apart without relying on colour. */
  dashed?: boolean;
}

export interface LinePoint {
  label: string;
  values: Record<string, number | null | undefined>;
}

export interface LineChartProps extends ChartBaseProps {
  data: LinePoint[];
  series: LineSeries[];
  formatValue?: (value: number) => string;
  formatLabel?: (label: string) => string;
  xLabel?: string;
  yLabel?: string;
}

const defaultFormat = (value: number) => String(value);

export function LineChart(props: LineChartProps) {
  const { data, series } = props;
  const formatValue = props.formatValue ?? defaultFormat;
  const formatLabel = props.formatLabel ?? ((label: string) => label);
  const area = plotArea();
  const present = data.flatMap((point) => series.map((s) => point.values[s.key]).filter(isNumber));
  const ticks = niceTicks(Math.max(0, ...present));
  const top = ticks[ticks.length - 1];
  const slot = data.length > 0 ? area.width / data.length : 0;
  const xs = data.map((_, index) => area.left + slot * index + slot / 2);
  const yFor = (value: number) => area.top + area.height - (Math.max(0, value) / top) * area.height;

  return (
    <ChartFrame
      {...props}
      kind="line-chart"
      isEmpty={data.length === 0 || series.length === 0 || present.length === 0}
      summary={summarise(data, series, formatValue, formatLabel)}
      width={VERTICAL_CHART.width}
      height={VERTICAL_CHART.height}
      table={{
        columns: [props.xLabel ?? 'Category', ...series.map((s) => s.label)],
        rows: data.map((point) => [
          formatLabel(point.label),
          ...series.map((s) => {
            const value = point.values[s.key];
            return isNumber(value) ? formatValue(value) : 'no data';
          }),
        ]),
      }}
      legend={<ChartLegend items={series.map((s, i) => ({ label: s.label, color: seriesColor(i, s.color), dashed: s.dashed }))} />}
    >
      <Axes
        area={area}
        ticks={ticks}
        formatTick={formatValue}
        categoryX={xs}
        categoryLabels={data.map((point) => formatLabel(point.label))}
        xLabel={props.xLabel}
        yLabel={props.yLabel}
      />
      {series.map((s, seriesIndex) => {
        const color = seriesColor(seriesIndex, s.color);
        return (
          <g key={s.key} className="chart__series" data-series={s.key}>
            <path
              className="chart__line"
              d={linePath(data.map((point) => point.values[s.key]), xs, yFor)}
              fill="none"
              stroke={color}
              strokeWidth={2}
              strokeDasharray={s.dashed ? '6 4' : undefined}
              strokeLinejoin="round"
              strokeLinecap="round"
            />
            {data.map((point, index) => {
              const value = point.values[s.key];
              if (!isNumber(value)) return null;
              return (
                <circle key={index} className="chart__point" data-series={s.key} cx={xs[index]} cy={yFor(value)} r={3.5} fill={color}>
                  <title>{`${formatLabel(point.label)} · ${s.label}: ${formatValue(value)}`}</title>
                </circle>
              );
            })}
          </g>
        );
      })}
    </ChartFrame>
  );
}

/** SVG path through the present values; each null starts a new segment. */
export function linePath(values: Array<number | null | undefined>, xs: number[], yFor: (value: number) => number): string {
  let path = '';
  let drawing = false;
  values.forEach((value, index) => {
    if (!isNumber(value)) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${round(xs[index])} ${round(yFor(value))} `;
    drawing = true;
  });
  return path.trim();
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function summarise(
  data: LinePoint[],
  series: LineSeries[],
  formatValue: (value: number) => string,
  formatLabel: (label: string) => string,
): string {
  if (data.length === 0) return '';
  const span = data.length === 1 ? formatLabel(data[0].label) : `${formatLabel(data[0].label)} to ${formatLabel(data[data.length - 1].label)}`;
  const parts = series.map((s) => {
    const values = data.map((point) => point.values[s.key]).filter(isNumber);
    if (values.length === 0) return `${s.label}: no data`;
    return `${s.label} from ${formatValue(Math.min(...values))} to ${formatValue(Math.max(...values))}`;
  });
  return `Line chart, ${span}. ${parts.join('; ')}.`;
}
