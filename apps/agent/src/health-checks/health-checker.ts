import { Clock, type TimerHandle } from '../clock/clock';
import type { HealthCheckSettings } from './health-check-settings';
import { type HealthState, type HealthVerdict, INITIAL_HEALTH, judgeHealth } from './health-policy';
import type { HealthProbe, ProbeOutcome } from './health-probes';

/** A health change the executor reports (TASK_RUNNING with `healthy`), maybe with a kill. */
export interface HealthReport {
  readonly healthy: boolean;
  readonly consecutiveFailures: number;
  /** `consecutive_failures` was reached: the executor kills the task. */
  readonly kill: boolean;
  /** Why the last check failed. */
  readonly message?: string;
}

/**
 * Where checks pick up for a task an earlier agent process checked (a recovered task): when its
 * checks began (the grace period counts from then) and the policy state they had reached.
 */
export interface HealthResume {
  /** Milliseconds since the epoch (Clock time) when the task's checks first began. */
  readonly startedAt: number;
  readonly state: HealthState;
}

export interface HealthCheckerEvents {
  report(report: HealthReport): void;
  /** Every result, reported or not (for logs). */
  checked?(outcome: ProbeOutcome, verdict: HealthVerdict): void;
}

/**
 * Runs one task's health checks: the first `delay` after start, then `interval` after each
 * result (as Mesos schedules them), each bounded by `timeout`. Results go through the policy
 * (health-policy.ts); reports go to the executor, which decides what a report means for the
 * task. Stopping is final and silences a check still in flight. Time comes from the Clock.
 */
export class HealthChecker {
  private state: HealthState = INITIAL_HEALTH;
  private startedAt = 0;
  private timer?: TimerHandle;
  private inFlight?: AbortController;
  private stopped = false;

  constructor(
    private readonly settings: HealthCheckSettings,
    private readonly probe: HealthProbe,
    private readonly clock: Clock,
    private readonly events: HealthCheckerEvents,
  ) {}

  /**
   * Begins checking: the first check `delay` after now, or, resuming (`resume`), what is left of
   * the delay counted from the original start (at once when it is over), with the policy state
   * carried over, so the grace period and the count of failures go on where they were.
   */
  start(resume?: HealthResume): void {
    if (this.stopped || this.timer !== undefined) return;
    const now = this.clock.now();
    if (resume === undefined) {
      this.startedAt = now;
      this.schedule(this.settings.delayMs);
      return;
    }
    this.startedAt = Math.min(resume.startedAt, now);
    this.state = resume.state;
    this.schedule(Math.max(0, this.startedAt + this.settings.delayMs - now));
  }

  /** No more checks or reports; a check in flight is aborted. Idempotent. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  private schedule(ms: number): void {
    this.timer = this.clock.after(ms, () => {
      this.timer = undefined;
      void this.checkOnce();
    });
  }

  private async checkOnce(): Promise<void> {
    if (this.stopped) return;
    const outcome = await this.bounded();
    if (this.stopped) return;
    const { state, verdict } = judgeHealth(this.state, outcome.healthy, this.clock.now() - this.startedAt, this.settings);
    this.state = state;
    this.events.checked?.(outcome, verdict);
    if (verdict.kind === 'report') {
      this.events.report({
        healthy: verdict.healthy,
        consecutiveFailures: verdict.consecutiveFailures,
        kill: verdict.kill,
        ...(outcome.message !== undefined ? { message: outcome.message } : {}),
      });
    }
    // Mesos keeps checking after asking for a kill; the executor stops us once it acts on it.
    if (!this.stopped) this.schedule(this.settings.intervalMs);
  }

  /** One probe, failed by the timeout if it takes longer; the probe is aborted then. */
  private bounded(): Promise<ProbeOutcome> {
    const controller = new AbortController();
    this.inFlight = controller;
    const { timeoutMs } = this.settings;
    let timeout: TimerHandle | undefined;
    const timedOut = new Promise<ProbeOutcome>((resolve) => {
      if (timeoutMs === undefined) return;
      timeout = this.clock.after(timeoutMs, () => {
        // Settled before the abort, so the race reports the timeout rather than 'aborted'.
        resolve({ healthy: false, message: `the check has not returned after ${timeoutMs / 1000} s; aborting` });
        controller.abort();
      });
    });
    const stopped = new Promise<ProbeOutcome>((resolve) => {
      controller.signal.addEventListener('abort', () => resolve({ healthy: false, message: 'aborted' }), { once: true });
    });
    const probed = this.probe(controller.signal).catch((e: unknown) => ({ healthy: false, message: (e as Error).message }));
    return Promise.race([probed, timedOut, stopped]).finally(() => {
      timeout?.cancel();
      if (this.inFlight === controller) this.inFlight = undefined;
    });
  }
}
