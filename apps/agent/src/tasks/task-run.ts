/**
 * A task as the agent keeps it: what the master sent, where it runs, and the newest state the
 * agent knows. Command tasks have an executor of their own whose id is the task id (as Mesos's
 * built-in command executor), and one container (one run of that executor).
 */
import type { FrameworkID, FrameworkInfo, TaskInfo, TaskState, TaskStatus } from '@agora/protocol';

export type LaunchedFramework = FrameworkInfo & { id: FrameworkID };

/** `launching` until the process exists, `running` while it does, `terminated` once a terminal state was reached. */
export type TaskPhase = 'launching' | 'running' | 'terminated';

export interface TaskRun {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly info: TaskInfo;
  readonly executorId: string;
  readonly containerId: string;
  /** The sandbox, once created. */
  directory?: string;
  /** The newest state the agent knows (TASK_STAGING until the first update). */
  state: TaskState;
  phase: TaskPhase;
  /** The updates this task produced, oldest first (shown in /state). */
  readonly statuses: TaskStatus[];
  pid?: number;
  /** Set once a kill was asked for; the grace only ever shrinks. */
  kill?: { graceMs: number };
  /** The kill came from the task's failing health check: its terminal update says `healthy: false`. */
  killedByHealthCheck?: boolean;
  /**
   * No more status updates for this task: its framework was shut down or the agent is stopping,
   * and nobody would acknowledge them (Mesos sends nothing for a terminating framework).
   */
  silenced: boolean;
  /** Its framework checkpoints and the task is on disk (checkpoint/): it survives an agent restart. */
  checkpointed?: boolean;
  /** Settles when the launch flow is over: the task ended and its container was destroyed. */
  finished: Promise<void>;
}

/** Whether the framework declared a capability (FrameworkInfo.capabilities). */
export function hasCapability(framework: FrameworkInfo, type: string): boolean {
  return (framework.capabilities ?? []).some((c) => c.type === type);
}
