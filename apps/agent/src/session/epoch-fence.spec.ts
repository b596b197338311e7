import { EpochFence } from './epoch-fence';

describe('EpochFence', () => {
  it('admits the first epoch, equal and newer ones, and refuses older ones', () => {
    const fence = new EpochFence();
    expect([3, 3, 2, 5, 4, 5, 0].map((e) => fence.admit(e))).toEqual([true, true, false, true, false, true, false]);
    expect(fence.epoch).toBe(5);
  });
});
