import { DynamicModule, Module } from '@nestjs/common';
import { HttpEdgeModule } from '@agora/nest-common';
import { AgentConfig } from './config/agent.config';
import { HealthModule } from './health/health.module';

/**
 * The agent's root module. Feature modules (registration, drivers, executor-api, status-updates,
 * checkpoint, sandbox, files-api) are added here as they arrive.
 */
@Module({})
export class AgentModule {
  static forRoot(config: AgentConfig): DynamicModule {
    return {
      module: AgentModule,
      global: true,
      imports: [HttpEdgeModule, HealthModule],
      providers: [{ provide: AgentConfig, useValue: config }],
      exports: [AgentConfig],
    };
  }
}
