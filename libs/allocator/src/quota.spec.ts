import { ResourceQuantities } from '@agora/resources';
import { QuotaTracker } from './quota';
import { ScalarSpace } from './scalar-space';

function tracker(): { q: QuotaTracker; cpus: number } {
  const space = new ScalarSpace();
  const cpus = space.indexOf('cpus');
  return { q: new QuotaTracker(space), cpus };
}
const v = (cpus: number): number[] => [cpus * 1000];

describe('QuotaTracker', () => {
  it('consumption is reservations plus unreserved allocations of the subtree', () => {
    const { q, cpus } = tracker();
    q.set('eng', ResourceQuantities.parse('cpus:10'), ResourceQuantities.EMPTY);
    q.reservedChanged('eng/web', v(3), 1);
    q.unreservedAllocationChanged('eng/api', v(2), 1);
    expect(q.consumed('eng')[cpus]).toBe(5000);
    expect(q.unsatisfied('eng', cpus)).toBe(5000);
  });

  it('required headroom is the sum of unmet guarantees and follows allocations', () => {
    const { q, cpus } = tracker();
    q.set('a', ResourceQuantities.parse('cpus:4'), ResourceQuantities.EMPTY);
    q.set('b', ResourceQuantities.parse('cpus:6'), ResourceQuantities.EMPTY);
    expect(q.requiredHeadroom()[cpus]).toBe(10_000);
    q.unreservedAllocationChanged('a', v(5), 1); // beyond its guarantee: only 4 counted
    expect(q.requiredHeadroom()[cpus]).toBe(6000);
    q.unreservedAllocationChanged('a', v(5), -1);
    expect(q.requiredHeadroom()[cpus]).toBe(10_000);
  });

  it.each([
    // [case, free cpus, role, limit, own guarantee, other guarantee, expected cap, binding rule]
    ['no quota anywhere', 10, 'x', undefined, 0, 0, Infinity, 'none'],
    ['limit binds', 10, 'x', 3, 0, 0, 3000, 'limit'],
    ['others need headroom', 10, 'x', undefined, 0, 8, 2000, 'headroom'],
    ['own unmet guarantee is not taken from the surplus', 10, 'x', undefined, 4, 6, 4000, 'headroom'],
    ['no surplus at all', 5, 'x', undefined, 0, 8, 0, 'headroom'],
  ] as const)('cap: %s', (_name, free, role, limit, own, other, amount, by) => {
    const { q, cpus } = tracker();
    q.freeUnreservedChanged(v(free), 1);
    if (limit !== undefined || own > 0) {
      q.set(role, ResourceQuantities.fromRecord({ cpus: own }), limit === undefined ? ResourceQuantities.EMPTY : ResourceQuantities.fromRecord({ cpus: limit }));
    }
    if (other > 0) q.set('other', ResourceQuantities.fromRecord({ cpus: other }), ResourceQuantities.EMPTY);
    expect(q.cap(role, cpus)).toEqual({ amount, by });
  });
});
