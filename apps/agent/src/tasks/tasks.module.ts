import { Module } from '@nestjs/common';
import { CheckpointModule } from '../checkpoint/checkpoint.module';
import { DriversModule } from '../drivers/drivers.module';
import { HealthChecksModule } from '../health-checks/health-checks.module';
import { SandboxService } from '../sandbox/sandbox.service';
import { StatusUpdatesModule } from '../status-updates/status-updates.module';
import { CommandExecutorService } from './command-executor.service';
import { TaskRegistry } from './task-registry';

@Module({
  imports: [DriversModule, StatusUpdatesModule, HealthChecksModule, CheckpointModule],
  providers: [TaskRegistry, CommandExecutorService, SandboxService],
  exports: [TaskRegistry, CommandExecutorService],
})
export class TasksModule {}
