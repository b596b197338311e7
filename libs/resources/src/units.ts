/**
 * Fixed-point scalars. Mesos keeps scalar values at three decimals so that repeated sums and
 * differences never drift; here they are plain integers counting thousandths ("milli").
 * Conversions to and from natural units happen only at the edges (text, JSON).
 */

export const MILLI_PER_UNIT = 1000;

/** Largest milli value we accept: beyond it integers stop being exact in a double. */
export const MAX_MILLI = Number.MAX_SAFE_INTEGER;

export type MilliResult = { readonly ok: true; readonly milli: number } | { readonly ok: false; readonly reason: string };

/** Rounds a value in natural units to the nearest thousandth (half away from zero, as Mesos). */
export function milliFromNumber(value: number): MilliResult {
  if (typeof value !== 'number' || Number.isNaN(value)) return { ok: false, reason: 'value is not a number' };
  if (!Number.isFinite(value)) return { ok: false, reason: 'value is not finite' };
  if (value < 0) return { ok: false, reason: 'value must not be negative' };
  const milli = Math.round(value * MILLI_PER_UNIT) + 0; // `+ 0` turns -0 into 0
  if (milli > MAX_MILLI) return { ok: false, reason: 'value is too large' };
  return { ok: true, milli };
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal written in natural units ("1.5", "0.001", "2e3") into milli. */
export function milliFromText(text: string): MilliResult {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return { ok: false, reason: 'value is not a number' };
  return milliFromNumber(Number(trimmed));
}

/** The value in natural units as a number (1500 -> 1.5). */
export function milliToNumber(milli: number): number {
  return milli / MILLI_PER_UNIT;
}

/** Exact decimal text of a milli value, without trailing zeros: 1500 -> "1.5", 1 -> "0.001". */
export function formatMilli(milli: number): string {
  const whole = Math.floor(milli / MILLI_PER_UNIT);
  const frac = milli - whole * MILLI_PER_UNIT;
  if (frac === 0) return String(whole);
  let digits = String(frac).padStart(3, '0');
  while (digits.endsWith('0')) digits = digits.slice(0, -1);
  return `${whole}.${digits}`;
}
