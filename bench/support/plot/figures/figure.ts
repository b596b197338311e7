/**
 * One PNG drawn from one benchmark result. Adding a plot is one of these in a figures file and
 * one line in figures/index.ts.
 */
export interface FigureDefinition {
  /** File name under docs/bench/, e.g. "slurm.png". */
  readonly image: string;
  /** File name under bench/results/ it is drawn from, e.g. "slurm.json". */
  readonly result: string;
  /** The chart as SVG from the parsed JSON; throws ResultFormatError when a field it needs is missing. */
  draw(result: unknown): string;
}

/** "2026-11-25T17:07:23.245Z" → "2026-11-25 17:07 UTC"; anything else unchanged. */
export function formatTimestamp(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** The parts that are known, joined with " · "; a subtitle from optional fields. */
export function joinKnown(parts: readonly (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(' · ');
}
