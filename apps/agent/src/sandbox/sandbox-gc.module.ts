import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module';
import { DiskUsage } from './disk-usage';
import { SandboxGc } from './sandbox-gc.service';

/** Garbage collection of finished tasks' sandboxes. */
@Module({
  imports: [TasksModule],
  providers: [SandboxGc, DiskUsage],
  exports: [SandboxGc],
})
export class SandboxGcModule {}
