import { Controller, Get } from '@nestjs/common';
import { HealthService } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** `GET /health`: an empty 200 when healthy, as Mesos answers. */
  @Get()
  check(): void {
    this.health.check();
  }
}
