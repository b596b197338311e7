// Latency distributions drawn as cumulative distribution functions from their percentiles.

import { Guide } from './frame';
import { PlotInputError } from './errors';
import { lineChart, Point } from './line-chart';

export interface Distribution {
  readonly name: string;
  /**
   * The 0th, 1st, …, 100th percentile, in the unit of the x axis: the form the benchmarks write
   * (e.g. throughput.json `running_ms_percentiles`). Any length ≥ 2 is read as evenly spaced
   * quantiles from 0 to 100 %.
   */
  readonly percentiles: readonly number[];
}

export interface CdfChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  /** The measured quantity and its unit, e.g. "ACCEPT → state (ms)". */
  readonly xLabel: string;
  readonly distributions: readonly Distribution[];
  readonly width?: number;
  readonly height?: number;
}

/** The CDF's points: the i-th of n+1 quantiles q_i is reached by i/n of the samples, as a percentage. */
export function cdfPoints(percentiles: readonly number[]): Point[] {
  if (percentiles.length === 1) return [{ x: percentiles[0], y: 100 }];
  const last = percentiles.length - 1;
  return percentiles.map((x, i) => {
    if (i > 0 && x < percentiles[i - 1]) {
      throw new PlotInputError(`percentile ${i} (${x}) is below percentile ${i - 1} (${percentiles[i - 1]}); quantiles never decrease`);
    }
    return { x, y: (i / last) * 100 };
  });
}

/** Where the median and the 99th percentile sit: the figures the text quotes. */
const GUIDES: readonly Guide[] = [
  { value: 50, label: 'p50' },
  { value: 99, label: 'p99' },
];

/** The chart as a standalone SVG document: one line per distribution, y from 0 to 100 %. */
export function cdfChart(spec: CdfChartSpec): string {
  return lineChart({
    title: spec.title,
    subtitle: spec.subtitle,
    xLabel: spec.xLabel,
    yLabel: 'share of samples at or below (%)',
    series: spec.distributions.map((d) => ({ name: d.name, points: cdfPoints(d.percentiles) })),
    xFromZero: true,
    yDomain: [0, 100],
    guides: GUIDES,
    guideLabels: 'left',
    width: spec.width,
    height: spec.height,
  });
}
