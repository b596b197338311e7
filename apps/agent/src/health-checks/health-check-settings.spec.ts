import type { HealthCheck } from '@agora/protocol';
import { healthCheckProblem, healthCheckSettings, MIN_INTERVAL_MS } from './health-check-settings';

describe('health check settings', () => {
  it('fills in Mesos defaults (delay 15 s, interval 10 s, timeout 20 s, 3 failures, grace 10 s)', () => {
    expect(healthCheckSettings({ type: 'TCP', tcp: { port: 8080 } })).toEqual({
      probe: { type: 'TCP', port: 8080 },
      delayMs: 15_000,
      intervalMs: 10_000,
      timeoutMs: 20_000,
      consecutiveFailures: 3,
      gracePeriodMs: 10_000,
    });
  });

  it('keeps fractional seconds, and reads timeout 0 as no timeout', () => {
    const settings = healthCheckSettings({
      type: 'HTTP',
      http: { port: 80, path: '/health', statuses: [200, 204] },
      delay_seconds: 0,
      interval_seconds: 0.2,
      timeout_seconds: 0,
      grace_period_seconds: 0.5,
      consecutive_failures: 2,
    });
    expect(settings).toEqual({
      probe: { type: 'HTTP', scheme: 'http', port: 80, path: '/health', statuses: [200, 204] },
      delayMs: 0,
      intervalMs: 200,
      timeoutMs: undefined,
      consecutiveFailures: 2,
      gracePeriodMs: 500,
    });
  });

  it('gives checks at interval 0 a little room', () => {
    expect(healthCheckSettings({ type: 'TCP', tcp: { port: 1 }, interval_seconds: 0 }).intervalMs).toBe(MIN_INTERVAL_MS);
  });

  it.each<[string, HealthCheck, string | undefined]>([
    ['a COMMAND check', { type: 'COMMAND', command: { value: 'true' } }, undefined],
    ['an HTTPS check', { type: 'HTTP', http: { port: 443, scheme: 'https', path: '/' } }, undefined],
    ['no type', { tcp: { port: 1 } }, "HealthCheck must specify 'type'"],
    ['type UNKNOWN', { type: 'UNKNOWN' }, "'UNKNOWN' is not a valid health check type"],
    ['COMMAND without command', { type: 'COMMAND' }, "Expecting 'command' to be set for COMMAND health check"],
    ['COMMAND without a value', { type: 'COMMAND', command: {} }, "Command health check must contain 'shell command'"],
    ['exec COMMAND without a value', { type: 'COMMAND', command: { shell: false } }, "Command health check must contain 'executable path'"],
    ['HTTP without http', { type: 'HTTP' }, "Expecting 'http' to be set for HTTP health check"],
    ['HTTP with scheme ftp', { type: 'HTTP', http: { port: 1, scheme: 'ftp' } }, "Unsupported HTTP health check scheme: 'ftp'"],
    ['HTTP with a relative path', { type: 'HTTP', http: { port: 1, path: 'health' } }, "The path 'health' of HTTP health check must start with '/'"],
    ['HTTP with port 0', { type: 'HTTP', http: { port: 0 } }, "Expecting 'http.port' to be a port number (1-65535), got 0"],
    ['TCP without tcp', { type: 'TCP' }, "Expecting 'tcp' to be set for TCP health check"],
    ['TCP with port 70000', { type: 'TCP', tcp: { port: 70000 } }, "Expecting 'tcp.port' to be a port number (1-65535), got 70000"],
    ['a negative delay', { type: 'TCP', tcp: { port: 1 }, delay_seconds: -1 }, "Expecting 'delay_seconds' to be non-negative"],
    ['a negative interval', { type: 'TCP', tcp: { port: 1 }, interval_seconds: -0.5 }, "Expecting 'interval_seconds' to be non-negative"],
    ['a negative timeout', { type: 'TCP', tcp: { port: 1 }, timeout_seconds: -1 }, "Expecting 'timeout_seconds' to be non-negative"],
    ['a negative grace period', { type: 'TCP', tcp: { port: 1 }, grace_period_seconds: -1 }, "Expecting 'grace_period_seconds' to be non-negative"],
    ['fractional consecutive failures', { type: 'TCP', tcp: { port: 1 }, consecutive_failures: 1.5 }, "Expecting 'consecutive_failures' to be a non-negative integer"],
  ])('validates %s', (_case, check, problem) => {
    expect(healthCheckProblem(check)).toBe(problem);
    if (problem !== undefined) expect(() => healthCheckSettings(check)).toThrow(problem);
  });
});
