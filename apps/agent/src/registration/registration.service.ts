import { Injectable, Logger } from '@nestjs/common';
import { AgoraBus, BusClosedError, BusTimeoutError, NoRespondersError } from '@agora/bus';
import { type AgentTask, MAX_BUS_MESSAGE_BYTES, type MasterElected, type Ping, type Pong, type RegisterAgent, type Registration, type ReregisterAgent } from '@agora/protocol';
import { fromV1, toV1 } from '@agora/resources';
import { Clock, type TimerHandle } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { AgentProfile } from '../machine/agent-profile';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { CommandExecutorService } from '../tasks/command-executor.service';
import { TaskRegistry } from '../tasks/task-registry';
import type { TaskRun } from '../tasks/task-run';
import { ExecutorRegistry, reregisteringExecutors } from '../executors/executor-registry';
import { ExecutorsService } from '../executors/executors.service';
import { AGENT_CAPABILITIES } from './agent-capabilities';
import { AgentMetaStore } from './agent-meta.store';
import { registrationDelay } from './registration-backoff';
import { buildReregistration } from './reregistration';

export { AGENT_CAPABILITIES };

/** Identifies the agent version in register messages; set by bootstrap. */
export abstract class AgentVersion {
  abstract readonly value: string;
}

type Phase = 'idle' | 'registering' | 'registered' | 'stopped';

/**
 * Joining the master (reference §5.2 and §5.3). A new agent sends `register`; one that has an
 * id (from its meta file, or from an earlier registration) sends `reregister` with the tasks it
 * runs, so a new leader can rebuild its view. Attempts repeat with randomized exponential
 * backoff until the master answers REGISTERED. Once registered, the agent re-registers when the
 * master says it does not know it (a ping with `registered: false`), when a new leader is
 * elected, or when no ping arrived for ping_interval × max_missed_pings (the master is lost).
 * While not registered, status updates queue without being sent.
 */
@Injectable()
export class RegistrationService {
  private readonly logger = new Logger('registration');
  private readonly identifiedListeners: ((agentId: string) => void)[] = [];
  private phase: Phase = 'idle';
  private looping = false;
  private restarted = false;
  private sleepTimer?: TimerHandle;
  private wake?: () => void;
  private watchdog?: TimerHandle;
  private pingTimeoutMs = 0;
  private registeredEpoch = -1;
  private lastFailure = '';

  constructor(
    private readonly bus: AgoraBus,
    private readonly session: AgentSession,
    private readonly clock: Clock,
    private readonly config: AgentConfig,
    private readonly profile: AgentProfile,
    private readonly version: AgentVersion,
    private readonly meta: AgentMetaStore,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly tasks: CommandExecutorService,
    private readonly registry: TaskRegistry,
    private readonly executors: ExecutorsService,
    private readonly executorRegistry: ExecutorRegistry,
  ) {}

  /** Called with the agent id whenever it becomes known or changes (the inbox subscribes to it). */
  onIdentified(listener: (agentId: string) => void): void {
    this.identifiedListeners.push(listener);
  }

  /** Reads the meta file (a restarted agent keeps its id) and starts registering. */
  async start(): Promise<void> {
    if (this.phase !== 'idle') return;
    const meta = await this.meta.read().catch((e: unknown) => {
      this.logger.warn(`ignoring ${this.meta.path}: ${(e as Error).message}`);
      return undefined;
    });
    if (meta !== undefined) {
      if (sameResources(meta.resources, this.profile)) {
        this.logger.log(`rejoining as agent ${meta.id} (from ${this.meta.path})`);
        this.identify(meta.id);
      } else {
        this.logger.log(`the resources changed since this agent was ${meta.id}: joining as a new agent`);
      }
    }
    // NATS drops what is sent while a connection is down (a launch, a kill): re-registering
    // lets the master reconcile it (reference §5.2), as a broken Mesos link would.
    this.bus.onReconnect(() => this.reregister('the bus connection was lost and is back'));
    this.begin();
  }

  /** Stops registering and watching pings (the agent is closing). */
  stop(): void {
    this.phase = 'stopped';
    this.session.registered = false;
    this.sleepTimer?.cancel();
    this.watchdog?.cancel();
    this.wake?.();
  }

  /** Registers again; only a registered agent needs to (one registering already is, a stopped one must not). */
  reregister(why: string): void {
    if (this.phase !== 'registered') return;
    this.logger.warn(`re-registering: ${why}`);
    this.begin();
  }

  /** A ping (already fenced): answer, note the master is alive, and rejoin if it does not know us. */
  onPing(ping: Ping, reply: (pong: Pong) => void): void {
    const agentId = this.session.agentId;
    if (agentId !== undefined) reply({ agent_id: { value: agentId } });
    if (this.phase !== 'registered') return;
    if (!ping.registered) {
      this.reregister(`the master of epoch ${ping.epoch} does not know this agent`);
      return;
    }
    this.armWatchdog();
  }

  /** A new leader (already fenced): its registration is for a dead epoch unless it is that leader. */
  onMasterElected(elected: MasterElected): void {
    if (this.phase === 'registered' && elected.epoch <= this.registeredEpoch) return;
    this.reregister(`master ${elected.master_id} leads now (epoch ${elected.epoch})`);
  }

  /** The master ended this agent for good: kill everything, stop registering (Mesos's agent exits). */
  async shutdown(message: string): Promise<void> {
    if (this.session.shutDown) return;
    this.logger.error(
      `the master shut this agent down: ${message}. Its tasks are killed and it will not register again; ` +
        `remove ${this.meta.path} to join as a new agent`,
    );
    this.session.shutDown = true;
    this.stop();
    this.statusUpdates.pause();
    await Promise.all([this.tasks.killAll('the master shut this agent down'), this.executors.stopAll('the master shut this agent down')]);
  }

  private begin(): void {
    this.phase = 'registering';
    this.session.registered = false;
    this.watchdog?.cancel();
    this.statusUpdates.pause();
    this.restarted = true;
    if (!this.looping) {
      this.looping = true;
      void this.loop();
    }
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    for (;;) {
      // A new reason to register (begin() while this loop still ran) starts the backoff over.
      if (this.restarted) {
        this.restarted = false;
        attempt = 0;
      }
      await this.sleep(registrationDelay(attempt, this.config.registrationBackoffFactorMs, this.clock.random()));
      if (this.phase === 'registering') {
        await this.attempt(attempt).catch((e: unknown) => this.failed(attempt, describeFailure(e)));
      }
      // Checked and cleared in one synchronous step, so begin() never sees a loop about to end.
      if (this.phase !== 'registering') {
        this.looping = false;
        return;
      }
      attempt++;
    }
  }

  private async attempt(attempt: number): Promise<void> {
    const agentId = this.session.agentId;
    let reply: Registration;
    try {
      reply =
        agentId === undefined
          ? await this.bus.register('register', this.registerMessage(), this.config.registrationTimeoutMs)
          : await this.bus.register('reregister', this.reregisterMessage(agentId), this.config.registrationTimeoutMs);
    } catch (e) {
      this.failed(attempt, describeFailure(e));
      return;
    }
    if (this.phase !== 'registering') return;
    if (!this.session.fence.admit(reply.epoch)) {
      this.logger.debug(`ignoring a registration answer of epoch ${reply.epoch}: epoch ${this.session.fence.epoch} leads`);
      return;
    }
    if (reply.result === 'REFUSED') {
      if (reply.shutdown) await this.shutdown(reply.message);
      else this.failed(attempt, `the master refused: ${reply.message}`);
      return;
    }
    const id = reply.agent_id.value;
    if (agentId !== undefined && agentId !== id) this.logger.warn(`the master registered this agent as ${id}, not ${agentId}`);
    if (agentId !== id) this.identify(id);
    this.session.masterId = reply.master_id;
    this.session.registered = true;
    this.phase = 'registered';
    this.registeredEpoch = reply.epoch;
    this.lastFailure = '';
    this.pingTimeoutMs = reply.ping_interval_seconds * 1000 * reply.max_missed_pings;
    this.armWatchdog();
    this.logger.log(`${agentId === undefined ? 'registered' : 're-registered'} as agent ${id} with master ${reply.master_id} (epoch ${reply.epoch})`);
    this.statusUpdates.resume();
    // Not awaited: the loop must see the new phase at once (see loop()).
    void this.meta.write({ id, resources: toV1(this.profile.resources), hostname: this.profile.hostname }).catch((e: unknown) => {
      this.logger.warn(`could not write ${this.meta.path}: ${(e as Error).message}`);
    });
  }

  /** The first failure and every change of reason are warnings; repeats are debug noise. */
  private failed(attempt: number, reason: string): void {
    if (attempt === 0 || reason !== this.lastFailure) this.logger.warn(`registration attempt failed: ${reason}; retrying`);
    else this.logger.debug(`registration attempt ${attempt + 1} failed: ${reason}`);
    this.lastFailure = reason;
  }

  private identify(agentId: string): void {
    this.session.agentId = agentId;
    for (const listener of this.identifiedListeners) listener(agentId);
  }

  private armWatchdog(): void {
    this.watchdog?.cancel();
    if (this.pingTimeoutMs <= 0) return;
    const timeout = this.pingTimeoutMs;
    this.watchdog = this.clock.after(timeout, () => this.reregister(`no ping from the master for ${timeout / 1000} s`));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.sleepTimer = this.clock.after(ms, resolve);
    });
  }

  private registerMessage(): RegisterAgent {
    return {
      agent_info: this.agentInfo(),
      version: this.version.value,
      capabilities: AGENT_CAPABILITIES,
      ip: this.profile.ip,
      session: this.session.instance,
    };
  }

  private reregisterMessage(agentId: string): ReregisterAgent {
    // Tasks of custom and default executors too (executors/), and those executors themselves.
    const tasks = [...this.registry.frameworks(), ...this.executorRegistry.taskEntries()]
      .flatMap((f) => [...f.runs.values()].filter((run) => !run.silenced).map((run) => ({ framework: f.info, task: this.agentTask(run) })));
    const live = reregisteringExecutors(this.executorRegistry);
    const { message, omitted } = buildReregistration(
      // The session tells the master whether this is the process it admitted last (reference §5.3).
      { agent_info: { ...this.agentInfo(), id: { value: agentId } }, version: this.version.value, capabilities: AGENT_CAPABILITIES, ip: this.profile.ip, session: this.session.instance },
      tasks,
      MAX_BUS_MESSAGE_BYTES - live.bytes,
    );
    if (omitted > 0) {
      this.logger.warn(`re-registering with ${message.tasks?.length ?? 0} of ${tasks.length} tasks: the others do not fit in one bus message (64 KiB)`);
    }
    return live.executors.length > 0 ? { ...message, executors: live.executors } : message;
  }

  private agentTask(run: TaskRun): AgentTask {
    const head = this.statusUpdates.head(run.frameworkId, run.taskId);
    return {
      framework_id: { value: run.frameworkId },
      task: run.info,
      state: run.state,
      ...(head !== undefined ? { status_update_state: head.state, status_update_uuid: head.uuid } : {}),
    };
  }

  private agentInfo(): RegisterAgent['agent_info'] {
    return {
      hostname: this.profile.hostname,
      port: this.session.port,
      resources: toV1(this.profile.resources),
      attributes: [...this.profile.attributes],
    };
  }
}

/** Whether the stored resources are this agent's (else it is a different agent: a new id, no recovery). */
export function sameResources(stored: unknown, profile: AgentProfile): boolean {
  try {
    return fromV1(stored).equals(profile.resources);
  } catch {
    return false;
  }
}

function describeFailure(e: unknown): string {
  if (e instanceof NoRespondersError) return 'no master is listening';
  if (e instanceof BusTimeoutError) return `no answer within ${e.timeoutMs} ms`;
  if (e instanceof BusClosedError) return `the bus is closed (${e.message})`;
  return e instanceof Error ? e.message : String(e);
}
