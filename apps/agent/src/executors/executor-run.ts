/**
 * An executor as the agent keeps it: one run (container) of a framework's executor and the
 * tasks it was given. Two kinds share this shape:
 *
 * - `custom`: the framework's own program (TaskInfo.executor), started with the task driver in
 *   its sandbox; it speaks the v1 executor API to this agent (executor-api/) and reports its
 *   tasks' states itself. Several tasks may share it.
 * - `default`: Mesos's built-in default executor for task groups (LAUNCH_GROUP), implemented
 *   inside the agent: each task of a group runs in a container of its own under this run, and
 *   a group lives and dies as one.
 *
 * Tasks are TaskRuns (tasks/task-run.ts) so that /state and re-registration treat them like
 * command tasks; their `containerId` is the executor's container (custom) or the task's own
 * container nested under it (default).
 */
import type { ExecutorInfo, TaskState, TaskStatusReason } from '@agora/protocol';
import type { TimerHandle } from '../clock/clock';
import type { TaskRun } from '../tasks/task-run';
import type { ExecutorConnection } from './executor-connection';

export type ExecutorKind = 'custom' | 'default';

/**
 * Mesos's executor states: `registering` from launch until the executor SUBSCRIBEs (a default
 * executor skips it), `running`, `terminating` once it was told to shut down (or its
 * registration timed out), `terminated` once its container ended. A terminated executor stays
 * until its tasks' terminal updates are acknowledged.
 */
export type ExecutorPhase = 'registering' | 'running' | 'terminating' | 'terminated';

/** What the agent reports for the tasks an ending executor leaves behind (Mesos pendingTermination). */
export interface ExecutorTermination {
  readonly state: TaskState;
  readonly reason: TaskStatusReason;
  readonly message: string;
}

/** Tasks of one LAUNCH_GROUP: they start together, and one failing or killed task ends them all. */
export interface TaskGroupRun {
  readonly taskIds: readonly string[];
  /** Set once the group is being torn down (one task failed or was killed). */
  killing: boolean;
}

export interface ExecutorRun {
  readonly kind: ExecutorKind;
  readonly frameworkId: string;
  readonly executorId: string;
  readonly containerId: string;
  /** As the framework sent it, with `framework_id` set. */
  readonly info: ExecutorInfo;
  phase: ExecutorPhase;
  /** The executor's sandbox, once created. */
  directory?: string;
  pid?: number;
  /** Live tasks by id, in arrival order: queued (phase `launching`), launched, or terminal but unacknowledged. */
  readonly tasks: Map<string, TaskRun>;
  /** Tasks whose terminal update was acknowledged, oldest first (bounded). */
  readonly completedTasks: TaskRun[];
  /** Whether any task was ever handed to the executor (Mesos everSentTask). */
  everSentTask: boolean;
  /** Set when the agent decided how the executor ends; else its leftover tasks fail (REASON_EXECUTOR_TERMINATED). */
  termination?: ExecutorTermination;
  /** The SUBSCRIBE stream of a custom executor while it is connected. */
  connection?: ExecutorConnection;
  /** Task groups of a default executor. */
  readonly groups: TaskGroupRun[];
  /** Registration or shutdown deadline, heartbeats. */
  timers: TimerHandle[];
  /**
   * No status updates: the framework was shut down or the agent is stopping, and nobody would
   * acknowledge them (tasks/task-run.ts).
   */
  silenced: boolean;
  /** Its framework checkpoints and it is on disk (checkpoint/): it survives an agent restart. */
  checkpointed?: boolean;
  /** Settles once the executor's container ended and was destroyed. */
  ended: Promise<void>;
}

/** Mesos keeps this many completed tasks per executor for /state. */
export const MAX_COMPLETED_TASKS_PER_EXECUTOR = 200;

/** Whether a task still counts as running under its executor (not terminal). */
export function isLive(task: TaskRun): boolean {
  return task.phase !== 'terminated';
}
