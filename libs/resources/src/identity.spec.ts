import fc from 'fast-check';
import { identityKey, keyWithAllocationRole, reservationRole, sameIdentity } from './identity';
import type { Label, Reservation, Resource } from './resource';

const scalar = (fields: Partial<Resource>): Resource => ({ name: 'cpus', kind: 'SCALAR', milli: 1000, reservations: [], ...fields });
const dyn = (role: string, extra: Partial<Reservation> = {}): Reservation => ({ type: 'DYNAMIC', role, ...extra });

describe('identity keys', () => {
  it.each([
    ['value is not identity', scalar({ milli: 1 }), scalar({ milli: 2 }), true],
    ['label order is not identity', scalar({ reservations: [dyn('eng', { labels: [{ key: 'a' }, { key: 'b', value: '1' }] })] }), scalar({ reservations: [dyn('eng', { labels: [{ key: 'b', value: '1' }, { key: 'a' }] })] }), true],
    ['empty labels equal no labels', scalar({ reservations: [dyn('eng', { labels: [] })] }), scalar({ reservations: [dyn('eng')] }), true],
    ['revocable false equals absent', scalar({ revocable: false }), scalar({}), true],
    ['kind', scalar({}), { name: 'cpus', kind: 'SET', items: ['a'], reservations: [] }, false],
    ['reservation type', scalar({ reservations: [{ type: 'STATIC', role: 'eng' }] }), scalar({ reservations: [dyn('eng')] }), false],
    ['absent principal differs from empty', scalar({ reservations: [dyn('eng', { principal: '' })] }), scalar({ reservations: [dyn('eng')] }), false],
    ['absent label value differs from empty', scalar({ reservations: [dyn('eng', { labels: [{ key: 'k', value: '' }] })] }), scalar({ reservations: [dyn('eng', { labels: [{ key: 'k' }] })] }), false],
    ['stack depth', scalar({ reservations: [dyn('eng')] }), scalar({ reservations: [dyn('eng'), dyn('eng/web')] }), false],
    ['allocation role', scalar({ allocationRole: 'eng' }), scalar({}), false],
    ['allocation role * is a role', scalar({ allocationRole: '*' }), scalar({}), false],
    ['shared', scalar({ shared: true }), scalar({}), false],
    ['disk persistence id', scalar({ disk: { persistenceId: 'a' } }), scalar({ disk: { persistenceId: 'b' } }), false],
    ['delimiter characters in names', scalar({ name: 'a\u0001S' }), scalar({ name: 'a' }), false],
    ['backslash escapes do not collide', scalar({ name: 'a\\a' }), scalar({ name: 'a\u0001' }), false],
  ] as Array<[string, Resource, Resource, boolean]>)('%s', (_edge, a, b, same) => {
    expect(sameIdentity(a, b)).toBe(same);
  });

  it('keys sort unreserved first, then by reservation role', () => {
    const keys = [scalar({ reservations: [dyn('ops')] }), scalar({ reservations: [dyn('eng')] }), scalar({})].map(identityKey).sort();
    expect(keys.map((k) => k.includes('ops') ? 'ops' : k.includes('eng') ? 'eng' : '*')).toEqual(['*', 'eng', 'ops']);
  });

  it('splicing in an allocation role gives the key computed from scratch', () => {
    const r = scalar({ reservations: [dyn('eng', { principal: 'p' })], revocable: true, disk: { persistenceId: 'v' } });
    expect(keyWithAllocationRole(identityKey(r), 'eng/web')).toBe(identityKey({ ...r, allocationRole: 'eng/web' }));
    expect(keyWithAllocationRole(identityKey({ ...r, allocationRole: 'x' }), undefined)).toBe(identityKey(r));
  });

  it('reservationRole is the innermost role', () => {
    expect(reservationRole(scalar({}))).toBe('*');
    expect(reservationRole(scalar({ reservations: [dyn('eng'), dyn('eng/web')] }))).toBe('eng/web');
  });

  it('equal keys exactly when the identities are equal (strings full of delimiters)', () => {
    const text = fc.string({ maxLength: 3, unit: fc.constantFrom('a', '\\', '\u0001', '\u0002', '\u0003', '\u0004', 'b') });
    const opt = fc.option(text, { nil: undefined });
    const label = fc.record({ key: text, value: opt });
    const resource = fc.record({
      name: text,
      kind: fc.constantFrom('SCALAR' as const, 'SET' as const),
      milli: fc.constant(1),
      reservations: fc.array(fc.record({ type: fc.constantFrom('STATIC' as const, 'DYNAMIC' as const), role: text, principal: opt, labels: fc.array(label, { maxLength: 2 }) }), { maxLength: 2 }),
      allocationRole: opt,
      revocable: fc.boolean(),
      shared: fc.boolean(),
      disk: fc.option(fc.record({ persistenceId: opt, containerPath: opt }), { nil: undefined }),
    });
    const sortLabels = (labels: readonly Label[] | undefined) =>
      [...(labels ?? [])].map((l) => JSON.stringify([l.key, l.value ?? null])).sort();
    const reference = (r: Resource): string =>
      JSON.stringify([
        r.name,
        r.kind,
        r.reservations.map((x) => [x.type, x.role, x.principal ?? null, sortLabels(x.labels)]),
        r.allocationRole ?? null,
        r.revocable,
        r.shared,
        r.disk === undefined ? null : [r.disk.persistenceId ?? null, r.disk.containerPath ?? null],
      ]);
    fc.assert(
      fc.property(resource, resource, (a, b) => {
        expect(identityKey(a) === identityKey(b)).toBe(reference(a) === reference(b));
        expect(identityKey(a) === identityKey({ ...a })).toBe(true);
      }),
    );
  });
});
