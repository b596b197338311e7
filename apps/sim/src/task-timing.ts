/**
 * When a simulated task ends: `undefined` for a zero duration (TASK_FINISHED is queued right
 * behind TASK_RUNNING, in the same turn), otherwise `now + duration`. Pure.
 */
export function taskEndsAt(now: number, durationMs: number): number | undefined {
  if (!Number.isFinite(durationMs) || durationMs <= 0) return undefined;
  return now + durationMs;
}
