/**
 * A Mesos timer metric (`process::metrics::Timer`): the last value under its own name, and the
 * statistics of recent values under `<name>/count`, `/min`, `/max`, `/p50`, `/p90`, `/p95`,
 * `/p99`, `/p999`, `/p9999`. Mesos keeps up to 1,000 values of the last hour; this keeps the last
 * `capacity` values (default 1,000), so memory stays bounded however long the master runs — at
 * one cycle a second that is the last ~17 minutes. Pure: values come in, figures go out.
 */
export class TimerWindow {
  private readonly values: number[] = [];
  private next = 0;
  private last: number | undefined;

  constructor(private readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a timer window needs a capacity of at least 1, got ${capacity}`);
  }

  record(value: number): void {
    this.last = value;
    if (this.values.length < this.capacity) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The most recent value; undefined before the first. */
  get latest(): number | undefined {
    return this.last;
  }

  /**
   * The window's statistics, keyed by the suffix Mesos uses; empty below two values, as Mesos
   * publishes no statistics for a series of fewer than two.
   */
  statistics(): Readonly<Record<TimerStatistic, number>> | undefined {
    const n = this.values.length;
    if (n < 2) return undefined;
    const sorted = [...this.values].sort((a, b) => a - b);
    return {
      count: n,
      min: sorted[0],
      max: sorted[n - 1],
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      p999: percentile(sorted, 0.999),
      p9999: percentile(sorted, 0.9999),
    };
  }
}

export const TIMER_STATISTICS = ['count', 'min', 'max', 'p50', 'p90', 'p95', 'p99', 'p999', 'p9999'] as const;
export type TimerStatistic = (typeof TIMER_STATISTICS)[number];

/** Linear interpolation between the closest ranks, as Mesos's Statistics computes percentiles. */
function percentile(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
