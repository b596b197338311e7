import { Module } from '@nestjs/common';
import { CheckpointModule } from '../checkpoint/checkpoint.module';
import { DriversModule } from '../drivers/drivers.module';
import { SandboxService } from '../sandbox/sandbox.service';
import { StatusUpdatesModule } from '../status-updates/status-updates.module';
import { TasksModule } from '../tasks/tasks.module';
import { CustomExecutorService } from './custom-executor.service';
import { DefaultExecutorService } from './default-executor.service';
import { ExecutorRegistry } from './executor-registry';
import { ExecutorReporter } from './executor-reporter';
import { ExecutorsService } from './executors.service';

/** Custom executors and the built-in default executor of task groups (the executor API lives in executor-api/). */
@Module({
  imports: [DriversModule, StatusUpdatesModule, TasksModule, CheckpointModule],
  providers: [ExecutorRegistry, ExecutorReporter, CustomExecutorService, DefaultExecutorService, ExecutorsService, SandboxService],
  exports: [ExecutorRegistry, CustomExecutorService, ExecutorsService],
})
export class ExecutorsModule {}
