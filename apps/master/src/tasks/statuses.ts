/** Status updates the master makes itself (reference §1.6: no uuid, never retried). */
import {
  stateForFramework,
  type TaskState,
  type TaskStatus,
  type TaskStatusReason,
} from '@agora/protocol';
import type { FrameworkRecord } from '../cluster/records';

export interface MasterStatusInput {
  readonly taskId: string;
  readonly state: TaskState;
  readonly reason: TaskStatusReason;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly agentId?: string;
  readonly executorId?: string;
  readonly unreachableSinceMs?: number;
}

export function masterStatus(input: MasterStatusInput): TaskStatus {
  const status: TaskStatus = {
    task_id: { value: input.taskId },
    state: input.state,
    message: input.message,
    source: 'SOURCE_MASTER',
    reason: input.reason,
    timestamp: input.now / 1000,
  };
  if (input.agentId !== undefined) status.agent_id = { value: input.agentId };
  if (input.executorId !== undefined) status.executor_id = { value: input.executorId };
  if (input.unreachableSinceMs !== undefined) status.unreachable_time = { nanoseconds: input.unreachableSinceMs * 1e6 };
  return status;
}

export function isPartitionAware(fw: FrameworkRecord): boolean {
  return fw.capabilities.has('PARTITION_AWARE');
}

/** The status as this framework may see it: partition-aware states become TASK_LOST for legacy ones. */
export function statusForFramework(status: TaskStatus, fw: FrameworkRecord): TaskStatus {
  const state = stateForFramework(status.state, isPartitionAware(fw));
  return state === status.state ? status : { ...status, state };
}
