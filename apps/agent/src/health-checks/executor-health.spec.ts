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

/**
 * A task recovered after an agent restart is checked again as before: same check and
 * environment, grace period from the original start, the policy state its journaled health
 * reports give. The "restart" is a second executor on the same clock, handed the first one's
 * updates as the journal; the first one's checks are shut down as its process would be.
 */
describe('command executor: health checks of recovered tasks (fake time)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let clock: FakeClock;
  let before: { driver: FakeDriver; probes: QueuedProbes; h: Awaited<ReturnType<typeof executorHarness>> };
  let after: { driver: FakeDriver; probes: QueuedProbes; h: Awaited<ReturnType<typeof executorHarness>> } | undefined;

  async function harness(): Promise<{ driver: FakeDriver; probes: QueuedProbes; h: Awaited<ReturnType<typeof executorHarness>> }> {
    const driver = new FakeDriver();
    const probes = new QueuedProbes();
    return { driver, probes, h: await executorHarness(driver, clock, probes) };
  }

  beforeEach(async () => {
    clock = new FakeClock();
    before = await harness();
    after = undefined;
  });

  afterEach(async () => {
    await rm(before.h.workDir, { recursive: true, force: true });
    if (after !== undefined) await rm(after.h.workDir, { recursive: true, force: true });
  });

  async function check(side: { probes: QueuedProbes }, healthy: boolean, afterMs: number): Promise<void> {
    side.probes.answers.push({ healthy });
    clock.advance(afterMs);
    await flush();
  }

  /** Launches t1 with this check on the first agent process. */
  async function launch(check: HealthCheck): Promise<void> {
    before.h.executor.run(runTask({ task_id: { value: 't1' }, health_check: check, kill_policy: { grace_period: { nanoseconds: 5e9 } } }));
    await waitFor(() => before.h.updates.some((u) => u.state === 'TASK_RUNNING'));
  }

  /** The first agent process goes; a second one adopts t1 from its checkpoint and journal. */
  async function restart(): Promise<NonNullable<typeof after>> {
    before.h.healthChecks.onApplicationShutdown();
    const next = await harness();
    after = next;
    const launched = before.driver.launches[0];
    const run = before.h.registry.get(FW, 't1');
    if (run === undefined) throw new Error('t1 is not running');
    await next.h.executor.adopt(
      { id: { value: FW }, user: 'root', name: 'f', checkpoint: true },
      { info: run.info, run: { driver: 'process', containerId: launched.containerId, executorId: 't1', sandbox: launched.sandbox, pid: 4242 }, statuses: [...before.h.updates] },
    );
    return next;
  }

  it('goes on counting failures in a row: the one that reaches consecutive_failures kills', async () => {
    await launch(CHECK);
    await check(before, true, 0);
    await check(before, false, 1000);
    expect(summary(before.h.updates)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_RUNNING healthy', 'TASK_RUNNING unhealthy']);
    const next = await restart();
    expect(next.h.healthChecks.watching).toBe(1);
    // The same check, in the same sandbox and environment as before the restart.
    expect(next.probes.created[0]).toEqual(before.probes.created[0]);
    expect(next.probes.created[0].context).toEqual({ sandbox: before.driver.launches[0].sandbox, env: before.driver.launches[0].env });
    // The delay is long over: the first check runs at once, and it is the second failure in a row.
    await check(next, false, 0);
    const containerId = before.driver.launches[0].containerId;
    expect(next.driver.stops).toEqual([{ containerId, graceMs: 5000 }]);
    expect(next.h.healthChecks.watching).toBe(0);
    next.driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, containerId);
    await waitFor(() => next.h.registry.get(FW, 't1')?.phase === 'terminated');
    expect(summary(next.h.updates)).toEqual(['TASK_RUNNING unhealthy', 'TASK_KILLED unhealthy']);
    expect(next.h.updates[0]).toMatchObject({ reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', executor_id: { value: 't1' }, container_status: { container_id: { value: containerId } } });
  });

  it('counts the grace period from the task\'s original start, not from the recovery', async () => {
    await launch({ ...CHECK, grace_period_seconds: 5 });
    await check(before, false, 0);
    await check(before, false, 1000);
    await check(before, false, 1000);
    clock.advance(1000);
    const next = await restart(); // 3 s after the start
    await check(next, false, 0); // 3 s
    await check(next, false, 1000); // 4 s
    await check(next, false, 1000); // 5 s: still within the grace period
    expect(next.h.updates).toEqual([]);
    await check(next, false, 1000); // 6 s: counted (from the recovery it would be 3 s, forgiven)
    expect(summary(next.h.updates)).toEqual(['TASK_RUNNING unhealthy']);
    expect(next.driver.stops).toEqual([]);
    next.h.executor.kill({ epoch: 1, framework_id: { value: FW }, task_id: { value: 't1' } });
    next.driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, before.driver.launches[0].containerId);
    await waitFor(() => next.h.registry.get(FW, 't1')?.phase === 'terminated');
  });

  it('keeps a task that was healthy healthy: no new report, and no grace for failures', async () => {
    await launch({ ...CHECK, grace_period_seconds: 60 });
    await check(before, true, 0);
    const next = await restart();
    await check(next, true, 0);
    expect(next.h.updates).toEqual([]);
    await check(next, false, 1000);
    expect(summary(next.h.updates)).toEqual(['TASK_RUNNING unhealthy']);
    await check(next, true, 1000);
    expect(summary(next.h.updates)).toEqual(['TASK_RUNNING unhealthy', 'TASK_RUNNING healthy']);
    next.h.executor.kill({ epoch: 1, framework_id: { value: FW }, task_id: { value: 't1' } });
    next.driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, before.driver.launches[0].containerId);
    await waitFor(() => next.h.registry.get(FW, 't1')?.phase === 'terminated');
  });

  it('waits for what is left of the delay, counted from the original start', async () => {
    await launch({ ...CHECK, delay_seconds: 10 });
    clock.advance(4000);
    const next = await restart();
    next.probes.answers.push({ healthy: true });
    clock.advance(5999);
    await flush();
    expect(next.probes.checks).toBe(0);
    clock.advance(1);
    await flush();
    expect(next.probes.checks).toBe(1);
    expect(before.probes.checks).toBe(0);
    expect(summary(next.h.updates)).toEqual(['TASK_RUNNING healthy']);
    next.driver.exit({ kind: 'exited', code: 0 }, before.driver.launches[0].containerId);
    await waitFor(() => next.h.registry.get(FW, 't1')?.phase === 'terminated');
    expect(next.h.healthChecks.watching).toBe(0);
  });

  it('does not check a task that ended while the agent was down', async () => {
    await launch(CHECK);
    before.h.healthChecks.onApplicationShutdown();
    const next = await harness();
    after = next;
    const launched = before.driver.launches[0];
    next.driver.endedWhileDown.set(launched.containerId, { kind: 'exited', code: 0 });
    const run = await next.h.executor.adopt(
      { id: { value: FW }, user: 'root', name: 'f', checkpoint: true },
      { info: { name: 't1', task_id: { value: 't1' }, agent_id: { value: 'agent-1' }, command: { value: 'true' }, health_check: CHECK }, run: { driver: 'process', containerId: launched.containerId, executorId: 't1', sandbox: launched.sandbox, pid: 4242 }, statuses: [...before.h.updates] },
    );
    await waitFor(() => run.phase === 'terminated');
    expect(next.h.healthChecks.watching).toBe(0);
    expect(next.probes.created).toEqual([]);
    expect(summary(next.h.updates)).toEqual(['TASK_FINISHED']);
  });
});
