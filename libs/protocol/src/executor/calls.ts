/**
 * v1 executor Calls (executor.proto `Call`): what an executor POSTs to the agent's
 * /api/v1/executor. Every call names its executor and framework in the envelope
 * (`executor_id`, `framework_id`); the sub-message field is named after the type.
 */
import type { ExecutorID, FrameworkID } from '../scheduler/mesos-types';
import type { TaskInfo, TaskStatus } from '../scheduler/task-types';

/** Call types and their protobuf numbers, which are accepted in place of the names. */
export const EXECUTOR_CALL_TYPE_NUMBERS = {
  UNKNOWN: 0,
  SUBSCRIBE: 1,
  UPDATE: 2,
  MESSAGE: 3,
  HEARTBEAT: 4,
} as const;

export type ExecutorCallType = keyof typeof EXECUTOR_CALL_TYPE_NUMBERS;
export const EXECUTOR_CALL_TYPES = Object.keys(EXECUTOR_CALL_TYPE_NUMBERS) as ExecutorCallType[];

/** A status update of the executor (`Call.Update`); `status.uuid` is set by the executor. */
export interface ExecutorUpdate {
  status: TaskStatus & { uuid: string };
}

/**
 * What an executor that reconnects still waits for: tasks it was given but has sent no update
 * for, and updates the agent has not acknowledged yet. Both absent on a first subscription.
 */
export interface ExecutorSubscribe {
  unacknowledged_tasks?: TaskInfo[];
  unacknowledged_updates?: ExecutorUpdate[];
}

interface Envelope<T extends ExecutorCallType> {
  type: T;
  executor_id: ExecutorID;
  framework_id: FrameworkID;
}

export type ExecutorSubscribeCall = Envelope<'SUBSCRIBE'> & { subscribe: ExecutorSubscribe };
export type ExecutorUpdateCall = Envelope<'UPDATE'> & { update: ExecutorUpdate };
/** `data` is base64, for the executor's scheduler. */
export type ExecutorMessageCall = Envelope<'MESSAGE'> & { message: { data: string } };
export type ExecutorHeartbeatCall = Envelope<'HEARTBEAT'>;
/** Mesos answers it with 501 Not Implemented. */
export type ExecutorUnknownCall = Envelope<'UNKNOWN'>;

export type ExecutorCall = ExecutorSubscribeCall | ExecutorUpdateCall | ExecutorMessageCall | ExecutorHeartbeatCall | ExecutorUnknownCall;

export type ExecutorCallOf<T extends ExecutorCallType> = Extract<ExecutorCall, { type: T }>;
