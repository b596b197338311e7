import { Module } from '@nestjs/common';
import { StatusUpdateJournal, InMemoryJournal } from './status-update-journal';
import { StatusUpdateManager } from './status-update-manager';

@Module({
  providers: [StatusUpdateManager, { provide: StatusUpdateJournal, useClass: InMemoryJournal }],
  exports: [StatusUpdateManager],
})
export class StatusUpdatesModule {}
