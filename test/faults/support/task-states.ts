/** Mesos task states the checks reason about (reference §6.3). */
const TERMINAL = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
]);

export function isTerminalState(state: string): boolean {
  return TERMINAL.has(state);
}

/** States that say a launch never reached an agent: fine for a task that never started. */
export const NEVER_STARTED_STATES: ReadonlySet<string> = new Set(['TASK_DROPPED', 'TASK_GONE', 'TASK_UNKNOWN', 'TASK_ERROR', 'TASK_LOST']);
