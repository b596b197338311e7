import { Injectable } from '@nestjs/common';

/** A cancellable timer; cancelling twice, or after it ran, does nothing. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time and chance, behind one injectable so rules that depend on them (status-update retries,
 * registration backoff, the ping watchdog) are tested with FakeClock instead of sleeps.
 */
@Injectable()
export class Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }

  /**
   * Runs `run` once after `ms`. The timer does not keep the process alive: the agent's HTTP
   * server and task processes do, and a stopping agent must not wait for a retry.
   */
  after(ms: number, run: () => void): TimerHandle {
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }

  /** A number in [0, 1), for backoff jitter. */
  random(): number {
    return Math.random();
  }
}
