import { Injectable, Logger } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import type { DrainConfig, DrainInfo } from '@agora/protocol';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import type { AgentRecord } from '../cluster/records';
import { OffersService } from '../offers/offers.service';
import {
  AgentGoneError,
  type AgentMaintenanceRecord,
  type AgentRecord as RegistryAgent,
  RegistryService,
  UnknownAgentError,
} from '../registry';
import { TasksService } from '../tasks/tasks.service';

/**
 * An operator call that the agent's maintenance state does not allow, with Mesos's words
 * ("Unknown agent", "Agent is not deactivated", ...). The operator API answers 400.
 */
export class AgentMaintenanceError extends Error {
  override readonly name = 'AgentMaintenanceError';
}

/**
 * DEACTIVATE_AGENT, REACTIVATE_AGENT and DRAIN_AGENT (Mesos 1.9+ automatic draining).
 *
 * - Deactivated: the agent gets no offers and its outstanding offers are rescinded; its tasks
 *   keep running. Only REACTIVATE_AGENT ends it (refused while a drain is in progress).
 * - Draining: deactivated, and the agent is told to kill every task with a grace period of at
 *   most `max_grace_period` (TASK_KILLED, REASON_AGENT_DRAINING) and to refuse new ones. The
 *   drain is DRAINING until the agent has no task left in the master's books (terminal updates
 *   acknowledged), then DRAINED, or, with `mark_gone`, the agent is marked gone.
 *
 * The decision is written to the registry first (as Mesos's registrar does), with the agent's
 * row, so it survives re-registration and a new leader: a re-admitted agent gets it back from
 * its admission (readmitted), and one that returns while DRAINING is told to drain again.
 * Unreachable agents can be deactivated and drained too; they learn it when they return.
 */
@Injectable()
export class AgentMaintenanceService {
  private readonly logger = new Logger('maintenance');
  /** Agents whose end of drain is being written, so completions arriving meanwhile do not repeat it. */
  private readonly finishing = new Set<string>();
  private markGone: (agentId: string) => Promise<void> = () => Promise.reject(new Error('markGone is not wired'));

  constructor(
    private readonly state: ClusterState,
    private readonly allocation: AllocationService,
    private readonly offers: OffersService,
    private readonly registry: RegistryService,
    private readonly bus: AgoraBus,
    private readonly identity: MasterIdentity,
    private readonly clock: Clock,
    tasks: TasksService,
  ) {
    // A drain ends when the last task leaves the agent's books (its terminal update acknowledged).
    tasks.onCompleted((task) => {
      const agent = this.state.agents.get(task.agentId);
      if (agent?.drainInfo?.state === 'DRAINING' && agent.tasks.size === 0) this.checkDrained(agent);
    });
  }

  /** AgentsService lends its MARK_AGENT_GONE (it depends on this service, not the other way round). */
  markGoneWith(markGone: (agentId: string) => Promise<void>): void {
    this.markGone = markGone;
  }

  async deactivate(agentId: string): Promise<void> {
    const record = await this.write(agentId, (current) => ({ ...current, deactivated: true }));
    this.logger.log(`agent ${agentId} deactivated by an operator`);
    const agent = this.state.agents.get(agentId);
    if (agent !== undefined) this.apply(agent, record);
  }

  async reactivate(agentId: string): Promise<void> {
    const record = await this.write(agentId, (current) => {
      if (!current.deactivated) throw new AgentMaintenanceError('Agent is not deactivated');
      if (current.drainInfo?.state === 'DRAINING') throw new AgentMaintenanceError('Agent is still in the DRAINING state');
      return { deactivated: false, drainInfo: null };
    });
    this.logger.log(`agent ${agentId} reactivated by an operator`);
    const agent = this.state.agents.get(agentId);
    if (agent !== undefined) this.apply(agent, record);
  }

  async drain(agentId: string, config: DrainConfig): Promise<void> {
    // Best effort, as Mesos: an unreachable agent's capabilities are unknown until it returns.
    const registered = this.state.agents.get(agentId);
    if (registered !== undefined && !registered.capabilities.includes('AGENT_DRAINING')) {
      throw new AgentMaintenanceError(`Agent ${agentId} is not capable of draining`);
    }
    const record = await this.write(agentId, () => ({ deactivated: true, drainInfo: { state: 'DRAINING', config } }));
    const agent = this.state.agents.get(agentId);
    this.logger.log(`agent ${agentId} drains (${agent === undefined ? 'once it is back' : `${agent.tasks.size} task(s)`})`);
    if (agent === undefined) return;
    this.apply(agent, record);
    this.sendDrain(agent);
    this.checkDrained(agent);
  }

  /**
   * A re-admitted agent takes back what the registry holds for it (its admission's answer):
   * deactivated, and a drain in progress that it must resume. Call after its tasks were adopted.
   */
  readmitted(agent: AgentRecord, admission: AgentMaintenanceRecord): void {
    this.apply(agent, admission);
    if (agent.drainInfo?.state !== 'DRAINING') return;
    // After the registration answer, so the agent listens on its subjects.
    this.clock.soon(() => {
      if (this.state.agents.get(agent.id) === agent) this.sendDrain(agent);
    });
    this.checkDrained(agent);
  }

  /** An agent is active (offered) unless an operator deactivated it or it is disconnected. */
  refreshActivity(agent: AgentRecord): void {
    const active = agent.deactivated !== true && agent.disconnected !== true;
    if (active === agent.active) return;
    agent.active = active;
    if (active) {
      this.allocation.update((a) => a.activateAgent(agent.id), true);
    } else {
      this.allocation.update((a) => a.deactivateAgent(agent.id));
      this.offers.rescindOnAgent(agent.id, agent.deactivated === true ? 'agent deactivated' : 'agent disconnected');
    }
  }

  private apply(agent: AgentRecord, record: AgentMaintenanceRecord): void {
    agent.deactivated = record.deactivated ? true : undefined;
    // A new object each time: rendered fragments are reused while their inputs are identical.
    agent.drainInfo = record.drainInfo === null ? undefined : drainInfo(record.drainInfo);
    this.refreshActivity(agent);
  }

  private sendDrain(agent: AgentRecord): void {
    if (agent.drainInfo === undefined) return;
    this.bus.toAgent(agent.id, 'drain', { epoch: this.identity.epoch, config: agent.drainInfo.config });
  }

  /** DRAINING with no task left: DRAINED, or gone when the operator asked for it. */
  private checkDrained(agent: AgentRecord): void {
    const info = agent.drainInfo;
    if (info?.state !== 'DRAINING' || agent.tasks.size > 0 || this.finishing.has(agent.id)) return;
    this.finishing.add(agent.id);
    const finish = info.config.mark_gone === true ? this.markGone(agent.id).then(() => undefined) : this.markDrained(agent.id);
    finish
      .catch((e: Error) => this.logger.warn(`agent ${agent.id}: could not end its drain: ${e.message}`))
      .finally(() => this.finishing.delete(agent.id));
  }

  private async markDrained(agentId: string): Promise<void> {
    const record = await this.write(agentId, (current) => ({
      ...current,
      drainInfo: current.drainInfo === null ? null : { ...current.drainInfo, state: 'DRAINED' },
    }));
    this.logger.log(`agent ${agentId} is drained`);
    const agent = this.state.agents.get(agentId);
    if (agent !== undefined) this.apply(agent, record);
  }

  /** The registry write first; an agent the registry never admitted, or gone, is unknown (Mesos: 400). */
  private async write(agentId: string, change: (current: AgentMaintenanceRecord) => AgentMaintenanceRecord): Promise<RegistryAgent> {
    try {
      return await this.registry.updateAgentMaintenance(agentId, change);
    } catch (e) {
      if (e instanceof UnknownAgentError || e instanceof AgentGoneError) throw new AgentMaintenanceError('Unknown agent');
      throw e;
    }
  }
}

function drainInfo(stored: NonNullable<AgentMaintenanceRecord['drainInfo']>): DrainInfo {
  const config: DrainConfig = {};
  if (stored.config.max_grace_period !== undefined) config.max_grace_period = { nanoseconds: stored.config.max_grace_period.nanoseconds };
  if (stored.config.mark_gone !== undefined) config.mark_gone = stored.config.mark_gone;
  return { state: stored.state, config };
}
