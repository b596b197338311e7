/**
 * v1 operator Events (master.proto `mesos.v1.master.Event`): what the master writes on the
 * stream a SUBSCRIBE call opens, one RecordIO record each, JSON escaped to ASCII
 * (`encodeOperatorEvent`). SUBSCRIBED comes first, with the whole state; every later event is a
 * change to it, in the order the master made the changes.
 */
import { toAsciiJson } from '../json';
import { encodeRecord } from '../recordio';
import type { TaskState } from '../task-state';
import type { AgentID, FrameworkID, FrameworkInfo } from '../scheduler/mesos-types';
import type { TaskStatus } from '../scheduler/task-types';
import type { GetState, OperatorAgent, OperatorFramework, OperatorTask } from './responses';

export const OPERATOR_EVENT_TYPES = [
  'SUBSCRIBED',
  'TASK_ADDED',
  'TASK_UPDATED',
  'AGENT_ADDED',
  'AGENT_REMOVED',
  'FRAMEWORK_ADDED',
  'FRAMEWORK_UPDATED',
  'FRAMEWORK_REMOVED',
  'HEARTBEAT',
] as const;
export type OperatorEventType = (typeof OPERATOR_EVENT_TYPES)[number];

export type OperatorEvent =
  | { type: 'SUBSCRIBED'; subscribed: { get_state: GetState; heartbeat_interval_seconds: number } }
  | { type: 'TASK_ADDED'; task_added: { task: OperatorTask } }
  /** `state` is the task's latest state, which may differ from the status being reported. */
  | { type: 'TASK_UPDATED'; task_updated: { framework_id: FrameworkID; status: TaskStatus; state: TaskState } }
  | { type: 'AGENT_ADDED'; agent_added: { agent: OperatorAgent } }
  | { type: 'AGENT_REMOVED'; agent_removed: { agent_id: AgentID } }
  | { type: 'FRAMEWORK_ADDED'; framework_added: { framework: OperatorFramework } }
  | { type: 'FRAMEWORK_UPDATED'; framework_updated: { framework: OperatorFramework } }
  | { type: 'FRAMEWORK_REMOVED'; framework_removed: { framework_info: FrameworkInfo } }
  | { type: 'HEARTBEAT' };

/** One event as one RecordIO record of ASCII JSON, ready to write to the stream. */
export function encodeOperatorEvent(event: OperatorEvent): Uint8Array {
  return encodeRecord(toAsciiJson(event));
}
