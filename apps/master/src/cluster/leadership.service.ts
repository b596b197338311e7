import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import { AgentsService } from '../agents/agents.service';
import { MasterBusHandler } from '../agents/master-bus.handler';
import { Clock } from '../clock/clock';
import { RegistryService } from '../registry';
import { RolesService } from '../roles/roles.service';
import { ClusterState } from './cluster-state';
import { MasterIdentity } from './master-identity';

/**
 * Taking office. With one master it always leads (several masters and the advisory lock come
 * with high availability, DESIGN §5): it starts a new term (epoch) in the registry, learns
 * which frameworks were removed and which agents are gone, gives the allocator the roles'
 * weights and quotas, tells agents a new leader is here so they re-register, and starts
 * pinging them.
 */
@Injectable()
export class LeadershipService implements OnApplicationBootstrap {
  private readonly logger = new Logger('leadership');

  constructor(
    private readonly identity: MasterIdentity,
    private readonly registry: RegistryService,
    private readonly state: ClusterState,
    private readonly agents: AgentsService,
    private readonly busHandler: MasterBusHandler,
    private readonly bus: AgoraBus,
    private readonly clock: Clock,
    private readonly roles: RolesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.identity.epoch = await this.registry.beginTerm(`${this.identity.hostname}:${this.identity.port}`);
    this.identity.electedAt = this.clock.now();
    for (const fw of await this.registry.listFrameworks({ includeRemoved: true })) {
      if (fw.removedTime !== null) this.state.removedFrameworkIds.add(fw.id);
    }
    for (const agent of await this.registry.listAgents()) {
      if (agent.state === 'gone') this.state.goneAgents.add(agent.id);
    }
    await this.roles.recover();
    // Listen before announcing, so re-registrations the announcement causes are heard.
    this.busHandler.start();
    this.bus.broadcast('master-elected', { epoch: this.identity.epoch, master_id: this.identity.id });
    this.agents.startPinging();
    this.logger.log(`master ${this.identity.id} leads with epoch ${this.identity.epoch}`);
  }
}
