import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import {
  isTerminalState,
  type KillPolicy,
  type TaskInfo,
  type TaskStatus,
  type KillTask,
  type RunTask,
  type TaskState,
  TaskStatusReason,
  type TaskStatusSource,
} from '@agora/protocol';
import { randomUUID } from 'node:crypto';
import { CheckpointStore, type RunCheckpoint } from '../checkpoint/checkpoint-store';
import { Clock } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { readBootId } from '../drivers/process/proc-identity';
import { type RecoverableRun, TASK_DRIVER, type TaskDriver, type TaskExit, type TaskInspection, TaskStartError } from '../drivers/task-driver';
import type { HealthResume } from '../health-checks/health-checker';
import { HealthCheckService } from '../health-checks/health-checks.service';
import { healthStateFromStatuses } from '../health-checks/health-policy';
import { AgentCounters } from '../metrics/agent-counters';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { taskEnvironment } from './command-environment';
import { launchRefusal } from './launch-support';
import { taskLimits, taskRequests } from './task-limits';
import { TaskRegistry } from './task-registry';
import { hasCapability, type LaunchedFramework, type TaskRun } from './task-run';
import { exitMessage, taskStatus, terminalStateOf } from './task-statuses';

/** Statuses kept per task for /state; a task produces a handful, this only bounds a runaway. */
const MAX_STATUSES_PER_TASK = 50;

/** A checkpointed task as recovery hands it over (recovery/recovery.service.ts). */
export interface AdoptedTask {
  readonly info: TaskInfo;
  readonly run: RunCheckpoint;
  /** Its updates from the journal, oldest first. */
  readonly statuses: readonly TaskStatus[];
}

interface UpdateOptions {
  readonly source?: TaskStatusSource;
  readonly reason?: TaskStatusReason;
  readonly message?: string;
  readonly healthy?: boolean;
}

/**
 * The built-in command executor (reference §2): runs a task's command with the task driver and
 * reports TASK_STARTING, TASK_RUNNING (the process exists), then TASK_FINISHED (exit 0),
 * TASK_FAILED (anything else) or TASK_KILLED (after a kill, however it ended). Kills follow
 * Mesos: the kill's grace period, else the task's kill policy, else AGORA_KILL_GRACE_MS, then
 * SIGKILL; TASK_KILLING first for frameworks with TASK_KILLING_STATE. Nothing here throws into
 * the bus: a message this agent cannot act on is logged and dropped.
 */
@Injectable()
export class CommandExecutorService implements OnModuleInit {
  private readonly logger = new Logger('tasks');
  /** Set when the agent stops or is shut down: no new tasks start. */
  private stopped = false;

  constructor(
    private readonly registry: TaskRegistry,
    private readonly statusUpdates: StatusUpdateManager,
    @Inject(TASK_DRIVER) private readonly driver: TaskDriver,
    private readonly sandboxes: SandboxService,
    private readonly session: AgentSession,
    private readonly config: AgentConfig,
    private readonly clock: Clock,
    @Optional() private readonly healthChecks?: HealthCheckService,
    @Optional() private readonly counters?: AgentCounters,
    @Optional() private readonly checkpoints?: CheckpointStore,
  ) {}

  onModuleInit(): void {
    // The scheduler has seen how the task ended: it leaves the live set (its sandbox stays).
    this.statusUpdates.onStreamClosed((frameworkId, taskId) => this.registry.complete(frameworkId, taskId));
    // A task that is over needs no recovery: its checkpoint goes.
    this.registry.onCompleted((run) => {
      if (run.checkpointed === true) this.checkpoints?.removeTask(run.frameworkId, run.taskId, run.containerId);
    });
  }

  /** `run-task`. A task id the agent already holds is ignored: the master never reuses one. */
  run(message: RunTask): void {
    const frameworkId = message.framework.id.value;
    const taskId = message.task.task_id.value;
    const agentId = this.session.agentId;
    if (this.stopped || agentId === undefined) {
      this.logger.warn(`ignoring task ${taskId} of framework ${frameworkId}: the agent is ${this.stopped ? 'stopping' : 'not registered'}`);
      return;
    }
    if (this.registry.get(frameworkId, taskId) !== undefined) {
      this.logger.warn(`ignoring task ${taskId} of framework ${frameworkId}: a task with that id is already on this agent`);
      return;
    }
    this.registry.rememberFramework(message.framework);
    const run: TaskRun = {
      frameworkId,
      taskId,
      info: message.task,
      executorId: taskId,
      containerId: randomUUID(),
      state: 'TASK_STAGING',
      phase: 'launching',
      statuses: [],
      silenced: false,
      finished: Promise.resolve(),
    };
    this.registry.add(run);
    if (message.framework.checkpoint === true) this.checkpointLaunch(run, message.framework);
    this.logger.log(`launching task ${taskId} of framework ${frameworkId} in container ${run.containerId}`);
    run.finished = this.launch(run, agentId).catch((e: unknown) => {
      this.logger.error(`task ${taskId}: ${(e as Error).message}`, (e as Error).stack);
      if (run.phase !== 'terminated') this.finish(run, 'TASK_FAILED', { source: 'SOURCE_AGENT', reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'Executor terminated' });
    });
  }

  /** `kill-task`. */
  kill(message: KillTask): void {
    const frameworkId = message.framework_id.value;
    const taskId = message.task_id.value;
    const run = this.registry.get(frameworkId, taskId);
    if (run === undefined) {
      this.killUnknown(frameworkId, taskId);
      return;
    }
    if (run.phase === 'terminated') {
      this.logger.log(`ignoring kill of task ${taskId}: it already ended (${run.state})`);
      return;
    }
    const grace = graceOf(message.kill_policy) ?? graceOf(run.info.kill_policy) ?? this.config.killGraceMs;
    this.logger.log(`killing task ${taskId} of framework ${frameworkId} with a grace period of ${grace} ms`);
    this.requestKill(run, grace);
  }

  /**
   * `shutdown-framework`: the master removed the framework, so its tasks are killed without
   * status updates (nobody would acknowledge them; the master already told the scheduler).
   */
  shutdownFramework(frameworkId: string): void {
    const framework = this.registry.framework(frameworkId);
    if (framework === undefined) {
      this.logger.debug(`ignoring shutdown of framework ${frameworkId}: it has no tasks here`);
      return;
    }
    this.logger.log(`shutting down framework ${frameworkId}: killing its ${framework.runs.size} task(s)`);
    this.statusUpdates.cleanup(frameworkId);
    for (const run of [...framework.runs.values()]) this.silence(run);
  }

  /**
   * `shutdown-executor`. A command task's executor is the task itself, so this kills the task
   * (TASK_KILLED), as Mesos's agent does by shutting the command executor down. Custom
   * executors arrive in a later release.
   */
  shutdownExecutor(frameworkId: string, executorId: string): void {
    const run = this.registry.framework(frameworkId)?.runs.get(executorId);
    if (run === undefined || run.executorId !== executorId || run.phase === 'terminated') {
      this.logger.log(`ignoring shutdown of executor ${executorId} of framework ${frameworkId}: no such executor runs here`);
      return;
    }
    this.logger.log(`shutting down command executor ${executorId} of framework ${frameworkId}`);
    this.requestKill(run, graceOf(run.info.kill_policy) ?? this.config.killGraceMs);
  }

  /** `framework-message`: the command executor has no use for messages (Mesos drops them too). */
  frameworkMessage(frameworkId: string, executorId: string): void {
    const run = this.registry.framework(frameworkId)?.runs.get(executorId);
    this.counters?.frameworkMessage(run !== undefined && run.phase === 'running');
    this.logger.log(`dropping a framework message for executor ${executorId} of framework ${frameworkId}: command executors take no messages`);
  }

  /**
   * Kills every task without status updates and resolves once all have ended: the agent is
   * shut down (by the master, `--recover=cleanup`, a test's teardown). No new tasks start
   * afterwards (unless `keepAccepting`: `--recover=cleanup` kills the old tasks and goes on).
   * With `keepCheckpointed`, the tasks of checkpointing frameworks are left running (a graceful
   * agent stop, as Mesos: the next agent process recovers them); they are only let go.
   */
  async killAll(why: string, options: { keepCheckpointed?: boolean; keepAccepting?: boolean } = {}): Promise<void> {
    if (options.keepAccepting !== true) this.stopped = true;
    const all = this.registry.runs();
    const runs = options.keepCheckpointed === true ? all.filter((run) => run.checkpointed !== true) : all;
    if (runs.length > 0) this.logger.log(`${why}: killing ${runs.length} task(s)`);
    if (runs.length < all.length) this.logger.log(`${why}: leaving ${all.length - runs.length} task(s) of checkpointing frameworks running for the next agent process`);
    for (const run of runs) this.silence(run);
    await Promise.all(runs.map((run) => run.finished));
  }

  /**
   * Takes a task of a previous agent process back (recovery/): its updates were restored into
   * the status-update manager already; here it joins the live set and, unless its terminal
   * update was sent before, its run is recovered by its driver and watched to its end. A run
   * that ended while the agent was down is reported now, with its exit status when the exit
   * file holds it, else lost (TASK_GONE / TASK_LOST, REASON_EXECUTOR_TERMINATED).
   */
  async adopt(framework: LaunchedFramework, recovered: AdoptedTask): Promise<TaskRun> {
    this.registry.rememberFramework(framework);
    const latest = recovered.statuses.at(-1);
    const run: TaskRun = {
      frameworkId: framework.id.value,
      taskId: recovered.info.task_id.value,
      info: recovered.info,
      executorId: recovered.run.executorId,
      containerId: recovered.run.containerId,
      ...(recovered.run.sandbox !== undefined ? { directory: recovered.run.sandbox } : {}),
      ...(recovered.run.pid !== undefined ? { pid: recovered.run.pid } : {}),
      state: latest?.state ?? 'TASK_STAGING',
      phase: 'running',
      statuses: [...recovered.statuses],
      silenced: false,
      checkpointed: true,
      finished: Promise.resolve(),
    };
    this.registry.add(run);
    if (latest !== undefined && isTerminalState(latest.state)) {
      // It ended and said so before the agent went: only the (restored) update is left to deliver.
      run.phase = 'terminated';
      return run;
    }
    const recoverable: RecoverableRun = { ...recovered.run };
    let inspection: TaskInspection;
    try {
      if (this.driver.recover === undefined) throw new Error(`the ${this.driver.name} driver cannot recover runs`);
      inspection = await this.driver.recover(recoverable);
    } catch (e) {
      // Nothing can be known of the run any more: the task is lost, the agent starts anyway.
      const message = `The agent could not recover the task's run: ${(e as Error).message}`;
      const cause = { reason: TaskStatusReason.EXECUTOR_TERMINATED, message, lost: true };
      inspection = { containerId: run.containerId, pid: run.pid ?? 0, startedAt: 0, limited: false, exit: { kind: 'signaled', signal: 'SIGKILL', cause } };
    }
    // Found running: its health checks go on as before the restart.
    if (inspection.exit === undefined) this.resumeHealth(run, inspection);
    run.finished = this.supervise(run, inspection).catch((e: unknown) => {
      this.logger.error(`task ${run.taskId}: ${(e as Error).message}`, (e as Error).stack);
      if (run.phase !== 'terminated') this.finish(run, 'TASK_FAILED', { source: 'SOURCE_AGENT', reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'Executor terminated' });
    });
    return run;
  }

  /**
   * Health checks of a recovered task that still runs, as they were before the agent restarted:
   * the same check in the same environment, the grace period counted from when checking first
   * began (its first TASK_RUNNING, else the run's start), and the policy state its journaled
   * health reports give (ever healthy, failures in a row), so a task one failure away from its
   * kill is still one failure away.
   */
  private resumeHealth(run: TaskRun, inspection: TaskInspection): void {
    if (run.info.health_check === undefined || this.healthChecks === undefined) return;
    const agentId = this.session.agentId;
    if (run.directory === undefined || agentId === undefined) {
      this.logger.warn(`task ${run.taskId} runs without its health check: its sandbox is not known after the restart`);
      return;
    }
    const { env } = taskEnvironment({ sandbox: run.directory, taskId: run.taskId, frameworkId: run.frameworkId, agentId, executorId: run.executorId, command: run.info.command ?? {} });
    const firstRunning = run.statuses.find((s) => s.state === 'TASK_RUNNING');
    const startedAt =
      firstRunning?.timestamp !== undefined ? firstRunning.timestamp * 1000 : inspection.startedAt > 0 ? inspection.startedAt : this.clock.now();
    this.watchHealth(run, run.directory, env, { startedAt, state: healthStateFromStatuses(run.statuses) });
  }

  /** Checkpoints a task of a checkpointing framework before its first update (see CheckpointStore). */
  private checkpointLaunch(run: TaskRun, framework: LaunchedFramework): void {
    if (this.checkpoints === undefined) return;
    try {
      this.checkpoints.writeFramework(framework);
      this.checkpoints.writeTask(run.frameworkId, run.taskId, { info: run.info, run: this.runCheckpoint(run) });
      run.checkpointed = true;
    } catch (e) {
      // The task still runs; a restarted agent will not know it (and kills it as a leftover).
      this.logger.error(`task ${run.taskId}: could not checkpoint it: ${(e as Error).message}`);
    }
  }

  private runCheckpoint(run: TaskRun, started?: TaskInspection, bootId?: string, exitFile?: string): RunCheckpoint {
    return {
      driver: run.info.container?.type === 'DOCKER' ? 'docker' : 'process',
      containerId: run.containerId,
      executorId: run.executorId,
      ...(run.directory !== undefined ? { sandbox: run.directory } : {}),
      ...(started !== undefined ? { pid: started.pid } : {}),
      ...(started?.startTime !== undefined ? { startTime: started.startTime } : {}),
      ...(bootId !== undefined ? { bootId } : {}),
      ...(exitFile !== undefined ? { exitFile } : {}),
    };
  }

  /** Launch flow of one task; every way out reaches a terminal state. */
  private async launch(run: TaskRun, agentId: string): Promise<void> {
    const refusal = launchRefusal(run.info);
    if (refusal !== undefined) {
      this.finish(run, 'TASK_FAILED', { source: 'SOURCE_AGENT', ...refusal });
      return;
    }
    let sandbox;
    try {
      sandbox = await this.sandboxes.create({ agentId, frameworkId: run.frameworkId, executorId: run.executorId, containerId: run.containerId });
    } catch (e) {
      this.finish(run, 'TASK_FAILED', { source: 'SOURCE_AGENT', reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED, message: `Failed to create the sandbox: ${(e as Error).message}` });
      return;
    }
    run.directory = sandbox.directory;
    if (pendingKill(run) !== undefined) {
      this.finish(run, 'TASK_KILLED', { source: 'SOURCE_AGENT', reason: TaskStatusReason.TASK_KILLED_DURING_LAUNCH, message: 'Killed before the task was launched' });
      return;
    }
    this.update(run, 'TASK_STARTING');
    const command = run.info.command ?? {};
    const { env, skipped } = taskEnvironment({ sandbox: sandbox.directory, taskId: run.taskId, frameworkId: run.frameworkId, agentId, executorId: run.executorId, command });
    if (skipped.length > 0) this.logger.warn(`task ${run.taskId}: variables without a plain value are not set: ${skipped.join(', ')}`);
    if (command.user !== undefined) this.logger.debug(`task ${run.taskId} runs as the agent's user, not '${command.user}'`);
    // Not yet supported; said once per task so a framework author sees why a file is missing.
    if ((command.uris ?? []).length > 0) this.logger.warn(`task ${run.taskId}: fetching CommandInfo.uris is not supported yet; they are ignored`);
    if (run.info.max_completion_time !== undefined) {
      this.logger.warn(`task ${run.taskId}: max_completion_time is not supported yet; it is ignored`);
    }
    const exitFile = run.checkpointed === true && run.info.container?.type !== 'DOCKER' ? this.checkpoints?.prepareExitFile(run.containerId) : undefined;
    const bootId = run.checkpointed === true ? await readBootId() : undefined;
    let started: TaskInspection;
    try {
      started = await this.driver.start({
        containerId: run.containerId,
        command,
        env,
        sandbox: sandbox.directory,
        stdoutPath: sandbox.stdout,
        stderrPath: sandbox.stderr,
        limits: taskLimits(run.info),
        // Docker tasks: the driver runs the image, labels the container with its owner, and
        // weighs CPU shares by what the task asked for.
        requested: taskRequests(run.info),
        container: run.info.container,
        owner: { agentId, frameworkId: run.frameworkId, executorId: run.executorId, taskId: run.taskId },
        ...(exitFile !== undefined ? { exitFile } : {}),
      });
      run.pid = started.pid;
    } catch (e) {
      // Mesos's command executor aborts when it cannot fork the task; the agent then fails the
      // task as an executor that terminated. A container that cannot be created says why itself
      // (REASON_CONTAINER_LAUNCH_FAILED: a missing image, no Docker engine).
      const reason = e instanceof TaskStartError && e.reason !== undefined ? e.reason : TaskStatusReason.EXECUTOR_TERMINATED;
      this.finish(run, 'TASK_FAILED', { source: 'SOURCE_AGENT', reason, message: (e as Error).message });
      return;
    }
    if (run.checkpointed === true && this.checkpoints !== undefined) {
      // On disk before TASK_RUNNING is sent: a restarted agent finds the run it reports.
      try {
        this.checkpoints.writeTask(run.frameworkId, run.taskId, { info: run.info, run: this.runCheckpoint(run, started, bootId, exitFile) });
      } catch (e) {
        this.logger.error(`task ${run.taskId}: could not checkpoint its run: ${(e as Error).message}`);
      }
    }
    run.phase = 'running';
    this.update(run, 'TASK_RUNNING');
    this.watchHealth(run, sandbox.directory, env);
    // A kill that arrived while the process was being started acts now.
    const early = pendingKill(run);
    if (early !== undefined) this.beginKill(run, early.graceMs, true);
    await this.supervise(run);
  }

  /** Waits for a running task's end (`recovered`: a run taken over at recovery) and reports it. */
  private async supervise(run: TaskRun, recovered?: TaskInspection): Promise<void> {
    const exit: TaskExit = recovered?.exit ?? (await this.driver.wait(run.containerId));
    await this.driver.destroy(run.containerId);
    this.logger.log(`task ${run.taskId}: ${exit.cause?.message ?? exitMessage(exit)}`);
    if (exit.cause?.lost === true) {
      const framework = this.registry.framework(run.frameworkId)?.info;
      const state: TaskState = framework !== undefined && hasCapability(framework, 'PARTITION_AWARE') ? 'TASK_GONE' : 'TASK_LOST';
      this.finish(run, state, { source: 'SOURCE_AGENT', reason: exit.cause.reason, message: exit.cause.message });
      return;
    }
    if (exit.cause !== undefined && pendingKill(run) === undefined) {
      // The driver knows better than the exit status (a memory limit, a lost container): the
      // agent reports it, as Mesos's agent reports a container limitation.
      this.finish(run, 'TASK_FAILED', { source: 'SOURCE_AGENT', reason: exit.cause.reason, message: exit.cause.message });
      return;
    }
    this.finish(run, terminalStateOf(exit, pendingKill(run) !== undefined), { message: exitMessage(exit) });
  }

  /** Records a kill; a running task is signalled now, a launching one when its launch gets that far. */
  private requestKill(run: TaskRun, graceMs: number): void {
    const first = run.kill === undefined;
    const grace = run.kill === undefined ? graceMs : Math.min(graceMs, run.kill.graceMs);
    run.kill = { graceMs: grace };
    if (run.phase === 'running') this.beginKill(run, grace, first);
  }

  private beginKill(run: TaskRun, graceMs: number, announce: boolean): void {
    // As Mesos's command executor: a task being killed is no longer health checked.
    this.healthChecks?.stop(run.containerId);
    const framework = this.registry.framework(run.frameworkId)?.info;
    if (announce && !run.silenced && framework !== undefined && hasCapability(framework, 'TASK_KILLING_STATE')) {
      this.update(run, 'TASK_KILLING');
    }
    this.driver.stop(run.containerId, graceMs).catch((e: unknown) => this.logger.warn(`could not stop task ${run.taskId}: ${(e as Error).message}`));
  }

  /** Stops a task without further updates (see TaskRun.silenced). */
  private silence(run: TaskRun): void {
    run.silenced = true;
    if (run.phase === 'terminated') {
      this.registry.complete(run.frameworkId, run.taskId);
      return;
    }
    this.requestKill(run, graceOf(run.info.kill_policy) ?? this.config.killGraceMs);
  }

  /**
   * A kill for a task this agent does not hold. Mesos's agent ignores it when it does not know
   * the framework either; otherwise it answers that the task is gone (TASK_DROPPED for
   * partition-aware frameworks, TASK_LOST for others), so the scheduler stops waiting.
   */
  private killUnknown(frameworkId: string, taskId: string): void {
    const framework = this.registry.framework(frameworkId);
    const agentId = this.session.agentId;
    if (framework === undefined || agentId === undefined) {
      this.logger.warn(`ignoring kill of task ${taskId}: framework ${frameworkId} has no tasks on this agent`);
      return;
    }
    const state: TaskState = hasCapability(framework.info, 'PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
    this.logger.warn(`kill of unknown task ${taskId} of framework ${frameworkId}: answering ${state}`);
    this.statusUpdates.update(
      frameworkId,
      taskStatus({
        taskId,
        state,
        source: 'SOURCE_AGENT',
        agentId,
        now: this.clock.now(),
        reason: TaskStatusReason.EXECUTOR_TERMINATED,
        message: 'Cannot find executor',
      }),
    );
  }

  /**
   * Health checks of a running task (reference §5.7): each report becomes TASK_RUNNING with
   * `healthy` (reason REASON_TASK_HEALTH_CHECK_STATUS_UPDATED); the report that reaches
   * `consecutive_failures` kills the task with its kill policy, and it ends TASK_KILLED with
   * `healthy: false`. Reports after a kill was asked for, or after the task ended, are dropped.
   */
  private watchHealth(run: TaskRun, sandbox: string, env: Readonly<Record<string, string>>, resume?: HealthResume): void {
    const check = run.info.health_check;
    if (check === undefined || this.healthChecks === undefined) return;
    this.healthChecks.watch({ containerId: run.containerId, taskId: run.taskId, check, sandbox, env, ...(resume !== undefined ? { resume } : {}) }, (report) => {
      if (run.kill !== undefined || run.phase !== 'running') return;
      this.update(run, 'TASK_RUNNING', { reason: TaskStatusReason.TASK_HEALTH_CHECK_STATUS_UPDATED, healthy: report.healthy });
      if (!report.kill) return;
      this.logger.warn(`killing task ${run.taskId}: its health check failed ${report.consecutiveFailures} time(s) in a row`);
      run.killedByHealthCheck = true;
      this.requestKill(run, graceOf(run.info.kill_policy) ?? this.config.killGraceMs);
    });
  }

  private finish(run: TaskRun, state: TaskState, options: UpdateOptions): void {
    run.phase = 'terminated';
    this.healthChecks?.stop(run.containerId);
    if (run.pid !== undefined) this.counters?.executorTerminated();
    // Mesos marks a task its health check got killed with healthy: false and sets no reason.
    this.update(run, state, run.killedByHealthCheck === true && state === 'TASK_KILLED' ? { ...options, healthy: false } : options);
    // A silenced task gets no acknowledgement that would retire it; it retires now.
    if (run.silenced) this.registry.complete(run.frameworkId, run.taskId);
  }

  /** Records a new state and, unless the task is silenced, queues its status update. */
  private update(run: TaskRun, state: TaskState, options: UpdateOptions = {}): void {
    const status = taskStatus({
      taskId: run.taskId,
      state,
      source: options.source ?? 'SOURCE_EXECUTOR',
      agentId: this.session.agentId ?? '',
      now: this.clock.now(),
      executorId: run.executorId,
      containerId: run.containerId,
      pid: run.pid,
      reason: options.reason,
      message: options.message,
      healthy: options.healthy,
    });
    run.state = state;
    run.statuses.push(status);
    if (run.statuses.length > MAX_STATUSES_PER_TASK) run.statuses.shift();
    if (!run.silenced) this.statusUpdates.update(run.frameworkId, status);
  }
}

/**
 * The kill asked for so far. A function, not `run.kill` inline: kills arrive while the launch
 * flow awaits, and the compiler would otherwise keep an earlier `undefined` check in force.
 */
function pendingKill(run: TaskRun): { graceMs: number } | undefined {
  return run.kill;
}

/** A kill policy's grace period in milliseconds, if it has one. */
function graceOf(policy: KillPolicy | undefined): number | undefined {
  const ns = policy?.grace_period?.nanoseconds;
  return ns === undefined ? undefined : Math.max(0, ns / 1e6);
}
