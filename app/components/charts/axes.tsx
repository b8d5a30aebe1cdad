// Axes for the vertical charts (BarChart, LineChart): horizontal grid lines with value
// ticks on the left, category labels along the bottom, optional axis titles.
import { labelIndices } from './scale';

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Shared geometry: wide enough for "$1,234.56" ticks and a rotated y-axis title. */
export const VERTICAL_CHART = { width: 640, height: 280, margin: { top: 12, right: 16, bottom: 44, left: 76 } };

export function plotArea(): PlotArea {
  const { width, height, margin } = VERTICAL_CHART;
  return { left: margin.left, top: margin.top, width: width - margin.left - margin.right, height: height - margin.top - margin.bottom };
}

interface AxesProps {
  area: PlotArea;
  ticks: number[];
  formatTick: (value: number) => string;
  /** x centre of each category, in SVG units. */
  categoryX: number[];
  categoryLabels: string[];
  xLabel?: string;
  yLabel?: string;
}

export function Axes({ area, ticks, formatTick, categoryX, categoryLabels, xLabel, yLabel }: AxesProps) {
  const top = ticks[ticks.length - 1] || 1;
  const yFor = (value: number) => area.top + area.height - (value / top) * area.height;
  const shown = labelIndices(categoryLabels.length);
  const bottom = area.top + area.height;
  return (
    <g className="chart__axes" aria-hidden="true">
      {ticks.map((tick) => (
        <g key={tick} className="chart__tick">
          <line x1={area.left} x2={area.left + area.width} y1={yFor(tick)} y2={yFor(tick)} stroke="currentColor" strokeOpacity={tick === 0 ? 0.5 : 0.12} />
          <text x={area.left - 6} y={yFor(tick)} dy="0.32em" textAnchor="end" fill="currentColor">
            {formatTick(tick)}
          </text>
        </g>
      ))}
      {categoryLabels.map((label, index) =>
        shown.has(index) ? (
          <text key={index} className="chart__x-label" x={categoryX[index]} y={bottom + 16} textAnchor="middle" fill="currentColor">
            {label}
          </text>
        ) : null,
      )}
      {xLabel ? (
        <text className="chart__axis-title" x={area.left + area.width / 2} y={bottom + 36} textAnchor="middle" fill="currentColor" fontWeight={600}>
          {xLabel}
        </text>
      ) : null}
      {yLabel ? (
        <text
          className="chart__axis-title"
          transform={`translate(14 ${area.top + area.height / 2}) rotate(-90)`}
          textAnchor="middle"
          fill="currentColor"
          fontWeight={600}
        >
          {yLabel}
        </text>
      ) : null}
    </g>
  );
}
