// Bar charts: one value per named bar, on a value axis from 0, with the value printed on each bar.

import { emptyNote, FrameSpec, Guide, guideLegend, guideLines, header, plotArea, valueAxis, yScale } from './frame';
import { PlotInputError } from './errors';
import { document, INK, px, text } from './svg';
import { formatValue, niceAxis } from './ticks';

export interface Bar {
  /** Under the bar; '\n' breaks it into lines. */
  readonly label: string;
  readonly value: number;
  /** Drawn in the accent colour: the bar the chart is about (Agora's). */
  readonly highlight?: boolean;
}

export interface BarChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  /** The quantity and its unit, e.g. "jobs per second". */
  readonly yLabel: string;
  readonly bars: readonly Bar[];
  readonly guides?: readonly Guide[];
  readonly width?: number;
  readonly height?: number;
}

const BAR = '#9e9e9e';
const ACCENT = '#1f77b4';

/** The chart as a standalone SVG document. */
export function barChart(spec: BarChartSpec): string {
  for (const [i, bar] of spec.bars.entries()) {
    if (!Number.isFinite(bar.value) || bar.value < 0) {
      throw new PlotInputError(`bar ${i} ("${bar.label}"): value ${bar.value} must be a finite number ≥ 0`);
    }
  }
  for (const g of spec.guides ?? []) {
    if (!Number.isFinite(g.value) || g.value < 0) throw new PlotInputError(`guide "${g.label}": value ${g.value} must be a finite number ≥ 0`);
  }
  const width = spec.width ?? 800;
  const height = spec.height ?? 450;
  const guides = spec.guides ?? [];
  const values = [...spec.bars.map((b) => b.value), ...guides.map((g) => g.value)];
  const yAxis = niceAxis(0, Math.max(0, ...values), { includeZero: true });
  const labelLines = Math.max(1, ...spec.bars.map((b) => b.label.split('\n').length));
  const frame: FrameSpec = {
    width,
    height,
    title: spec.title,
    subtitle: spec.subtitle,
    yLabel: spec.yLabel,
    yAxis,
    legend: guideLegend(guides),
    bottomSpace: 16 + labelLines * 15,
  };
  const area = plotArea(frame);
  const y = yScale(yAxis, area);
  const body = [...header(frame, area), ...valueAxis(frame, area)];

  const slot = (area.right - area.left) / Math.max(1, spec.bars.length);
  const barWidth = Math.min(90, slot * 0.6);
  const centre = (i: number): number => area.left + slot * (i + 0.5);
  spec.bars.forEach((bar, i) => {
    const top = y(bar.value);
    const fill = bar.highlight ? ACCENT : BAR;
    body.push(`<rect x="${px(centre(i) - barWidth / 2)}" y="${px(top)}" width="${px(barWidth)}" height="${px(area.bottom - top)}" fill="${fill}"/>`);
    body.push(text(centre(i), area.bottom + 18, bar.label, { size: 12, anchor: 'middle' }));
  });
  // Guide lines over the bars, values over the lines; the guides are named in the legend.
  body.push(...guideLines(guides, yAxis, area));
  spec.bars.forEach((bar, i) => {
    body.push(text(centre(i), y(bar.value) - 6, formatValue(bar.value), { size: 13, anchor: 'middle', weight: 'bold', fill: INK, halo: true }));
  });
  if (spec.bars.length === 0) body.push(emptyNote(area));
  return document(width, height, body);
}
