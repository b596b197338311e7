import { Injectable, Logger } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import { AgentsService } from '../agents/agents.service';
import { MasterBusHandler } from '../agents/master-bus.handler';
import { RecoveredAgents } from '../agents/recovered-agents';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import { FailoverTimers } from '../frameworks/failover-timers';
import { RegistryService } from '../registry';
import { RolesService } from '../roles/roles.service';
import { ClusterState } from './cluster-state';
import { MasterIdentity } from './master-identity';

/**
 * Taking office, once this master holds the leadership lock (leader-election.service.ts). Until
 * then it is a standby and nothing here has run: no bus subscription, no pings, no allocation.
 * It starts a new term (epoch) in the registry naming its address, learns which frameworks were
 * removed and which agents are gone, recovers the admitted agents (recovered-agents.ts) and the
 * frameworks' failover timeouts (failover-timers.ts), gives the allocator the roles' weights and
 * quotas (withholding guaranteed roles until enough agents are back), tells agents a new leader
 * is here so they re-register, and starts pinging them and allocating.
 */
@Injectable()
export class LeadershipService {
  private readonly logger = new Logger('leadership');

  constructor(
    private readonly identity: MasterIdentity,
    private readonly registry: RegistryService,
    private readonly state: ClusterState,
    private readonly agents: AgentsService,
    private readonly recoveredAgents: RecoveredAgents,
    private readonly failoverTimers: FailoverTimers,
    private readonly busHandler: MasterBusHandler,
    private readonly bus: AgoraBus,
    private readonly clock: Clock,
    private readonly roles: RolesService,
    private readonly allocation: AllocationService,
  ) {}

  /** `address`: `host:port` where schedulers and operators reach this master (standbys redirect there). */
  async takeOffice(address: string): Promise<void> {
    this.identity.epoch = await this.registry.beginTerm(address);
    this.identity.electedAt = this.clock.now();
    const frameworks = await this.registry.listFrameworks({ includeRemoved: true });
    for (const fw of frameworks) {
      if (fw.removedTime !== null) this.state.removedFrameworkIds.add(fw.id);
    }
    const agents = await this.registry.listAgents();
    for (const agent of agents) {
      if (agent.state === 'gone') this.state.goneAgents.add(agent.id);
      // Reconciliation answers TASK_UNREACHABLE for them, as before the failover.
      if (agent.state === 'unreachable') this.state.unreachableAgents.set(agent.id, agent.unreachableTime?.getTime() ?? this.clock.now());
    }
    await this.roles.recover();
    this.recoveredAgents.recover(agents);
    this.failoverTimers.start(frameworks);
    this.allocation.withholdGuaranteedRolesWhile(() => this.recoveredAgents.quotaRecoveryPending());
    // Listen before announcing, so re-registrations the announcement causes are heard.
    this.busHandler.start();
    this.bus.broadcast('master-elected', { epoch: this.identity.epoch, master_id: this.identity.id });
    this.agents.startPinging();
    this.allocation.start();
    this.logger.log(`master ${this.identity.id} at ${address} leads with epoch ${this.identity.epoch}`);
  }
}
