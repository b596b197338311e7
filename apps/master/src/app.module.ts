import { DynamicModule, Module } from '@nestjs/common';
import { HttpEdgeModule } from '@agora/nest-common';
import { MasterConfig } from './config/master.config';
import { AllocationModule } from './allocation/allocation.module';
import { BUS_TRANSPORT, BusModule } from './bus/bus.module';
import type { BusTransport } from '@agora/bus';
import { ClockModule } from './clock/clock.module';
import { SchedulerApiModule } from './scheduler-api/scheduler-api.module';
import { OperatorApiModule } from './operator-api/operator-api.module';
import { HealthModule } from './health/health.module';
import { RegistryModule } from './registry';

/**
 * The master's root module. Feature modules (scheduler-api, operator-api, agents, frameworks,
 * offers, tasks, registry, leadership, admin, catalog, web) are added here as they arrive.
 */
@Module({})
export class MasterModule {
  static forRoot(config: MasterConfig, transport?: BusTransport): DynamicModule {
    return {
      module: MasterModule,
      global: true,
      imports: [HttpEdgeModule, ClockModule, HealthModule, RegistryModule.forRoot(), AllocationModule, BusModule, SchedulerApiModule, OperatorApiModule],
      providers: [{ provide: MasterConfig, useValue: config }, { provide: BUS_TRANSPORT, useValue: transport }],
      exports: [MasterConfig, BUS_TRANSPORT],
    };
  }
}
