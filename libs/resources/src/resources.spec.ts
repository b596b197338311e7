import { InvalidResourceError } from './errors';
import { ResourceQuantities } from './quantities';
import type { Resource } from './resource';
import { Resources } from './resources';

const R = (text: string): Resources => Resources.parse(text);

describe('Resources: normalization and identity', () => {
  it.each([
    ['empty', '', ''],
    ['same identity merges', 'cpus:1;cpus:2', 'cpus:3'],
    ['zero scalar dropped', 'cpus:0;mem:1', 'mem:1'],
    ['empty ranges dropped', 'ports:[];mem:1', 'mem:1'],
    ['empty set dropped', 'bugs:{};mem:1', 'mem:1'],
    ['ranges coalesce across entries', 'ports:[1-3];ports:[4-6]', 'ports:[1-6]'],
    ['sets union across entries', 'bugs:{b};bugs:{a,b}', 'bugs:{a,b}'],
    ['static reservation is another identity', 'cpus:1;cpus(eng):1', 'cpus:1;cpus(eng):1'],
    ['explicit * is unreserved', 'cpus(*):1;cpus:1', 'cpus:2'],
    ['dynamic differs from static', 'cpus(eng):1;cpus(reservations: [(DYNAMIC,eng)]):1', 'cpus(eng):1;cpus(reservations: [(DYNAMIC,eng)]):1'],
    ['principal is identity', 'cpus(reservations: [(DYNAMIC,eng,a)]):1;cpus(reservations: [(DYNAMIC,eng,b)]):1', 'cpus(reservations: [(DYNAMIC,eng,a)]):1;cpus(reservations: [(DYNAMIC,eng,b)]):1'],
    ['label order is not identity', 'cpus(reservations: [(DYNAMIC,eng,,{x:1,y:2})]):1;cpus(reservations: [(DYNAMIC,eng,,{y:2,x:1})]):1', 'cpus(reservations: [(DYNAMIC,eng,,{x:1,y:2})]):2'],
    ['allocation role is identity', 'cpus(allocated: a):1;cpus(allocated: b):1', 'cpus(allocated: a):1;cpus(allocated: b):1'],
    ['revocable is identity', 'cpus:1;cpus{REV}:1', 'cpus:1;cpus{REV}:1'],
    ['shared is identity', 'disk:1;disk{SHARED}:1', 'disk:1;disk{SHARED}:1'],
    ['disk info is identity', 'disk:1;disk[id:v1]:1;disk[id:v2]:1', 'disk:1;disk[id:v1]:1;disk[id:v2]:1'],
    ['sorted by name', 'mem:1;cpus:1;bugs:{a}', 'bugs:{a};cpus:1;mem:1'],
  ])('%s', (_edge, text, printed) => {
    expect(R(text).toString()).toBe(printed);
  });

  it('of canonicalizes hand-built entries and keeps canonical ones as they are', () => {
    const canonical: Resource = { name: 'cpus', kind: 'SCALAR', milli: 1000, reservations: [] };
    const messy: Resource = { name: 'ports', kind: 'RANGES', ranges: [{ begin: 5, end: 6 }, { begin: 1, end: 4 }], reservations: [], milli: 3 };
    const res = Resources.of([canonical, messy]);
    expect(res.list[0]).toBe(canonical);
    expect(res.list[1]).toEqual({ name: 'ports', kind: 'RANGES', ranges: [{ begin: 1, end: 6 }], reservations: [] });
    expect(Resources.of(res)).toBe(res);
  });

  it.each([
    ['negative scalar', { name: 'cpus', kind: 'SCALAR', milli: -1, reservations: [] }, 'scalar must be a non-negative integer of milli, got -1'],
    ['fractional milli', { name: 'cpus', kind: 'SCALAR', milli: 0.5, reservations: [] }, 'scalar must be a non-negative integer of milli'],
    ['empty name', { name: '', kind: 'SCALAR', milli: 1, reservations: [] }, 'name must be a non-empty string'],
    ['range begin > end', { name: 'p', kind: 'RANGES', ranges: [{ begin: 3, end: 1 }], reservations: [] }, 'range 3-1 has begin > end'],
    ['negative range', { name: 'p', kind: 'RANGES', ranges: [{ begin: -3, end: 1 }], reservations: [] }, 'range bounds must be non-negative integers'],
    ['reserve for *', { name: 'cpus', kind: 'SCALAR', milli: 1, reservations: [{ type: 'DYNAMIC', role: '*' }] }, "cannot reserve for role '*'"],
    ['stack does not nest', { name: 'cpus', kind: 'SCALAR', milli: 1, reservations: [{ type: 'DYNAMIC', role: 'eng' }, { type: 'DYNAMIC', role: 'ops' }] }, "refined reservation for 'ops' is not inside 'eng'"],
    ['STATIC above DYNAMIC', { name: 'cpus', kind: 'SCALAR', milli: 1, reservations: [{ type: 'DYNAMIC', role: 'eng' }, { type: 'STATIC', role: 'eng/a' }] }, 'a STATIC reservation can only be the bottom'],
  ] as Array<[string, Resource, string]>)('of rejects %s', (_edge, r, message) => {
    expect(() => Resources.of([r])).toThrow(InvalidResourceError);
    expect(() => Resources.of([r])).toThrow(message);
  });

  it('helpers build single entries', () => {
    expect(Resources.scalar('cpus', 1.5, { role: 'eng', revocable: true }).toString()).toBe('cpus(eng){REV}:1.5');
    expect(Resources.ranges('ports', [[5, 6], [1, 4]]).toString()).toBe('ports:[1-6]');
    expect(Resources.set('bugs', ['b', 'a'], { allocationRole: 'eng' }).toString()).toBe('bugs(allocated: eng):{a,b}');
    expect(Resources.scalar('cpus', 0).isEmpty()).toBe(true);
    expect(() => Resources.scalar('cpus', -1)).toThrow(InvalidResourceError);
  });

  it('equals compares identities and values', () => {
    expect(R('cpus:1;mem:2').equals(R('mem:2;cpus:1'))).toBe(true);
    expect(R('cpus:1').equals(R('cpus:1.001'))).toBe(false);
    expect(R('cpus:1').equals(R('cpus(eng):1'))).toBe(false);
    expect(R('ports:[1-2]').equals(R('ports:[1-3]'))).toBe(false);
    expect(Resources.EMPTY.equals(R(''))).toBe(true);
  });

  it('iterates its list and reports size', () => {
    const res = R('cpus:1;mem:2;cpus(eng):1');
    expect([...res].map((r) => r.name)).toEqual(['cpus', 'cpus', 'mem']);
    expect(res.size).toBe(3);
    expect(JSON.stringify({ res })).toBe('{"res":"cpus:1;cpus(eng):1;mem:2"}');
  });
});

describe('Resources: arithmetic', () => {
  it.each([
    ['scalars sum', 'cpus:1;mem:10', 'cpus:0.5', 'cpus:1.5;mem:10'],
    ['different identities stay apart', 'cpus:1', 'cpus(eng):1', 'cpus:1;cpus(eng):1'],
    ['adjacent ranges merge', 'ports:[1-10]', 'ports:[11-20]', 'ports:[1-20]'],
    ['sets union', 'bugs:{a}', 'bugs:{b}', 'bugs:{a,b}'],
    ['empty is neutral', 'cpus:1', '', 'cpus:1'],
  ])('add: %s', (_edge, a, b, expected) => {
    expect(R(a).add(R(b)).toString()).toBe(expected);
  });

  it.each([
    ['scalar partly', 'cpus:2;mem:10', 'cpus:0.5', 'cpus:1.5;mem:10'],
    ['scalar saturates at zero and disappears', 'cpus:1;mem:10', 'cpus:5', 'mem:10'],
    ['identity absent here is ignored', 'cpus:1', 'cpus(eng):1;gpus:1', 'cpus:1'],
    ['only the matching identity shrinks', 'cpus:1;cpus(eng):1', 'cpus(eng):0.25', 'cpus:1;cpus(eng):0.75'],
    ['ranges split', 'ports:[31000-32000]', 'ports:[31500-31500]', 'ports:[31000-31499,31501-32000]'],
    ['ranges vanish', 'ports:[1-5];cpus:1', 'ports:[0-10]', 'cpus:1'],
    ['sets lose items', 'bugs:{a,b,c}', 'bugs:{b,z}', 'bugs:{a,c}'],
  ])('subtract: %s', (_edge, a, b, expected) => {
    expect(R(a).subtract(R(b)).toString()).toBe(expected);
  });

  it('subtract and add return the receiver when nothing changes', () => {
    const a = R('cpus:1;ports:[1-5]');
    expect(a.subtract(R('gpus:1;ports:[7-9]'))).toBe(a);
    expect(a.add(Resources.EMPTY)).toBe(a);
  });

  it.each([
    ['itself', 'cpus:1;ports:[1-5]', 'cpus:1;ports:[1-5]', true],
    ['less scalar', 'cpus:1', 'cpus:0.5', true],
    ['more scalar', 'cpus:1', 'cpus:1.001', false],
    ['reserved does not cover unreserved', 'cpus(eng):4', 'cpus:1', false],
    ['unreserved does not cover reserved', 'cpus:4', 'cpus(eng):1', false],
    ['allocated does not cover unallocated', 'cpus(allocated: eng):4', 'cpus:1', false],
    ['sub-range', 'ports:[1-10,20-30]', 'ports:[2-3,25-30]', true],
    ['range across a gap', 'ports:[1-10,20-30]', 'ports:[9-21]', false],
    ['subset of items', 'bugs:{a,b,c}', 'bugs:{a,c}', true],
    ['missing item', 'bugs:{a,b}', 'bugs:{c}', false],
    ['anything contains empty', 'cpus:1', '', true],
    ['empty contains nothing', '', 'cpus:1', false],
  ])('contains: %s', (_edge, a, b, expected) => {
    expect(R(a).contains(R(b))).toBe(expected);
  });

  it('a million additions and subtractions of 0.001 cpus leave no drift', () => {
    const step = Resources.scalar('cpus', 0.001);
    let total = Resources.EMPTY;
    for (let i = 0; i < 1_000_000; i++) total = total.add(step);
    expect(total.scalar('cpus')).toBe(1_000_000);
    expect(total.toString()).toBe('cpus:1000');
    for (let i = 0; i < 1_000_000; i++) total = total.subtract(step);
    expect(total.isEmpty()).toBe(true);
    expect(total).toBe(Resources.EMPTY);
  });
});

describe('Resources: selection', () => {
  const mixed = R('cpus:1;cpus(eng):2;cpus(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/web)]):3;cpus(ops):4;mem(eng/web/api):5;cpus{REV}:6;disk{SHARED}:7');

  it.each([
    ['star gets unreserved only', '*', 'cpus:1;cpus{REV}:6;disk{SHARED}:7'],
    ['top-level role gets its reservation', 'eng', 'cpus:1;cpus{REV}:6;cpus(eng):2;disk{SHARED}:7'],
    ['child role gets the parent reservation and its own', 'eng/web', 'cpus:1;cpus{REV}:6;cpus(eng):2;cpus(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/web)]):3;disk{SHARED}:7'],
    ['grandchild gets every ancestor reservation', 'eng/web/api', 'cpus:1;cpus{REV}:6;cpus(eng):2;cpus(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/web)]):3;disk{SHARED}:7;mem(eng/web/api):5'],
    ['sibling does not get a cousin reservation', 'eng/db', 'cpus:1;cpus{REV}:6;cpus(eng):2;disk{SHARED}:7'],
    ['name prefix is not a parent', 'engineering', 'cpus:1;cpus{REV}:6;disk{SHARED}:7'],
    ['other tree', 'ops/x', 'cpus:1;cpus{REV}:6;cpus(ops):4;disk{SHARED}:7'],
  ])('allocatableTo: %s', (_edge, role, expected) => {
    expect(mixed.allocatableTo(role).toString()).toBe(expected);
  });

  it('allocatableTo returns the receiver when everything qualifies', () => {
    const unreserved = R('cpus:1;mem:2');
    expect(unreserved.allocatableTo('eng')).toBe(unreserved);
  });

  it.each([
    ['all reserved', undefined, 'cpus(eng):2;cpus(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/web)]):3;cpus(ops):4;mem(eng/web/api):5'],
    ['innermost role only', 'eng', 'cpus(eng):2'],
    ['refined', 'eng/web', 'cpus(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/web)]):3'],
    ['no such role', 'x', ''],
  ])('reserved: %s', (_edge, role, expected) => {
    expect(mixed.reserved(role).toString()).toBe(expected);
  });

  it('filters by reservation, revocability and sharing', () => {
    expect(mixed.unreserved().toString()).toBe('cpus:1;cpus{REV}:6;disk{SHARED}:7');
    expect(mixed.revocable().toString()).toBe('cpus{REV}:6');
    expect(mixed.nonRevocable().revocable().isEmpty()).toBe(true);
    expect(mixed.shared().toString()).toBe('disk{SHARED}:7');
    expect(mixed.nonShared().shared().isEmpty()).toBe(true);
    expect(mixed.filter((r) => r.name === 'mem').toString()).toBe('mem(eng/web/api):5');
  });

  it('reservedByRole groups by innermost role in sorted order', () => {
    const groups = mixed.reservedByRole();
    expect([...groups.keys()]).toEqual(['eng', 'eng/web', 'eng/web/api', 'ops']);
    expect(groups.get('eng')?.toString()).toBe('cpus(eng):2');
    expect(groups.get('ops')?.toString()).toBe('cpus(ops):4');
  });

  it('reservationRole is the innermost role or *', () => {
    const [unreserved, , eng, refined] = mixed.list;
    expect([Resources.reservationRole(unreserved), Resources.reservationRole(eng), Resources.reservationRole(refined)]).toEqual(['*', 'eng', 'eng/web']);
  });

  it('sums amounts over identities', () => {
    expect(mixed.scalar('cpus')).toBe(16_000);
    expect(mixed.scalar('gpus')).toBe(0);
    expect(mixed.quantities().toString()).toBe('cpus:16;disk:7;mem:5');
    expect(mixed.quantities()).toBe(mixed.quantities());
    expect(mixed.names()).toEqual(['cpus', 'disk', 'mem']);
  });

  it.each([
    ['range values over identities', 'ports:[1-10];ports(eng):[20-24]', 'ports', 15],
    ['set items', 'bugs:{a,b,c}', 'bugs', 3],
    ['scalars are not counted', 'cpus:4', 'cpus', 0],
    ['absent', 'cpus:4', 'ports', 0],
  ])('count: %s', (_edge, text, name, n) => {
    expect(R(text).count(name)).toBe(n);
  });
});

describe('Resources: identity changes', () => {
  it('allocate sets the allocation role everywhere and merges what becomes equal', () => {
    const res = R('cpus:1;cpus(allocated: old):2;mem(eng):3');
    expect(res.allocate('eng/web').toString()).toBe('cpus(allocated: eng/web):3;mem(eng)(allocated: eng/web):3');
    expect(res.allocate('eng/web').unallocate().toString()).toBe('cpus:3;mem(eng):3');
    expect(R('cpus(allocated: x):1;cpus:2;mem:1').allocate('x').toString()).toBe('cpus(allocated: x):3;mem(allocated: x):1');
    expect(R('cpus(allocated: x):1;cpus(allocated: y):2').unallocate().toString()).toBe('cpus:3');
    const allocated = res.allocate('x');
    expect(allocated.allocate('x')).toBe(allocated);
    expect(R('cpus:1').unallocate().toString()).toBe('cpus:1');
  });

  it('pushReservation reserves, then refines', () => {
    const res = R('cpus:1;mem:2');
    const reserved = res.pushReservation({ type: 'DYNAMIC', role: 'eng', principal: 'alice' });
    expect(reserved.toString()).toBe('cpus(reservations: [(DYNAMIC,eng,alice)]):1;mem(reservations: [(DYNAMIC,eng,alice)]):2');
    const refined = reserved.pushReservation({ type: 'DYNAMIC', role: 'eng/web' });
    expect(refined.reserved('eng/web').equals(refined)).toBe(true);
    expect(refined.popReservation().equals(reserved)).toBe(true);
    expect(reserved.popReservation().equals(res)).toBe(true);
  });

  it.each([
    ['reserving for *', 'cpus:1', { type: 'DYNAMIC', role: '*' }, "cannot reserve for role '*'"],
    ['invalid role', 'cpus:1', { type: 'DYNAMIC', role: 'a//b' }, "must not contain '//'"],
    ['refining outside the subtree', 'cpus(eng):1', { type: 'DYNAMIC', role: 'ops' }, "refined reservation for 'ops' is not inside 'eng'"],
    ['refining to the same role', 'cpus(eng):1', { type: 'DYNAMIC', role: 'eng' }, "refined reservation for 'eng' is not inside 'eng'"],
    ['STATIC on top', 'cpus(eng):1', { type: 'STATIC', role: 'eng/web' }, 'a STATIC reservation can only be the bottom'],
  ] as const)('pushReservation rejects %s', (_edge, text, res, message) => {
    expect(() => R(text).pushReservation(res)).toThrow(message);
  });

  it('popReservation rejects unreserved entries', () => {
    expect(() => R('cpus(eng):1;mem:1').popReservation()).toThrow("cannot pop a reservation from unreserved 'mem'");
  });
});

describe('Resources: shrinkScalars', () => {
  const unreserved = (r: Resource): boolean => r.reservations.length === 0;

  it.each([
    ['under the limit: unchanged', 'cpus:2;mem:100', 'cpus:4', undefined, 'cpus:2;mem:100'],
    ['over the limit: cut', 'cpus:8;mem:100', 'cpus:4', undefined, 'cpus:4;mem:100'],
    ['limit zero removes the entry', 'cpus:8;mem:100', 'cpus:0', undefined, 'mem:100'],
    ['names not in the limit untouched', 'cpus:8;mem:100', 'mem:10', undefined, 'cpus:8;mem:10'],
    ['budget spent in list order', 'cpus:3;cpus{REV}:3', 'cpus:4', undefined, 'cpus:3;cpus{REV}:1'],
    ['predicate keeps reserved entries whole', 'cpus:3;cpus(eng):3', 'cpus:1', unreserved, 'cpus:1;cpus(eng):3'],
    ['reserved entries do not use the budget', 'cpus(eng):3;cpus:3', 'cpus:2', unreserved, 'cpus:2;cpus(eng):3'],
    ['non-scalars untouched', 'ports:[1-100];cpus:2', 'cpus:1;ports:0', undefined, 'cpus:1;ports:[1-100]'],
    ['fractional limit', 'cpus:2', 'cpus:0.125', undefined, 'cpus:0.125'],
  ])('%s', (_edge, text, limit, pred, expected) => {
    expect(R(text).shrinkScalars(ResourceQuantities.parse(limit), pred).toString()).toBe(expected);
  });

  it('returns the receiver when nothing is cut', () => {
    const res = R('cpus:2;mem:3');
    expect(res.shrinkScalars(ResourceQuantities.parse('cpus:5'))).toBe(res);
    expect(res.shrinkScalars(ResourceQuantities.EMPTY)).toBe(res);
  });
});
