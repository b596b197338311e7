import { Inject, Injectable, Logger } from '@nestjs/common';
import { type KillPolicy, type RunTaskGroup, type TaskInfo, type TaskState, TaskStatusReason } from '@agora/protocol';
import { randomUUID } from 'node:crypto';
import { AgentConfig } from '../config/agent.config';
import { TASK_DRIVER, type TaskDriver, type TaskExit, TaskStartError } from '../drivers/task-driver';
import { type Sandbox, SandboxService } from '../sandbox/sandbox.service';
import { taskEnvironment } from '../tasks/command-environment';
import { launchRefusal } from '../tasks/launch-support';
import { taskLimits } from '../tasks/task-limits';
import { hasCapability, type TaskRun } from '../tasks/task-run';
import { exitMessage, terminalStateOf } from '../tasks/task-statuses';
import { ExecutorRegistry } from './executor-registry';
import { type AgentUpdate, ExecutorReporter } from './executor-reporter';
import type { ExecutorRun, TaskGroupRun } from './executor-run';
import { createTaskSandbox } from './task-sandbox';

/**
 * The built-in default executor (reference §2, Mesos `mesos-default-executor`), which runs task
 * groups (LAUNCH_GROUP, bus `run-task-group`). It lives inside the agent: no executor process
 * subscribes; each task of a group runs as a container of its own (the task driver, like a
 * command task), nested under the executor's container, with its sandbox at
 * `<executor sandbox>/tasks/<taskId>/`.
 *
 * A group is one unit: its tasks start together (TASK_STARTING each, then TASK_RUNNING each
 * once all were started), and when one fails — exits non-zero, cannot start, or is killed
 * because a kill named it (reference §1.3: killing one task of a group kills the whole group) —
 * the others are killed (TASK_KILLED). A task that finishes leaves the others running. When
 * every task of the executor is terminal the executor is gone, and the master hears
 * `executor-exited` (status 0) as from Mesos's default executor exiting.
 */
@Injectable()
export class DefaultExecutorService {
  private readonly logger = new Logger('default-executor');
  /** The executor's sandbox, created once per run; undefined when it could not be. */
  private readonly sandboxes = new WeakMap<ExecutorRun, Promise<Sandbox | Error>>();
  private stopping = false;

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly reporter: ExecutorReporter,
    @Inject(TASK_DRIVER) private readonly driver: TaskDriver,
    private readonly sandboxService: SandboxService,
    private readonly config: AgentConfig,
  ) {}

  /** `run-task-group` (the caller checked the agent can take it). */
  runGroup(message: RunTaskGroup, agentId: string): void {
    const frameworkId = message.framework.id.value;
    const executorId = message.executor.executor_id.value;
    const infos = message.task_group.tasks ?? [];
    this.registry.rememberFramework(message.framework);
    let run = this.registry.executor(frameworkId, executorId);
    if (run !== undefined && (run.kind !== 'default' || run.phase === 'terminating' || run.phase === 'terminated')) {
      const why = run.kind !== 'default' ? 'is a custom executor, not the default executor' : `is ${run.phase}`;
      for (const info of infos) this.reporter.dropped(frameworkId, message.framework, info.task_id.value, executorId, `Executor ${executorId} ${why}`);
      return;
    }
    if (run === undefined) {
      run = newRun(frameworkId, { ...message.executor, framework_id: message.framework.id });
      this.registry.add(run);
      this.sandboxes.set(run, this.createSandbox(run, agentId));
      this.logger.log(`starting the default executor ${executorId} of framework ${frameworkId} in container ${run.containerId}`);
    }
    const group: TaskGroupRun = { taskIds: infos.map((t) => t.task_id.value), killing: false };
    run.groups.push(group);
    const tasks = infos.map((info) => taskRun(run, info));
    for (const task of tasks) run.tasks.set(task.taskId, task);
    this.logger.log(`launching task group [${group.taskIds.join(', ')}] on executor ${executorId} of framework ${frameworkId}`);
    const owner = run;
    const launched = this.launchGroup(run, group, tasks, agentId).catch((e: unknown) => {
      this.logger.error(`task group [${group.taskIds.join(', ')}]: ${(e as Error).message}`, (e as Error).stack);
      for (const task of tasks) {
        if (task.phase !== 'terminated') this.update(owner, task, { state: 'TASK_FAILED', reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'Executor terminated' });
      }
      this.endIfDone(owner);
    });
    for (const task of tasks) task.finished = launched;
  }

  /** `kill-task` for a task of a group: the whole group is killed (the named task with the kill's grace). */
  kill(run: ExecutorRun, task: TaskRun, policy: KillPolicy | undefined): void {
    if (task.phase === 'terminated') {
      this.logger.log(`ignoring kill of task ${task.taskId}: it already ended (${task.state})`);
      return;
    }
    const group = run.groups.find((g) => g.taskIds.includes(task.taskId));
    if (group === undefined) return;
    const grace = graceOf(policy) ?? graceOf(task.info.kill_policy) ?? this.config.killGraceMs;
    this.logger.log(`killing task ${task.taskId} and with it its group [${group.taskIds.join(', ')}]`);
    this.killGroup(run, group, new Map([[task.taskId, grace]]));
  }

  /** `shutdown-executor`: every task is killed (TASK_KILLED); the executor ends with its last task. */
  shutdown(run: ExecutorRun): void {
    if (run.phase === 'terminating' || run.phase === 'terminated') return;
    this.logger.log(`shutting down the default executor ${run.executorId} of framework ${run.frameworkId}`);
    run.phase = 'terminating';
    for (const group of run.groups) this.killGroup(run, group, new Map());
  }

  /** Kills every task group without status updates (the agent is stopping); resolves once all ended. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const runs = this.registry.executors().filter((run) => run.kind === 'default');
    for (const run of runs) {
      run.silenced = true;
      for (const task of run.tasks.values()) task.silenced = true;
      this.shutdown(run);
    }
    await Promise.all(runs.flatMap((run) => [...run.tasks.values()].map((task) => task.finished)));
  }

  /** One group from start to end: every way out leaves each of its tasks terminal. */
  private async launchGroup(run: ExecutorRun, group: TaskGroupRun, tasks: TaskRun[], agentId: string): Promise<void> {
    const executorSandbox = await this.sandboxes.get(run);
    if (executorSandbox === undefined || executorSandbox instanceof Error) {
      const why = executorSandbox instanceof Error ? executorSandbox.message : 'it was not created';
      this.failAll(run, tasks, TaskStatusReason.CONTAINER_LAUNCH_FAILED, () => `Failed to create the executor's sandbox: ${why}`);
      return;
    }
    const refusals = tasks.map((task) => launchRefusal(task.info));
    const refused = refusals.find((r) => r !== undefined);
    if (refused !== undefined) {
      this.failAll(run, tasks, TaskStatusReason.TASK_GROUP_INVALID, (i) => refusals[i]?.message ?? `Another task of its group cannot be launched: ${refused.message}`, (i) => refusals[i]?.reason);
      return;
    }
    if (group.killing) {
      for (const task of tasks) {
        this.update(run, task, { state: 'TASK_KILLED', reason: TaskStatusReason.TASK_KILLED_DURING_LAUNCH, message: 'A task within the task group was killed before delivery to the executor' });
      }
      this.endIfDone(run);
      return;
    }
    let sandboxes: Sandbox[];
    try {
      sandboxes = await Promise.all(tasks.map((task) => createTaskSandbox(executorSandbox.directory, task.taskId)));
    } catch (e) {
      this.failAll(run, tasks, TaskStatusReason.CONTAINER_LAUNCH_FAILED, () => `Failed to create the task's sandbox: ${(e as Error).message}`);
      return;
    }
    tasks.forEach((task, i) => (task.directory = sandboxes[i].directory));
    for (const task of tasks) this.update(run, task, { state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR' });

    const starts = await Promise.allSettled(tasks.map((task, i) => this.start(run, task, sandboxes[i], agentId)));
    const started: TaskRun[] = [];
    starts.forEach((result, i) => {
      const task = tasks[i];
      if (result.status === 'fulfilled') {
        task.pid = result.value;
        task.phase = 'running';
        started.push(task);
        return;
      }
      const e = result.reason as Error;
      const reason = e instanceof TaskStartError && e.reason !== undefined ? e.reason : TaskStatusReason.CONTAINER_LAUNCH_FAILED;
      this.logger.warn(`task ${task.taskId} of group [${group.taskIds.join(', ')}] cannot start: ${e.message}`);
      this.update(run, task, { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', reason, message: e.message });
      group.killing = true;
    });
    // RUNNING once the whole group runs: a group is all-or-nothing for its scheduler.
    if (!group.killing) for (const task of started) this.update(run, task, { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' });
    if (group.killing) this.killGroup(run, group, new Map());
    await Promise.all(started.map((task) => this.watch(run, group, task)));
    this.endIfDone(run);
  }

  private async start(run: ExecutorRun, task: TaskRun, sandbox: Sandbox, agentId: string): Promise<number> {
    const command = task.info.command ?? {};
    const { env, skipped } = taskEnvironment({ sandbox: sandbox.directory, taskId: task.taskId, frameworkId: run.frameworkId, agentId, executorId: run.executorId, command });
    if (skipped.length > 0) this.logger.warn(`task ${task.taskId}: variables without a plain value are not set: ${skipped.join(', ')}`);
    if ((command.uris ?? []).length > 0) this.logger.warn(`task ${task.taskId}: fetching CommandInfo.uris is not supported yet; they are ignored`);
    const started = await this.driver.start({
      containerId: task.containerId,
      command,
      env,
      sandbox: sandbox.directory,
      stdoutPath: sandbox.stdout,
      stderrPath: sandbox.stderr,
      limits: taskLimits(task.info),
      ...(task.info.container !== undefined ? { container: task.info.container } : {}),
      owner: { agentId, frameworkId: run.frameworkId, executorId: run.executorId, taskId: task.taskId },
    });
    return started.pid;
  }

  /** Waits for a started task to end; a failure (or a kill that named it) takes its group down. */
  private async watch(run: ExecutorRun, group: TaskGroupRun, task: TaskRun): Promise<void> {
    const exit = await this.driver.wait(task.containerId);
    await this.driver.destroy(task.containerId);
    const killed = task.kill !== undefined;
    const verdict = verdictOf(exit, killed);
    this.logger.log(`task ${task.taskId} of group [${group.taskIds.join(', ')}]: ${verdict.message}`);
    this.update(run, task, { ...verdict, source: 'SOURCE_EXECUTOR' });
    if (verdict.state === 'TASK_FAILED' && !group.killing) {
      this.logger.log(`task ${task.taskId} failed: killing the rest of its group`);
      this.killGroup(run, group, new Map());
    }
  }

  /**
   * Kills the group's unfinished tasks: each with the grace `graces` names for it, else its own
   * kill policy, else AGORA_KILL_GRACE_MS. Tasks still starting are killed once started.
   */
  private killGroup(run: ExecutorRun, group: TaskGroupRun, graces: ReadonlyMap<string, number>): void {
    group.killing = true;
    const framework = this.registry.framework(run.frameworkId)?.info;
    for (const taskId of group.taskIds) {
      const task = run.tasks.get(taskId);
      if (task === undefined || task.phase === 'terminated') continue;
      const wanted = graces.get(taskId) ?? graceOf(task.info.kill_policy) ?? this.config.killGraceMs;
      const first = task.kill === undefined;
      const grace = task.kill === undefined ? wanted : Math.min(wanted, task.kill.graceMs);
      task.kill = { graceMs: grace };
      if (task.phase !== 'running') continue;
      if (first && framework !== undefined && hasCapability(framework, 'TASK_KILLING_STATE')) {
        this.update(run, task, { state: 'TASK_KILLING', source: 'SOURCE_EXECUTOR' });
      }
      this.driver.stop(task.containerId, grace).catch((e: unknown) => this.logger.warn(`could not stop task ${task.taskId}: ${(e as Error).message}`));
    }
  }

  private failAll(
    run: ExecutorRun,
    tasks: readonly TaskRun[],
    reason: TaskStatusReason,
    message: (i: number) => string,
    reasonOf: (i: number) => TaskStatusReason | undefined = () => undefined,
  ): void {
    tasks.forEach((task, i) => this.update(run, task, { state: 'TASK_FAILED', reason: reasonOf(i) ?? reason, message: message(i) }));
    this.endIfDone(run);
  }

  /** The executor is gone once none of its tasks is left unfinished (Mesos's default executor exits). */
  private endIfDone(run: ExecutorRun): void {
    if (run.phase === 'terminated') return;
    if ([...run.tasks.values()].some((task) => task.phase !== 'terminated')) return;
    this.reporter.ended(run, { kind: 'exited', code: 0 }, { agentStopping: this.stopping });
  }

  private update(run: ExecutorRun, task: TaskRun, update: AgentUpdate): void {
    this.reporter.update(run, task, update, { container_id: { value: task.containerId, parent: { value: run.containerId } } });
  }

  private async createSandbox(run: ExecutorRun, agentId: string): Promise<Sandbox | Error> {
    try {
      const sandbox = await this.sandboxService.create({ agentId, frameworkId: run.frameworkId, executorId: run.executorId, containerId: run.containerId });
      run.directory = sandbox.directory;
      return sandbox;
    } catch (e) {
      return e as Error;
    }
  }
}

/** How a task of a group ended, in the command executor's words; a driver's cause (OOM) wins over the exit status. */
function verdictOf(exit: TaskExit, killed: boolean): { state: TaskState; message: string; reason?: TaskStatusReason } {
  if (!killed && exit.cause !== undefined) return { state: 'TASK_FAILED', reason: exit.cause.reason, message: exit.cause.message };
  return { state: terminalStateOf(exit, killed), message: exitMessage(exit) };
}

function taskRun(run: ExecutorRun, info: TaskInfo): TaskRun {
  return {
    frameworkId: run.frameworkId,
    taskId: info.task_id.value,
    info,
    executorId: run.executorId,
    containerId: randomUUID(),
    state: 'TASK_STAGING',
    phase: 'launching',
    statuses: [],
    silenced: run.silenced,
    finished: Promise.resolve(),
  };
}

function newRun(frameworkId: string, info: RunTaskGroup['executor']): ExecutorRun {
  return {
    kind: 'default',
    frameworkId,
    executorId: info.executor_id.value,
    containerId: randomUUID(),
    info,
    phase: 'running',
    tasks: new Map(),
    completedTasks: [],
    everSentTask: true,
    groups: [],
    timers: [],
    silenced: false,
    ended: Promise.resolve(),
  };
}

/** A kill policy's grace period in milliseconds, if it has one. */
function graceOf(policy: KillPolicy | undefined): number | undefined {
  const ns = policy?.grace_period?.nanoseconds;
  return ns === undefined ? undefined : Math.max(0, ns / 1e6);
}
