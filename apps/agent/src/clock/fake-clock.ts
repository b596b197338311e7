import { Clock, type TimerHandle } from './clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/**
 * A Clock for tests: time moves only when the test calls `advance`, timers fire in order of due
 * time, and `random` returns a fixed value unless told otherwise.
 */
export class FakeClock extends Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(
    start = 1_700_000_000_000,
    /** What `random()` returns; 1 makes backoff waits their maximum, 0 their minimum. */
    public randomValue = 0.5,
  ) {
    super();
    this.time = start;
  }

  override now(): number {
    return this.time;
  }

  override after(ms: number, run: () => void): TimerHandle {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, run, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  override random(): number {
    return this.randomValue;
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (next === undefined) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.run();
    }
    this.time = target;
  }

  /** Due times (relative to now) of the timers still pending, soonest first. */
  pendingDelays(): number[] {
    return this.timers
      .filter((t) => !t.cancelled)
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map((t) => t.at - this.time);
  }

  private nextDue(limit: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.at > limit) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
