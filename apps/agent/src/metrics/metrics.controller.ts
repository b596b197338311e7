import { Controller, Get } from '@nestjs/common';
import { AgentMetricsService } from './metrics.service';

/** `GET /metrics/snapshot`, also under Mesos's process path `/slave(1)/metrics/snapshot`. Query parameters (`timeout`) are accepted and ignored. */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: AgentMetricsService) {}

  @Get(['metrics/snapshot', 'slave\\(1\\)/metrics/snapshot'])
  snapshot(): Record<string, number> {
    return this.metrics.snapshot();
  }
}
