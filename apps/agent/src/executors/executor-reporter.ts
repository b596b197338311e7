import { Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import { type FrameworkInfo, isTerminalState, type TaskState, type TaskStatus, TaskStatusReason, type TaskStatusSource } from '@agora/protocol';
import { constants } from 'node:os';
import { Clock } from '../clock/clock';
import type { TaskExit } from '../drivers/task-driver';
import { AgentCounters } from '../metrics/agent-counters';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { hasCapability, type TaskRun } from '../tasks/task-run';
import { taskStatus } from '../tasks/task-statuses';
import { type ExecutorRun, isLive } from './executor-run';
import { ExecutorRegistry } from './executor-registry';

/** Statuses kept per task for /state; a task produces a handful, this only bounds a runaway. */
const MAX_STATUSES_PER_TASK = 50;

export interface AgentUpdate {
  readonly state: TaskState;
  readonly source?: TaskStatusSource;
  readonly reason?: TaskStatusReason;
  readonly message?: string;
}

/**
 * What custom and default executors tell the master, in one place: task status updates (through
 * the status-update manager, reliable and ordered), and `executor-exited` when an executor's
 * container ended, which the master turns into the scheduler's FAILURE event. Also retires
 * executors: a task leaves its executor once its terminal update is acknowledged, and an ended
 * executor without live tasks leaves the registry.
 */
@Injectable()
export class ExecutorReporter implements OnModuleInit {
  private readonly logger = new Logger('executors');

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly session: AgentSession,
    private readonly bus: AgoraBus,
    private readonly clock: Clock,
    @Optional() private readonly counters?: AgentCounters,
  ) {}

  onModuleInit(): void {
    this.statusUpdates.onStreamClosed((frameworkId, taskId) => {
      const run = this.registry.ownerOf(frameworkId, taskId);
      if (run === undefined) return;
      this.registry.completeTask(run, taskId);
      this.retireIfDone(run);
    });
  }

  /**
   * Records a status of `task` (the executor's, or one the agent made) as its newest state and,
   * unless the task is silenced, queues it for the master. A silenced task that reached a
   * terminal state gets no acknowledgement that would retire it: it retires now.
   */
  record(run: ExecutorRun, task: TaskRun, status: TaskStatus & { uuid: string }): void {
    task.state = status.state;
    task.statuses.push(status);
    if (task.statuses.length > MAX_STATUSES_PER_TASK) task.statuses.shift();
    if (isTerminalState(status.state)) task.phase = 'terminated';
    if (!task.silenced) {
      this.statusUpdates.update(task.frameworkId, status);
    } else if (task.phase === 'terminated') {
      this.registry.completeTask(run, task.taskId);
      this.retireIfDone(run);
    }
  }

  /** A status the agent (or its built-in default executor) makes for `task`, with a fresh uuid. */
  update(run: ExecutorRun, task: TaskRun, update: AgentUpdate, containerStatus?: TaskStatus['container_status']): void {
    const status = taskStatus({
      taskId: task.taskId,
      state: update.state,
      source: update.source ?? 'SOURCE_AGENT',
      agentId: this.session.agentId ?? '',
      now: this.clock.now(),
      executorId: run.executorId,
      reason: update.reason,
      message: update.message,
    });
    if (containerStatus !== undefined) status.container_status = containerStatus;
    this.record(run, task, status);
  }

  /**
   * An update for a task that never joined an executor (it arrived for one that is shutting
   * down): TASK_LOST, or TASK_DROPPED for a partition-aware framework, as Mesos's agent answers.
   */
  dropped(frameworkId: string, framework: FrameworkInfo, taskId: string, executorId: string | undefined, message: string): void {
    const state: TaskState = hasCapability(framework, 'PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
    this.logger.warn(`task ${taskId} of framework ${frameworkId}: ${message}; answering ${state}`);
    this.statusUpdates.update(
      frameworkId,
      taskStatus({
        taskId,
        state,
        source: 'SOURCE_AGENT',
        agentId: this.session.agentId ?? '',
        now: this.clock.now(),
        executorId,
        reason: TaskStatusReason.EXECUTOR_TERMINATED,
        message,
      }),
    );
  }

  /**
   * The executor's container ended. Its live tasks end as the agent decided (`run.termination`)
   * or TASK_FAILED with REASON_EXECUTOR_TERMINATED, silenced ones without updates; then the
   * master hears `executor-exited` (unless the agent itself is stopping, when the master will
   * learn about the whole agent instead).
   */
  ended(run: ExecutorRun, exit: TaskExit | undefined, options: { readonly agentStopping: boolean }): void {
    run.phase = 'terminated';
    for (const timer of run.timers) timer.cancel();
    run.timers = [];
    run.connection?.close();
    run.connection = undefined;
    const leftover = [...run.tasks.values()].filter(isLive);
    const termination = run.termination ?? { state: 'TASK_FAILED', reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'Executor terminated' };
    for (const task of leftover) this.update(run, task, termination);
    const status = exit === undefined ? undefined : waitStatus(exit);
    if (exit !== undefined) this.counters?.executorTerminated();
    const agentId = this.session.agentId;
    if (!options.agentStopping && agentId !== undefined) {
      this.bus.toMaster('executor-exited', {
        agent_id: { value: agentId },
        framework_id: { value: run.frameworkId },
        executor_id: { value: run.executorId },
        ...(status !== undefined ? { status } : {}),
      });
    }
    this.logger.log(`executor ${run.executorId} of framework ${run.frameworkId} ended${exit === undefined ? '' : ` (${describeExit(exit)})`}`);
    this.retireIfDone(run);
  }

  /** An ended executor whose tasks were all acknowledged (or silenced) leaves the live set. */
  retireIfDone(run: ExecutorRun): void {
    if (run.phase === 'terminated' && run.tasks.size === 0) this.registry.retire(run);
  }
}

/**
 * The executor's wait status as Mesos reports it in FAILURE (`ExitedExecutorMessage.status`):
 * the raw waitpid value, so exit code N is N × 256 and death by a signal is the signal's number.
 */
export function waitStatus(exit: TaskExit): number {
  return exit.kind === 'exited' ? (exit.code & 0xff) << 8 : (constants.signals[exit.signal] ?? 0);
}

function describeExit(exit: TaskExit): string {
  return exit.kind === 'exited' ? `exited with status ${exit.code}` : `terminated by ${exit.signal}`;
}
