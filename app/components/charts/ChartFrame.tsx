// The accessible shell every chart shares: a figure with a visible caption, the SVG
// (role="img", labelled by <title>, described by <desc>), a visually hidden data table
// for screen readers, and the empty state.
import type { CSSProperties, ReactNode } from "react";
import { useId } from "react";

export const EMPTY_CHART_TEXT = "No data for this range";

// Inline so the charts need no stylesheet: the standard "visually hidden" pattern.
export const visuallyHidden: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
};

export interface ChartBaseProps {
  /** Visible caption and the SVG's accessible name. */
  title: string;
  /** Accessible description; a summary of the data is generated when omitted. */
  description?: string;
  emptyText?: string;
  className?: string;
}

export interface DataTable {
  columns: string[];
  rows: string[][];
}

interface ChartFrameProps extends ChartBaseProps {
  kind: "bar-chart" | "line-chart" | "horizontal-bars";
  isEmpty: boolean;
  summary: string;
  width: number;
  height: number;
  table: DataTable;
  legend?: ReactNode;
  children: ReactNode;
}

export function ChartFrame(props: ChartFrameProps) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const className = ["chart", `chart--${props.kind}`, props.className]
    .filter(Boolean)
    .join(" ");

  if (props.isEmpty) {
    return (
      <figure
        className={className}
        data-chart={props.kind}
        data-empty="true"
        style={{ margin: 0 }}
      >
        <figcaption className="chart__title">{props.title}</figcaption>
        <p className="chart__empty" role="status">
          {props.emptyText ?? EMPTY_CHART_TEXT}
        </p>
      </figure>
    );
  }

  return (
    <figure
      className={className}
      data-chart={props.kind}
      style={{ margin: 0, position: "relative" }}
    >
      <figcaption className="chart__title">{props.title}</figcaption>
      <svg
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${props.width} ${props.height}`}
        preserveAspectRatio="xMidYMid meet"
        width="100%"
        style={{
          display: "block",
          height: "auto",
          maxWidth: "100%",
          overflow: "visible",
        }}
        fontFamily="inherit"
        fontSize={11}
      >
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{props.description ?? props.summary}</desc>
        {props.children}
      </svg>
      {props.legend}
      {/* The hidden copy of the data sits in a hidden box, not on the table itself: a table is never narrower
          than its columns, so a 1 px table with many columns would widen a phone's page. */}
      <div style={visuallyHidden}>
        <table className="chart__data">
          <caption>{props.title}</caption>
          <thead>
            <tr>
              {props.table.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.table.rows.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {row.map((cell, cellIndex) =>
                  cellIndex === 0 ? (
                    <th key={cellIndex} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={cellIndex}>{cell}</td>
                  )
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

/** A small HTML legend; decorative swatches are hidden from assistive technology. */
export function ChartLegend({ items }: { items: LegendItem[] }) {
  return (
    <ul
      className="chart__legend"
      style={{
        listStyle: "none",
        display: "flex",
        flexWrap: "wrap",
        gap: "0.75rem",
        padding: 0,
        margin: "0.25rem 0 0",
        fontSize: "0.8rem",
      }}
    >
      {items.map((item) => (
        <li
          key={item.label}
          style={{
            display: "inline-flex",
            alignItems: "center",
            gap: "0.3rem",
          }}
        >
          <svg aria-hidden="true" width="14" height="10" viewBox="0 0 14 10">
            {item.dashed ? (
              <line
                x1="0"
                y1="5"
                x2="14"
                y2="5"
                stroke={item.color}
                strokeWidth="2"
                strokeDasharray="3 2"
              />
            ) : (
              <rect width="14" height="10" rx="2" fill={item.color} />
            )}
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}
