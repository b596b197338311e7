import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import type { HealthCheck } from '@agora/protocol';
import { FakeClock } from '../clock/fake-clock';
import { FakeDriver } from '../testing/fake-driver';
import { waitFor } from '../testing/wait-for';
import { executorHarness, FW, runTask, summary } from './testing/executor-harness';
import type { HealthProbeSpec } from './health-check-settings';
import { type HealthProbe, HealthProbes, type ProbeContext, type ProbeOutcome } from './health-probes';

/** Probes that answer what the test queued, one answer per check. */
class QueuedProbes extends HealthProbes {
  readonly answers: ProbeOutcome[] = [];
  readonly created: { spec: HealthProbeSpec; context: ProbeContext }[] = [];
  checks = 0;

  override create(spec: HealthProbeSpec, context: ProbeContext): HealthProbe {
    this.created.push({ spec, context });
    return async () => {
      this.checks++;
      return this.answers.shift() ?? { healthy: false, message: 'no answer queued' };
    };
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Checks at once, then every second; two failures in a row kill; no grace. */
const CHECK: HealthCheck = { type: 'HTTP', http: { port: 8080, path: '/health' }, delay_seconds: 0, interval_seconds: 1, consecutive_failures: 2, grace_period_seconds: 0 };

describe('command executor with health checks (fake time)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let clock: FakeClock;
  let driver: FakeDriver;
  let probes: QueuedProbes;
  let h: Awaited<ReturnType<typeof executorHarness>>;

  beforeEach(async () => {
    clock = new FakeClock();
    driver = new FakeDriver();
    probes = new QueuedProbes();
    h = await executorHarness(driver, clock, probes);
  });

  afterEach(() => rm(h.workDir, { recursive: true, force: true }));

  const running = () => waitFor(() => h.updates.some((u) => u.state === 'TASK_RUNNING'));
  const ended = () => waitFor(() => h.registry.get(FW, 't1')?.phase === 'terminated');

  /** Runs the next check with the given answer. */
  async function check(healthy: boolean, afterMs: number): Promise<void> {
    probes.answers.push({ healthy });
    clock.advance(afterMs);
    await flush();
  }

  it('reports health changes and kills the task after consecutive_failures failures', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' }, health_check: CHECK, kill_policy: { grace_period: { nanoseconds: 5e9 } } }, { capabilities: [{ type: 'TASK_KILLING_STATE' }] }));
    await running();
    expect(probes.created[0].spec).toEqual({ type: 'HTTP', scheme: 'http', port: 8080, path: '/health', statuses: [] });
    // COMMAND checks would run in the task's sandbox with its environment.
    expect(probes.created[0].context).toEqual({ sandbox: driver.launches[0].sandbox, env: driver.launches[0].env });

    await check(true, 0);
    await check(true, 1000);
    await check(false, 1000);
    await check(false, 1000);
    expect(driver.stops).toEqual([{ containerId: driver.launches[0].containerId, graceMs: 5000 }]);
    // No more checks once the kill began.
    const checks = probes.checks;
    clock.advance(10_000);
    await flush();
    expect(probes.checks).toBe(checks);

    driver.exit({ kind: 'signaled', signal: 'SIGTERM' });
    await ended();
    expect(summary(h.updates)).toEqual([
      'TASK_STARTING',
      'TASK_RUNNING',
      'TASK_RUNNING healthy',
      'TASK_RUNNING unhealthy',
      'TASK_RUNNING unhealthy',
      'TASK_KILLING',
      'TASK_KILLED unhealthy',
    ]);
    expect(h.updates[2]).toMatchObject({ reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', source: 'SOURCE_EXECUTOR', executor_id: { value: 't1' } });
    expect(h.updates[6]).toMatchObject({ message: 'Command terminated with signal SIGTERM' });
    // Mesos sets no reason on this kill (a TODO in its command executor).
    expect(h.updates[6].reason).toBeUndefined();
    expect(h.healthChecks.watching).toBe(0);
  });

  it('stops checking when the framework kills the task, which then ends without a health verdict', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' }, health_check: CHECK }));
    await running();
    await check(true, 0);
    h.executor.kill({ epoch: 1, framework_id: { value: FW }, task_id: { value: 't1' } });
    expect(h.healthChecks.watching).toBe(0);
    await check(false, 1000);
    driver.exit({ kind: 'signaled', signal: 'SIGTERM' });
    await ended();
    expect(summary(h.updates)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_RUNNING healthy', 'TASK_KILLED']);
  });

  it('stops checking when the task ends by itself', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' }, health_check: { ...CHECK, delay_seconds: 60 } }));
    await running();
    expect(h.healthChecks.watching).toBe(1);
    driver.exit({ kind: 'exited', code: 0 });
    await ended();
    expect(h.healthChecks.watching).toBe(0);
    expect(clock.pendingDelays()).toEqual([]);
    expect(summary(h.updates)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  });

  it('runs a task whose health check is invalid without checking it', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' }, health_check: { type: 'HTTP', http: { port: 80, path: 'no-slash' } } }));
    await running();
    expect(h.healthChecks.watching).toBe(0);
    expect(probes.created).toEqual([]);
  });

  it('ignores failures in the grace period until the task was healthy once', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' }, health_check: { ...CHECK, grace_period_seconds: 2.5 } }));
    await running();
    await check(false, 0);
    await check(false, 1000);
    await check(false, 1000);
    await check(true, 1000);
    await check(false, 1000);
    expect(summary(h.updates)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_RUNNING healthy', 'TASK_RUNNING unhealthy']);
    h.executor.kill({ epoch: 1, framework_id: { value: FW }, task_id: { value: 't1' } });
    driver.exit({ kind: 'signaled', signal: 'SIGTERM' });
    await ended();
  });
});
