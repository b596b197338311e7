import { Injectable, Logger, Optional } from '@nestjs/common';
import type { FrameworkToExecutor, KillTask, RunTask, RunTaskGroup, TaskStatus } from '@agora/protocol';
import type { ExecutorCheckpoint } from '../checkpoint/checkpoint-store';
import { AgentCounters } from '../metrics/agent-counters';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { TaskRegistry } from '../tasks/task-registry';
import type { LaunchedFramework } from '../tasks/task-run';
import { CustomExecutorService } from './custom-executor.service';
import { DefaultExecutorService } from './default-executor.service';
import { ExecutorRegistry } from './executor-registry';
import { ExecutorReporter } from './executor-reporter';

/**
 * The master's commands that concern executors, routed to the custom executors or the built-in
 * default executor (the inbox calls this before, or instead of, the command executor). Methods
 * that return a boolean say whether an executor here took the command; `false` leaves it to
 * the command executor. Nothing here throws into the bus.
 */
@Injectable()
export class ExecutorsService {
  private readonly logger = new Logger('executors');
  private stopped = false;

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly tasks: TaskRegistry,
    private readonly custom: CustomExecutorService,
    private readonly defaults: DefaultExecutorService,
    private readonly reporter: ExecutorReporter,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly session: AgentSession,
    @Optional() private readonly counters?: AgentCounters,
  ) {}

  /** Whether a `run-task` is for a custom executor (TaskInfo.executor) and so belongs here. */
  takes(message: RunTask): boolean {
    return message.task.executor !== undefined;
  }

  /** `run-task` with a custom executor. A task id the agent already holds is ignored (the master never reuses one). */
  run(message: RunTask): void {
    const agentId = this.accepting(message.framework.id.value, [message.task.task_id.value]);
    if (agentId !== undefined) this.custom.run(message, agentId);
  }

  /** `run-task-group`: LAUNCH_GROUP, run by the built-in default executor. */
  runGroup(message: RunTaskGroup): void {
    const ids = (message.task_group.tasks ?? []).map((t) => t.task_id.value);
    const agentId = this.accepting(message.framework.id.value, ids);
    if (agentId !== undefined) this.defaults.runGroup(message, agentId);
  }

  /**
   * `kill-task`: to the executor holding the task. A task nobody here holds, of a framework only
   * executors know, is answered TASK_LOST (TASK_DROPPED when partition-aware), as the command
   * executor answers for its frameworks.
   */
  kill(message: KillTask): boolean {
    const frameworkId = message.framework_id.value;
    const taskId = message.task_id.value;
    const run = this.registry.ownerOf(frameworkId, taskId);
    if (run !== undefined) {
      const task = run.tasks.get(taskId);
      if (task === undefined) return true;
      if (run.kind === 'custom') this.custom.kill(run, task, message);
      else this.defaults.kill(run, task, message.kill_policy);
      return true;
    }
    const framework = this.registry.framework(frameworkId);
    if (framework === undefined || this.tasks.framework(frameworkId) !== undefined || this.tasks.get(frameworkId, taskId) !== undefined) return false;
    this.reporter.dropped(frameworkId, framework.info, taskId, undefined, 'Cannot find executor');
    return true;
  }

  /** `shutdown-executor` for an executor here. */
  shutdownExecutor(frameworkId: string, executorId: string): boolean {
    const run = this.registry.executor(frameworkId, executorId);
    if (run === undefined) return false;
    if (run.kind === 'custom') this.custom.shutdown(run);
    else this.defaults.shutdown(run);
    return true;
  }

  /**
   * `shutdown-framework`: its executors are shut down and its tasks silenced, since nobody would
   * acknowledge their updates (the master already told the scheduler).
   */
  shutdownFramework(frameworkId: string): void {
    const framework = this.registry.framework(frameworkId);
    if (framework === undefined) return;
    this.logger.log(`shutting down framework ${frameworkId}: shutting down its ${framework.executors.size} executor(s)`);
    this.statusUpdates.cleanup(frameworkId);
    for (const run of framework.executors.values()) {
      run.silenced = true;
      for (const task of run.tasks.values()) {
        task.silenced = true;
        if (task.phase === 'terminated') this.registry.completeTask(run, task.taskId);
      }
      if (run.kind === 'custom') this.custom.shutdown(run);
      else this.defaults.shutdown(run);
      this.reporter.retireIfDone(run);
    }
  }

  /** `framework-message` for an executor here: a MESSAGE event (the default executor takes none). */
  frameworkMessage(message: FrameworkToExecutor): boolean {
    const run = this.registry.executor(message.framework_id.value, message.executor_id.value);
    if (run === undefined) return false;
    this.counters?.frameworkMessage(run.phase === 'running' && (run.kind === 'default' || run.connection?.isOpen === true));
    if (run.kind === 'custom') this.custom.frameworkMessage(run, message.data);
    else this.logger.log(`dropping a framework message for the default executor ${run.executorId}: it takes no messages`);
    return true;
  }

  /**
   * The agent stops (or was shut down): every executor ends without status updates. With
   * `keepCheckpointed` (a graceful stop), the executors of checkpointing frameworks (custom ones
   * and the default executor of their task groups) are left running for the next agent process
   * to recover.
   */
  async stopAll(why: string, options: { keepCheckpointed?: boolean } = {}): Promise<void> {
    this.stopped = true;
    const count = this.registry.executors().length;
    if (count > 0) this.logger.log(`${why}: shutting down ${count} executor(s)${options.keepCheckpointed === true ? ', but those of checkpointing frameworks' : ''}`);
    await Promise.all([this.custom.stopAll(options), this.defaults.stopAll(options)]);
  }

  /** Recovery: a custom executor an earlier agent process checkpointed (CustomExecutorService.adopt). */
  adoptCustom(framework: LaunchedFramework, checkpoint: ExecutorCheckpoint, journals: ReadonlyMap<string, readonly TaskStatus[]>): Promise<void> {
    return this.custom.adopt(framework, checkpoint, journals);
  }

  /**
   * Recovery: the default executor of task groups an earlier agent process checkpointed
   * (DefaultExecutorService.adopt); resolves with the pids of its tasks found running.
   */
  adoptDefault(framework: LaunchedFramework, checkpoint: ExecutorCheckpoint, journals: ReadonlyMap<string, readonly TaskStatus[]>): Promise<number[]> {
    return this.defaults.adopt(framework, checkpoint, journals);
  }

  /** The agent id when the tasks may be taken; undefined (logged) when they are ignored. */
  private accepting(frameworkId: string, taskIds: readonly string[]): string | undefined {
    const agentId = this.session.agentId;
    if (this.stopped || agentId === undefined) {
      this.logger.warn(`ignoring task(s) ${taskIds.join(', ')} of framework ${frameworkId}: the agent is ${this.stopped ? 'stopping' : 'not registered'}`);
      return undefined;
    }
    const held = taskIds.filter((id) => this.registry.ownerOf(frameworkId, id) !== undefined || this.tasks.get(frameworkId, id) !== undefined);
    if (held.length > 0) {
      this.logger.warn(`ignoring task(s) ${taskIds.join(', ')} of framework ${frameworkId}: ${held.join(', ')} already on this agent`);
      return undefined;
    }
    return agentId;
  }
}
