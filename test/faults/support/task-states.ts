import { isTerminalState as isTerminalTaskState, TASK_STATES, type TaskState } from '@agora/protocol';

const KNOWN: ReadonlySet<string> = new Set(TASK_STATES);

/**
 * Terminal as the protocol defines it, and TASK_UNKNOWN too: a reconciliation answer that ends
 * what the scheduler can learn of a task (reference §6.3).
 */
export function isTerminalState(state: string): boolean {
  return state === 'TASK_UNKNOWN' || (KNOWN.has(state) && isTerminalTaskState(state as TaskState));
}

/** States that say a launch never reached an agent: fine for a task that never started. */
export const NEVER_STARTED_STATES: ReadonlySet<string> = new Set(['TASK_DROPPED', 'TASK_GONE', 'TASK_UNKNOWN', 'TASK_ERROR', 'TASK_LOST']);
