/**
 * v1 executor Events (executor.proto `Event`): what the agent writes on an executor's SUBSCRIBE
 * stream, one RecordIO record each, JSON escaped to ASCII (`encodeExecutorEvent`), exactly like
 * the scheduler's event stream.
 */
import { toAsciiJson } from '../json';
import { encodeRecord } from '../recordio';
import type { AgentInfo, ContainerID, FrameworkInfo, TaskID } from '../scheduler/mesos-types';
import type { ExecutorInfo, KillPolicy, TaskGroupInfo, TaskInfo } from '../scheduler/task-types';

/** Event types and their protobuf numbers. */
export const EXECUTOR_EVENT_TYPE_NUMBERS = {
  SUBSCRIBED: 1,
  LAUNCH: 2,
  KILL: 3,
  ACKNOWLEDGED: 4,
  MESSAGE: 5,
  ERROR: 6,
  SHUTDOWN: 7,
  LAUNCH_GROUP: 8,
  HEARTBEAT: 9,
} as const;

export type ExecutorEventType = keyof typeof EXECUTOR_EVENT_TYPE_NUMBERS;
export const EXECUTOR_EVENT_TYPES = Object.keys(EXECUTOR_EVENT_TYPE_NUMBERS) as ExecutorEventType[];

/** The first event of a subscription: who the executor is, for whom, where, in which container. */
export type ExecutorSubscribedEvent = {
  type: 'SUBSCRIBED';
  subscribed: { executor_info: ExecutorInfo; framework_info: FrameworkInfo; agent_info: AgentInfo; container_id?: ContainerID };
};
export type LaunchEvent = { type: 'LAUNCH'; launch: { task: TaskInfo } };
export type LaunchGroupEvent = { type: 'LAUNCH_GROUP'; launch_group: { task_group: TaskGroupInfo } };
/** The executor must end the task and send its terminal update. */
export type KillEvent = { type: 'KILL'; kill: { task_id: TaskID; kill_policy?: KillPolicy } };
/** The agent has recorded the update with this uuid (base64): the executor stops resending it. */
export type AcknowledgedEvent = { type: 'ACKNOWLEDGED'; acknowledged: { task_id: TaskID; uuid: string } };
/** From the executor's scheduler; `data` is base64. */
export type ExecutorMessageEvent = { type: 'MESSAGE'; message: { data: string } };
/** Kill every task (TASK_KILLED) and exit within the shutdown grace period. */
export type ShutdownEvent = { type: 'SHUTDOWN' };
export type ExecutorErrorEvent = { type: 'ERROR'; error: { message: string } };
export type ExecutorHeartbeatEvent = { type: 'HEARTBEAT' };

export type ExecutorEvent =
  | ExecutorSubscribedEvent
  | LaunchEvent
  | LaunchGroupEvent
  | KillEvent
  | AcknowledgedEvent
  | ExecutorMessageEvent
  | ShutdownEvent
  | ExecutorErrorEvent
  | ExecutorHeartbeatEvent;

export type ExecutorEventOf<T extends ExecutorEventType> = Extract<ExecutorEvent, { type: T }>;

/** The event as one RecordIO record of ASCII-escaped JSON: write it to the stream as one chunk. */
export function encodeExecutorEvent(event: ExecutorEvent): Uint8Array {
  return encodeRecord(toAsciiJson(event));
}
