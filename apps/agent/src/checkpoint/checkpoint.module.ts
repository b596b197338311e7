import { Module } from '@nestjs/common';
import { CheckpointStore } from './checkpoint-store';

/** The on-disk checkpoint of checkpointing frameworks' tasks (checkpoint-store.ts). */
@Module({
  providers: [CheckpointStore],
  exports: [CheckpointStore],
})
export class CheckpointModule {}
