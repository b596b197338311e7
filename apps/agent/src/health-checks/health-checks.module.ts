import { Module } from '@nestjs/common';
import { HealthCheckService } from './health-checks.service';
import { HealthProbes } from './health-probes';

/** Task health checks (COMMAND, HTTP, TCP), used by the executors in tasks/. */
@Module({
  providers: [HealthCheckService, HealthProbes],
  exports: [HealthCheckService],
})
export class HealthChecksModule {}
