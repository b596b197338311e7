import { DrfSorter } from './drf-sorter';
import { ScalarSpace } from './scalar-space';

/** A sorter over cpus and mem with cluster totals of 100 cpus and 1000 mem (in thousandths). */
function sorter(hierarchical: boolean, excluded: string[] = []): { s: DrfSorter; v: (cpus: number, mem: number) => number[] } {
  const space = new ScalarSpace(new Set(excluded));
  const totals = [100_000, 1_000_000];
  space.indexOf('cpus');
  space.indexOf('mem');
  return { s: new DrfSorter(space, totals, hierarchical), v: (cpus, mem) => [cpus * 1000, mem * 1000] };
}

function order(s: DrfSorter): string[] {
  const out: string[] = [];
  s.visit((c) => {
    out.push(c);
    return false;
  });
  return out;
}

function addActive(s: DrfSorter, ...clients: string[]): void {
  for (const c of clients) {
    s.add(c);
    s.activate(c);
  }
}

describe('DrfSorter', () => {
  it.each([
    // [case, allocations (client → [cpus, mem]), expected order]
    ['no allocation: by name', {}, ['a', 'b', 'c']],
    ['smaller dominant share first', { a: [10, 0], b: [0, 50], c: [5, 0] }, ['b', 'c', 'a']],
    ['dominant resource is the larger fraction', { a: [10, 0], b: [1, 200] }, ['c', 'a', 'b']],
    ['a client with nothing comes first', { a: [10, 0], b: [5, 0] }, ['c', 'b', 'a']],
  ] as const)('%s', (_name, allocations, expected) => {
    const { s, v } = sorter(false);
    addActive(s, 'a', 'b', 'c');
    for (const [client, [cpus, mem]] of Object.entries(allocations)) s.allocated(client, v(cpus, mem));
    expect(order(s)).toEqual(expected);
  });

  it('ties on share are broken by allocation count, then name', () => {
    const { s, v } = sorter(false);
    addActive(s, 'a', 'b');
    s.allocated('a', v(5, 0));
    s.allocated('a', v(5, 0));
    s.allocated('b', v(10, 0));
    expect(order(s)).toEqual(['b', 'a']);
  });

  it('weights divide shares', () => {
    const { s, v } = sorter(true);
    addActive(s, 'a', 'b');
    s.setWeight('a', 4);
    s.allocated('a', v(30, 0));
    s.allocated('b', v(10, 0));
    expect(order(s)).toEqual(['a', 'b']);
    expect(s.share('a')).toBeCloseTo(0.075);
  });

  it('hierarchical: siblings compare their subtrees', () => {
    const { s, v } = sorter(true);
    addActive(s, 'eng/web', 'eng/api', 'ops');
    s.allocated('eng/web', v(10, 0));
    s.allocated('ops', v(15, 0));
    // eng (10) before ops (15); inside eng, api (0) before web (10).
    expect(order(s)).toEqual(['eng/api', 'eng/web', 'ops']);
  });

  it('hierarchical: a role with children competes with them through its own leaf', () => {
    const { s, v } = sorter(true);
    addActive(s, 'eng', 'eng/web');
    s.allocated('eng/web', v(10, 0));
    expect(order(s)).toEqual(['eng', 'eng/web']);
  });

  it('inactive clients are not visited but their allocation still counts for their parent', () => {
    const { s, v } = sorter(true);
    addActive(s, 'eng/web', 'eng/api', 'ops');
    s.allocated('eng/web', v(50, 0));
    s.deactivate('eng/web');
    expect(order(s)).toEqual(['ops', 'eng/api']);
  });

  it('excluded resource names do not count toward shares', () => {
    const { s, v } = sorter(false, ['mem']);
    addActive(s, 'a', 'b');
    s.allocated('a', v(0, 900));
    s.allocated('b', v(1, 0));
    expect(order(s)).toEqual(['a', 'b']);
  });

  it('a change of totals re-sorts before the next visit', () => {
    const space = new ScalarSpace();
    space.indexOf('cpus');
    space.indexOf('mem');
    const totals = [100_000, 1_000_000];
    const s = new DrfSorter(space, totals, false);
    addActive(s, 'a', 'b');
    s.allocated('a', [10_000, 0]);
    s.allocated('b', [0, 50_000]);
    expect(order(s)).toEqual(['b', 'a']);
    totals[1] = 100_000; // memory shrank tenfold: b now holds half of it
    s.totalsChanged();
    expect(order(s)).toEqual(['a', 'b']);
  });

  it('visiting while allocating neither skips nor loops', () => {
    const { s, v } = sorter(false);
    addActive(s, 'a', 'b', 'c');
    const seen: string[] = [];
    s.visit((c) => {
      seen.push(c);
      if (seen.length <= 3) s.allocated(c, v(1, 0));
      return seen.length > 10;
    });
    // Each served client moves behind the others; every client is still visited.
    expect(new Set(seen)).toEqual(new Set(['a', 'b', 'c']));
    expect(seen.length).toBeLessThanOrEqual(6);
  });

  it('removing a client drops its allocation from its ancestors and prunes empty nodes', () => {
    const { s, v } = sorter(true);
    addActive(s, 'eng/web', 'ops');
    s.allocated('eng/web', v(50, 0));
    s.remove('eng/web');
    expect(order(s)).toEqual(['ops']);
    addActive(s, 'eng/api');
    expect(order(s)).toEqual(['eng/api', 'ops']);
  });
});
