import { ServiceUnavailableException } from '@nestjs/common';
import { HealthService } from './health.service';

describe('agent HealthService', () => {
  it('is healthy while running', () => {
    expect(() => new HealthService().check()).not.toThrow();
  });

  it('reports unavailable once shutdown has begun', () => {
    const health = new HealthService();
    health.beforeApplicationShutdown();
    expect(() => health.check()).toThrow(ServiceUnavailableException);
  });
});
