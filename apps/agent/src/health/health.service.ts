import { BeforeApplicationShutdown, Injectable, ServiceUnavailableException } from '@nestjs/common';

/**
 * Whether this agent can serve. It answers unhealthy from the moment shutdown begins, so load
 * balancers stop sending requests before the port closes. Later issues add the NATS and task-driver
 * checks here.
 */
@Injectable()
export class HealthService implements BeforeApplicationShutdown {
  private stopping = false;

  /** Throws when the agent cannot serve requests. */
  check(): void {
    if (this.stopping) throw new ServiceUnavailableException('agent is shutting down');
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }
}
