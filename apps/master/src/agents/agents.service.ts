import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import {
  isTerminalState,
  type AgentExiting,
  type AgentTask,
  type FrameworkInfo,
  type Registration,
  type RegisterAgent,
  type ReregisterAgent,
} from '@agora/protocol';
import { formatResources, fromV1, type Resources } from '@agora/resources';
import { AllocationService } from '../allocation/allocation.service';
import { Clock, type TimerHandle } from '../clock/clock';
import { ClusterEvents } from '../cluster/cluster-events';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import { type AgentRecord, type FrameworkRecord, newCounters, type TaskRecord, taskKey } from '../cluster/records';
import { MasterConfig } from '../config/master.config';
import { capabilitiesOf, frameworkSpec, rolesOf } from '../frameworks/framework-spec';
import { MasterMetrics } from '../metrics/master-metrics';
import { OffersService } from '../offers/offers.service';
import { AgentAdmissions, AgentGoneError, type AgentMaintenanceRecord, type AgentRecord as RegistryAgent, RegistryService } from '../registry';
import { masterStatus } from '../tasks/statuses';
import { TasksService } from '../tasks/tasks.service';
import { AgentMaintenanceService } from './agent-maintenance';
import { admissionOf, sameAdmission } from './admission';
import { agentSpec } from './agent-spec';
import { AgentDisconnections } from './disconnections';
import { ResourceMemo } from './resource-memo';
import { ReregistrationLog } from './reregistration-log';

/** A ping interval is spread over this many slices. */
const PING_SLICES = 10;

/**
 * Agents' membership (reference §5.2, §5.3): registration and re-registration over the bus,
 * admitted in the registry before they are used; pings every interval, and after too many
 * missed in a row the agent is unreachable: its offers are rescinded, its tasks become
 * TASK_UNREACHABLE (TASK_LOST for legacy frameworks), and frameworks get FAILURE. An agent that
 * comes back re-registers with its tasks and is admitted again.
 */
@Injectable()
export class AgentsService implements OnModuleDestroy {
  private readonly logger = new Logger('agents');
  private pinger?: TimerHandle;
  private readonly pinging = new Set<string>();
  /** The agent id and registration session last admitted at each address (register). */
  private readonly registeredSessions = new Map<string, { readonly id: string; readonly session: string }>();
  /** The agents of the current ping round and how far it got (pingSlice). */
  private pingRound: string[] = [];
  private pingCursor = 0;
  private readonly registering = new Map<string, Promise<Registration>>();
  /** Re-registrations being admitted, by agent id: a retry gets the first one's answer. */
  private readonly reregistering = new Map<string, Promise<Registration>>();
  /**
   * The tasks an unreachable agent had, by agent id, so its re-registration can tell which of
   * them it no longer runs without scanning every framework's tasks.
   */
  private readonly detachedTasks = new Map<string, ReadonlyMap<string, TaskRecord>>();
  /** Agents and their tasks report the same few resource shapes again and again. */
  private readonly parsed = new ResourceMemo();
  private readonly reregistrations: ReregistrationLog;
  /** The registration session of each agent's process, as last admitted: a new one is a restart. */
  private readonly sessions = new Map<string, string>();
  /** Agents whose unreachable transition waits for the registry write. */
  private readonly markingUnreachable = new Set<string>();

  constructor(
    private readonly state: ClusterState,
    private readonly allocation: AllocationService,
    private readonly offers: OffersService,
    private readonly tasks: TasksService,
    private readonly registry: RegistryService,
    private readonly admissions: AgentAdmissions,
    private readonly bus: AgoraBus,
    private readonly identity: MasterIdentity,
    private readonly clock: Clock,
    private readonly metrics: MasterMetrics,
    private readonly config: MasterConfig,
    private readonly events: ClusterEvents,
    private readonly maintenance: AgentMaintenanceService,
    private readonly disconnections: AgentDisconnections,
  ) {
    this.reregistrations = new ReregistrationLog(this.logger, clock);
    maintenance.markGoneWith((agentId) => this.markGone(agentId));
    disconnections.markUnreachableWith((agent, why) => this.markUnreachable(agent, why));
  }

  /** `agent-exiting`: the agent's process stops (agents/disconnections.ts). */
  exiting(message: AgentExiting): void {
    this.disconnections.exiting(message, this.sessions.get(message.agent_id.value));
  }

  startPinging(): void {
    this.pinger ??= this.clock.every(this.config.agentPingIntervalMs / PING_SLICES, () => this.pingSlice());
  }

  onModuleDestroy(): void {
    this.pinger?.cancel();
    this.reregistrations.close();
  }

  private registered(agentId: string): Registration {
    return {
      epoch: this.identity.epoch,
      result: 'REGISTERED',
      master_id: this.identity.id,
      agent_id: { value: agentId },
      ping_interval_seconds: this.config.agentPingIntervalMs / 1000,
      max_missed_pings: this.config.maxAgentPingTimeouts,
    };
  }

  private refused(message: string, shutdown: boolean): Registration {
    return { epoch: this.identity.epoch, result: 'REFUSED', message, shutdown };
  }

  /**
   * A new agent: a fresh id, admitted in the registry, then offered. An agent whose request
   * timed out retries while the first is still being admitted; it gets the same answer rather
   * than a second id.
   */
  register(message: RegisterAgent): Promise<Registration> {
    const key = `${message.ip ?? ''}/${message.agent_info.hostname}:${message.agent_info.port ?? 5051}`;
    const inFlight = this.registering.get(key);
    if (inFlight !== undefined) return inFlight;
    // The same agent process retrying after its answer came too late: the same id again.
    const known = this.registeredSessions.get(key);
    if (known !== undefined && message.session !== undefined && known.session === message.session && this.state.agents.has(known.id)) {
      this.logger.debug(`agent ${known.id} at ${key} is already registered; answering its retry again`);
      return Promise.resolve(this.registered(known.id));
    }
    const registration = this.admitNew(message)
      .then((answer) => {
        if (answer.result === 'REGISTERED' && message.session !== undefined) this.rememberSession(key, answer.agent_id.value, message.session);
        return answer;
      })
      .finally(() => this.registering.delete(key));
    this.registering.set(key, registration);
    return registration;
  }

  /** Remembers which session registered at `key`; forgets agents no longer known once it grows. */
  private rememberSession(key: string, id: string, session: string): void {
    if (this.registeredSessions.size > 2 * this.state.agents.size + 1000) {
      for (const [k, v] of this.registeredSessions) if (!this.state.agents.has(v.id)) this.registeredSessions.delete(k);
    }
    this.registeredSessions.set(key, { id, session });
  }

  private async admitNew(message: RegisterAgent): Promise<Registration> {
    let total: Resources;
    try {
      total = this.parsed.parse(message.agent_info.resources, 'agent_info.resources');
    } catch (e) {
      return this.refused(`invalid resources: ${(e as Error).message}`, false);
    }
    const id = this.identity.nextAgentId();
    await this.admit(id, message, total);
    const agent = this.record(id, message, total);
    this.state.agents.set(id, agent);
    if (message.session !== undefined) this.sessions.set(id, message.session);
    this.allocation.update((a) => a.addAgent(agentSpec(id, agent.info, total, agent.capabilities)), true);
    this.metrics.increment('master/slave_registrations');
    this.events.emit({ type: 'AGENT_ADDED', agent });
    this.logger.log(`agent ${id} at ${agent.hostname}:${agent.port} registered with ${formatResources(total)}`);
    return this.registered(id);
  }

  /**
   * A known agent comes back (restart, new leader, end of a partition) with its tasks. An agent
   * whose request timed out while the master was busy (thousands re-register after a failover)
   * retries; the retry gets the answer of the admission still running rather than a second one
   * (Mesos drops such retries too), so a busy master is not made busier.
   */
  reregister(message: ReregisterAgent): Promise<Registration> {
    const id = message.agent_info.id.value;
    const inFlight = this.reregistering.get(id);
    if (inFlight !== undefined) return inFlight;
    const registration = this.readmit(message).finally(() => this.reregistering.delete(id));
    this.reregistering.set(id, registration);
    return registration;
  }

  private async readmit(message: ReregisterAgent): Promise<Registration> {
    const id = message.agent_info.id.value;
    if (this.state.goneAgents.has(id)) return this.refused(`agent ${id} has been marked gone`, true);
    let total: Resources;
    try {
      total = this.parsed.parse(message.agent_info.resources, 'agent_info.resources');
    } catch (e) {
      return this.refused(`invalid resources: ${(e as Error).message}`, false);
    }
    let admission: AgentMaintenanceRecord;
    try {
      admission = this.unchangedRecovered(id, message, total) ?? (await this.admit(id, message, total));
    } catch (e) {
      if (e instanceof AgentGoneError) {
        this.state.goneAgents.add(id);
        return this.refused(e.message, true);
      }
      throw e;
    }
    const previous = this.state.agents.get(id);
    const known = previous?.tasks ?? this.detachedTasks.get(id);
    this.detachedTasks.delete(id);
    if (previous !== undefined) {
      // Re-registering while still registered (a restarted agent): start its books afresh.
      this.offers.rescindOnAgent(id, 'agent re-registered');
      this.allocation.update((a) => a.removeAgent(id));
    }
    this.tasks.forgetExecutors({ agentId: id });
    const wasUnreachable = this.state.unreachableAgents.delete(id);
    this.state.recoveredAgents.delete(id); // back after a master failover (recovered-agents.ts)
    // A session other than the one admitted last is a new agent process (reference §5.3).
    const lastSession = this.sessions.get(id);
    const restarted = message.session !== undefined && lastSession !== undefined && lastSession !== message.session;
    if (message.session !== undefined) this.sessions.set(id, message.session);
    this.disconnections.reregistering(id, message.agent_info.hostname, known, restarted, message.tasks ?? []);
    const agent = this.record(id, message, total, previous);
    this.state.agents.set(id, agent);
    const { shutdowns, kills } = this.adoptTasks(agent, message, known, wasUnreachable);
    this.adoptExecutors(agent, message);
    const used = this.usedOn(agent);
    this.allocation.update((a) => a.addAgent(agentSpec(id, agent.info, total, agent.capabilities), used), true);
    this.disconnections.settled(id);
    this.maintenance.readmitted(agent, admission);
    this.metrics.increment('master/slave_reregistrations');
    this.events.emit({ type: 'AGENT_ADDED', agent });
    this.reregistrations.reregistered(id, agent.hostname, agent.port, agent.tasks.size);
    // After the reply, so the agent is listening on its subjects.
    this.clock.soon(() => {
      for (const fwId of shutdowns) this.bus.toAgent(id, 'shutdown-framework', { epoch: this.identity.epoch, framework_id: { value: fwId } });
      for (const kill of kills) this.bus.toAgent(id, 'kill-task', { epoch: this.identity.epoch, ...kill });
      this.tasks.resendPendingKills(id);
    });
    return this.registered(id);
  }

  /** The registry write that must succeed before the agent is used (reference §5.2); batched with others. */
  private admit(id: string, message: RegisterAgent | ReregisterAgent, total: Resources): Promise<RegistryAgent> {
    return this.admissions.admit(admissionOf(id, message, total));
  }

  /**
   * An agent this leader inherited from the registry that re-registers as it was admitted is
   * admitted already: as Mesos, no registry write (after a failover every agent re-registers at
   * once, and the writes were the bound on recovery). Its stored maintenance, else undefined.
   */
  private unchangedRecovered(id: string, message: ReregisterAgent, total: Resources): AgentMaintenanceRecord | undefined {
    const recovered = this.state.recoveredAgents.get(id);
    return recovered !== undefined && sameAdmission(recovered, admissionOf(id, message, total)) ? recovered : undefined;
  }

  private record(id: string, message: RegisterAgent | ReregisterAgent, total: Resources, previous?: AgentRecord): AgentRecord {
    const now = this.clock.now();
    return {
      id,
      info: { ...message.agent_info, id: { value: id } },
      hostname: message.agent_info.hostname,
      port: message.agent_info.port ?? 5051,
      ip: message.ip ?? message.agent_info.hostname,
      total,
      attributes: message.agent_info.attributes ?? [],
      version: message.version,
      capabilities: message.capabilities ?? [],
      registeredAt: previous?.registeredAt ?? now,
      reregisteredAt: 'id' in message.agent_info && message.agent_info.id !== undefined ? now : undefined,
      active: true,
      missedPings: 0,
      tasks: new Map(),
    };
  }

  /**
   * Rebuilds the agent's tasks from its report. Frameworks the master does not know (after a
   * master restart) are recovered, disconnected, until their schedulers re-subscribe; tasks of
   * removed frameworks are shut down; tasks the master knew there (`known`: the agent's tasks
   * while it was registered or before it became unreachable) but the agent does not are lost.
   * Linear in the agent's tasks: after a failover every agent re-registers, and a scan of all
   * tasks per agent was quadratic. Returns the frameworks the agent must shut down and the
   * tasks it must kill (declared lost when it disconnected). Tasks of an agent that was
   * unreachable are RUNNING (or whatever the agent reports) again: frameworks are told so
   * (REASON_AGENT_REREGISTERED), legacy ones having seen TASK_LOST.
   */
  private adoptTasks(
    agent: AgentRecord,
    message: ReregisterAgent,
    known: ReadonlyMap<string, TaskRecord> | undefined,
    wasUnreachable: boolean,
  ): { shutdowns: Set<string>; kills: { framework_id: { value: string }; task_id: { value: string } }[] } {
    const shutdowns = new Set<string>();
    const kills: { framework_id: { value: string }; task_id: { value: string } }[] = [];
    const infos = new Map((message.frameworks ?? []).map((f) => [f.id?.value ?? '', f]));
    const reported = new Set<string>();
    for (const t of message.tasks ?? []) {
      const fwId = t.framework_id.value;
      if (this.state.removedFrameworkIds.has(fwId)) {
        shutdowns.add(fwId);
        continue;
      }
      const key = taskKey(fwId, t.task.task_id.value);
      if (this.disconnections.declaredLost(agent.id, key)) {
        if (!isTerminalState(t.state)) kills.push({ framework_id: { value: fwId }, task_id: t.task.task_id });
        continue;
      }
      const fw = this.state.frameworks.get(fwId) ?? this.recoverFramework(fwId, infos.get(fwId));
      if (fw === undefined) continue;
      reported.add(key);
      const task = this.adoptTask(agent, fw, t);
      if (wasUnreachable && task !== undefined) this.tellReregistered(fw, task);
    }
    // Tasks the master believed were on this agent that the agent no longer has.
    for (const [key, task] of known ?? []) {
      const fw = this.state.frameworks.get(task.frameworkId);
      // Skips tasks completed since (no longer the framework's live record) and those reported.
      if (fw === undefined || fw.tasks.get(task.id) !== task || reported.has(key) || isTerminalState(task.state)) continue;
      const state = fw.capabilities.has('PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
      const status = masterStatus({ taskId: task.id, agentId: agent.id, state, reason: 'REASON_RECONCILIATION', message: 'Reconciliation: task unknown to the agent', now: this.clock.now() });
      task.lastStatus = status;
      task.statusUpdateState = state;
      task.released = true; // the agent's allocation is rebuilt from what it reports
      task.state = state;
      this.tasks.sendMasterUpdate(fw, status);
      this.tasks.complete(fw, task);
      this.events.emit({ type: 'TASK_UPDATED', task, status });
    }
    return { shutdowns, kills };
  }

  /** Mesos forwards each task of a returning unreachable agent with the state the agent reports. */
  private tellReregistered(fw: FrameworkRecord, task: TaskRecord): void {
    const state = task.statusUpdateState ?? task.state;
    const status = masterStatus({ taskId: task.id, agentId: task.agentId, executorId: task.executorId, state, reason: 'REASON_AGENT_REREGISTERED', message: 'Unreachable agent re-reregistered', now: this.clock.now() });
    task.lastStatus = status;
    this.tasks.sendMasterUpdate(fw, status);
  }

  private adoptTask(agent: AgentRecord, fw: FrameworkRecord, t: AgentTask): TaskRecord | undefined {
    const existing = fw.tasks.get(t.task.task_id.value);
    let resources: Resources;
    try {
      resources = this.parsed.parse(t.task.resources, 'task.resources');
    } catch (e) {
      this.logger.warn(`agent ${agent.id}: task ${t.task.task_id.value} has invalid resources (${(e as Error).message}); not adopted`);
      return undefined;
    }
    const role = [...resources][0]?.allocationRole ?? fw.roles[0] ?? '*';
    const task: TaskRecord = existing ?? {
      id: t.task.task_id.value,
      frameworkId: fw.id,
      agentId: agent.id,
      info: t.task,
      role,
      resources: resources.allocate(role),
      state: t.state,
      statuses: [{ task_id: t.task.task_id, state: t.state, timestamp: this.clock.now() / 1000 }],
      released: false,
    };
    const previousState = task.state;
    // The agent's view wins: what it has not had acknowledged is what the scheduler sees next.
    task.state = t.state;
    task.statusUpdateState = t.status_update_state ?? t.state;
    task.statusUpdateUuid = t.status_update_uuid;
    // The agent's allocation is rebuilt from its non-terminal tasks (usedOn), not recovered twice.
    task.released = isTerminalState(t.state);
    if (task.statuses[task.statuses.length - 1]?.state !== t.state) {
      task.statuses.push({ task_id: t.task.task_id, state: t.state, timestamp: this.clock.now() / 1000 });
    }
    fw.tasks.set(task.id, task);
    agent.tasks.set(taskKey(fw.id, task.id), task);
    if (existing === undefined) this.events.emit({ type: 'TASK_ADDED', task });
    else if (previousState !== t.state) {
      this.events.emit({ type: 'TASK_UPDATED', task, status: { task_id: t.task.task_id, state: t.state, agent_id: { value: agent.id }, source: 'SOURCE_AGENT', timestamp: this.clock.now() / 1000 } });
    }
    return task;
  }

  private recoverFramework(id: string, info: FrameworkInfo | undefined): FrameworkRecord | undefined {
    if (info === undefined) return undefined;
    let roles: string[];
    try {
      roles = rolesOf(info);
    } catch {
      roles = ['*'];
    }
    const now = this.clock.now();
    const fw: FrameworkRecord = {
      id,
      info: { ...info, id: { value: id } },
      roles,
      capabilities: capabilitiesOf(info),
      suppressedRoles: new Set(),
      connected: false,
      recovered: true,
      active: false,
      registeredAt: now,
      unregisteredAt: now,
      tasks: new Map(),
      completedTasks: [],
      offers: new Set(),
      counters: newCounters(),
    };
    this.state.frameworks.set(id, fw);
    this.allocation.update((a) => a.addFramework(frameworkSpec(id, info, roles, new Set(), undefined), false));
    this.logger.log(`framework ${id} recovered from agent reports; waiting for its scheduler`);
    return fw;
  }

  /** Executors the agent reports hold their resources again (their tasks were adopted above). */
  private adoptExecutors(agent: AgentRecord, message: ReregisterAgent): void {
    for (const info of message.executors ?? []) {
      const fwId = info.framework_id?.value ?? '';
      const fw = this.state.frameworks.get(fwId);
      if (fw === undefined) continue;
      let resources: Resources;
      try {
        resources = fromV1(info.resources ?? [], 'executor.resources');
      } catch {
        continue;
      }
      const role = [...resources][0]?.allocationRole ?? [...agent.tasks.values()].find((t) => t.executorId === info.executor_id.value)?.role ?? fw.roles[0] ?? '*';
      this.tasks.addExecutor(fw, agent.id, info, resources.allocate(role), role);
    }
  }

  private usedOn(agent: AgentRecord): { frameworkId: string; resources: Resources }[] {
    const byFramework = new Map<string, Resources>();
    for (const e of this.state.executors.values()) {
      if (e.agentId !== agent.id || e.resources.isEmpty()) continue;
      const held = byFramework.get(e.frameworkId);
      byFramework.set(e.frameworkId, held === undefined ? e.resources : held.add(e.resources));
    }
    for (const task of agent.tasks.values()) {
      if (task.released) continue;
      const held = byFramework.get(task.frameworkId);
      byFramework.set(task.frameworkId, held === undefined ? task.resources : held.add(task.resources));
    }
    return [...byFramework].map(([frameworkId, resources]) => ({ frameworkId, resources }));
  }

  /** A pong (or any sign of life) from the agent. */
  private alive(agentId: string): void {
    const agent = this.state.agents.get(agentId);
    if (agent !== undefined) agent.missedPings = 0;
  }

  /**
   * Pings the next slice of this round's agents: every agent once per ping interval, spread over
   * the interval, so that 10,000 agents cost ten small bursts instead of one that stalls the
   * event loop (and /health) and whose pongs all arrive at once.
   */
  private pingSlice(): void {
    if (this.pingCursor >= this.pingRound.length) {
      this.pingRound = [...this.state.agents.keys()];
      this.pingCursor = 0;
    }
    const end = Math.min(this.pingRound.length, this.pingCursor + Math.ceil(this.pingRound.length / PING_SLICES));
    for (; this.pingCursor < end; this.pingCursor++) {
      const agentId = this.pingRound[this.pingCursor];
      const agent = this.state.agents.get(agentId);
      // A disconnected agent is not pinged: it has the re-register timeout instead (disconnections.ts).
      if (this.pinging.has(agentId) || agent === undefined || agent.disconnected === true) continue;
      this.pinging.add(agentId);
      this.bus
        .ping(agentId, { epoch: this.identity.epoch, registered: true }, this.config.agentPingIntervalMs)
        .then(() => this.alive(agentId))
        .catch(() => this.missedPing(agentId))
        .finally(() => this.pinging.delete(agentId));
    }
  }

  private missedPing(agentId: string): void {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return;
    agent.missedPings++;
    if (agent.missedPings < this.config.maxAgentPingTimeouts) return;
    this.metrics.increment('master/slave_unreachable_scheduled');
    this.markUnreachable(agent, `missed ${agent.missedPings} pings`);
  }

  /**
   * The agent is unreachable (reference §5.3): the registry records it first (with the time),
   * then it leaves the pool, its offers are rescinded, its tasks are reported unreachable with
   * that time, and every framework hears FAILURE. It may come back. A pong that arrives while
   * the registry write runs is too late, as in Mesos once the registrar operation started; a
   * failed write is retried at the next missed ping.
   */
  markUnreachable(agent: AgentRecord, why: string): void {
    if (this.state.agents.get(agent.id) !== agent || this.markingUnreachable.has(agent.id)) return;
    this.markingUnreachable.add(agent.id);
    this.logger.warn(`agent ${agent.id} at ${agent.hostname}:${agent.port} is unreachable: ${why}`);
    this.registry
      .markAgentUnreachable(agent.id)
      .then((record) => this.unreachable(agent, record.unreachableTime?.getTime() ?? this.clock.now()))
      .catch((e: Error) => this.logger.warn(`registry: could not mark agent ${agent.id} unreachable: ${e.message}`))
      .finally(() => this.markingUnreachable.delete(agent.id));
  }

  private unreachable(agent: AgentRecord, since: number): void {
    // Re-registered (a new record) or gone while the registry was written.
    if (this.state.agents.get(agent.id) !== agent) return;
    this.offers.rescindOnAgent(agent.id, 'agent unreachable');
    this.tasks.agentUnreachable(agent.id, since);
    this.state.agents.delete(agent.id);
    this.state.unreachableAgents.set(agent.id, since);
    this.detachedTasks.set(agent.id, agent.tasks);
    this.allocation.update((a) => a.removeAgent(agent.id));
    this.tasks.forgetExecutors({ agentId: agent.id });
    this.metrics.increment('master/slave_removals');
    this.events.emit({ type: 'AGENT_REMOVED', agentId: agent.id });
    this.metrics.increment('master/slave_removals/reason_unhealthy');
    this.metrics.increment('master/slave_unreachable_completed');
    for (const fw of this.state.frameworks.values()) fw.stream?.send({ type: 'FAILURE', failure: { agent_id: { value: agent.id } } });
  }

  // ---- operator: MARK_AGENT_GONE (reference §6.3-6.4) -----------------------------------------

  /**
   * The operator says the agent is gone for good. The registry records it first (throws
   * UnknownAgentError for an agent it never admitted); then, if the agent is registered, its
   * offers are rescinded, its tasks become TASK_GONE_BY_OPERATOR (TASK_LOST for frameworks that
   * are not partition-aware) and complete, it leaves the allocator, frameworks hear FAILURE,
   * operators AGENT_REMOVED, and the agent is told to shut down. If it is unreachable, its
   * unreachable tasks go the same way. It can never register again under its id. Idempotent.
   */
  async markGone(agentId: string): Promise<void> {
    if (this.state.goneAgents.has(agentId)) return;
    await this.registry.markAgentGone(agentId);
    if (this.state.goneAgents.has(agentId)) return; // a concurrent call finished first
    this.state.goneAgents.add(agentId);
    this.state.recoveredAgents.delete(agentId);
    this.detachedTasks.delete(agentId);
    this.disconnections.settled(agentId);
    this.tasks.forgetPendingKills(agentId);
    this.sessions.delete(agentId);
    const now = this.clock.now();
    const agent = this.state.agents.get(agentId);
    if (agent !== undefined) {
      this.logger.warn(`agent ${agentId} at ${agent.hostname}:${agent.port} was marked gone by an operator`);
      this.offers.rescindOnAgent(agentId, 'agent marked gone');
      this.tasksGone(agentId, [...agent.tasks.values()], now);
      this.state.agents.delete(agentId);
      this.allocation.update((a) => a.removeAgent(agentId));
      this.tasks.forgetExecutors({ agentId });
      this.metrics.increment('master/slave_removals');
      this.events.emit({ type: 'AGENT_REMOVED', agentId });
      for (const fw of this.state.frameworks.values()) fw.stream?.send({ type: 'FAILURE', failure: { agent_id: { value: agentId } } });
      this.bus.toAgent(agentId, 'shutdown', { epoch: this.identity.epoch, message: 'Agent has been marked gone' });
    } else if (this.state.unreachableAgents.delete(agentId)) {
      this.logger.warn(`unreachable agent ${agentId} was marked gone by an operator`);
      this.tasksGone(agentId, [...this.state.allTasks()].filter((t) => t.agentId === agentId), now);
    }
  }

  private tasksGone(agentId: string, tasks: readonly TaskRecord[], now: number): void {
    for (const task of tasks) {
      const fw = this.state.frameworks.get(task.frameworkId);
      if (fw === undefined || isTerminalState(task.state)) continue;
      const aware = fw.capabilities.has('PARTITION_AWARE');
      const state = aware ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST';
      const status = masterStatus({
        taskId: task.id,
        agentId,
        executorId: task.executorId,
        state,
        reason: aware ? 'REASON_AGENT_REMOVED_BY_OPERATOR' : 'REASON_AGENT_REMOVED',
        message: 'Agent has been marked gone',
        now,
      });
      task.statusUpdateState = state;
      task.lastStatus = status;
      task.statuses.push({ task_id: status.task_id, state, timestamp: now / 1000 });
      this.tasks.transition(task, state);
      this.tasks.sendMasterUpdate(fw, status);
      this.tasks.complete(fw, task);
      this.events.emit({ type: 'TASK_UPDATED', task, status });
    }
  }
}
