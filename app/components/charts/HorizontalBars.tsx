// Ranked horizontal bars, e.g. cost by user or by model. A datum may carry its own
// value text, so an unpriced model reads "unpriced" instead of "$0.00".
import { ChartFrame, type ChartBaseProps } from './ChartFrame';
import { seriesColor, truncateLabel } from './scale';

export interface HorizontalBarDatum {
  label: string;
  value: number;
  /** Shown instead of formatValue(value), e.g. "unpriced". */
  valueText?: string;
}

export interface HorizontalBarsProps extends ChartBaseProps {
  data: HorizontalBarDatum[];
  formatValue?: (value: number) => string;
  /** Rows drawn; the rest are counted in the description and table. Default 12. */
  limit?: number;
  /** Column heading for labels in the data table, e.g. "Model". */
  labelHeading?: string;
  valueHeading?: string;
  color?: string;
}

// Drawn at about the width of the half-page card it sits in, so its text renders near its CSS size:
// at 640 wide the SVG was scaled to ~0.6 and its labels read at about 7 px.
const LAYOUT = { width: 420, rowHeight: 28, barHeight: 18, top: 6, bottom: 6, labelWidth: 160, valueWidth: 92 };
const LABEL_CHARS = 22;

export function HorizontalBars(props: HorizontalBarsProps) {
  const formatValue = props.formatValue ?? ((value: number) => String(value));
  const limit = props.limit ?? 12;
  const rows = props.data.slice(0, limit);
  const hidden = props.data.length - rows.length;
  const max = Math.max(0, ...rows.map((row) => row.value));
  const barSpace = LAYOUT.width - LAYOUT.labelWidth - LAYOUT.valueWidth;
  const height = LAYOUT.top + rows.length * LAYOUT.rowHeight + LAYOUT.bottom;
  const color = seriesColor(0, props.color);
  const text = (row: HorizontalBarDatum) => row.valueText ?? formatValue(row.value);

  return (
    <ChartFrame
      {...props}
      kind="horizontal-bars"
      isEmpty={props.data.length === 0}
      summary={summarise(props.data, hidden, text)}
      width={LAYOUT.width}
      height={height}
      table={{
        columns: [props.labelHeading ?? 'Name', props.valueHeading ?? 'Value'],
        rows: props.data.map((row) => [row.label, text(row)]),
      }}
    >
      {rows.map((row, index) => {
        const y = LAYOUT.top + index * LAYOUT.rowHeight;
        const barWidth = max > 0 ? (Math.max(0, row.value) / max) * barSpace : 0;
        const middle = y + LAYOUT.rowHeight / 2;
        return (
          <g key={`${row.label}-${index}`} className="chart__row" data-label={row.label}>
            <title>{`${row.label}: ${text(row)}`}</title>
            <text className="chart__row-label" x={LAYOUT.labelWidth - 8} y={middle} dy="0.32em" textAnchor="end" fill="currentColor">
              {truncateLabel(row.label, LABEL_CHARS)}
            </text>
            <rect
              className="chart__bar"
              x={LAYOUT.labelWidth}
              y={middle - LAYOUT.barHeight / 2}
              width={barWidth}
              height={LAYOUT.barHeight}
              rx={2}
              fill={color}
            />
            <text className="chart__row-value" x={LAYOUT.labelWidth + barWidth + 6} y={middle} dy="0.32em" fill="currentColor">
              {text(row)}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

function summarise(data: HorizontalBarDatum[], hidden: number, text: (row: HorizontalBarDatum) => string): string {
  if (data.length === 0) return '';
  const listed = data.slice(0, 3).map((row) => `${row.label} ${text(row)}`).join(', ');
  const more = hidden > 0 ? ` ${hidden} more not drawn.` : '';
  return `Bar chart of ${data.length} ${data.length === 1 ? 'entry' : 'entries'}. ${data.length > 3 ? 'First three' : 'Values'}: ${listed}.${more}`;
}
