import { Injectable, Logger } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import type { DrainAgent, DrainConfig, FrameworkInfo, KillTask, RunTask, RunTaskGroup } from '@agora/protocol';
import { Clock } from '../clock/clock';
import { ExecutorRegistry } from '../executors/executor-registry';
import { ExecutorsService } from '../executors/executors.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { CommandExecutorService } from '../tasks/command-executor.service';
import { TaskRegistry } from '../tasks/task-registry';
import { taskStatus } from '../tasks/task-statuses';
import { drainingStatus, drainKillPolicy } from './drain-policy';

/**
 * The agent's side of DRAIN_AGENT (Mesos `Slave::drain`). On `drain` every live task is killed
 * through the usual kill paths (command tasks, custom and default executors) with a grace period
 * of at most `max_grace_period`; while draining, new tasks are refused (TASK_DROPPED,
 * REASON_AGENT_DRAINING) and kill updates are marked (drain-policy.ts). The drain ends on its
 * own once the agent has no task left. Not checkpointed: the master tells a re-registering agent
 * to drain again while the drain is in progress.
 */
@Injectable()
export class DrainService {
  private readonly logger = new Logger('drain');
  private config?: DrainConfig;

  constructor(
    private readonly bus: AgoraBus,
    private readonly session: AgentSession,
    private readonly clock: Clock,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly tasks: CommandExecutorService,
    private readonly executors: ExecutorsService,
    private readonly registry: TaskRegistry,
    private readonly executorRegistry: ExecutorRegistry,
  ) {
    statusUpdates.decorate((frameworkId, status) => {
      if (this.config === undefined) return status;
      return drainingStatus(this.config, status, isPartitionAware(this.frameworkInfo(frameworkId)));
    });
    // The last acknowledged terminal update ends the drain; once its task was retired (the
    // command executor's listener retires it after this one runs).
    statusUpdates.onStreamClosed(() => queueMicrotask(() => this.endIfDrained()));
  }

  get draining(): boolean {
    return this.config !== undefined;
  }

  /** `drain` (already fenced). A second drain replaces the first's config and kills again. */
  drain(message: DrainAgent): void {
    if (!this.holdsTasks()) {
      // Mesos: nothing to drain, so draining is already complete.
      this.logger.log('asked to drain, but no task runs here: already drained');
      this.config = undefined;
      return;
    }
    this.config = message.config;
    const live = this.liveTasks();
    this.logger.warn(`draining: killing ${live.length} task(s)${message.config.max_grace_period ? ` with a grace period of at most ${message.config.max_grace_period.nanoseconds / 1e6} ms` : ''}`);
    for (const { frameworkId, taskId, policy } of live) {
      const override = drainKillPolicy(message.config, policy);
      const kill: KillTask = { epoch: message.epoch, framework_id: { value: frameworkId }, task_id: { value: taskId }, ...(override ? { kill_policy: override } : {}) };
      if (!this.executors.kill(kill)) this.tasks.kill(kill);
    }
  }

  /**
   * Refuses a launch while draining: each task is answered TASK_DROPPED (REASON_AGENT_DRAINING)
   * and nothing starts. Returns whether it refused.
   */
  refuses(message: RunTask | RunTaskGroup): boolean {
    if (this.config === undefined) return false;
    const tasks = 'task' in message ? [message.task] : (message.task_group.tasks ?? []);
    for (const task of tasks) {
      this.logger.warn(`refusing task ${task.task_id.value} of framework ${message.framework.id.value}: the agent is draining`);
      this.statusUpdates.update(
        message.framework.id.value,
        taskStatus({
          taskId: task.task_id.value,
          state: 'TASK_DROPPED',
          source: 'SOURCE_AGENT',
          agentId: this.session.agentId ?? '',
          now: this.clock.now(),
          reason: 'REASON_AGENT_DRAINING',
          message: 'Task was received while agent was already draining',
        }),
      );
    }
    // The master counted a new executor's resources at launch: it hears that none started (Mesos
    // sends ExitedExecutorMessage here too). An executor already running here keeps them.
    const executor = 'task' in message ? message.task.executor : message.executor;
    const frameworkId = message.framework.id.value;
    if (executor !== undefined && this.executorRegistry.framework(frameworkId)?.executors.has(executor.executor_id.value) !== true) {
      this.bus.toMaster('executor-exited', { agent_id: { value: this.session.agentId ?? '' }, framework_id: { value: frameworkId }, executor_id: executor.executor_id });
    }
    return true;
  }

  private endIfDrained(): void {
    if (this.config === undefined || this.holdsTasks()) return;
    this.logger.log('agent finished draining');
    this.config = undefined;
  }

  /** Tasks not yet retired, including ended ones whose terminal update waits for acknowledgement. */
  private holdsTasks(): boolean {
    return [...this.registry.frameworks(), ...this.executorRegistry.taskEntries()].some((f) => f.runs.size > 0);
  }

  /** Tasks to kill: not ended, not silenced (a silenced task is being killed without updates). */
  private liveTasks(): { frameworkId: string; taskId: string; policy: RunTask['task']['kill_policy'] }[] {
    return [...this.registry.frameworks(), ...this.executorRegistry.taskEntries()].flatMap((f) =>
      [...f.runs.values()].filter((run) => run.phase !== 'terminated' && !run.silenced).map((run) => ({ frameworkId: run.frameworkId, taskId: run.taskId, policy: run.info.kill_policy })),
    );
  }

  private frameworkInfo(frameworkId: string): FrameworkInfo | undefined {
    return this.registry.framework(frameworkId)?.info ?? this.executorRegistry.framework(frameworkId)?.info;
  }
}

function isPartitionAware(info: FrameworkInfo | undefined): boolean {
  return (info?.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE');
}
