// What every chart has around its data: title, subtitle, legend, the value axis with its grid,
// target lines, and the plot area they leave for the data.

import { linearScale } from './scale';
import { Axis, formatTick } from './ticks';
import { GRID, INK, MUTED, line, text, textWidth } from './svg';

/** A labelled horizontal line at a value, such as a target; the label says what and, if it matters, how much. */
export interface Guide {
  readonly value: number;
  readonly label: string;
}

export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  /** Drawn as a dashed swatch: a guide rather than a series. */
  readonly dashed?: boolean;
}

/** The plot area in pixels. */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface FrameSpec {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly subtitle?: string;
  readonly yLabel: string;
  readonly yAxis: Axis;
  readonly legend: readonly LegendEntry[];
  /** Pixels under the plot area for the x axis's ticks and label. */
  readonly bottomSpace: number;
}

const TITLE_SIZE = 18;
const LABEL_SIZE = 13;
const TICK_SIZE = 12;

export function plotArea(spec: FrameSpec): PlotArea {
  let top = 40;
  if (spec.subtitle) top += 20;
  if (spec.legend.length > 0) top += 24;
  const widestTick = Math.max(...spec.yAxis.ticks.map((t) => textWidth(formatTick(t, spec.yAxis), TICK_SIZE)));
  return { left: 30 + widestTick + 10, top: top + 10, right: spec.width - 30, bottom: spec.height - spec.bottomSpace };
}

/** Maps a value on the y axis to a pixel row in `area`. */
export function yScale(axis: Axis, area: PlotArea): (value: number) => number {
  return linearScale([axis.min, axis.max], [area.bottom, area.top]);
}

/** Title, subtitle and a one-row legend above the plot area. */
export function header(spec: FrameSpec, area: PlotArea): string[] {
  const out = [text(spec.width / 2, 26, spec.title, { size: TITLE_SIZE, anchor: 'middle', weight: 'bold' })];
  if (spec.subtitle) out.push(text(spec.width / 2, 46, spec.subtitle, { size: TICK_SIZE, anchor: 'middle', fill: MUTED }));
  let x = area.left;
  const y = area.top - 18;
  for (const entry of spec.legend) {
    const stroke = entry.dashed ? 'stroke-width="1.5" stroke-dasharray="6 4"' : 'stroke-width="3"';
    out.push(line(x, y - 4, x + 22, y - 4, entry.color, stroke));
    out.push(text(x + 28, y, entry.name, { size: LABEL_SIZE }));
    x += 28 + textWidth(entry.name, LABEL_SIZE) + 24;
  }
  return out;
}

/** Horizontal grid lines, tick labels on the left, and the rotated axis label. */
export function valueAxis(spec: FrameSpec, area: PlotArea): string[] {
  const y = yScale(spec.yAxis, area);
  const out: string[] = [];
  for (const tick of spec.yAxis.ticks) {
    out.push(line(area.left, y(tick), area.right, y(tick), GRID));
    out.push(text(area.left - 8, y(tick) + 4, formatTick(tick, spec.yAxis), { size: TICK_SIZE, anchor: 'end' }));
  }
  const middle = (area.top + area.bottom) / 2;
  out.push(text(18, middle, spec.yLabel, { size: LABEL_SIZE, anchor: 'middle', rotate: -90 }));
  out.push(line(area.left, area.top, area.left, area.bottom, INK));
  out.push(line(area.left, area.bottom, area.right, area.bottom, INK));
  return out;
}

const GUIDE = '#b22222';

/**
 * Guides named in the legend: their labels never cover the data, which in bar charts reaches
 * every part of the plot.
 */
export function guideLegend(guides: readonly Guide[]): LegendEntry[] {
  return guides.map((guide) => ({ name: guide.label, color: GUIDE, dashed: true }));
}

/** Dashed lines across the plot at the guides' values. */
export function guideLines(guides: readonly Guide[], axis: Axis, area: PlotArea): string[] {
  const y = yScale(axis, area);
  return guides.map((guide) => line(area.left, y(guide.value), area.right, y(guide.value), GUIDE, 'stroke-width="1.5" stroke-dasharray="6 4"'));
}

/**
 * Guide labels on their lines at the left end, above the line (below it where the frame's top is
 * too close): for charts whose data leave that corner empty, such as rising CDFs.
 */
export function guideLabels(guides: readonly Guide[], axis: Axis, area: PlotArea): string[] {
  const y = yScale(axis, area);
  return guides.map((guide) => {
    const row = y(guide.value);
    const labelY = row - area.top < 16 ? row + 15 : row - 5;
    return text(area.left + 6, labelY, guide.label, { size: TICK_SIZE, fill: GUIDE, halo: true });
  });
}

/** A note centred in an empty plot area, so that a chart of no data says so instead of looking broken. */
export function emptyNote(area: PlotArea): string {
  return text((area.left + area.right) / 2, (area.top + area.bottom) / 2, 'no data', { size: 16, anchor: 'middle', fill: MUTED });
}
