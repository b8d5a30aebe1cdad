export { BarChart, type BarChartProps, type BarDatum, type ChartSeries } from './BarChart';
export { LineChart, linePath, type LineChartProps, type LinePoint, type LineSeries } from './LineChart';
export { HorizontalBars, type HorizontalBarDatum, type HorizontalBarsProps } from './HorizontalBars';
export { EMPTY_CHART_TEXT, type ChartBaseProps } from './ChartFrame';
export { niceTicks, labelIndices, SERIES_COLORS } from './scale';
