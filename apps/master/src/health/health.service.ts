import { BeforeApplicationShutdown, Injectable, ServiceUnavailableException } from '@nestjs/common';

/**
 * Whether this master can serve. It answers unhealthy from the moment shutdown begins, so load
 * balancers stop sending requests before the port closes. Issue 3 adds the NATS and registry
 * checks here.
 */
@Injectable()
export class HealthService implements BeforeApplicationShutdown {
  private stopping = false;

  /** Throws when the master cannot serve requests. */
  check(): void {
    if (this.stopping) throw new ServiceUnavailableException('master is shutting down');
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }
}
