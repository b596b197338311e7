/**
 * fast-check generators for resources, shared by the property tests. Values come from small
 * pools on purpose, so that generated collections collide on identities and ranges overlap.
 */
import fc from 'fast-check';
import { identityKey } from '../identity';
import { isNormalizedRanges } from '../ranges';
import type { DiskInfo, Reservation, Resource } from '../resource';
import { Resources } from '../resources';
import { validateRole } from '../roles';
import { isNormalizedItems } from '../sets';

const STACKS: Reservation[][] = [
  [],
  [{ type: 'STATIC', role: 'eng' }],
  [{ type: 'DYNAMIC', role: 'eng' }],
  [{ type: 'DYNAMIC', role: 'eng', principal: 'alice' }],
  [{ type: 'DYNAMIC', role: 'eng', labels: [{ key: 'team', value: 'web' }] }],
  [{ type: 'STATIC', role: 'eng' }, { type: 'DYNAMIC', role: 'eng/web' }],
  [{ type: 'DYNAMIC', role: 'eng' }, { type: 'DYNAMIC', role: 'eng/web', principal: 'bob' }],
  [{ type: 'DYNAMIC', role: 'ops/db' }],
];

const DISKS: DiskInfo[] = [
  { persistenceId: 'v1', persistencePrincipal: 'alice', containerPath: 'data', mode: 'RW' },
  { source: { type: 'MOUNT', root: '/mnt/d1' } },
  { source: { type: 'PATH' } },
];

const identity = fc.record({
  reservations: fc.constantFrom(...STACKS),
  allocationRole: fc.option(fc.constantFrom('eng', 'eng/web', '*'), { nil: undefined }),
  revocable: fc.boolean(),
  shared: fc.boolean(),
});

const scalar = fc
  .tuple(fc.constantFrom('cpus', 'mem', 'gpus'), fc.integer({ min: 1, max: 5_000_000 }), identity)
  .map(([name, milli, id]): Resource => ({ name, kind: 'SCALAR', milli, ...id }));

const disk = fc
  .tuple(fc.integer({ min: 1, max: 100_000 }), fc.option(fc.constantFrom(...DISKS), { nil: undefined }), identity)
  .map(([milli, d, id]): Resource => ({ name: 'disk', kind: 'SCALAR', milli, ...id, disk: d }));

const ranges = fc
  .tuple(fc.array(fc.tuple(fc.nat(200), fc.nat(20)), { minLength: 1, maxLength: 4 }), identity)
  .map(([rs, id]): Resource => ({
    name: 'ports',
    kind: 'RANGES',
    ranges: rs.map(([begin, len]) => ({ begin, end: begin + len })),
    ...id,
  }));

const set = fc
  .tuple(fc.subarray(['a', 'b', 'c', 'd', 'e'], { minLength: 1 }), identity)
  .map(([items, id]): Resource => ({ name: 'bugs', kind: 'SET', items, ...id }));

/** One raw (not necessarily canonical) resource of any kind. */
export const resourceArb: fc.Arbitrary<Resource> = fc.oneof(scalar, scalar, disk, ranges, set);

export const resourcesArb: fc.Arbitrary<Resources> = fc.array(resourceArb, { maxLength: 8 }).map((list) => Resources.of(list));

/** Only scalars: add and subtract are exact inverses there (ranges and sets are unions). */
export const scalarResourcesArb: fc.Arbitrary<Resources> = fc
  .array(fc.oneof(scalar, disk), { maxLength: 8 })
  .map((list) => Resources.of(list));

// ---- exotic strings, to exercise quoting in the text form -----------------------------------

const anyText = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', ' ', ',', ':', '"', '\\', '(', '}', ';', '=', 'é', '\n') });

const component = fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', '.', '-', ':', '(', ')', ',', '"', '*', '{') });

/** A valid role whose components contain characters the text form has to quote. */
export const exoticRoleArb: fc.Arbitrary<string> = fc
  .array(component, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('/'))
  .filter((role) => role !== '*' && validateRole(role) === undefined);

export const exoticResourceArb: fc.Arbitrary<Resource> = fc
  .record({
    name: anyText,
    milli: fc.integer({ min: 1, max: 10_000_000 }),
    role: exoticRoleArb,
    principal: fc.option(anyText, { nil: undefined }),
    labels: fc.array(fc.record({ key: anyText, value: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }) }), { maxLength: 2 }),
    allocationRole: fc.option(exoticRoleArb, { nil: undefined }),
    items: fc.array(anyText, { minLength: 1, maxLength: 3 }),
    asSet: fc.boolean(),
    persistenceId: fc.option(anyText, { nil: undefined }),
  })
  .map(
    (x): Resource => ({
      // a name has one kind (the text form rejects mixing); `anyText` never produces "set"
      name: x.asSet ? `set${x.name}` : x.name,
      ...(x.asSet ? { kind: 'SET' as const, items: x.items } : { kind: 'SCALAR' as const, milli: x.milli }),
      reservations: [{ type: 'DYNAMIC', role: x.role, principal: x.principal, labels: x.labels }],
      allocationRole: x.allocationRole,
      disk: x.persistenceId === undefined ? undefined : { persistenceId: x.persistenceId },
    }),
  );

/**
 * Checks the normalized-form invariants of a collection; returns a description of the first
 * violation, or undefined.
 */
export function normalizedViolation(res: Resources): string | undefined {
  let previous: string | undefined;
  for (const r of res.list) {
    const key = identityKey(r);
    if (previous !== undefined && !(previous < key)) return `entries not strictly sorted by identity at ${r.name}`;
    previous = key;
    if (r.kind === 'SCALAR' && (!Number.isSafeInteger(r.milli) || (r.milli ?? 0) <= 0)) return `bad scalar ${r.milli}`;
    if (r.kind === 'RANGES' && (!r.ranges || r.ranges.length === 0 || !isNormalizedRanges(r.ranges))) return `bad ranges`;
    if (r.kind === 'SET' && (!r.items || r.items.length === 0 || !isNormalizedItems(r.items))) return `bad set`;
  }
  return undefined;
}
