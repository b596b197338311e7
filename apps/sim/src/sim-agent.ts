import { Logger } from '@nestjs/common';
import { type AgoraBus, BusTimeoutError, NoRespondersError } from '@agora/bus';
import type { AgentInfo, AgentTask, RegisterAgent, Registration, ReregisterAgent, Resource, RunTask, TaskState, TaskStatusReason } from '@agora/protocol';
import { isTerminalState, MAX_BUS_MESSAGE_BYTES } from '@agora/protocol';
import type { Clock, TimerHandle } from '../../agent/src/clock/clock';
import { AgentConfig } from '../../agent/src/config/agent.config';
import { AGENT_CAPABILITIES } from '../../agent/src/registration/agent-capabilities';
import { registrationDelay } from '../../agent/src/registration/registration-backoff';
import { buildReregistration } from '../../agent/src/registration/reregistration';
import { AgentSession } from '../../agent/src/session/agent-session';
import { InMemoryJournal } from '../../agent/src/status-updates/status-update-journal';
import { StatusUpdateManager } from '../../agent/src/status-updates/status-update-manager';
import { taskStatus } from '../../agent/src/tasks/task-statuses';
import type { LaunchedFramework } from '../../agent/src/tasks/task-run';
import type { AgentMessage, RoutedAgent } from './agent-router';
import { taskEndsAt } from './task-timing';

/** What every simulated agent of one simulator shares. */
export interface SimContext {
  readonly bus: AgoraBus;
  /** Backed by the simulator's single ticker. */
  readonly clock: Clock;
  readonly config: AgentConfig;
  readonly version: string;
  /** How long a task "runs" before TASK_FINISHED (0: at once). */
  readonly taskDurationMs: number;
  /** An agent learned its id (the router starts routing its subjects). */
  identified(agent: SimAgent, agentId: string): void;
  /** Counters for the simulator's report. */
  readonly counters: SimCounters;
}

export interface SimCounters {
  launched: number;
  finished: number;
  killed: number;
  registrations: number;
}

interface SimTask {
  readonly framework: LaunchedFramework;
  readonly info: RunTask['task'];
  state: TaskState;
  end?: TimerHandle;
}

type Phase = 'idle' | 'registering' | 'registered' | 'stopped';

const taskKey = (frameworkId: string, taskId: string): string => `${frameworkId}\u0000${taskId}`;
const logger = new Logger('sim');

/**
 * One simulated agent: the agent's protocol without processes. It registers with the agent's
 * backoff (registration-backoff.ts), fences by epoch with the agent's AgentSession, sends status
 * updates through the agent's own StatusUpdateManager (ordered streams, acks, retries, pause while
 * unregistered) and builds `reregister` with the agent's buildReregistration; only the driver is
 * fake: a task reaches RUNNING at once and FINISHED after the task duration. Its timers live in
 * the simulator's ticker (SimContext.clock) and its subjects arrive through the AgentRouter.
 */
export class SimAgent implements RoutedAgent {
  readonly session = new AgentSession();
  readonly updates: StatusUpdateManager;
  private readonly tasks = new Map<string, SimTask>();
  private phase: Phase = 'idle';
  /** Bumped on every new reason to register, so an answer to an older attempt is ignored. */
  private generation = 0;
  private attempt = 0;
  private retry?: TimerHandle;
  private registeredEpoch = -1;
  /** When the master last pinged (or registered) this agent, and how long a silence may last. */
  lastHeardAt = 0;
  pingTimeoutMs = 0;

  constructor(
    readonly hostname: string,
    private readonly resources: Resource[],
    private readonly ctx: SimContext,
  ) {
    this.session.port = 5051;
    this.updates = new StatusUpdateManager(ctx.bus, ctx.clock, this.session, ctx.config, new InMemoryJournal());
    this.updates.onStreamClosed((frameworkId, taskId) => this.tasks.delete(taskKey(frameworkId, taskId)));
  }

  get registered(): boolean {
    return this.phase === 'registered';
  }

  get taskCount(): number {
    return this.tasks.size;
  }

  start(): void {
    if (this.phase === 'idle') this.begin();
  }

  stop(): void {
    this.phase = 'stopped';
    this.session.registered = false;
    this.retry?.cancel();
    this.updates.pause();
    for (const task of this.tasks.values()) task.end?.cancel();
  }

  /** Registers again if registered (a ping said unknown, a new leader, or the master fell silent). */
  reregister(why: string): void {
    if (this.phase !== 'registered') return;
    logger.debug(`${this.hostname} re-registering: ${why}`);
    this.begin();
  }

  /** Called by the simulator's sweep: no ping within ping_interval × max_missed_pings. */
  checkLiveness(now: number): void {
    if (this.phase === 'registered' && this.pingTimeoutMs > 0 && now - this.lastHeardAt > this.pingTimeoutMs) {
      this.reregister(`no ping from the master for ${this.pingTimeoutMs / 1000} s`);
    }
  }

  onMasterElected(epoch: number, masterId: string): void {
    if (!this.admits(epoch)) return;
    if (this.phase === 'registered' && epoch <= this.registeredEpoch) return;
    this.reregister(`master ${masterId} leads now (epoch ${epoch})`);
  }

  onAgentMessage(received: AgentMessage): void {
    if (!this.admits(received.message.epoch)) return;
    switch (received.kind) {
      case 'ping': {
        const agentId = this.session.agentId;
        if (agentId !== undefined) received.reply('pong', { agent_id: { value: agentId } });
        this.lastHeardAt = this.ctx.clock.now();
        if (!received.message.registered) this.reregister(`the master of epoch ${received.message.epoch} does not know this agent`);
        return;
      }
      case 'run-task':
        this.run(received.message);
        return;
      case 'kill-task':
        this.kill(received.message.framework_id.value, received.message.task_id.value);
        return;
      case 'status-ack':
        this.updates.acknowledge(received.message.framework_id.value, received.message.task_id.value, received.message.uuid);
        return;
      case 'shutdown-framework':
        this.shutdownFramework(received.message.framework_id.value);
        return;
      case 'shutdown-executor':
        // A command task's executor is the task itself.
        this.kill(received.message.framework_id.value, received.message.executor_id.value);
        return;
      case 'shutdown':
        logger.warn(`${this.hostname}: the master shut this agent down: ${received.message.message}`);
        this.session.shutDown = true;
        this.stop();
        return;
      case 'run-task-group':
        for (const task of received.message.task_group.tasks ?? []) {
          this.report(received.message.framework.id.value, task.task_id.value, 'TASK_FAILED', 'REASON_TASK_GROUP_INVALID', 'the simulator runs command tasks only');
        }
        return;
      case 'framework-message':
        return;
    }
  }

  private admits(epoch: number): boolean {
    return !this.session.shutDown && this.session.fence.admit(epoch);
  }

  // ---- tasks ------------------------------------------------------------------------------------

  private run(message: RunTask): void {
    const frameworkId = message.framework.id.value;
    const taskId = message.task.task_id.value;
    const key = taskKey(frameworkId, taskId);
    if (this.tasks.has(key)) return;
    const task: SimTask = { framework: message.framework, info: message.task, state: 'TASK_STAGING' };
    this.tasks.set(key, task);
    this.ctx.counters.launched++;
    this.transition(frameworkId, task, 'TASK_STARTING');
    this.transition(frameworkId, task, 'TASK_RUNNING');
    const endsAt = taskEndsAt(this.ctx.clock.now(), this.ctx.taskDurationMs);
    if (endsAt === undefined) this.finish(frameworkId, task);
    else task.end = this.ctx.clock.after(endsAt - this.ctx.clock.now(), () => this.finish(frameworkId, task));
  }

  private finish(frameworkId: string, task: SimTask): void {
    if (isTerminalState(task.state)) return;
    this.ctx.counters.finished++;
    this.transition(frameworkId, task, 'TASK_FINISHED', undefined, 'Command exited with status 0');
  }

  private kill(frameworkId: string, taskId: string): void {
    const task = this.tasks.get(taskKey(frameworkId, taskId));
    if (task === undefined) {
      if ([...this.tasks.values()].some((t) => t.framework.id.value === frameworkId)) {
        this.report(frameworkId, taskId, 'TASK_LOST', 'REASON_EXECUTOR_TERMINATED', 'Cannot find executor');
      }
      return;
    }
    if (isTerminalState(task.state)) return;
    task.end?.cancel();
    this.ctx.counters.killed++;
    this.transition(frameworkId, task, 'TASK_KILLED', undefined, 'Command terminated with signal SIGTERM');
  }

  /** The master removed the framework: its tasks end without updates (nobody would acknowledge them). */
  private shutdownFramework(frameworkId: string): void {
    this.updates.cleanup(frameworkId);
    for (const [key, task] of this.tasks) {
      if (task.framework.id.value !== frameworkId) continue;
      task.end?.cancel();
      this.tasks.delete(key);
    }
  }

  private transition(frameworkId: string, task: SimTask, state: TaskState, reason?: TaskStatusReason, message?: string): void {
    task.state = state;
    this.report(frameworkId, task.info.task_id.value, state, reason, message, 'SOURCE_EXECUTOR');
  }

  private report(frameworkId: string, taskId: string, state: TaskState, reason?: TaskStatusReason, message?: string, source: 'SOURCE_EXECUTOR' | 'SOURCE_AGENT' = 'SOURCE_AGENT'): void {
    this.updates.update(
      frameworkId,
      taskStatus({
        taskId,
        state,
        source,
        agentId: this.session.agentId ?? '',
        now: this.ctx.clock.now(),
        executorId: taskId,
        reason,
        message,
      }),
    );
  }

  // ---- registration -----------------------------------------------------------------------------

  private begin(): void {
    this.phase = 'registering';
    this.session.registered = false;
    this.updates.pause();
    this.generation++;
    this.attempt = 0;
    this.schedule();
  }

  private schedule(): void {
    this.retry?.cancel();
    const generation = this.generation;
    const wait = registrationDelay(this.attempt, this.ctx.config.registrationBackoffFactorMs, this.ctx.clock.random());
    this.retry = this.ctx.clock.after(wait, () => {
      if (generation === this.generation && this.phase === 'registering') void this.tryRegister(generation);
    });
  }

  private async tryRegister(generation: number): Promise<void> {
    const agentId = this.session.agentId;
    let reply: Registration;
    try {
      reply =
        agentId === undefined
          ? await this.ctx.bus.register('register', this.registerMessage(), this.ctx.config.registrationTimeoutMs)
          : await this.ctx.bus.register('reregister', this.reregisterMessage(agentId), this.ctx.config.registrationTimeoutMs);
    } catch (e) {
      if (!(e instanceof NoRespondersError || e instanceof BusTimeoutError)) logger.warn(`${this.hostname}: registration failed: ${(e as Error).message}`);
      return this.retryLater(generation);
    }
    if (generation !== this.generation || this.phase !== 'registering') return;
    if (!this.session.fence.admit(reply.epoch)) return this.retryLater(generation);
    if (reply.result === 'REFUSED') {
      if (reply.shutdown) {
        this.session.shutDown = true;
        this.stop();
        return;
      }
      return this.retryLater(generation);
    }
    const id = reply.agent_id.value;
    if (agentId !== id) {
      this.session.agentId = id;
      this.ctx.identified(this, id);
    }
    this.session.masterId = reply.master_id;
    this.session.registered = true;
    this.phase = 'registered';
    this.registeredEpoch = reply.epoch;
    this.pingTimeoutMs = reply.ping_interval_seconds * 1000 * reply.max_missed_pings;
    this.lastHeardAt = this.ctx.clock.now();
    this.ctx.counters.registrations++;
    this.updates.resume();
  }

  private retryLater(generation: number): void {
    if (generation !== this.generation || this.phase !== 'registering') return;
    this.attempt++;
    this.schedule();
  }

  private agentInfo(): AgentInfo {
    return { hostname: this.hostname, port: this.session.port, resources: this.resources };
  }

  private registerMessage(): RegisterAgent {
    return {
      agent_info: this.agentInfo(),
      version: this.ctx.version,
      capabilities: AGENT_CAPABILITIES,
      ip: '127.0.0.1',
      session: this.session.instance,
    };
  }

  private reregisterMessage(agentId: string): ReregisterAgent {
    const tasks = [...this.tasks.values()].map((task) => ({ framework: task.framework, task: this.agentTask(task) }));
    const { message } = buildReregistration(
      { agent_info: { ...this.agentInfo(), id: { value: agentId } }, version: this.ctx.version, capabilities: AGENT_CAPABILITIES, ip: '127.0.0.1' },
      tasks,
      MAX_BUS_MESSAGE_BYTES,
    );
    return message;
  }

  private agentTask(task: SimTask): AgentTask {
    const frameworkId = task.framework.id.value;
    const head = this.updates.head(frameworkId, task.info.task_id.value);
    return {
      framework_id: { value: frameworkId },
      task: task.info,
      state: task.state,
      ...(head !== undefined ? { status_update_state: head.state, status_update_uuid: head.uuid } : {}),
    };
  }
}
