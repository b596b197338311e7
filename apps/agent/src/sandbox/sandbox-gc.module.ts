import { Module } from '@nestjs/common';
import { ExecutorsModule } from '../executors/executors.module';
import { TasksModule } from '../tasks/tasks.module';
import { DiskUsage } from './disk-usage';
import { SandboxGc } from './sandbox-gc.service';

/** Garbage collection of finished tasks' and executors' sandboxes. */
@Module({
  imports: [TasksModule, ExecutorsModule],
  providers: [SandboxGc, DiskUsage],
  exports: [SandboxGc],
})
export class SandboxGcModule {}
