import fc from 'fast-check';
import { type HealthPolicy, type HealthState, type HealthVerdict, healthStateFromStatuses, INITIAL_HEALTH, judgeHealth } from './health-policy';

/** One result: healthy or not, at a time since the task's start. */
type Result = readonly [healthy: boolean, atMs: number];

/** Runs results through the policy and writes each verdict compactly: `+` healthy report, `-N` unhealthy report (N in a row), `-N!` with kill, `.g` grace, `.` quiet. */
function verdicts(results: readonly Result[], policy: HealthPolicy): string[] {
  let state: HealthState = INITIAL_HEALTH;
  return results.map(([healthy, at]) => {
    const next = judgeHealth(state, healthy, at, policy);
    state = next.state;
    return show(next.verdict);
  });
}

function show(v: HealthVerdict): string {
  if (v.kind === 'quiet') return v.why === 'grace-period' ? '.g' : '.';
  return v.healthy ? '+' : `-${v.consecutiveFailures}${v.kill ? '!' : ''}`;
}

const ok = (at: number): Result => [true, at];
const bad = (at: number): Result => [false, at];
const MESOS: HealthPolicy = { consecutiveFailures: 3, gracePeriodMs: 10_000 };

describe('judgeHealth (Mesos HealthChecker semantics)', () => {
  it.each<[string, HealthPolicy, Result[], string[]]>([
    ['the first success is reported, later ones are quiet', MESOS, [ok(15_000), ok(25_000), ok(35_000)], ['+', '.', '.']],
    ['failures in the grace period before any success are ignored', MESOS, [bad(1_000), bad(5_000), bad(10_000), ok(11_000)], ['.g', '.g', '.g', '+']],
    ['the grace period ends: failures count even if never healthy', MESOS, [bad(9_000), bad(10_001), bad(12_000), bad(13_000)], ['.g', '-1', '-2', '-3!']],
    ['after a success the grace period no longer forgives', MESOS, [ok(1_000), bad(2_000), bad(3_000), bad(4_000)], ['+', '-1', '-2', '-3!']],
    ['every counted failure is reported', MESOS, [ok(20_000), bad(30_000), bad(40_000)], ['+', '-1', '-2']],
    ['the first success after failures is reported and resets the count', MESOS, [ok(20_000), bad(30_000), bad(40_000), ok(50_000), bad(60_000)], ['+', '-1', '-2', '+', '-1']],
    ['failures past the limit keep asking for a kill', MESOS, [bad(20_000), bad(30_000), bad(40_000), bad(50_000)], ['-1', '-2', '-3!', '-4!']],
    ['consecutive_failures 1 kills on the first counted failure', { consecutiveFailures: 1, gracePeriodMs: 0 }, [bad(0)], ['-1!']],
    ['consecutive_failures 0 kills at once, as Mesos (count >= 0)', { consecutiveFailures: 0, gracePeriodMs: 0 }, [bad(0)], ['-1!']],
    ['a grace period of 0 forgives nothing', { consecutiveFailures: 3, gracePeriodMs: 0 }, [bad(0)], ['-1']],
    ['the grace period includes its last instant', { consecutiveFailures: 3, gracePeriodMs: 500 }, [bad(500), bad(501)], ['.g', '-1']],
  ])('%s', (_case, policy, results, expected) => {
    expect(verdicts(results, policy)).toEqual(expected);
  });

  it('never reports two healthy results in a row, and asks for a kill only at or past the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.nat(100_000)), { maxLength: 40 }),
        fc.nat(5),
        fc.nat(20_000),
        (raw, limit, grace) => {
          const results = raw.map(([h, at]) => [h, at] as const).sort((a, b) => a[1] - b[1]);
          let state: HealthState = INITIAL_HEALTH;
          let lastReport: boolean | undefined;
          for (const [healthy, at] of results) {
            const { state: next, verdict } = judgeHealth(state, healthy, at, { consecutiveFailures: limit, gracePeriodMs: grace });
            if (verdict.kind === 'report') {
              if (verdict.healthy) expect(lastReport).not.toBe(true);
              if (verdict.kill) expect(verdict.consecutiveFailures).toBeGreaterThanOrEqual(limit);
              expect(verdict.healthy).toBe(healthy);
              lastReport = verdict.healthy;
            } else if (!healthy) {
              // A failure goes unreported only inside the grace period of a never-healthy task.
              expect(state.initializing && grace > 0 && at <= grace).toBe(true);
            }
            state = next;
          }
        },
      ),
    );
  });
});

describe('healthStateFromStatuses (a recovered task\'s journal)', () => {
  const running = (healthy?: boolean) => ({ state: 'TASK_RUNNING', ...(healthy !== undefined ? { healthy } : {}) });
  it.each<[string, { state: string; healthy?: boolean }[], HealthState]>([
    ['no health report yet', [{ state: 'TASK_STARTING' }, running()], INITIAL_HEALTH],
    ['failures before the first success (out of the grace period)', [running(), running(false), running(false)], { initializing: true, consecutiveFailures: 2 }],
    ['healthy once', [running(), running(false), running(true)], { initializing: false, consecutiveFailures: 0 }],
    ['failures since the last success', [running(), running(true), running(false), running(true), running(false)], { initializing: false, consecutiveFailures: 1 }],
    ['only TASK_RUNNING reports count', [running(true), { state: 'TASK_KILLING', healthy: false }], { initializing: false, consecutiveFailures: 0 }],
  ])('%s', (_case, statuses, expected) => {
    expect(healthStateFromStatuses(statuses)).toEqual(expected);
  });

  it('agrees with judgeHealth: replaying its reports gives the state it reached', () => {
    const policy = { consecutiveFailures: 100, gracePeriodMs: 0 };
    let state = INITIAL_HEALTH;
    const reports: { state: string; healthy: boolean }[] = [];
    for (const healthy of [false, false, true, true, false, true, false, false, false]) {
      const next = judgeHealth(state, healthy, 1, policy);
      state = next.state;
      if (next.verdict.kind === 'report') reports.push({ state: 'TASK_RUNNING', healthy: next.verdict.healthy });
    }
    expect(healthStateFromStatuses(reports)).toEqual(state);
  });
});
