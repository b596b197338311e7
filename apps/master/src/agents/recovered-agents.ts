import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock, type TimerHandle } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import { quotaRecoveryPending } from '../cluster/quota-recovery';
import { MasterConfig } from '../config/master.config';
import { MasterMetrics } from '../metrics/master-metrics';
import { type AgentRecord as RegistryAgent, RegistryService } from '../registry';

/**
 * The agents a new leader inherits from the registry (reference §6.1). On taking office every
 * admitted agent is *recovered*: listed in `/state` `recovered_slaves` and GET_AGENTS
 * `recovered_agents`, never offered, and an explicit reconcile of an unknown task there gets no
 * answer (tasks.service.ts). An agent stops being recovered when it re-registers
 * (agents.service.ts) or is marked gone; one still recovered after
 * `AGORA_AGENT_REREGISTER_TIMEOUT_MS` is marked unreachable as an agent that missed its pings is
 * (it has no tasks or offers on this master, so only its standing changes and frameworks hear
 * FAILURE). While too few have come back, roles with quota guarantees get no offers.
 */
@Injectable()
export class RecoveredAgents implements OnModuleDestroy {
  private readonly logger = new Logger('agents');
  private timeout?: TimerHandle;
  private recovered = 0;
  private tookOfficeAt = 0;

  constructor(
    private readonly state: ClusterState,
    private readonly registry: RegistryService,
    private readonly clock: Clock,
    private readonly config: MasterConfig,
    private readonly metrics: MasterMetrics,
  ) {}

  /** On taking office, with every agent the registry holds. */
  recover(agents: readonly RegistryAgent[]): void {
    this.tookOfficeAt = this.clock.now();
    for (const a of agents) {
      if (a.state !== 'admitted' || this.state.agents.has(a.id)) continue;
      this.state.recoveredAgents.set(a.id, {
        id: a.id,
        hostname: a.hostname,
        port: a.port,
        resources: a.resources,
        attributes: a.attributes,
        deactivated: a.deactivated,
        drainInfo: a.drainInfo,
      });
    }
    this.recovered = this.state.recoveredAgents.size;
    if (this.recovered === 0) return;
    this.logger.log(`${this.recovered} agents recovered from the registry; waiting ${this.config.agentReregisterTimeoutMs / 1000} s for them to re-register`);
    this.timeout = this.clock.after(Math.min(this.config.agentReregisterTimeoutMs, 2 ** 31 - 1), () => this.expire());
  }

  /** Roles with quota guarantees wait while this is true (AllocationService.withholdGuaranteedRolesWhile). */
  quotaRecoveryPending(): boolean {
    return quotaRecoveryPending({
      recovered: this.recovered,
      waiting: this.state.recoveredAgents.size,
      fraction: this.config.quotaRecoveryFraction,
      elapsedMs: this.clock.now() - this.tookOfficeAt,
      timeoutMs: this.config.quotaRecoveryTimeoutMs,
    });
  }

  onModuleDestroy(): void {
    this.timeout?.cancel();
  }

  /** The re-registration timeout: whoever is still missing is unreachable (reference §5.3, §6.1). */
  private expire(): void {
    const now = this.clock.now();
    for (const agent of this.state.recoveredAgents.values()) {
      this.logger.warn(`agent ${agent.id} at ${agent.hostname}:${agent.port} is unreachable: it did not re-register within ${this.config.agentReregisterTimeoutMs / 1000} s of this master taking office`);
      this.state.recoveredAgents.delete(agent.id);
      this.state.unreachableAgents.set(agent.id, now);
      this.metrics.increment('master/slave_unreachable_scheduled');
      this.metrics.increment('master/slave_removals');
      this.metrics.increment('master/slave_removals/reason_unhealthy');
      this.metrics.increment('master/slave_unreachable_completed');
      for (const fw of this.state.frameworks.values()) fw.stream?.send({ type: 'FAILURE', failure: { agent_id: { value: agent.id } } });
      this.registry.markAgentUnreachable(agent.id).catch((e: Error) => this.logger.warn(`registry: could not mark agent ${agent.id} unreachable: ${e.message}`));
    }
  }
}
