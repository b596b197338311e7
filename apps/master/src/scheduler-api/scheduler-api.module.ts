import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { SchedulerCallsService } from './scheduler-calls.service';
import { SchedulerEndpoint } from './scheduler.endpoint';

/** The Mesos v1 scheduler HTTP API (DESIGN §3.1). */
@Module({
  imports: [ClusterModule],
  providers: [SchedulerCallsService, SchedulerEndpoint],
  exports: [SchedulerEndpoint],
})
export class SchedulerApiModule {}
