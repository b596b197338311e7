import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { BuildInfo, HostStats } from './host';
import { JsonpInterceptor } from './jsonp.interceptor';
import { OperatorController, RedirectController } from './operator.controller';
import { OperatorService } from './operator.service';

/** The Mesos v0 operator endpoints: /state, /tasks, /metrics/snapshot and the rest (see README.md). */
@Module({
  imports: [ClusterModule],
  controllers: [OperatorController, RedirectController],
  providers: [OperatorService, JsonpInterceptor, HostStats, BuildInfo],
})
export class OperatorApiModule {}
