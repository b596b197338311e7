import { Module } from '@nestjs/common';
import { CheckpointModule } from '../checkpoint/checkpoint.module';
import { DriversModule } from '../drivers/drivers.module';
import { DrainService } from '../drain/drain.service';
import { ExecutorsModule } from '../executors/executors.module';
import { MasterInbox } from '../inbox/master-inbox';
import { AgentLifecycle } from '../lifecycle/agent-lifecycle';
import { RecoveryService } from '../recovery/recovery.service';
import { StatusUpdatesModule } from '../status-updates/status-updates.module';
import { TasksModule } from '../tasks/tasks.module';
import { AgentMetaStore } from './agent-meta.store';
import { RegistrationService } from './registration.service';

/** The agent's standing with the master: registration, the inbox of master messages, recovery at start, and the start/stop order. */
@Module({
  imports: [TasksModule, StatusUpdatesModule, ExecutorsModule, CheckpointModule, DriversModule],
  providers: [RegistrationService, AgentMetaStore, MasterInbox, AgentLifecycle, RecoveryService, DrainService],
  exports: [AgentLifecycle],
})
export class RegistrationModule {}
