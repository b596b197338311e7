import { BadRequestException, Injectable, NotImplementedException } from '@nestjs/common';
import type { OperatorCall, OperatorResponse } from '@agora/protocol';
import { AgentMaintenanceService } from '../../agents/agent-maintenance';
import { AgentsService } from '../../agents/agents.service';
import { ClusterState } from '../../cluster/cluster-state';
import { MasterIdentity } from '../../cluster/master-identity';
import { MasterConfig } from '../../config/master.config';
import { RolesService } from '../../roles/roles.service';
import { BuildInfo } from '../host';
import { OperatorService } from '../operator.service';
import { jsonParts } from '../render/json-parts';
import { quotaStatus, renderWeights } from '../render/quota';
import { StateFragments } from '../render/state-fragments';
import {
  renderGetAgents,
  renderGetExecutors,
  renderGetFlags,
  renderGetFrameworks,
  renderGetMaster,
  renderGetMetrics,
  renderGetRoles,
  renderGetState,
  renderGetTasks,
  renderGetVersion,
} from './render/responses';

/** Every call but SUBSCRIBE, which opens a stream instead of answering. */
export type SynchronousCall = Exclude<OperatorCall, { type: 'SUBSCRIBE' }>;

/**
 * Answers the v1 operator calls (reference §3.3) that are not SUBSCRIBE: reads render the
 * live records as the v0 endpoints do (OperatorService gathers the same inputs), writes go to
 * the services that own the change. A read resolves with its Response; a write with undefined,
 * which the controller answers with an empty 200, as Mesos answers UPDATE_WEIGHTS,
 * UPDATE_QUOTA, TEARDOWN, MARK_AGENT_GONE, DRAIN_AGENT, DEACTIVATE_AGENT and REACTIVATE_AGENT.
 */
@Injectable()
export class OperatorV1Service {
  constructor(
    private readonly cluster: ClusterState,
    private readonly identity: MasterIdentity,
    private readonly config: MasterConfig,
    private readonly build: BuildInfo,
    private readonly operator: OperatorService,
    private readonly roles: RolesService,
    private readonly agents: AgentsService,
    private readonly maintenance: AgentMaintenanceService,
    private readonly fragments: StateFragments,
  ) {}

  /**
   * GET_STATE's whole answer as JSON text in parts (render/json-parts.ts), rendered at once with
   * the text of unchanged tasks and agents reused; the controller writes it a slice at a time.
   */
  getStateParts(): string[] {
    const entities = { task: this.fragments.tasks.v1Task, agent: this.fragments.agents.v1Agent };
    return jsonParts({ type: 'GET_STATE', get_state: renderGetState(this.cluster, entities, this.fragments.usage.v1) });
  }

  async answer(call: SynchronousCall): Promise<OperatorResponse | undefined> {
    switch (call.type) {
      case 'GET_HEALTH':
        // Answering at all is the health check: a stopping master refuses connections.
        return { type: 'GET_HEALTH', get_health: { healthy: true } };
      case 'GET_FLAGS':
        return { type: 'GET_FLAGS', get_flags: renderGetFlags(this.config, this.identity) };
      case 'GET_VERSION':
        return { type: 'GET_VERSION', get_version: renderGetVersion(this.build.facts) };
      case 'GET_METRICS': {
        const timeout = call.get_metrics?.timeout?.nanoseconds;
        if (timeout !== undefined && timeout < 0) throw new BadRequestException('call.get_metrics.timeout.nanoseconds: must not be negative');
        return { type: 'GET_METRICS', get_metrics: renderGetMetrics(this.operator.metricsInputs()) };
      }
      case 'GET_STATE':
        return { type: 'GET_STATE', get_state: renderGetState(this.cluster) };
      case 'GET_AGENTS':
        return { type: 'GET_AGENTS', get_agents: renderGetAgents(this.cluster) };
      case 'GET_FRAMEWORKS':
        return { type: 'GET_FRAMEWORKS', get_frameworks: renderGetFrameworks(this.cluster) };
      case 'GET_EXECUTORS':
        return { type: 'GET_EXECUTORS', get_executors: renderGetExecutors(this.cluster) };
      case 'GET_TASKS':
        return { type: 'GET_TASKS', get_tasks: renderGetTasks(this.cluster) };
      case 'GET_ROLES':
        return { type: 'GET_ROLES', get_roles: renderGetRoles(this.cluster, this.operator.allocatorReadings(), this.operator.roleSettings()) };
      case 'GET_WEIGHTS':
        return { type: 'GET_WEIGHTS', get_weights: { weight_infos: renderWeights(this.operator.roleSettings()) } };
      case 'GET_MASTER':
        return { type: 'GET_MASTER', get_master: renderGetMaster(this.identity) };
      case 'GET_QUOTA':
        return { type: 'GET_QUOTA', get_quota: { status: quotaStatus(this.operator.roleSettings()) } };
      case 'UPDATE_WEIGHTS':
        await this.roles.updateWeights(call.update_weights.weight_infos);
        return undefined;
      case 'UPDATE_QUOTA':
        await this.roles.updateQuotas(call.update_quota.quota_configs, call.update_quota.force ?? false);
        return undefined;
      case 'TEARDOWN':
        this.operator.teardown(call.teardown.framework_id.value);
        return undefined;
      case 'MARK_AGENT_GONE':
        await this.agents.markGone(call.mark_agent_gone.agent_id.value);
        return undefined;
      case 'DRAIN_AGENT': {
        const { agent_id, max_grace_period, mark_gone } = call.drain_agent;
        // Mesos always sets mark_gone in the DrainConfig it stores and shows.
        await this.maintenance.drain(agent_id.value, { ...(max_grace_period !== undefined ? { max_grace_period } : {}), mark_gone: mark_gone ?? false });
        return undefined;
      }
      case 'DEACTIVATE_AGENT':
        await this.maintenance.deactivate(call.deactivate_agent.agent_id.value);
        return undefined;
      case 'REACTIVATE_AGENT':
        await this.maintenance.reactivate(call.reactivate_agent.agent_id.value);
        return undefined;
      default:
        throw new NotImplementedException(`Agora does not implement the operator call ${call.type} yet`);
    }
  }
}
