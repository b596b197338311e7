import { Module } from '@nestjs/common';
import { ExecutorsModule } from '../executors/executors.module';
import { MasterInbox } from '../inbox/master-inbox';
import { AgentLifecycle } from '../lifecycle/agent-lifecycle';
import { StatusUpdatesModule } from '../status-updates/status-updates.module';
import { TasksModule } from '../tasks/tasks.module';
import { AgentMetaStore } from './agent-meta.store';
import { RegistrationService } from './registration.service';

/** The agent's standing with the master: registration, the inbox of master messages, and the start/stop order. */
@Module({
  imports: [TasksModule, StatusUpdatesModule, ExecutorsModule],
  providers: [RegistrationService, AgentMetaStore, MasterInbox, AgentLifecycle],
  exports: [AgentLifecycle],
})
export class RegistrationModule {}
