import { Injectable } from '@nestjs/common';

/** A cancellable timer handle. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time, behind one injectable so rules that depend on it (allocation intervals, filter expiry,
 * failover timeouts) are tested with a fake clock instead of sleeps.
 */
@Injectable()
export class Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }

  /** A monotonic reading in milliseconds, for measuring durations. */
  monotonic(): number {
    return performance.now();
  }

  every(ms: number, run: () => void): TimerHandle {
    const timer = setInterval(run, ms);
    timer.unref();
    return { cancel: () => clearInterval(timer) };
  }

  /** Runs `run` once, after `ms` milliseconds. */
  after(ms: number, run: () => void): TimerHandle {
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }

  /** Runs `run` once the current event-loop turn is done. */
  soon(run: () => void): TimerHandle {
    const immediate = setImmediate(run);
    return { cancel: () => clearImmediate(immediate) };
  }
}
