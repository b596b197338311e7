// Line charts: several series of (x, y) points over numeric x and y axes.

import { PlotInputError } from './errors';
import { emptyNote, FrameSpec, Guide, guideLabels, guideLegend, guideLines, header, plotArea, valueAxis, yScale } from './frame';
import { linearScale } from './scale';
import { document, INK, line, PALETTE, px, text } from './svg';
import { Axis, fixedAxis, formatTick, niceAxis } from './ticks';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Series {
  readonly name: string;
  /** In the order they are joined; usually by increasing x. */
  readonly points: readonly Point[];
  /**
   * 'linear' joins points with straight lines; 'step' holds each y until the next point's x
   * (a per-second count, an empirical distribution). Default 'linear'.
   */
  readonly curve?: 'linear' | 'step';
}

export interface LineChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  /** Axis labels name the quantity and its unit, e.g. "time since first ACCEPT (s)". */
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** A fixed x or y domain (e.g. 0..100 for percentages); otherwise the data's, widened to whole ticks. */
  readonly xDomain?: readonly [number, number];
  readonly yDomain?: readonly [number, number];
  /** Start the axis at 0 even when the data do not (default: y yes, x no). */
  readonly xFromZero?: boolean;
  readonly yFromZero?: boolean;
  readonly guides?: readonly Guide[];
  /** Where guides are named: in the legend (default), or on the line at the left end. */
  readonly guideLabels?: 'legend' | 'left';
  readonly width?: number;
  readonly height?: number;
}

function axisFor(values: readonly number[], fixed: readonly [number, number] | undefined, fromZero: boolean): Axis {
  if (fixed) return fixedAxis(fixed[0], fixed[1]);
  if (values.length === 0) return niceAxis(0, 1);
  // A loop, not Math.min(...values): spreading 100,000 samples overflows the call stack.
  let min = values[0];
  let max = values[0];
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return niceAxis(min, max, { includeZero: fromZero });
}

function checkFinite(series: readonly Series[], guides: readonly Guide[]): void {
  for (const g of guides) {
    if (!Number.isFinite(g.value)) throw new PlotInputError(`guide "${g.label}": value ${g.value} must be a finite number`);
  }
  for (const s of series) {
    const bad = s.points.findIndex((p) => !Number.isFinite(p.x) || !Number.isFinite(p.y));
    if (bad >= 0) {
      const p = s.points[bad];
      throw new PlotInputError(`series "${s.name}": point ${bad} is (${p.x}, ${p.y}); x and y must be finite numbers`);
    }
  }
}

/** The SVG path through `points` in pixel space. */
export function pathData(points: readonly Point[], curve: 'linear' | 'step'): string {
  return points
    .map((p, i) => {
      if (i === 0) return `M${px(p.x)} ${px(p.y)}`;
      return curve === 'step' ? `H${px(p.x)}V${px(p.y)}` : `L${px(p.x)} ${px(p.y)}`;
    })
    .join('');
}

/** The chart as a standalone SVG document. */
export function lineChart(spec: LineChartSpec): string {
  const guides = spec.guides ?? [];
  checkFinite(spec.series, guides);
  const width = spec.width ?? 800;
  const height = spec.height ?? 450;
  const points = spec.series.flatMap((s) => s.points);
  const xAxis = axisFor(points.map((p) => p.x), spec.xDomain, spec.xFromZero ?? false);
  const yAxis = axisFor([...points.map((p) => p.y), ...guides.map((g) => g.value)], spec.yDomain, spec.yFromZero ?? true);
  const labelsInLegend = (spec.guideLabels ?? 'legend') === 'legend';
  const legend = [
    ...(spec.series.length > 1 ? spec.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] })) : []),
    ...(labelsInLegend ? guideLegend(guides) : []),
  ];
  const frame: FrameSpec = { width, height, title: spec.title, subtitle: spec.subtitle, yLabel: spec.yLabel, yAxis, legend, bottomSpace: 52 };
  const area = plotArea(frame);
  const x = linearScale([xAxis.min, xAxis.max], [area.left, area.right]);
  const y = yScale(yAxis, area);

  const body = [...header(frame, area), ...valueAxis(frame, area)];
  for (const tick of xAxis.ticks) {
    body.push(line(x(tick), area.bottom, x(tick), area.bottom + 5, INK));
    body.push(text(x(tick), area.bottom + 19, formatTick(tick, xAxis), { size: 12, anchor: 'middle' }));
  }
  body.push(text((area.left + area.right) / 2, height - 10, spec.xLabel, { size: 13, anchor: 'middle' }));
  body.push(...guideLines(guides, yAxis, area));

  spec.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pixels = s.points.map((p) => ({ x: x(p.x), y: y(p.y) }));
    if (pixels.length > 1) {
      body.push(`<path d="${pathData(pixels, s.curve ?? 'linear')}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    } else if (pixels.length === 1) {
      // A line through one point draws nothing; a dot shows it.
      body.push(`<circle cx="${px(pixels[0].x)}" cy="${px(pixels[0].y)}" r="4" fill="${color}"/>`);
    }
  });
  if (!labelsInLegend) body.push(...guideLabels(guides, yAxis, area));
  if (points.length === 0) body.push(emptyNote(area));
  return document(width, height, body);
}
