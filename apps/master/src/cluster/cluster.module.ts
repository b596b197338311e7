import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { AgentMaintenanceService } from '../agents/agent-maintenance';
import { AgentsService } from '../agents/agents.service';
import { AgentDisconnections } from '../agents/disconnections';
import { MasterBusHandler } from '../agents/master-bus.handler';
import { RecoveredAgents } from '../agents/recovered-agents';
import { Clock } from '../clock/clock';
import { MasterConfig } from '../config/master.config';
import { FailoverTimers } from '../frameworks/failover-timers';
import { FrameworksService } from '../frameworks/frameworks.service';
import { MasterMetrics } from '../metrics/master-metrics';
import { AcceptService } from '../offers/accept.service';
import { OffersService } from '../offers/offers.service';
import { RolesService } from '../roles/roles.service';
import { TasksService } from '../tasks/tasks.service';
import { ClusterEvents } from './cluster-events';
import { ClusterState } from './cluster-state';
import { LeaderElection } from './leader-election.service';
import { LeadershipService } from './leadership.service';
import { MasterIdentity } from './master-identity';
import { StandbyGate } from './standby-gate';
import { StepDown } from './step-down';

/**
 * The leading master's live state and the services that change it: agents, frameworks,
 * offers and tasks (DESIGN §4 "live, in memory"), and the election that decides whether this
 * master leads (LeaderElection, StandbyGate, StepDown). The scheduler and operator APIs import it.
 */
@Module({
  providers: [
    ClusterState,
    ClusterEvents,
    MasterMetrics,
    {
      provide: MasterIdentity,
      inject: [MasterConfig, Clock],
      useFactory: (config: MasterConfig, clock: Clock) =>
        new MasterIdentity(
          randomUUID(),
          config.hostname ?? hostname(),
          config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host,
          config.port,
          clock.now(),
        ),
    },
    TasksService,
    OffersService,
    AcceptService,
    FrameworksService,
    AgentsService,
    AgentMaintenanceService,
    AgentDisconnections,
    MasterBusHandler,
    LeadershipService,
    RolesService,
    RecoveredAgents,
    FailoverTimers,
    StandbyGate,
    StepDown,
    LeaderElection,
  ],
  exports: [
    ClusterState,
    ClusterEvents,
    MasterMetrics,
    MasterIdentity,
    TasksService,
    OffersService,
    AcceptService,
    FrameworksService,
    AgentsService,
    AgentMaintenanceService,
    RolesService,
    StandbyGate,
    StepDown,
    LeaderElection,
  ],
})
export class ClusterModule {}
