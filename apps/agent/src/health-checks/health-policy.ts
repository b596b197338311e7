/**
 * What a health check result means for the task, as Mesos's HealthChecker decides it
 * (`src/checks/health_checker.cpp`, reference §5.7). Pure: a state and a result in, the next
 * state and a verdict out.
 *
 * - A failure while the task has never been healthy and is still within `grace_period` of its
 *   start is ignored (a grace period of 0 ignores nothing).
 * - Any other failure counts; every counted failure is reported (healthy: false), and the one
 *   that reaches `consecutive_failures` in a row also asks for the task to be killed.
 * - A success is reported (healthy: true) when it is the first one ever, or the first after
 *   counted failures; further successes are silent. A success resets the count.
 */

export interface HealthPolicy {
  readonly consecutiveFailures: number;
  readonly gracePeriodMs: number;
}

export interface HealthState {
  /** No success yet: failures within the grace period are still forgiven. */
  readonly initializing: boolean;
  /** Counted failures since the last success. */
  readonly consecutiveFailures: number;
}

export const INITIAL_HEALTH: HealthState = { initializing: true, consecutiveFailures: 0 };

export type HealthVerdict =
  /** Nothing to tell the scheduler. */
  | { readonly kind: 'quiet'; readonly why: 'grace-period' | 'still-healthy' }
  /** Send TASK_RUNNING with `healthy`; kill the task when `kill` is set. */
  | { readonly kind: 'report'; readonly healthy: boolean; readonly consecutiveFailures: number; readonly kill: boolean };

/**
 * @param healthy the check's result
 * @param sinceStartMs time from the task's start (when checking began) to this result
 */
export function judgeHealth(
  state: HealthState,
  healthy: boolean,
  sinceStartMs: number,
  policy: HealthPolicy,
): { readonly state: HealthState; readonly verdict: HealthVerdict } {
  if (healthy) {
    const next: HealthState = { initializing: false, consecutiveFailures: 0 };
    if (state.initializing || state.consecutiveFailures > 0) {
      return { state: next, verdict: { kind: 'report', healthy: true, consecutiveFailures: 0, kill: false } };
    }
    return { state: next, verdict: { kind: 'quiet', why: 'still-healthy' } };
  }
  if (state.initializing && policy.gracePeriodMs > 0 && sinceStartMs <= policy.gracePeriodMs) {
    return { state, verdict: { kind: 'quiet', why: 'grace-period' } };
  }
  const failures = state.consecutiveFailures + 1;
  return {
    state: { initializing: state.initializing, consecutiveFailures: failures },
    verdict: { kind: 'report', healthy: false, consecutiveFailures: failures, kill: failures >= policy.consecutiveFailures },
  };
}

/** A status as far as health goes (a TaskStatus from the journal fits). */
export interface HealthStatusLike {
  readonly state: string;
  readonly healthy?: boolean;
}

/**
 * The policy state a task's checks had reached, rebuilt from its status updates (a recovered
 * task's journal): every report a checker makes becomes a TASK_RUNNING update with `healthy`,
 * and the policy reports the first success and every counted failure, so the reports alone say
 * whether the task was ever healthy and how many failures in a row are counted since.
 */
export function healthStateFromStatuses(statuses: readonly HealthStatusLike[]): HealthState {
  let state = INITIAL_HEALTH;
  for (const status of statuses) {
    if (status.state !== 'TASK_RUNNING' || status.healthy === undefined) continue;
    state = status.healthy ? { initializing: false, consecutiveFailures: 0 } : { initializing: state.initializing, consecutiveFailures: state.consecutiveFailures + 1 };
  }
  return state;
}
