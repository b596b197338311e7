import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { SchedulerCallsService } from './scheduler-calls.service';
import { SchedulerController } from './scheduler.controller';

/** The Mesos v1 scheduler HTTP API (DESIGN §3.1). */
@Module({
  imports: [ClusterModule],
  controllers: [SchedulerController],
  providers: [SchedulerCallsService],
})
export class SchedulerApiModule {}
