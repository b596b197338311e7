/**
 * v1 operator Calls (master.proto `mesos.v1.master.Call`): what an operator or a tool POSTs to
 * the master's `/api/v1`. The envelope is `{type, <sub-message>}`, the sub-message named after the
 * type in snake_case: `{"type": "TEARDOWN", "teardown": {"framework_id": {"value": "..."}}}`.
 */
import type { AgentID, DurationInfo, FrameworkID, ScalarQuantities } from '../scheduler/mesos-types';

/** Every call type Mesos 1.11 knows, with its protobuf number (accepted in place of the name). */
export const OPERATOR_CALL_TYPE_NUMBERS = {
  GET_HEALTH: 1,
  GET_FLAGS: 2,
  GET_VERSION: 3,
  GET_METRICS: 4,
  GET_LOGGING_LEVEL: 5,
  SET_LOGGING_LEVEL: 6,
  LIST_FILES: 7,
  READ_FILE: 8,
  GET_STATE: 9,
  GET_AGENTS: 10,
  GET_FRAMEWORKS: 11,
  GET_EXECUTORS: 12,
  GET_TASKS: 13,
  GET_ROLES: 14,
  GET_WEIGHTS: 15,
  UPDATE_WEIGHTS: 16,
  GET_MASTER: 17,
  SUBSCRIBE: 18,
  RESERVE_RESOURCES: 19,
  UNRESERVE_RESOURCES: 20,
  CREATE_VOLUMES: 21,
  DESTROY_VOLUMES: 22,
  GET_MAINTENANCE_STATUS: 23,
  GET_MAINTENANCE_SCHEDULE: 24,
  UPDATE_MAINTENANCE_SCHEDULE: 25,
  START_MAINTENANCE: 26,
  STOP_MAINTENANCE: 27,
  GET_QUOTA: 28,
  SET_QUOTA: 29,
  REMOVE_QUOTA: 30,
  TEARDOWN: 31,
  MARK_AGENT_GONE: 32,
  GET_OPERATIONS: 33,
  GROW_VOLUME: 34,
  SHRINK_VOLUME: 35,
  UPDATE_QUOTA: 36,
  DRAIN_AGENT: 37,
  DEACTIVATE_AGENT: 38,
  REACTIVATE_AGENT: 39,
} as const;

export type OperatorCallType = keyof typeof OPERATOR_CALL_TYPE_NUMBERS;
export const OPERATOR_CALL_TYPES = Object.keys(OPERATOR_CALL_TYPE_NUMBERS) as OperatorCallType[];

/** The calls Agora's master serves. The others decode to `{type}` and are answered 501. */
export const SUPPORTED_OPERATOR_CALL_TYPES = [
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_WEIGHTS',
  'UPDATE_WEIGHTS',
  'GET_MASTER',
  'SUBSCRIBE',
  'GET_QUOTA',
  'UPDATE_QUOTA',
  'TEARDOWN',
  'MARK_AGENT_GONE',
  'DRAIN_AGENT',
  'DEACTIVATE_AGENT',
  'REACTIVATE_AGENT',
] as const satisfies readonly OperatorCallType[];

export type SupportedOperatorCallType = (typeof SUPPORTED_OPERATOR_CALL_TYPES)[number];
export type UnsupportedOperatorCallType = Exclude<OperatorCallType, SupportedOperatorCallType>;

/** A role's weight (mesos.proto `WeightInfo`). The decoder requires `role`. */
export interface WeightInfo {
  role: string;
  weight: number;
}

/**
 * A role's quota (quota.proto `QuotaConfig`): scalar amounts by resource name. Both maps empty
 * (or absent) resets the role to the default: no guarantees and no limits.
 */
export interface QuotaConfig {
  role: string;
  guarantees?: ScalarQuantities;
  limits?: ScalarQuantities;
}

export interface GetMetrics {
  /** Accepted and checked; Agora's metrics are all at hand, so nothing waits on it. */
  timeout?: DurationInfo;
}

export interface UpdateWeights {
  /** Absent in the JSON means empty. */
  weight_infos: WeightInfo[];
}

export interface UpdateQuota {
  /** Skips the checks against current consumption and cluster capacity. */
  force?: boolean;
  /** Applied all or nothing. Absent in the JSON means empty. */
  quota_configs: QuotaConfig[];
}

export interface Teardown {
  framework_id: FrameworkID;
}

export interface MarkAgentGone {
  agent_id: AgentID;
}

/** DRAIN_AGENT (Mesos 1.9+): deactivate the agent, kill its tasks, optionally mark it gone once drained. */
export interface DrainAgentCall {
  agent_id: AgentID;
  /** Upper bound of each task's kill grace period. */
  max_grace_period?: DurationInfo;
  mark_gone?: boolean;
}

/** DEACTIVATE_AGENT and REACTIVATE_AGENT. */
export interface AgentCall {
  agent_id: AgentID;
}

/** Calls without a sub-message (GET_METRICS' is optional). */
type Bare = Exclude<
  SupportedOperatorCallType,
  'GET_METRICS' | 'UPDATE_WEIGHTS' | 'UPDATE_QUOTA' | 'TEARDOWN' | 'MARK_AGENT_GONE' | 'DRAIN_AGENT' | 'DEACTIVATE_AGENT' | 'REACTIVATE_AGENT'
>;

export type OperatorCall =
  | { type: Bare }
  | { type: 'GET_METRICS'; get_metrics?: GetMetrics }
  | { type: 'UPDATE_WEIGHTS'; update_weights: UpdateWeights }
  | { type: 'UPDATE_QUOTA'; update_quota: UpdateQuota }
  | { type: 'TEARDOWN'; teardown: Teardown }
  | { type: 'MARK_AGENT_GONE'; mark_agent_gone: MarkAgentGone }
  | { type: 'DRAIN_AGENT'; drain_agent: DrainAgentCall }
  | { type: 'DEACTIVATE_AGENT'; deactivate_agent: AgentCall }
  | { type: 'REACTIVATE_AGENT'; reactivate_agent: AgentCall }
  /** Known to Mesos, not served by Agora: its sub-message is not read. */
  | { type: UnsupportedOperatorCallType };

export function isSupportedOperatorCall(type: OperatorCallType): type is SupportedOperatorCallType {
  return (SUPPORTED_OPERATOR_CALL_TYPES as readonly string[]).includes(type);
}
