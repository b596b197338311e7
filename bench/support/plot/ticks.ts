// Axis domains, ticks and number formats for the charts: pure arithmetic, no SVG.

/** A numeric axis: the domain the chart shows and the tick values on it, `step` apart. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly ticks: readonly number[];
}

export interface AxisOptions {
  /** Roughly how many intervals between ticks (default 5). */
  readonly targetTicks?: number;
  /** Stretch the domain to take in 0 (bars and rates start at 0). */
  readonly includeZero?: boolean;
}

/** The step between ticks for `span` split into about `target` parts: 1, 2 or 5 times a power of ten. */
export function niceStep(span: number, target = 5): number {
  if (!Number.isFinite(span) || span <= 0) throw new RangeError(`niceStep: span must be a positive number, got ${span}`);
  if (!Number.isFinite(target) || target < 1) throw new RangeError(`niceStep: target must be at least 1, got ${target}`);
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const factor = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10;
  return factor * magnitude;
}

/** Decimals needed to print multiples of `step` exactly (0.25 is not a step we produce; 0.2 and 0.5 need one). */
export function stepDecimals(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

/**
 * The axis for data between `min` and `max`, widened outwards to whole steps so that the first and
 * last tick sit on the frame. A flat range (one value, or all values equal) is padded so the value
 * sits mid-axis instead of dividing by zero; no data at all should be passed as 0..1.
 */
export function niceAxis(min: number, max: number, options: AxisOptions = {}): Axis {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`niceAxis: bounds must be finite, got ${min}..${max}`);
  if (min > max) throw new RangeError(`niceAxis: min ${min} is above max ${max}`);
  let lo = options.includeZero ? Math.min(min, 0) : min;
  let hi = options.includeZero ? Math.max(max, 0) : max;
  if (lo === hi) {
    const pad = Math.abs(lo) / 10 || 1;
    lo -= lo === 0 && options.includeZero ? 0 : pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, options.targetTicks ?? 5);
  const decimals = stepDecimals(step);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  // Multiplying whole step counts (rather than adding steps) keeps 0.1 + 0.2 style error out of the labels.
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toFixed(decimals)));
  return { min: ticks[0], max: ticks[ticks.length - 1], step, ticks };
}

/** The ticks of a fixed domain (such as 0..100 %) with no widening. */
export function fixedAxis(min: number, max: number, targetTicks = 5): Axis {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min >= max) {
    throw new RangeError(`fixedAxis: need finite min < max, got ${min}..${max}`);
  }
  const step = niceStep(max - min, targetTicks);
  const decimals = stepDecimals(step);
  const ticks: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toFixed(decimals)));
  return { min, max, step, ticks };
}

/** `value` with at most `decimals` decimals, trailing zeros dropped, and thousands grouped with commas. */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction = ''] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const trimmed = fraction.replace(/0+$/, '');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + grouped + (trimmed ? `.${trimmed}` : '');
}

/** A measured value for people: about three significant digits (6.03, 98.3, 992, 5,159). */
export function formatValue(value: number): string {
  const magnitude = Math.abs(value);
  return formatNumber(value, magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
}

/** A tick label: as many decimals as the axis step needs. */
export function formatTick(value: number, axis: Axis): string {
  return formatNumber(value, stepDecimals(axis.step));
}
