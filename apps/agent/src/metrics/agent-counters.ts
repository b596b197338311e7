import { Injectable } from '@nestjs/common';
import type { TaskState } from '@agora/protocol';

/** The counters of the agent's `/metrics/snapshot`, under their Mesos names (`src/slave/metrics.cpp`). */
export const COUNTER_KEYS = [
  'slave/tasks_finished',
  'slave/tasks_failed',
  'slave/tasks_killed',
  'slave/tasks_lost',
  'slave/tasks_gone',
  'slave/executors_terminated',
  'slave/valid_status_updates',
  'slave/invalid_status_updates',
  'slave/valid_framework_messages',
  'slave/invalid_framework_messages',
] as const;

export type CounterKey = (typeof COUNTER_KEYS)[number];

/** Terminal states with a `slave/tasks_<state>` counter. */
const TERMINAL_COUNTERS: Partial<Record<TaskState, CounterKey>> = {
  TASK_FINISHED: 'slave/tasks_finished',
  TASK_FAILED: 'slave/tasks_failed',
  TASK_KILLED: 'slave/tasks_killed',
  TASK_LOST: 'slave/tasks_lost',
  TASK_GONE: 'slave/tasks_gone',
};

/**
 * Events counted since this agent process started. Gauges (tasks by state, resources in use)
 * are computed when a snapshot is taken (metrics.service.ts); only what happened is counted
 * here. A global provider, so whatever sees the event (the status-update path, the executors)
 * counts it without knowing about the metrics endpoint.
 */
@Injectable()
export class AgentCounters {
  private readonly values = new Map<CounterKey, number>(COUNTER_KEYS.map((k) => [k, 0]));

  /**
   * A status update an executor produced for a task the agent holds. It is valid even when it
   * repeats one already queued (Mesos counts before its status update manager drops the
   * duplicate); `first` says it was new, and a new terminal update counts its state.
   */
  statusUpdate(state: TaskState, first: boolean): void {
    this.increment('slave/valid_status_updates');
    const terminal = TERMINAL_COUNTERS[state];
    if (first && terminal !== undefined) this.increment(terminal);
  }

  /** A status update the agent refused: for a framework, executor or task it does not know. */
  invalidStatusUpdate(): void {
    this.increment('slave/invalid_status_updates');
  }

  /** A framework message for an executor: valid when the executor runs here and could take it. */
  frameworkMessage(valid: boolean): void {
    this.increment(valid ? 'slave/valid_framework_messages' : 'slave/invalid_framework_messages');
  }

  executorTerminated(): void {
    this.increment('slave/executors_terminated');
  }

  get(key: CounterKey): number {
    return this.values.get(key) ?? 0;
  }

  snapshot(): Record<CounterKey, number> {
    return Object.fromEntries(this.values) as Record<CounterKey, number>;
  }

  private increment(key: CounterKey): void {
    this.values.set(key, this.get(key) + 1);
  }
}
