import { TaskStatusReason } from '@agora/protocol';
import {
  type RecoverableRun,
  type TaskDriver,
  type TaskExit,
  type TaskInspection,
  type TaskLaunch,
  TaskStartError,
  type TaskStats,
  UnknownContainerError,
} from './task-driver';

/** The docker driver, when this agent has an engine (drivers/docker/docker-support.ts). */
export interface DockerBackend {
  readonly driver: TaskDriver;
  /** Undefined when Docker tasks can run; otherwise why not. */
  unavailable(): Promise<string | undefined>;
}

/**
 * The task driver the agent runs tasks with (TASK_DRIVER): each launch goes to the driver its
 * container asks for — `docker` for a DOCKER ContainerInfo, `process` for anything else (no
 * container, or a MESOS one without an image) — and every later call about that container to
 * the driver that started it. It keeps the TaskDriver contract itself, so callers need not know
 * there are two.
 */
export class TaskDriverRouter implements TaskDriver {
  readonly name = 'router';
  private readonly owners = new Map<string, TaskDriver>();

  constructor(
    private readonly process: TaskDriver,
    private readonly docker: DockerBackend,
  ) {}

  async start(launch: TaskLaunch): Promise<TaskInspection> {
    const driver = await this.driverFor(launch);
    const started = await driver.start(launch);
    this.owners.set(launch.containerId, driver);
    return started;
  }

  wait(containerId: string): Promise<TaskExit> {
    return this.owner(containerId).wait(containerId);
  }

  stop(containerId: string, graceMs: number): Promise<TaskExit> {
    return this.owner(containerId).stop(containerId, graceMs);
  }

  async destroy(containerId: string): Promise<void> {
    const driver = this.owners.get(containerId);
    if (driver === undefined) return;
    await driver.destroy(containerId);
    this.owners.delete(containerId);
  }

  inspect(containerId: string): TaskInspection | undefined {
    return this.owners.get(containerId)?.inspect(containerId);
  }

  async stats(containerId: string): Promise<TaskStats | undefined> {
    return this.owners.get(containerId)?.stats(containerId);
  }

  /**
   * Hands a checkpointed run to the driver that started it. A driver that cannot recover (or is
   * not there any more: no Docker engine) gives a run whose end is unknown, so its task is lost.
   */
  async recover(run: RecoverableRun): Promise<TaskInspection> {
    const driver = run.driver === 'docker' ? ((await this.docker.unavailable()) === undefined ? this.docker.driver : undefined) : this.process;
    if (driver?.recover === undefined || driver.name !== run.driver) {
      return {
        containerId: run.containerId,
        pid: run.pid ?? 0,
        startedAt: 0,
        limited: false,
        exit: {
          kind: 'signaled',
          signal: 'SIGKILL',
          cause: { reason: TaskStatusReason.EXECUTOR_TERMINATED, message: `The ${run.driver} driver cannot recover the task's container`, lost: true },
        },
      };
    }
    const recovered = await driver.recover(run);
    this.owners.set(run.containerId, driver);
    return recovered;
  }

  private async driverFor(launch: TaskLaunch): Promise<TaskDriver> {
    if (launch.container?.type !== 'DOCKER') return this.process;
    const why = await this.docker.unavailable();
    if (why !== undefined) throw new TaskStartError(why, { reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED });
    return this.docker.driver;
  }

  private owner(containerId: string): TaskDriver {
    const driver = this.owners.get(containerId);
    if (driver === undefined) throw new UnknownContainerError(containerId);
    return driver;
  }
}
