import { TimerWindow } from './timer-window';

describe('TimerWindow', () => {
  it('has no value and no statistics before two values', () => {
    const timer = new TimerWindow();
    expect(timer.latest).toBeUndefined();
    expect(timer.statistics()).toBeUndefined();
    timer.record(3);
    expect(timer.latest).toBe(3);
    expect(timer.statistics()).toBeUndefined();
  });

  it('gives count, min, max and interpolated percentiles of the values', () => {
    const timer = new TimerWindow();
    for (const v of [4, 1, 3, 2, 5]) timer.record(v);
    expect(timer.latest).toBe(5);
    expect(timer.statistics()).toEqual({ count: 5, min: 1, max: 5, p50: 3, p90: 4.6, p95: 4.8, p99: 4.96, p999: 4.996, p9999: 4.9996 });
  });

  it('keeps only the last `capacity` values', () => {
    const timer = new TimerWindow(3);
    for (const v of [100, 1, 2, 3]) timer.record(v);
    expect(timer.statistics()).toMatchObject({ count: 3, min: 1, max: 3 });
    timer.record(0);
    expect(timer.statistics()).toMatchObject({ count: 3, min: 0, max: 3 });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a capacity of %p', (capacity) => {
    expect(() => new TimerWindow(capacity)).toThrow(/capacity of at least 1/);
  });
});
