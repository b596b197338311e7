import { taskEndsAt } from './task-timing';

describe('taskEndsAt', () => {
  it.each([
    ['zero duration finishes in the same turn', 1000, 0, undefined],
    ['negative duration counts as zero', 1000, -5, undefined],
    ['non-finite duration counts as zero', 1000, Number.NaN, undefined],
    ['a duration ends that long after now', 1000, 250, 1250],
  ])('%s', (_case, now, duration, expected) => {
    expect(taskEndsAt(now, duration)).toBe(expected);
  });
});
