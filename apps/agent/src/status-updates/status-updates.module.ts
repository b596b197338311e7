import { Module } from '@nestjs/common';
import { CheckpointingJournal } from '../checkpoint/checkpointing-journal';
import { CheckpointModule } from '../checkpoint/checkpoint.module';
import { StatusUpdateJournal } from './status-update-journal';
import { StatusUpdateManager } from './status-update-manager';

/** Status updates, journaled on disk for checkpointing frameworks (checkpoint/). */
@Module({
  imports: [CheckpointModule],
  providers: [StatusUpdateManager, { provide: StatusUpdateJournal, useClass: CheckpointingJournal }],
  exports: [StatusUpdateManager],
})
export class StatusUpdatesModule {}
