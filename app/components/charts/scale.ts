// Axis arithmetic shared by the charts: "nice" round tick values and label thinning.

/** Colour-blind-safe series colours (Okabe–Ito based), in series order. */
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#7B6CC2', '#8C8C1A'];

export function seriesColor(index: number, explicit?: string): string {
  return explicit ?? SERIES_COLORS[index % SERIES_COLORS.length];
}

/** Ticks from 0 to a round maximum covering `max`, about `count` intervals. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const step = niceStep(max / count);
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 2; i++) ticks.push(roundToStep(i * step, step));
  return ticks;
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalized = rough / magnitude;
  const nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 2.5 ? 2.5 : normalized <= 5 ? 5 : 10;
  return nice * magnitude;
}

// Keeps 0.1 + 0.2 style float noise out of tick labels.
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(decimals));
}

/** Which x positions get a visible label: at most `maxLabels`, evenly spaced, last always shown. */
export function labelIndices(count: number, maxLabels = 8): Set<number> {
  const every = Math.max(1, Math.ceil(count / maxLabels));
  const shown = new Set<number>();
  for (let i = 0; i < count; i += every) shown.add(i);
  if (count > 0 && !shown.has(count - 1)) {
    // Avoid two labels colliding at the end.
    if (count - 1 - Math.max(...shown) < every / 2) shown.delete(Math.max(...shown));
    shown.add(count - 1);
  }
  return shown;
}

export function truncateLabel(label: string, maxChars: number): string {
  return label.length <= maxChars ? label : `${label.slice(0, maxChars - 1)}…`;
}
