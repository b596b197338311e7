import { DynamicModule, Module } from '@nestjs/common';
import { HttpEdgeModule } from '@agora/nest-common';
import { MasterConfig } from './config/master.config';
import { AllocationModule } from './allocation/allocation.module';
import { HealthModule } from './health/health.module';
import { RegistryModule } from './registry';

/**
 * The master's root module. Feature modules (scheduler-api, operator-api, agents, frameworks,
 * offers, tasks, registry, leadership, admin, catalog, web) are added here as they arrive.
 */
@Module({})
export class MasterModule {
  static forRoot(config: MasterConfig): DynamicModule {
    return {
      module: MasterModule,
      global: true,
      imports: [HttpEdgeModule, HealthModule, RegistryModule.forRoot(), AllocationModule],
      providers: [{ provide: MasterConfig, useValue: config }],
      exports: [MasterConfig],
    };
  }
}
