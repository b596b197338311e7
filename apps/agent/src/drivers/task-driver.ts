/**
 * How a task's processes are run (DESIGN §7). A driver knows nothing about frameworks, status
 * updates or the master: it starts a command in a sandbox under limits, says when it ended and
 * how, and stops it on request. The command executor (tasks/) turns that into task states.
 *
 * Contract, for every driver:
 * - Containers are named by the caller's `containerId`, unique per run; one driver holds at most
 *   one run per id. `wait` and `stop` reject with UnknownContainerError for an id the driver
 *   does not hold (never started, or destroyed); `inspect` and `stats` answer undefined.
 * - `start` resolves once the task's process exists (so TASK_RUNNING is true when sent) and
 *   rejects with TaskStartError when it cannot be started; nothing is left behind then.
 * - `wait` resolves with the exit once the task's main process ended; it never rejects for a
 *   task that ran, and may be called any number of times.
 * - `stop` asks the task to end (SIGTERM or the driver's equivalent) and forces it (SIGKILL)
 *   once `graceMs` has passed; it resolves with the exit. Calling it again may shorten the
 *   remaining grace but never extends it, so a retried kill is harmless.
 * - `destroy` kills whatever is left at once and releases what the driver holds for the
 *   container (cgroups, handles); afterwards the id is unknown. It is idempotent.
 * - `inspect` and `stats` only read.
 * - `recover` (optional) takes over a run a previous agent process started, from what it
 *   checkpointed; afterwards the id is known as if `start` had returned it. It never rejects for
 *   a run that is gone: the inspection then carries the exit (from the exit file) or an exit
 *   whose cause is `lost` (the status cannot be known).
 */
import type { CommandInfo, ContainerInfo, TaskStatusReason } from '@agora/protocol';

/** Limits in the resources' units; absent means unlimited. */
export interface TaskLimits {
  /** CPU time, in cpus (1.5 = one and a half cores). */
  readonly cpus?: number;
  /** Memory, in MB. */
  readonly memMb?: number;
}

export interface TaskLaunch {
  readonly containerId: string;
  /** `value`, `shell` (default true) and `arguments`; the driver decides how it is executed. */
  readonly command: CommandInfo;
  /** The complete environment of the task (the driver adds nothing but defaults for PATH and HOME). */
  readonly env: Readonly<Record<string, string>>;
  /** The sandbox: working directory of the task. */
  readonly sandbox: string;
  /** Files the task's standard output and error are appended to. */
  readonly stdoutPath: string;
  readonly stderrPath: string;
  readonly limits: TaskLimits;
  /**
   * What the task asked for in its resources, where limits are ceilings: a container engine
   * weighs CPU shares by it and reserves that much memory. Absent: the limits.
   */
  readonly requested?: TaskLimits;
  /**
   * The task's ContainerInfo. A DOCKER one is run from its image by the docker driver; the
   * process driver runs only launches without one (or a MESOS one without an image).
   */
  readonly container?: ContainerInfo;
  /** Whose container this is, so a driver can label it and find it again after a restart. */
  readonly owner?: TaskOwner;
  /**
   * Set for tasks of checkpointing frameworks: the file the task's exit status is written to
   * even when the agent is down at the time (process driver, through agora-launcher).
   */
  readonly exitFile?: string;
}

/** What a recovering agent knows of a run an earlier agent process started (recovery/). */
export interface RecoverableRun {
  /** The driver that started it (`process`, `docker`). */
  readonly driver: string;
  readonly containerId: string;
  readonly pid?: number;
  /** The process's start time (/proc/<pid>/stat field 22), so a recycled pid is not taken for it. */
  readonly startTime?: number;
  /** The boot the run was started in (/proc/sys/kernel/random/boot_id): after a reboot it is gone. */
  readonly bootId?: string;
  readonly exitFile?: string;
  /** The run's sandbox, where a recovered container's output goes on being copied. */
  readonly sandbox?: string;
  readonly owner?: TaskOwner;
}

export interface TaskOwner {
  readonly agentId: string;
  readonly frameworkId: string;
  readonly executorId: string;
  /** Absent for an executor's own container. */
  readonly taskId?: string;
}

/**
 * Why a task ended, when the driver knows more than its exit status: the engine killed it for
 * exceeding its memory (REASON_CONTAINER_LIMITATION_MEMORY), or lost it. The command executor
 * then reports TASK_FAILED with this reason and message instead of the exit status.
 */
export interface TaskEndCause {
  readonly reason: TaskStatusReason;
  readonly message: string;
  /**
   * The run ended while no agent watched it and how is unknown: the task is reported lost
   * (TASK_GONE for partition-aware frameworks, else TASK_LOST), not failed.
   */
  readonly lost?: boolean;
}

/** How a task's main process ended. */
export type TaskExit =
  | { readonly kind: 'exited'; readonly code: number; readonly cause?: TaskEndCause }
  | { readonly kind: 'signaled'; readonly signal: NodeJS.Signals; readonly cause?: TaskEndCause };

export interface TaskInspection {
  readonly containerId: string;
  /** The main process, whose group holds the task's other processes. */
  readonly pid: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  /** Set once the main process ended. */
  readonly exit?: TaskExit;
  /** Whether resource limits are enforced (cgroups were available). */
  readonly limited: boolean;
  /** The main process's start time in clock ticks since boot, when the driver knows it (checkpointed). */
  readonly startTime?: number;
}

/** Resource usage, named as in Mesos's ResourceStatistics; fields a driver cannot measure are absent. */
export interface TaskStats {
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly cpus_user_time_secs?: number;
  readonly cpus_system_time_secs?: number;
  readonly cpus_limit?: number;
  readonly mem_rss_bytes?: number;
  readonly mem_limit_bytes?: number;
}

export interface TaskDriver {
  /** `process` or `docker`. */
  readonly name: string;
  start(launch: TaskLaunch): Promise<TaskInspection>;
  wait(containerId: string): Promise<TaskExit>;
  stop(containerId: string, graceMs: number): Promise<TaskExit>;
  destroy(containerId: string): Promise<void>;
  inspect(containerId: string): TaskInspection | undefined;
  stats(containerId: string): Promise<TaskStats | undefined>;
  recover?(run: RecoverableRun): Promise<TaskInspection>;
}

/** The injection token of the driver command tasks run with. */
export const TASK_DRIVER = Symbol('TASK_DRIVER');

/**
 * The task could not be started; the message says why (it becomes the TASK_FAILED message).
 * `reason` is the TaskStatus reason when the driver knows one (a container that cannot be
 * created: REASON_CONTAINER_LAUNCH_FAILED); without one, the task failed as an executor that
 * terminated, as Mesos's command executor does when it cannot fork.
 */
export class TaskStartError extends Error {
  override readonly name = 'TaskStartError';
  readonly reason?: TaskStatusReason;

  constructor(message: string, options?: { cause?: unknown; reason?: TaskStatusReason }) {
    super(message, options);
    this.reason = options?.reason;
  }
}

/** The driver holds no run of that container id. */
export class UnknownContainerError extends Error {
  override readonly name = 'UnknownContainerError';

  constructor(readonly containerId: string) {
    super(`no container '${containerId}'`);
  }
}
