import { Module } from '@nestjs/common';
import { ExecutorsModule } from '../executors/executors.module';
import { ExecutorApiController } from './executor-api.controller';

/** The v1 executor HTTP API (reference §2), served to custom executors. */
@Module({
  imports: [ExecutorsModule],
  controllers: [ExecutorApiController],
})
export class ExecutorApiModule {}
