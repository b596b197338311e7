import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import {
  type AgentInfo,
  type ExecutorCallOf,
  type ExecutorInfo,
  type KillTask,
  isTerminalState,
  type RunTask,
  type TaskStatus,
  TaskStatusReason,
} from '@agora/protocol';
import { toV1 } from '@agora/resources';
import { randomUUID } from 'node:crypto';
import { CheckpointStore, type ExecutorCheckpoint, type RunCheckpoint } from '../checkpoint/checkpoint-store';
import { Clock, type TimerHandle } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { readBootId } from '../drivers/process/proc-identity';
import { TASK_DRIVER, type TaskDriver, type TaskInspection, TaskStartError } from '../drivers/task-driver';
import { AgentProfile } from '../machine/agent-profile';
import { AgentCounters } from '../metrics/agent-counters';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { hasCapability, type LaunchedFramework, type TaskRun } from '../tasks/task-run';
import type { ExecutorConnection } from './executor-connection';
import { executorEnvironment, mesosDuration } from './executor-environment';
import { ExecutorCallError } from './executor-errors';
import { ExecutorRegistry } from './executor-registry';
import { ExecutorReporter } from './executor-reporter';
import type { ExecutorRun, ExecutorTermination } from './executor-run';

/** Mesos DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL: HEARTBEAT events on an executor's stream. */
export const EXECUTOR_HEARTBEAT_INTERVAL_MS = 30 * 60_000;

/**
 * Custom executors (reference §2): a task whose TaskInfo names an `executor` runs under that
 * framework's own executor program. The first such task starts it with the task driver in a
 * sandbox of its own; tasks wait until it SUBSCRIBEs, then go out as LAUNCH events, and later
 * tasks for the same executor go to the running one. From then on the executor reports its
 * tasks (UPDATE, acknowledged with ACKNOWLEDGED once the status-update manager recorded it),
 * talks to its scheduler (MESSAGE both ways) and is told to KILL tasks and to SHUT DOWN.
 *
 * The agent steps in where the executor cannot: a task killed before delivery is TASK_KILLED,
 * an executor that does not subscribe within AGORA_EXECUTOR_REGISTRATION_TIMEOUT_MS is killed
 * and its tasks fail (REASON_EXECUTOR_REGISTRATION_TIMEOUT), one that ignores SHUTDOWN is
 * killed after its shutdown grace period (its tasks: TASK_LOST, TASK_GONE when
 * partition-aware), and when an executor ends its unfinished tasks fail
 * (REASON_EXECUTOR_TERMINATED) and the master hears `executor-exited`. Nothing here throws into
 * the bus; the executor API's calls throw ExecutorCallError.
 */
@Injectable()
export class CustomExecutorService implements OnModuleInit {
  private readonly logger = new Logger('executors');
  /** Set when the agent stops: executors that subscribe now are told to shut down. */
  private stopping = false;
  /** Recovered executors not subscribed again yet, and what to call once they did (or ended). */
  private readonly recovering = new Map<ExecutorRun, () => void>();
  /** The checkpointed run of each checkpointing executor, rewritten with its tasks as they join. */
  private readonly lastRun = new WeakMap<ExecutorRun, RunCheckpoint>();

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly reporter: ExecutorReporter,
    private readonly statusUpdates: StatusUpdateManager,
    @Inject(TASK_DRIVER) private readonly driver: TaskDriver,
    private readonly sandboxes: SandboxService,
    private readonly session: AgentSession,
    private readonly profile: AgentProfile,
    private readonly config: AgentConfig,
    private readonly clock: Clock,
    private readonly bus: AgoraBus,
    @Optional() private readonly counters?: AgentCounters,
    @Optional() private readonly checkpoints?: CheckpointStore,
  ) {}

  onModuleInit(): void {
    // An executor that ended and whose tasks are all acknowledged needs no recovery.
    this.registry.onRetired((run) => {
      if (run.checkpointed === true) this.checkpoints?.removeExecutor(run.frameworkId, run.executorId, run.containerId);
    });
  }

  /** A `run-task` with TaskInfo.executor (the caller checked the agent can take it). */
  run(message: RunTask, agentId: string): void {
    const frameworkId = message.framework.id.value;
    const info = message.task.executor as ExecutorInfo;
    const executorId = info.executor_id.value;
    const taskId = message.task.task_id.value;
    this.registry.rememberFramework(message.framework);
    let run = this.registry.executor(frameworkId, executorId);
    if (run !== undefined && (run.phase === 'terminating' || run.phase === 'terminated' || run.kind !== 'custom')) {
      const why = run.kind !== 'custom' ? 'is the default executor of a task group' : `is ${run.phase}`;
      this.reporter.dropped(frameworkId, message.framework, taskId, executorId, `Executor ${executorId} ${why}`);
      return;
    }
    const launching = run === undefined;
    if (run === undefined) {
      run = newRun(frameworkId, { ...info, framework_id: message.framework.id });
      this.registry.add(run);
    }
    const task: TaskRun = {
      frameworkId,
      taskId,
      info: message.task,
      executorId,
      containerId: run.containerId,
      ...(run.directory !== undefined ? { directory: run.directory } : {}),
      state: 'TASK_STAGING',
      phase: 'launching',
      statuses: [],
      silenced: false,
      finished: Promise.resolve(),
    };
    run.tasks.set(taskId, task);
    if (launching && message.framework.checkpoint === true && this.checkpoints !== undefined) {
      // Before the task's first update, so that its stream is journaled (checkpoint/).
      this.checkpoints.writeFramework(message.framework);
      run.checkpointed = true;
    }
    if (!launching && run.checkpointed === true && run.pid !== undefined) this.checkpoint(run);
    if (launching) {
      this.logger.log(`launching executor ${executorId} of framework ${frameworkId} in container ${run.containerId} for task ${taskId}`);
      const started = run;
      run.ended = this.launch(run, agentId).catch((e: unknown) => {
        this.logger.error(`executor ${executorId}: ${(e as Error).message}`, (e as Error).stack);
        if (started.phase !== 'terminated') this.reporter.ended(started, undefined, { agentStopping: this.stopping });
      });
    } else if (run.phase === 'running' && run.connection?.isOpen === true) {
      this.deliver(run, task);
    } else {
      this.logger.log(`task ${taskId} waits for executor ${executorId} of framework ${frameworkId} to subscribe`);
    }
  }

  /**
   * SUBSCRIBE: the executor connects (again). Its unacknowledged updates are taken as if sent
   * now, then it gets SUBSCRIBED, the acknowledgements of those updates, and every task still
   * waiting for it (tasks it was sent but does not list as unacknowledged are sent again: they
   * never reached it). An executor that is shutting down, or whose framework is, gets SHUTDOWN.
   */
  subscribe(call: ExecutorCallOf<'SUBSCRIBE'>, connection: ExecutorConnection): void {
    const run = this.find(call);
    if (this.stopping || run.silenced || run.phase === 'terminating' || run.phase === 'terminated') {
      this.logger.warn(`telling executor ${run.executorId} of framework ${run.frameworkId} to shut down: it subscribed while ${this.stopping ? 'the agent stops' : run.silenced ? 'its framework is removed' : `it is ${run.phase}`}`);
      connection.close({ type: 'SHUTDOWN' });
      return;
    }
    if (run.connection !== undefined && run.connection !== connection) {
      this.logger.warn(`executor ${run.executorId} of framework ${run.frameworkId} subscribed again: closing its earlier connection`);
      run.connection.close();
    }
    const first = run.phase === 'registering';
    run.phase = 'running';
    run.connection = connection;
    for (const timer of run.timers) timer.cancel();
    run.timers = [];
    this.logger.log(`executor ${run.executorId} of framework ${run.frameworkId} ${first ? 'subscribed' : 're-subscribed'}`);
    this.recovered(run);

    const acknowledgements = (call.subscribe.unacknowledged_updates ?? []).map((u) => this.accept(run, u.status));
    const known = new Set((call.subscribe.unacknowledged_tasks ?? []).map((t) => t.task_id.value));
    const framework = this.registry.framework(run.frameworkId)?.info;
    const tasks = [...run.tasks.values()];
    // MESOS-8411: an executor whose every task was killed before it got one has nothing to do.
    if (!run.everSentTask && !tasks.some((t) => t.phase === 'launching')) {
      this.logger.log(`shutting down executor ${run.executorId}: it was never sent a task and all of its tasks were killed before delivery`);
      this.shutdown(run);
      return;
    }
    connection.send({
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: run.info,
        framework_info: framework ?? { user: '', name: '', id: { value: run.frameworkId } },
        agent_info: this.agentInfo(),
        container_id: { value: run.containerId },
      },
    });
    for (const ack of acknowledgements) connection.send({ type: 'ACKNOWLEDGED', acknowledged: ack });
    for (const task of tasks) {
      const lost = task.phase === 'running' && task.state === 'TASK_STAGING' && !known.has(task.taskId);
      if (task.phase === 'launching' || lost) this.deliver(run, task);
    }
    this.heartbeat(run, connection);
  }

  /**
   * UPDATE: the status goes to the status-update manager (reliable, ordered, head-only to the
   * master) with the agent's own fields filled in, and the executor hears ACKNOWLEDGED as soon
   * as it is recorded — not when the scheduler acknowledges it, as in Mesos.
   */
  update(call: ExecutorCallOf<'UPDATE'>): void {
    let run: ExecutorRun;
    try {
      run = this.subscribed(call);
    } catch (e) {
      this.counters?.invalidStatusUpdate();
      throw e;
    }
    const ack = this.accept(run, call.update.status);
    run.connection?.send({ type: 'ACKNOWLEDGED', acknowledged: ack });
  }

  /** MESSAGE: to the master, which hands it to the scheduler as a MESSAGE event (unreliable). */
  message(call: ExecutorCallOf<'MESSAGE'>): void {
    const run = this.subscribed(call);
    const agentId = this.session.agentId ?? '';
    this.bus.toMaster('executor-message', {
      agent_id: { value: agentId },
      framework_id: { value: run.frameworkId },
      executor_id: { value: run.executorId },
      data: call.message.data,
    });
  }

  /** The executor's connection ended (it exited, or will reconnect). */
  disconnected(run: ExecutorRun, connection: ExecutorConnection): void {
    if (run.connection !== connection) return;
    run.connection = undefined;
    if (run.phase === 'running') this.logger.log(`executor ${run.executorId} of framework ${run.frameworkId} disconnected`);
  }

  /** The live executor a call names; ExecutorCallError when there is none (Mesos: 400). */
  find(call: { readonly framework_id: { value: string }; readonly executor_id: { value: string } }): ExecutorRun {
    const framework = this.registry.framework(call.framework_id.value);
    if (framework === undefined) throw new ExecutorCallError('unknown-framework', 'Framework cannot be found');
    const run = framework.executors.get(call.executor_id.value);
    if (run === undefined || run.kind !== 'custom') throw new ExecutorCallError('unknown-executor', 'Executor cannot be found');
    return run;
  }

  /** `kill-task` for a task of a custom executor (reference §1.3: the executor must send the terminal update). */
  kill(run: ExecutorRun, task: TaskRun, message: KillTask): void {
    if (task.phase === 'terminated') {
      this.logger.log(`ignoring kill of task ${task.taskId}: it already ended (${task.state})`);
      return;
    }
    if (run.phase === 'terminating' || run.phase === 'terminated') {
      this.logger.warn(`ignoring kill of task ${task.taskId}: its executor ${run.executorId} is ${run.phase}`);
      return;
    }
    if (task.phase === 'launching') {
      this.logger.log(`task ${task.taskId} was killed before delivery to executor ${run.executorId}`);
      this.reporter.update(run, task, { state: 'TASK_KILLED', reason: TaskStatusReason.TASK_KILLED_DURING_LAUNCH, message: 'Killed before delivery to the executor' });
      if (run.phase === 'running' && !run.everSentTask && ![...run.tasks.values()].some((t) => t.phase === 'launching')) {
        this.logger.log(`shutting down executor ${run.executorId}: it was never sent a task and all of its tasks were killed before delivery`);
        this.shutdown(run);
      }
      return;
    }
    if (run.connection?.isOpen !== true) {
      this.logger.warn(`cannot kill task ${task.taskId}: executor ${run.executorId} is not connected (the scheduler may retry)`);
      return;
    }
    this.logger.log(`asking executor ${run.executorId} of framework ${run.frameworkId} to kill task ${task.taskId}`);
    run.connection.send({ type: 'KILL', kill: { task_id: message.task_id, ...(message.kill_policy !== undefined ? { kill_policy: message.kill_policy } : {}) } });
  }

  /** `framework-message`: a MESSAGE event, if the executor is there to take it (unreliable, as in Mesos). */
  frameworkMessage(run: ExecutorRun, data: string): void {
    if (run.phase !== 'running' || run.connection?.isOpen !== true) {
      this.logger.warn(`dropping a framework message for executor ${run.executorId} of framework ${run.frameworkId}: it is not subscribed`);
      return;
    }
    run.connection.send({ type: 'MESSAGE', message: { data } });
  }

  /**
   * SHUTDOWN (reference §2): the executor is to kill its tasks and exit; after its shutdown
   * grace period its container is destroyed and what it left running is TASK_LOST (TASK_GONE
   * for partition-aware frameworks).
   */
  shutdown(run: ExecutorRun): void {
    if (run.phase === 'terminating' || run.phase === 'terminated') return;
    const framework = this.registry.framework(run.frameworkId)?.info;
    run.phase = 'terminating';
    run.termination ??= {
      state: framework !== undefined && hasCapability(framework, 'PARTITION_AWARE') ? 'TASK_GONE' : 'TASK_LOST',
      reason: TaskStatusReason.EXECUTOR_TERMINATED,
      message: 'Executor was shut down',
    };
    for (const timer of run.timers) timer.cancel();
    const grace = this.shutdownGraceMs(run);
    this.logger.log(`shutting down executor ${run.executorId} of framework ${run.frameworkId} (grace ${grace} ms)`);
    if (run.connection?.isOpen === true) run.connection.send({ type: 'SHUTDOWN' });
    run.timers = [
      this.clock.after(grace, () => {
        if (run.phase !== 'terminating') return;
        this.logger.warn(`killing executor ${run.executorId} of framework ${run.frameworkId}: it did not exit within ${grace} ms of SHUTDOWN`);
        this.destroy(run);
      }),
    ];
  }

  /**
   * Stops every custom executor without status updates (the agent is stopping): SHUTDOWN, and
   * the agent waits at most AGORA_EXECUTOR_SHUTDOWN_GRACE_MS before killing what is left, even
   * for executors with a longer grace of their own, and not at all for executors that are not
   * connected to hear it. Resolves once all ended.
   */
  async stopAll(options: { keepCheckpointed?: boolean } = {}): Promise<void> {
    this.stopping = true;
    let runs = this.registry.executors().filter((run) => run.kind === 'custom');
    if (options.keepCheckpointed === true) {
      // They keep running for the next agent process, which they subscribe to again
      // (MESOS_CHECKPOINT=1): only their streams end, so that the HTTP server can close.
      for (const run of runs.filter((r) => r.checkpointed === true && r.phase !== 'terminated')) {
        for (const timer of run.timers) timer.cancel();
        run.timers = [];
        run.connection?.close();
        run.connection = undefined;
      }
      runs = runs.filter((r) => r.checkpointed !== true);
    }
    for (const run of runs) {
      run.silenced = true;
      for (const task of run.tasks.values()) task.silenced = true;
      this.shutdown(run);
      if (run.connection?.isOpen !== true) {
        // It cannot hear SHUTDOWN (it never subscribed, or is away): waiting would change nothing.
        if (run.phase === 'terminating') this.destroy(run);
        continue;
      }
      run.timers.push(
        this.clock.after(this.config.executorShutdownGraceMs, () => {
          if (run.phase === 'terminating') this.destroy(run);
        }),
      );
    }
    await Promise.all(runs.map((run) => run.ended));
  }

  /**
   * Takes back a custom executor an earlier agent process checkpointed (reference §5.4): its
   * tasks (with the updates their journals hold) join the live set, its run is looked for by
   * the driver, and it is given AGORA_EXECUTOR_REREGISTRATION_TIMEOUT_MS to SUBSCRIBE again
   * (with its unacknowledged tasks and updates, as after any disconnection). One that is gone,
   * or does not come back in time, is killed and its unfinished tasks are lost (TASK_GONE for
   * partition-aware frameworks, else TASK_LOST). Resolves once it subscribed or was given up.
   */
  async adopt(framework: LaunchedFramework, checkpoint: ExecutorCheckpoint, journals: ReadonlyMap<string, readonly TaskStatus[]>): Promise<void> {
    this.registry.rememberFramework(framework);
    const run: ExecutorRun = {
      ...newRun(framework.id.value, checkpoint.info),
      containerId: checkpoint.run.containerId,
      ...(checkpoint.run.sandbox !== undefined ? { directory: checkpoint.run.sandbox } : {}),
      ...(checkpoint.run.pid !== undefined ? { pid: checkpoint.run.pid } : {}),
      everSentTask: true,
      checkpointed: true,
    };
    for (const info of checkpoint.tasks) {
      const statuses = [...(journals.get(info.task_id.value) ?? [])];
      const latest = statuses.at(-1);
      run.tasks.set(info.task_id.value, {
        frameworkId: run.frameworkId,
        taskId: info.task_id.value,
        info,
        executorId: run.executorId,
        containerId: run.containerId,
        ...(run.directory !== undefined ? { directory: run.directory } : {}),
        state: latest?.state ?? 'TASK_STAGING',
        phase: latest !== undefined && isTerminalState(latest.state) ? 'terminated' : 'running',
        statuses,
        silenced: false,
        finished: Promise.resolve(),
      });
    }
    this.registry.add(run);
    this.lastRun.set(run, checkpoint.run);
    const lost = hasCapability(framework, 'PARTITION_AWARE') ? 'TASK_GONE' : 'TASK_LOST';
    const found: TaskInspection | undefined =
      this.driver.recover === undefined
        ? undefined
        : await this.driver.recover({ ...checkpoint.run }).catch((e: unknown) => {
            this.logger.error(`executor ${run.executorId} of framework ${run.frameworkId} cannot be recovered: ${(e as Error).message}`);
            return undefined;
          });
    if (found === undefined || found.exit !== undefined) {
      run.phase = 'terminating';
      run.termination = { state: lost, reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'The executor ended while the agent was down' };
      await this.driver.destroy(run.containerId);
      this.reporter.ended(run, found?.exit, { agentStopping: false });
      return;
    }
    const settled = new Promise<void>((resolve) => this.recovering.set(run, resolve));
    const timeout = this.config.executorReregistrationTimeoutMs;
    run.timers.push(
      this.clock.after(timeout, () => {
        if (run.phase !== 'registering') return;
        this.logger.warn(`killing executor ${run.executorId} of framework ${run.frameworkId}: it did not subscribe again within ${timeout} ms of the agent's recovery`);
        run.phase = 'terminating';
        run.termination = { state: lost, reason: TaskStatusReason.EXECUTOR_REREGISTRATION_TIMEOUT, message: `Executor did not re-register within ${mesosDuration(timeout)}` };
        // Recovery goes on once the kill took effect (run.ended below): the agent re-registers
        // without this executor, not with one still being killed.
        this.destroy(run);
      }),
    );
    run.ended = (async () => {
      const exit = await this.driver.wait(run.containerId);
      await this.driver.destroy(run.containerId);
      this.recovered(run);
      this.reporter.ended(run, exit, { agentStopping: this.stopping });
    })().catch((e: unknown) => this.logger.error(`executor ${run.executorId}: ${(e as Error).message}`));
    await settled;
  }

  /** A recovered executor subscribed again, or was given up: recovery need not wait for it any more. */
  private recovered(run: ExecutorRun): void {
    this.recovering.get(run)?.();
    this.recovering.delete(run);
  }

  /** executor.json: the executor, its run and its tasks (rewritten as tasks join it). */
  private checkpoint(run: ExecutorRun, started?: { inspection: TaskInspection; bootId?: string; exitFile?: string }): void {
    if (this.checkpoints === undefined) return;
    const previous = started === undefined ? this.lastRun.get(run) : undefined;
    const runCheckpoint: RunCheckpoint = previous ?? {
      driver: run.info.container?.type === 'DOCKER' ? 'docker' : 'process',
      containerId: run.containerId,
      executorId: run.executorId,
      ...(run.directory !== undefined ? { sandbox: run.directory } : {}),
      ...(started !== undefined ? { pid: started.inspection.pid } : {}),
      ...(started?.inspection.startTime !== undefined ? { startTime: started.inspection.startTime } : {}),
      ...(started?.bootId !== undefined ? { bootId: started.bootId } : {}),
      ...(started?.exitFile !== undefined ? { exitFile: started.exitFile } : {}),
    };
    this.lastRun.set(run, runCheckpoint);
    try {
      this.checkpoints.writeExecutor(run.frameworkId, run.executorId, { info: run.info, run: runCheckpoint, tasks: [...run.tasks.values()].map((t) => t.info) });
    } catch (e) {
      this.logger.error(`executor ${run.executorId}: could not checkpoint it: ${(e as Error).message}`);
    }
  }

  /** Starts the executor's container and watches it until it ends; every way out ends the run. */
  private async launch(run: ExecutorRun, agentId: string): Promise<void> {
    const command = run.info.command;
    if (command === undefined || (command.value ?? '') === '') {
      this.failLaunch(run, 'the ExecutorInfo has no command');
      return;
    }
    if (run.info.container?.type === 'MESOS' && run.info.container.mesos?.image !== undefined) {
      this.failLaunch(run, "Images in MESOS containers are not supported: Agora runs images with Docker; use a DOCKER container (container.type 'DOCKER', docker.image)");
      return;
    }
    if (run.info.container?.type === 'DOCKER' && run.info.container.docker === undefined) {
      this.failLaunch(run, 'The executor has a DOCKER container without DockerInfo (container.docker.image)', TaskStatusReason.TASK_INVALID);
      return;
    }
    let sandbox;
    try {
      sandbox = await this.sandboxes.create({ agentId, frameworkId: run.frameworkId, executorId: run.executorId, containerId: run.containerId });
    } catch (e) {
      this.failLaunch(run, `Failed to create the sandbox: ${(e as Error).message}`);
      return;
    }
    run.directory = sandbox.directory;
    for (const task of run.tasks.values()) task.directory = sandbox.directory;
    if (run.phase !== 'registering') {
      // Shut down (or its framework removed) before it was started: there is nothing to stop.
      this.reporter.ended(run, undefined, { agentStopping: this.stopping });
      return;
    }
    const framework = this.registry.framework(run.frameworkId)?.info;
    const { env, skipped } = executorEnvironment({
      sandbox: sandbox.directory,
      frameworkId: run.frameworkId,
      executorId: run.executorId,
      agentId,
      agentEndpoint: `${this.profile.ip}:${this.session.port}`,
      checkpoint: framework?.checkpoint ?? false,
      shutdownGraceMs: this.shutdownGraceMs(run),
      command,
    });
    if (skipped.length > 0) this.logger.warn(`executor ${run.executorId}: variables without a plain value are not set: ${skipped.join(', ')}`);
    if ((command.uris ?? []).length > 0) this.logger.warn(`executor ${run.executorId}: fetching CommandInfo.uris is not supported yet; they are ignored`);
    const exitFile = run.checkpointed === true && run.info.container?.type !== 'DOCKER' ? this.checkpoints?.prepareExitFile(run.containerId) : undefined;
    const bootId = run.checkpointed === true ? await readBootId() : undefined;
    try {
      const started = await this.driver.start({
        containerId: run.containerId,
        command,
        env,
        sandbox: sandbox.directory,
        stdoutPath: sandbox.stdout,
        stderrPath: sandbox.stderr,
        // The driver cannot grow a container's limits as tasks join, as Mesos does, so a custom
        // executor runs without them rather than with limits its later tasks would outgrow.
        limits: {},
        ...(run.info.container !== undefined ? { container: run.info.container } : {}),
        owner: { agentId, frameworkId: run.frameworkId, executorId: run.executorId },
        ...(exitFile !== undefined ? { exitFile } : {}),
      });
      run.pid = started.pid;
      if (run.checkpointed === true) this.checkpoint(run, { inspection: started, bootId, exitFile });
    } catch (e) {
      const reason = e instanceof TaskStartError && e.reason !== undefined ? e.reason : TaskStatusReason.CONTAINER_LAUNCH_FAILED;
      this.failLaunch(run, `Failed to launch container: ${(e as Error).message}`, reason);
      return;
    }
    if (run.phase === 'registering') {
      const timeout = this.config.executorRegistrationTimeoutMs;
      run.timers.push(this.clock.after(timeout, () => this.registrationTimedOut(run, timeout)));
    } else if (run.phase === 'terminating') {
      // Shut down while it was being started: it never got a task, so nothing is cut short.
      this.destroy(run);
    }
    const exit = await this.driver.wait(run.containerId);
    await this.driver.destroy(run.containerId);
    this.reporter.ended(run, exit, { agentStopping: this.stopping });
  }

  private failLaunch(run: ExecutorRun, message: string, reason: TaskStatusReason = TaskStatusReason.CONTAINER_LAUNCH_FAILED): void {
    this.logger.warn(`executor ${run.executorId} of framework ${run.frameworkId} cannot start: ${message}`);
    run.termination = { state: 'TASK_FAILED', reason, message };
    this.reporter.ended(run, undefined, { agentStopping: this.stopping });
  }

  private registrationTimedOut(run: ExecutorRun, timeoutMs: number): void {
    if (run.phase !== 'registering') return;
    this.logger.warn(`killing executor ${run.executorId} of framework ${run.frameworkId}: it did not subscribe within ${timeoutMs} ms`);
    run.phase = 'terminating';
    const termination: ExecutorTermination = {
      state: 'TASK_FAILED',
      reason: TaskStatusReason.EXECUTOR_REGISTRATION_TIMEOUT,
      message: `Executor did not register within ${mesosDuration(timeoutMs)}`,
    };
    run.termination = termination;
    this.destroy(run);
  }

  private destroy(run: ExecutorRun): void {
    this.driver.destroy(run.containerId).catch((e: unknown) => this.logger.warn(`could not kill executor ${run.executorId}: ${(e as Error).message}`));
  }

  /** Hands a task to the connected executor. */
  private deliver(run: ExecutorRun, task: TaskRun): void {
    run.connection?.send({ type: 'LAUNCH', launch: { task: task.info } });
    task.phase = 'running';
    run.everSentTask = true;
  }

  /**
   * Takes an executor's status: the agent's fields filled in (source, executor, agent, time,
   * container), recorded on its task, queued for the master. Returns what to acknowledge.
   * A second terminal update of a task is acknowledged but dropped, as Mesos's agent does.
   */
  private accept(run: ExecutorRun, sent: TaskStatus & { uuid: string }): { task_id: { value: string }; uuid: string } {
    const ack = { task_id: sent.task_id, uuid: sent.uuid };
    const status: TaskStatus & { uuid: string } = {
      ...sent,
      source: 'SOURCE_EXECUTOR',
      executor_id: { value: run.executorId },
      agent_id: { value: this.session.agentId ?? '' },
      timestamp: sent.timestamp ?? this.clock.now() / 1000,
      container_status: {
        ...sent.container_status,
        container_id: sent.container_status?.container_id ?? { value: run.containerId },
        ...(run.pid !== undefined ? { executor_pid: run.pid } : {}),
      },
    };
    // Its framework is gone: the update is kept for /state but not sent, since nobody would
    // acknowledge it (Mesos ignores it too).
    if (run.silenced) this.counters?.invalidStatusUpdate();
    const owner = run.tasks.has(sent.task_id.value) ? run : this.registry.ownerOf(run.frameworkId, sent.task_id.value);
    const task = owner?.tasks.get(sent.task_id.value);
    if (owner === undefined || task === undefined) {
      if (run.silenced) return ack;
      this.logger.warn(`executor ${run.executorId} sent ${sent.state} for task ${sent.task_id.value}, which is not on this agent: forwarding it`);
      this.statusUpdates.update(run.frameworkId, status);
      return ack;
    }
    // An update sent again (its acknowledgement was lost) is acknowledged again, nothing more.
    if (task.statuses.some((s) => s.uuid === sent.uuid)) return ack;
    if (task.phase === 'terminated') {
      this.logger.warn(`dropping ${sent.state} of task ${task.taskId} from executor ${run.executorId}: the task already ended ${task.state}`);
      return ack;
    }
    if (task.phase === 'launching') task.phase = 'running';
    this.reporter.record(owner, task, status);
    return ack;
  }

  /** The live executor a call names, which must have subscribed (Mesos: 403 before that). */
  private subscribed(call: { readonly framework_id: { value: string }; readonly executor_id: { value: string } }): ExecutorRun {
    const run = this.find(call);
    if (run.phase === 'registering') throw new ExecutorCallError('not-subscribed', 'Executor is not subscribed');
    return run;
  }

  /** HEARTBEAT events while this connection lasts; one timer at a time in `run.timers`. */
  private heartbeat(run: ExecutorRun, connection: ExecutorConnection): void {
    let current: TimerHandle | undefined;
    const arm = (): void => {
      const next = this.clock.after(EXECUTOR_HEARTBEAT_INTERVAL_MS, beat);
      const i = current === undefined ? -1 : run.timers.indexOf(current);
      if (i >= 0) run.timers[i] = next;
      else run.timers.push(next);
      current = next;
    };
    const beat = (): void => {
      if (run.connection !== connection || !connection.isOpen) return;
      connection.send({ type: 'HEARTBEAT' });
      arm();
    };
    arm();
  }

  /** The executor's own shutdown_grace_period, else AGORA_EXECUTOR_SHUTDOWN_GRACE_MS. */
  private shutdownGraceMs(run: ExecutorRun): number {
    const ns = run.info.shutdown_grace_period?.nanoseconds;
    return ns === undefined ? this.config.executorShutdownGraceMs : Math.max(0, ns / 1e6);
  }

  private agentInfo(): AgentInfo {
    return {
      hostname: this.profile.hostname,
      port: this.session.port,
      resources: toV1(this.profile.resources),
      attributes: [...this.profile.attributes],
      ...(this.session.agentId !== undefined ? { id: { value: this.session.agentId } } : {}),
    };
  }
}

function newRun(frameworkId: string, info: ExecutorInfo): ExecutorRun {
  return {
    kind: 'custom',
    frameworkId,
    executorId: info.executor_id.value,
    containerId: randomUUID(),
    info,
    phase: 'registering',
    tasks: new Map(),
    completedTasks: [],
    everSentTask: false,
    groups: [],
    timers: [],
    silenced: false,
    ended: Promise.resolve(),
  };
}
