/**
 * Task states and status-update vocabulary (mesos.proto `TaskState`, `TaskStatus.Source`,
 * `TaskStatus.Reason`), with the rules the master applies to them.
 */

/** Every task state, with its protobuf number (accepted in place of the name on input). */
export const TASK_STATE_NUMBERS = {
  TASK_STARTING: 0,
  TASK_RUNNING: 1,
  TASK_FINISHED: 2,
  TASK_FAILED: 3,
  TASK_KILLED: 4,
  TASK_LOST: 5,
  TASK_STAGING: 6,
  TASK_ERROR: 7,
  TASK_KILLING: 8,
  TASK_DROPPED: 9,
  TASK_UNREACHABLE: 10,
  TASK_GONE: 11,
  TASK_GONE_BY_OPERATOR: 12,
  TASK_UNKNOWN: 13,
} as const;

export type TaskState = keyof typeof TASK_STATE_NUMBERS;

export const TASK_STATES = Object.keys(TASK_STATE_NUMBERS) as TaskState[];

const TERMINAL: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/**
 * A terminal task holds no resources and will not change again, except TASK_LOST, which is
 * terminal here (as in Mesos) yet may be followed by TASK_RUNNING when a lost agent comes back.
 * TASK_UNREACHABLE is not terminal: the task may still be running behind a partition.
 */
export function isTerminalState(state: TaskState): boolean {
  return TERMINAL.has(state);
}

/** States only frameworks with the PARTITION_AWARE capability are sent. */
const PARTITION_AWARE_ONLY: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_UNREACHABLE',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
]);

/**
 * The state a framework is told: frameworks without PARTITION_AWARE know none of the
 * partition-era states and see TASK_LOST for all of them.
 */
export function stateForFramework(state: TaskState, partitionAware: boolean): TaskState {
  return !partitionAware && PARTITION_AWARE_ONLY.has(state) ? 'TASK_LOST' : state;
}

/** Who produced a status update. */
export const TASK_STATUS_SOURCES = ['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR'] as const;
export type TaskStatusSource = (typeof TASK_STATUS_SOURCES)[number];

/** Why a status update happened (`TaskStatus.reason`, v1 names: AGENT, not SLAVE). */
export const TaskStatusReason = {
  COMMAND_EXECUTOR_FAILED: 'REASON_COMMAND_EXECUTOR_FAILED',
  CONTAINER_LAUNCH_FAILED: 'REASON_CONTAINER_LAUNCH_FAILED',
  CONTAINER_LIMITATION: 'REASON_CONTAINER_LIMITATION',
  CONTAINER_LIMITATION_DISK: 'REASON_CONTAINER_LIMITATION_DISK',
  CONTAINER_LIMITATION_MEMORY: 'REASON_CONTAINER_LIMITATION_MEMORY',
  CONTAINER_PREEMPTED: 'REASON_CONTAINER_PREEMPTED',
  CONTAINER_UPDATE_FAILED: 'REASON_CONTAINER_UPDATE_FAILED',
  MAX_COMPLETION_TIME_REACHED: 'REASON_MAX_COMPLETION_TIME_REACHED',
  EXECUTOR_REGISTRATION_TIMEOUT: 'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
  EXECUTOR_REREGISTRATION_TIMEOUT: 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
  EXECUTOR_TERMINATED: 'REASON_EXECUTOR_TERMINATED',
  EXECUTOR_UNREGISTERED: 'REASON_EXECUTOR_UNREGISTERED',
  FRAMEWORK_REMOVED: 'REASON_FRAMEWORK_REMOVED',
  GC_ERROR: 'REASON_GC_ERROR',
  INVALID_FRAMEWORKID: 'REASON_INVALID_FRAMEWORKID',
  INVALID_OFFERS: 'REASON_INVALID_OFFERS',
  IO_SWITCHBOARD_EXITED: 'REASON_IO_SWITCHBOARD_EXITED',
  MASTER_DISCONNECTED: 'REASON_MASTER_DISCONNECTED',
  RECONCILIATION: 'REASON_RECONCILIATION',
  RESOURCES_UNKNOWN: 'REASON_RESOURCES_UNKNOWN',
  AGENT_DISCONNECTED: 'REASON_AGENT_DISCONNECTED',
  /** Killed (or refused) because an operator drains the agent (v0 REASON_SLAVE_DRAINING). */
  AGENT_DRAINING: 'REASON_AGENT_DRAINING',
  AGENT_REMOVED: 'REASON_AGENT_REMOVED',
  AGENT_REMOVED_BY_OPERATOR: 'REASON_AGENT_REMOVED_BY_OPERATOR',
  AGENT_REREGISTERED: 'REASON_AGENT_REREGISTERED',
  AGENT_RESTARTED: 'REASON_AGENT_RESTARTED',
  AGENT_UNKNOWN: 'REASON_AGENT_UNKNOWN',
  TASK_CHECK_STATUS_UPDATED: 'REASON_TASK_CHECK_STATUS_UPDATED',
  TASK_HEALTH_CHECK_STATUS_UPDATED: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
  TASK_GROUP_INVALID: 'REASON_TASK_GROUP_INVALID',
  TASK_GROUP_UNAUTHORIZED: 'REASON_TASK_GROUP_UNAUTHORIZED',
  TASK_INVALID: 'REASON_TASK_INVALID',
  TASK_KILLED_DURING_LAUNCH: 'REASON_TASK_KILLED_DURING_LAUNCH',
  TASK_UNAUTHORIZED: 'REASON_TASK_UNAUTHORIZED',
  TASK_UNKNOWN: 'REASON_TASK_UNKNOWN',
} as const;

export type TaskStatusReason = (typeof TaskStatusReason)[keyof typeof TaskStatusReason];

export const TASK_STATUS_REASONS = Object.values(TaskStatusReason) as TaskStatusReason[];
