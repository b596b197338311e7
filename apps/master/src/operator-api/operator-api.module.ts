import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { DomainErrorsInterceptor } from './domain-errors.interceptor';
import { BuildInfo, HostStats } from './host';
import { JsonpInterceptor } from './jsonp.interceptor';
import { OperatorController, OperatorWritesController, RedirectController } from './operator.controller';
import { OperatorService } from './operator.service';
import { StateFragments } from './render/state-fragments';
import { StateController } from './state.controller';
import { OperatorEventStreams } from './v1/operator-event-streams';
import { OperatorV1Controller } from './v1/operator-v1.controller';
import { OperatorV1Service } from './v1/operator-v1.service';

/**
 * The Mesos operator API: the v0 endpoints (/state, /tasks, /roles, /weights, /quota,
 * /teardown, /metrics/snapshot and the rest) and the v1 API at /api/v1 with its event stream
 * (see README.md).
 */
@Module({
  imports: [ClusterModule],
  controllers: [StateController, OperatorController, OperatorWritesController, RedirectController, OperatorV1Controller],
  providers: [
    OperatorService,
    OperatorV1Service,
    OperatorEventStreams,
    JsonpInterceptor,
    DomainErrorsInterceptor,
    HostStats,
    BuildInfo,
    // What /state and GET_STATE reuse between requests (render/state-fragments.ts).
    { provide: StateFragments, useValue: new StateFragments() },
  ],
})
export class OperatorApiModule {}
