import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { isTerminalState, type KillPolicy, type RunTaskGroup, type TaskInfo, type TaskState, type TaskStatus, TaskStatusReason, type TaskStatusSource } from '@agora/protocol';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CheckpointStore, type ExecutorCheckpoint, type RunCheckpoint } from '../checkpoint/checkpoint-store';
import { AgentConfig } from '../config/agent.config';
import { readBootId } from '../drivers/process/proc-identity';
import { TASK_DRIVER, type TaskDriver, type TaskExit, type TaskInspection, TaskStartError } from '../drivers/task-driver';
import { STDERR, STDOUT } from '../sandbox/sandbox-layout';
import { type Sandbox, SandboxService } from '../sandbox/sandbox.service';
import { taskEnvironment } from '../tasks/command-environment';
import { launchRefusal } from '../tasks/launch-support';
import { taskLimits } from '../tasks/task-limits';
import { hasCapability, type LaunchedFramework, type TaskRun } from '../tasks/task-run';
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
 *
 * For frameworks with `checkpoint: true` the executor is checkpointed (executor.json, `kind:
 * default`: its groups, each task's run once started, before TASK_RUNNING), its tasks' exit
 * statuses go to exit files, a graceful agent stop leaves it running, and a restarted agent
 * takes it back (`adopt`), as the command executor does with its tasks.
 */
@Injectable()
export class DefaultExecutorService {
  private readonly logger = new Logger('default-executor');
  /** The executor's sandbox, created once per run; undefined when it could not be. */
  private readonly sandboxes = new WeakMap<ExecutorRun, Promise<Sandbox | Error>>();
  /** The run of each started task of a checkpointed executor, by task id (executor.json). */
  private readonly taskRuns = new WeakMap<ExecutorRun, Map<string, RunCheckpoint>>();
  private stopping = false;

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly reporter: ExecutorReporter,
    @Inject(TASK_DRIVER) private readonly driver: TaskDriver,
    private readonly sandboxService: SandboxService,
    private readonly config: AgentConfig,
    @Optional() private readonly checkpoints?: CheckpointStore,
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
      if (message.framework.checkpoint === true && this.checkpoints !== undefined) {
        // Before the tasks' first updates, so that their streams are journaled (checkpoint/).
        try {
          this.checkpoints.writeFramework(message.framework);
          run.checkpointed = true;
          this.taskRuns.set(run, new Map());
        } catch (e) {
          this.logger.error(`executor ${executorId}: could not checkpoint its framework: ${(e as Error).message}`);
        }
      }
      this.registry.add(run);
      this.sandboxes.set(run, this.createSandbox(run, agentId));
      this.logger.log(`starting the default executor ${executorId} of framework ${frameworkId} in container ${run.containerId}`);
    }
    const group: TaskGroupRun = { taskIds: infos.map((t) => t.task_id.value), killing: false };
    run.groups.push(group);
    const tasks = infos.map((info) => taskRun(run, info));
    for (const task of tasks) run.tasks.set(task.taskId, task);
    this.checkpoint(run);
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

  /**
   * Kills every task group without status updates (the agent is stopping); resolves once all
   * ended. With `keepCheckpointed` (a graceful stop), the executors of checkpointing frameworks
   * are left running for the next agent process, which recovers them (`adopt`).
   */
  async stopAll(options: { keepCheckpointed?: boolean } = {}): Promise<void> {
    this.stopping = true;
    let runs = this.registry.executors().filter((run) => run.kind === 'default');
    if (options.keepCheckpointed === true) runs = runs.filter((run) => run.checkpointed !== true || run.phase === 'terminated');
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
    // On disk before TASK_RUNNING is sent: a restarted agent finds the runs it reports.
    this.checkpoint(run);
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
    const checkpointed = run.checkpointed === true && this.checkpoints !== undefined;
    const docker = task.info.container?.type === 'DOCKER';
    const exitFile = checkpointed && !docker ? this.checkpoints?.prepareExitFile(task.containerId, run.containerId) : undefined;
    const bootId = checkpointed ? await readBootId() : undefined;
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
      ...(exitFile !== undefined ? { exitFile } : {}),
    });
    this.taskRuns.get(run)?.set(task.taskId, {
      driver: docker ? 'docker' : 'process',
      containerId: task.containerId,
      executorId: run.executorId,
      sandbox: sandbox.directory,
      pid: started.pid,
      ...(started.startTime !== undefined ? { startTime: started.startTime } : {}),
      ...(bootId !== undefined ? { bootId } : {}),
      ...(exitFile !== undefined ? { exitFile } : {}),
    });
    return started.pid;
  }

  /**
   * Takes back a default executor an earlier agent process checkpointed (reference §5.4): its
   * tasks join the live set with the updates their journals hold, and each one that was started
   * is looked for by the driver that started it. One found running is watched as if this process
   * had started it; one that ended while the agent was down is reported now, with its exit
   * status when its exit file holds it, else lost (TASK_GONE for partition-aware frameworks,
   * else TASK_LOST, REASON_EXECUTOR_TERMINATED), as is a task that was not started yet. A group
   * keeps its rule: a task that failed or was lost takes the rest of its group down. Resolves,
   * once every run was looked for, with the pids of those found running (not leftovers).
   */
  async adopt(framework: LaunchedFramework, checkpoint: ExecutorCheckpoint, journals: ReadonlyMap<string, readonly TaskStatus[]>): Promise<number[]> {
    this.registry.rememberFramework(framework);
    const run: ExecutorRun = {
      ...newRun(framework.id.value, checkpoint.info),
      containerId: checkpoint.run.containerId,
      ...(checkpoint.run.sandbox !== undefined ? { directory: checkpoint.run.sandbox } : {}),
      checkpointed: true,
    };
    const taskRuns = new Map(Object.entries(checkpoint.taskRuns ?? {}));
    this.taskRuns.set(run, taskRuns);
    const directory = checkpoint.run.sandbox;
    this.sandboxes.set(run, Promise.resolve(directory !== undefined ? { directory, stdout: join(directory, STDOUT), stderr: join(directory, STDERR) } : new Error('the recovered executor has no sandbox')));
    for (const info of checkpoint.tasks) {
      const taskId = info.task_id.value;
      const journal = journals.get(taskId);
      const taskRun = taskRuns.get(taskId);
      // Started (TASK_STARTING is journaled first) and its journal is gone: its terminal update
      // was acknowledged before executor.json was rewritten. Nothing is left to recover.
      if (journal === undefined && taskRun !== undefined) continue;
      const statuses = [...(journal ?? [])];
      const latest = statuses.at(-1);
      run.tasks.set(taskId, {
        frameworkId: run.frameworkId,
        taskId,
        info,
        executorId: run.executorId,
        containerId: taskRun?.containerId ?? randomUUID(),
        ...(taskRun?.sandbox !== undefined ? { directory: taskRun.sandbox } : {}),
        ...(taskRun?.pid !== undefined ? { pid: taskRun.pid } : {}),
        state: latest?.state ?? 'TASK_STAGING',
        phase: latest !== undefined && isTerminalState(latest.state) ? 'terminated' : 'running',
        statuses,
        silenced: false,
        finished: Promise.resolve(),
      });
    }
    const known = new Set(run.tasks.keys());
    const groups = checkpoint.groups ?? [checkpoint.tasks.map((t) => t.task_id.value)];
    for (const taskIds of groups) run.groups.push({ taskIds: taskIds.filter((id) => known.has(id)), killing: false });
    this.registry.add(run);
    this.logger.log(`recovering the default executor ${run.executorId} of framework ${run.frameworkId} with ${run.tasks.size} task(s)`);

    const lost: TaskState = hasCapability(framework, 'PARTITION_AWARE') ? 'TASK_GONE' : 'TASK_LOST';
    const alive: number[] = [];
    const watching: Promise<void>[] = [];
    for (const group of run.groups) {
      const found: { task: TaskRun; inspection: TaskInspection }[] = [];
      for (const taskId of group.taskIds) {
        const task = run.tasks.get(taskId);
        if (task === undefined || task.phase === 'terminated') continue;
        const taskRun = taskRuns.get(taskId);
        if (taskRun?.pid === undefined) {
          // The agent went while the group was starting: its run cannot be known.
          this.update(run, task, { state: lost, reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'The agent restarted before the task was running; it cannot be recovered' });
          continue;
        }
        found.push({ task, inspection: await this.recoverRun(task, taskRun) });
      }
      for (const { inspection } of found) if (inspection.exit === undefined) alive.push(inspection.pid);
      // A task lost before it ran takes its group down, as one that cannot start does; and a
      // group that was being killed when the agent went is killed again.
      if (group.taskIds.some((id) => run.tasks.get(id)?.state === lost || run.tasks.get(id)?.state === 'TASK_KILLING')) this.killGroup(run, group, new Map());
      watching.push(...found.map(({ task, inspection }) => this.watch(run, group, task, inspection)));
    }
    const owner = run;
    const watched = Promise.all(watching)
      .catch((e: unknown) => this.logger.error(`default executor ${owner.executorId}: ${(e as Error).message}`, (e as Error).stack))
      .then(() => this.endIfDone(owner));
    for (const task of run.tasks.values()) task.finished = watched;
    return alive;
  }

  /** A recovered task's run as its driver finds it; an error makes it lost, never throws. */
  private async recoverRun(task: TaskRun, taskRun: RunCheckpoint): Promise<TaskInspection> {
    try {
      if (this.driver.recover === undefined) throw new Error(`the ${this.driver.name} driver cannot recover runs`);
      return await this.driver.recover({ ...taskRun });
    } catch (e) {
      const message = `The agent could not recover the task's run: ${(e as Error).message}`;
      return { containerId: task.containerId, pid: task.pid ?? 0, startedAt: 0, limited: false, exit: { kind: 'signaled', signal: 'SIGKILL', cause: { reason: TaskStatusReason.EXECUTOR_TERMINATED, message, lost: true } } };
    }
  }

  /** executor.json of a checkpointed executor: its tasks, groups and started runs (rewritten as they change). */
  private checkpoint(run: ExecutorRun): void {
    const taskRuns = this.taskRuns.get(run);
    if (run.checkpointed !== true || this.checkpoints === undefined || taskRuns === undefined) return;
    try {
      this.checkpoints.writeExecutor(run.frameworkId, run.executorId, {
        kind: 'default',
        info: run.info,
        run: { driver: 'default', containerId: run.containerId, executorId: run.executorId, ...(run.directory !== undefined ? { sandbox: run.directory } : {}) },
        tasks: [...run.tasks.values()].map((t) => t.info),
        groups: run.groups.map((g) => g.taskIds),
        taskRuns: Object.fromEntries(taskRuns),
      });
    } catch (e) {
      // The tasks still run; a restarted agent will not know them (and kills them as leftovers).
      this.logger.error(`executor ${run.executorId}: could not checkpoint it: ${(e as Error).message}`);
    }
  }

  /**
   * Waits for a started task to end (`recovered`: a run taken over at recovery, maybe ended
   * already); a failure, a loss (or a kill that named it) takes its group down.
   */
  private async watch(run: ExecutorRun, group: TaskGroupRun, task: TaskRun, recovered?: TaskInspection): Promise<void> {
    const exit = recovered?.exit ?? (await this.driver.wait(task.containerId));
    await this.driver.destroy(task.containerId);
    // A run that ended while the agent was down ended before any kill the recovery asked for.
    const killed = task.kill !== undefined && recovered?.exit === undefined;
    const framework = this.registry.framework(run.frameworkId)?.info;
    const { lost, ...verdict } = verdictOf(exit, killed, framework !== undefined && hasCapability(framework, 'PARTITION_AWARE'));
    this.logger.log(`task ${task.taskId} of group [${group.taskIds.join(', ')}]: ${verdict.message}`);
    this.update(run, task, { source: 'SOURCE_EXECUTOR', ...verdict });
    if ((verdict.state === 'TASK_FAILED' || lost) && !group.killing) {
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
      // (A recovered group that was being killed already said TASK_KILLING.)
      if (first && task.state !== 'TASK_KILLING' && framework !== undefined && hasCapability(framework, 'TASK_KILLING_STATE')) {
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

/**
 * How a task of a group ended, in the command executor's words; a driver's cause (OOM) wins over
 * the exit status, and a run that ended unseen while the agent was down is lost (the agent says so).
 */
function verdictOf(
  exit: TaskExit,
  killed: boolean,
  partitionAware: boolean,
): { state: TaskState; message: string; reason?: TaskStatusReason; source?: TaskStatusSource; lost: boolean } {
  if (exit.cause?.lost === true) return { state: partitionAware ? 'TASK_GONE' : 'TASK_LOST', source: 'SOURCE_AGENT', reason: exit.cause.reason, message: exit.cause.message, lost: true };
  if (!killed && exit.cause !== undefined) return { state: 'TASK_FAILED', reason: exit.cause.reason, message: exit.cause.message, lost: false };
  return { state: terminalStateOf(exit, killed), message: exitMessage(exit), lost: false };
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
