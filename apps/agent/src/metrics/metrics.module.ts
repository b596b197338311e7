import { Module } from '@nestjs/common';
import { SandboxGcModule } from '../sandbox/sandbox-gc.module';
import { StatusUpdatesModule } from '../status-updates/status-updates.module';
import { TasksModule } from '../tasks/tasks.module';
import { MetricsController } from './metrics.controller';
import { AgentMetricsService } from './metrics.service';
import { SystemStats } from './system-stats';

/** `/metrics/snapshot`. AgentCounters itself is a global provider of the root module, so anything can count. */
@Module({
  imports: [TasksModule, StatusUpdatesModule, SandboxGcModule],
  controllers: [MetricsController],
  providers: [AgentMetricsService, SystemStats],
})
export class MetricsModule {}
