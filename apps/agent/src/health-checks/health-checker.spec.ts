import { FakeClock } from '../clock/fake-clock';
import type { HealthCheckSettings } from './health-check-settings';
import { HealthChecker, type HealthReport } from './health-checker';
import type { HealthProbe, ProbeOutcome } from './health-probes';

/** A probe whose checks stay pending until the test settles them. */
class ScriptedProbe {
  readonly calls: { signal: AbortSignal; settle: (outcome: ProbeOutcome) => void }[] = [];
  readonly probe: HealthProbe = (signal) => new Promise<ProbeOutcome>((settle) => this.calls.push({ signal, settle }));

  /** Settles the latest check. */
  answer(healthy: boolean): void {
    this.calls[this.calls.length - 1].settle(healthy ? { healthy } : { healthy, message: 'nope' });
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function settings(overrides: Partial<HealthCheckSettings> = {}): HealthCheckSettings {
  return { probe: { type: 'TCP', port: 1 }, delayMs: 1000, intervalMs: 500, timeoutMs: 200, consecutiveFailures: 2, gracePeriodMs: 0, ...overrides };
}

describe('HealthChecker', () => {
  let clock: FakeClock;
  let probe: ScriptedProbe;
  let reports: HealthReport[];

  function checker(s: HealthCheckSettings): HealthChecker {
    return new HealthChecker(s, probe.probe, clock, { report: (r) => reports.push(r) });
  }

  /** Advances to the next check and answers it. */
  async function check(healthy: boolean, wait: number): Promise<void> {
    clock.advance(wait);
    expect(probe.calls).not.toHaveLength(0);
    probe.answer(healthy);
    await flush();
  }

  beforeEach(() => {
    clock = new FakeClock();
    probe = new ScriptedProbe();
    reports = [];
  });

  it('checks first after the delay, then an interval after each result', async () => {
    const c = checker(settings());
    c.start();
    expect(clock.pendingDelays()).toEqual([1000]);
    clock.advance(999);
    expect(probe.calls).toHaveLength(0);
    clock.advance(1);
    expect(probe.calls).toHaveLength(1);
    // The timeout runs while the check is in flight; the next check waits for the result.
    expect(clock.pendingDelays()).toEqual([200]);
    clock.advance(100);
    probe.answer(true);
    await flush();
    expect(clock.pendingDelays()).toEqual([500]);
    c.stop();
  });

  it('reports the first success, every counted failure, and asks for a kill at the limit', async () => {
    const c = checker(settings());
    c.start();
    await check(true, 1000);
    await check(true, 500);
    await check(false, 500);
    await check(false, 500);
    expect(reports).toEqual([
      { healthy: true, consecutiveFailures: 0, kill: false },
      { healthy: false, consecutiveFailures: 1, kill: false, message: 'nope' },
      { healthy: false, consecutiveFailures: 2, kill: true, message: 'nope' },
    ]);
    c.stop();
  });

  it('measures the grace period from the start of checking', async () => {
    const c = checker(settings({ delayMs: 0, gracePeriodMs: 1000 }));
    c.start();
    await check(false, 0); // at 0 ms
    await check(false, 500); // at 500 ms
    await check(false, 500); // at 1000 ms: still inside
    expect(reports).toEqual([]);
    await check(false, 500); // at 1500 ms
    expect(reports).toEqual([{ healthy: false, consecutiveFailures: 1, kill: false, message: 'nope' }]);
    c.stop();
  });

  it('fails a check that outlives its timeout and aborts it', async () => {
    const c = checker(settings());
    c.start();
    clock.advance(1000);
    const { signal } = probe.calls[0];
    clock.advance(200);
    await flush();
    expect(signal.aborted).toBe(true);
    expect(reports).toEqual([{ healthy: false, consecutiveFailures: 1, kill: false, message: 'the check has not returned after 0.2 s; aborting' }]);
    // A late answer changes nothing.
    probe.calls[0].settle({ healthy: true });
    await flush();
    expect(reports).toHaveLength(1);
    expect(clock.pendingDelays()).toEqual([500]);
    c.stop();
  });

  it('waits for as long as a check takes when there is no timeout', async () => {
    const c = checker(settings({ timeoutMs: undefined }));
    c.start();
    clock.advance(1000);
    expect(clock.pendingDelays()).toEqual([]);
    clock.advance(3_600_000);
    probe.answer(true);
    await flush();
    expect(reports).toEqual([{ healthy: true, consecutiveFailures: 0, kill: false }]);
    c.stop();
  });

  it('stops for good: the check in flight is aborted and reports nothing', async () => {
    const c = checker(settings());
    c.start();
    clock.advance(1000);
    c.stop();
    expect(probe.calls[0].signal.aborted).toBe(true);
    probe.answer(false);
    await flush();
    expect(reports).toEqual([]);
    expect(clock.pendingDelays()).toEqual([]);
    c.start();
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('counts a probe that throws as a failure', async () => {
    const c = new HealthChecker(settings({ consecutiveFailures: 1 }), () => Promise.reject(new Error('boom')), clock, { report: (r) => reports.push(r) });
    c.start();
    clock.advance(1000);
    await flush();
    expect(reports).toEqual([{ healthy: false, consecutiveFailures: 1, kill: true, message: 'boom' }]);
    c.stop();
  });
});
