import fc from 'fast-check';
import { ResourceQuantities } from './quantities';
import type { Resource } from './resource';
import { Resources } from './resources';
import { normalizedViolation, resourceArb, resourcesArb, scalarResourcesArb } from './testing/arbitraries';

const nonScalar = (r: Resource): boolean => r.kind !== 'SCALAR';

describe('Resources properties', () => {
  it('add then subtract gives back the original (scalars)', () => {
    fc.assert(fc.property(scalarResourcesArb, scalarResourcesArb, (a, b) => a.add(b).subtract(b).equals(a)));
  });

  it('add then subtract gives back the original when ranges and sets do not overlap', () => {
    // Ranges and sets add as unions, so values already in `a` cannot be given back twice.
    fc.assert(
      fc.property(resourcesArb, resourcesArb, (a, b) => {
        const fresh = b.subtract(a.filter(nonScalar));
        return a.add(fresh).subtract(fresh).equals(a);
      }),
    );
  });

  it('a + b contains a and b', () => {
    fc.assert(fc.property(resourcesArb, resourcesArb, (a, b) => a.add(b).contains(a) && a.add(b).contains(b)));
  });

  it('add is commutative and associative', () => {
    fc.assert(
      fc.property(resourcesArb, resourcesArb, resourcesArb, (a, b, c) => {
        expect(a.add(b).equals(b.add(a))).toBe(true);
        expect(a.add(b).add(c).equals(a.add(b.add(c)))).toBe(true);
      }),
    );
  });

  it('a - b is contained in a, and (a - b) + b contains a', () => {
    fc.assert(fc.property(resourcesArb, resourcesArb, (a, b) => a.contains(a.subtract(b)) && a.subtract(b).add(b).contains(a)));
  });

  it('contains agrees with subtract: a contains b exactly when b - a is empty', () => {
    fc.assert(fc.property(resourcesArb, resourcesArb, (a, b) => a.contains(b) === b.subtract(a).isEmpty()));
  });

  it('subtract never yields negatives, and every result is normalized', () => {
    fc.assert(
      fc.property(resourcesArb, resourcesArb, (a, b) => {
        for (const x of [a, a.add(b), a.subtract(b), b.subtract(a), a.allocate('eng').unallocate(), a.shrinkScalars(ResourceQuantities.parse('cpus:1;mem:2'))]) {
          expect(normalizedViolation(x)).toBeUndefined();
          for (const r of x) if (r.kind === 'SCALAR') expect(r.milli).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('of is insensitive to order and splitting: merging entries one by one gives the same result', () => {
    fc.assert(
      fc.property(fc.array(resourceArb, { maxLength: 10 }), (list) => {
        const all = Resources.of(list);
        expect(Resources.of([...list].reverse()).equals(all)).toBe(true);
        expect(Resources.sum(list.map((r) => Resources.of([r]))).equals(all)).toBe(true);
      }),
    );
  });

  it('quantities of a sum are the sum of quantities', () => {
    fc.assert(fc.property(resourcesArb, resourcesArb, (a, b) => a.add(b).quantities().equals(a.quantities().add(b.quantities()))));
  });

  it('shrinkScalars caps the selected entries and leaves the rest alone', () => {
    const limitArb = fc
      .record({ cpus: fc.integer({ min: 0, max: 6_000_000 }), mem: fc.integer({ min: 0, max: 6_000_000 }) })
      .map((l) => ResourceQuantities.fromMilli(Object.entries(l)));
    const unreserved = (r: Resource): boolean => r.reservations.length === 0;
    fc.assert(
      fc.property(resourcesArb, limitArb, (a, limit) => {
        const cut = a.shrinkScalars(limit, unreserved);
        expect(a.contains(cut)).toBe(true);
        for (const name of limit.names()) {
          const selected = cut.filter(unreserved).scalar(name);
          expect(selected).toBe(Math.min(a.filter(unreserved).scalar(name), limit.get(name)));
        }
        expect(cut.filter((r) => !unreserved(r)).equals(a.filter((r) => !unreserved(r)))).toBe(true);
      }),
    );
  });

  it('allocatableTo(role) is unreserved plus the reservations of role and its ancestors', () => {
    fc.assert(
      fc.property(resourcesArb, fc.constantFrom('*', 'eng', 'eng/web', 'eng/web/x', 'ops', 'ops/db'), (a, role) => {
        const expected = Resources.sum(
          [...a.reservedByRole()].filter(([r]) => role === r || role.startsWith(`${r}/`)).map(([, res]) => res),
        ).add(a.unreserved());
        return a.allocatableTo(role).equals(expected);
      }),
    );
  });
});
