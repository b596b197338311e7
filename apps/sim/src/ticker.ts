import type { TimerHandle } from '../../agent/src/clock/clock';

interface Due {
  readonly run: () => void;
  cancelled: boolean;
}

/**
 * One timer for every simulated agent: callbacks are filed in buckets of `resolutionMs` and run
 * when `advance(now)` passes their bucket. Ten thousand agents with a registration attempt, a
 * status-update retry and a task end each would otherwise hold tens of thousands of Node timers;
 * here they cost an array slot. Pure: the caller supplies `now` (a setInterval in the simulator,
 * a fake time in tests), so a callback runs late by at most one tick, never early.
 */
export class Ticker {
  private readonly buckets = new Map<number, Due[]>();
  /** The next bucket `advance` will run. */
  private cursor: number;

  constructor(
    now: number,
    readonly resolutionMs = 10,
  ) {
    this.cursor = Math.floor(now / resolutionMs);
  }

  /** Runs `run` once `advance` reaches `at` (ms); a time already past runs at the next tick. */
  at(at: number, run: () => void): TimerHandle {
    const due: Due = { run, cancelled: false };
    const bucket = Math.max(Math.ceil(at / this.resolutionMs), this.cursor);
    let list = this.buckets.get(bucket);
    if (list === undefined) {
      list = [];
      this.buckets.set(bucket, list);
    }
    list.push(due);
    return {
      cancel: () => {
        due.cancelled = true;
      },
    };
  }

  /** Runs, in time order, every callback due at or before `now`; one that throws does not stop the others. */
  advance(now: number, onError: (e: unknown) => void = () => undefined): number {
    const last = Math.floor(now / this.resolutionMs);
    let ran = 0;
    while (this.cursor <= last) {
      const list = this.buckets.get(this.cursor);
      if (list !== undefined) {
        // Callbacks may file new ones into this same bucket: run until it is empty.
        for (let i = 0; i < list.length; i++) {
          const due = list[i];
          if (due.cancelled) continue;
          due.cancelled = true;
          ran++;
          try {
            due.run();
          } catch (e) {
            onError(e);
          }
        }
        this.buckets.delete(this.cursor);
      }
      this.cursor++;
    }
    return ran;
  }

  /** Callbacks filed and not yet run or cancelled (cancelled ones count until their bucket passes). */
  get pending(): number {
    let n = 0;
    for (const list of this.buckets.values()) n += list.length;
    return n;
  }
}
