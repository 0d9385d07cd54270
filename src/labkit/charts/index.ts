/** Every chart the site draws, for pages and reports alike (see frame.ts). */
export { escapeXml, palette, tickLabel, type ChartBase, type ScaleKind } from './frame.ts';
export { lineChart, scatterChart, type Point, type Series, type XYChartOptions } from './xy.ts';
export { barChart, stackedBarChart, type Bar, type BarChartOptions, type StackedBarOptions } from './bar.ts';
export { binCounts, boxChart, histogramChart, stemChart, type BoxRow, type HistogramOptions, type StemOptions } from './distribution.ts';
