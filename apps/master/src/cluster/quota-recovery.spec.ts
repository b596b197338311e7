import { quotaRecoveryPending } from './quota-recovery';

describe('quotaRecoveryPending', () => {
  it.each([
    // [case, recovered, waiting, fraction, elapsed ms, timeout ms, pending]
    ['nothing recovered: nothing to wait for', 0, 0, 0.8, 0, 600_000, false],
    ['none back yet', 10, 10, 0.8, 0, 600_000, true],
    ['7 of 10 back, 80 % needed', 10, 3, 0.8, 1000, 600_000, true],
    ['8 of 10 back, 80 % needed', 10, 2, 0.8, 1000, 600_000, false],
    ['all back', 10, 0, 0.8, 1000, 600_000, false],
    ['timeout passed with none back', 10, 10, 0.8, 600_000, 600_000, false],
    ['fraction 0 never waits', 10, 10, 0, 0, 600_000, false],
    ['fraction 1 waits for the last agent', 10, 1, 1, 0, 600_000, true],
    ['timeout 0 never waits', 10, 10, 0.8, 0, 0, false],
  ])('%s', (_case, recovered, waiting, fraction, elapsedMs, timeoutMs, pending) => {
    expect(quotaRecoveryPending({ recovered, waiting, fraction, elapsedMs, timeoutMs })).toBe(pending);
  });
});
