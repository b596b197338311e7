import fc from 'fast-check';
import { InvalidResourceError, ResourceParseError } from './errors';
import { Resources } from './resources';
import { resourcesArb } from './testing/arbitraries';
import { fromV1, isRefined, resourceFromV1, resourceToV1, resourceToV1Legacy, toV1, toV1Legacy } from './v1';
import type { V1Resource } from './v1-types';

const R = (text: string): Resources => Resources.parse(text);
const one = (text: string) => R(text).list[0];

describe('v1 JSON: reading', () => {
  it.each([
    ['scalar', { name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 } }, 'cpus:1.5'],
    ['scalar rounded to three decimals', { name: 'cpus', type: 'SCALAR', scalar: { value: 0.12345 } }, 'cpus:0.123'],
    ['scalar as a string', { name: 'cpus', type: 'SCALAR', scalar: { value: '2' } }, 'cpus:2'],
    ['ranges', { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } }, 'ports:[31000-32000]'],
    ['64-bit bounds as strings', { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: '1', end: '2' }] } }, 'ports:[1-2]'],
    ['set', { name: 'bugs', type: 'SET', set: { item: ['b', 'a'] } }, 'bugs:{a,b}'],
    ['refined stack', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'eng', principal: 'p', labels: { labels: [{ key: 'k', value: 'v' }] } }, { type: 'DYNAMIC', role: 'eng/web' }] }, 'cpus(reservations: [(DYNAMIC,eng,p,{k:v}),(DYNAMIC,eng/web)]):1'],
    ['legacy unreserved', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: '*' }, 'cpus:1'],
    ['legacy static', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng' }, 'cpus(eng):1'],
    ['legacy dynamic', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng', reservation: { principal: 'p' } }, 'cpus(reservations: [(DYNAMIC,eng,p)]):1'],
    ['legacy dynamic without principal', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng', reservation: {} }, 'cpus(reservations: [(DYNAMIC,eng)]):1'],
    ['empty reservations with legacy role', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng', reservations: [] }, 'cpus(eng):1'],
    ['role agreeing with reservations', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng', reservations: [{ type: 'STATIC', role: 'eng' }] }, 'cpus(eng):1'],
    ['nulls are absent', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: null, reservation: null, reservations: null, allocation_info: null, revocable: null, shared: null, disk: null }, 'cpus:1'],
    ['allocation info, revocable, shared', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, allocation_info: { role: 'eng' }, revocable: {}, shared: {} }, 'cpus(allocated: eng){REV}{SHARED}:1'],
    ['empty allocation info', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, allocation_info: {} }, 'cpus:1'],
    ['persistent volume', { name: 'disk', type: 'SCALAR', scalar: { value: 64 }, role: 'eng', reservation: { principal: 'p' }, disk: { persistence: { id: 'v1', principal: 'p' }, volume: { container_path: 'data', mode: 'RW' } } }, 'disk(reservations: [(DYNAMIC,eng,p)])[id:v1,principal:p,path:data,mode:RW]:64'],
    ['mount disk source', { name: 'disk', type: 'SCALAR', scalar: { value: 64 }, disk: { source: { type: 'MOUNT', mount: { root: '/mnt/d1' } } } }, 'disk[source:MOUNT,root:/mnt/d1]:64'],
    ['unknown fields ignored', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, provider_id: { value: 'x' } }, 'cpus:1'],
  ])('%s', (_edge, json, text) => {
    expect(fromV1([json]).toString()).toBe(text);
  });

  it.each([
    ['not an array', { name: 'cpus' }, 'resources', 'expected an array, got an object'],
    ['not an object', [42], 'resources[0]', 'expected an object, got 42'],
    ['missing name', [{ type: 'SCALAR', scalar: { value: 1 } }], 'resources[0].name', 'expected a string, got undefined'],
    ['empty name', [{ name: '', type: 'SCALAR', scalar: { value: 1 } }], 'resources[0].name', 'must not be empty'],
    ['TEXT type', [{ name: 'x', type: 'TEXT', text: { value: 'a' } }], 'resources[0].type', 'expected SCALAR, RANGES or SET, got "TEXT"'],
    ['missing scalar', [{ name: 'cpus', type: 'SCALAR' }], 'resources[0].scalar', 'missing for a SCALAR resource'],
    ['scalar not a number', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 'abc' } }], 'resources[0].scalar.value', 'expected a number, got "abc"'],
    ['negative scalar', [{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }], 'resources[0].scalar.value', 'value must not be negative'],
    ['range begin > end', [{ name: 'p', type: 'RANGES', ranges: { range: [{ begin: 5, end: 3 }] } }], 'resources[0].ranges.range[0]', 'begin 5 > end 3'],
    ['fractional range bound', [{ name: 'p', type: 'RANGES', ranges: { range: [{ begin: 1.5, end: 3 }] } }], 'resources[0].ranges.range[0].begin', 'expected a non-negative integer, got 1.5'],
    ['set item not a string', [{ name: 'b', type: 'SET', set: { item: ['a', 1] } }], 'resources[0].set.item[1]', 'expected a string, got 1'],
    ['invalid role', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'a//b' }], 'resources[0].role', "role 'a//b' must not contain '//'"],
    ['dynamic legacy reservation for *', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: '*', reservation: {} }], 'resources[0].reservation', "a dynamic reservation needs a 'role' other than '*'"],
    ['both formats disagree', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'ops', reservations: [{ type: 'STATIC', role: 'eng' }] }], 'resources[0].role', "'ops' contradicts 'reservations'"],
    ['reservation with reservations', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservation: {}, reservations: [{ type: 'DYNAMIC', role: 'eng' }] }], 'resources[0].reservation', "must not be set together with 'reservations'"],
    ['reservation type missing', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ role: 'eng' }] }], 'resources[0].reservations[0].type', 'expected a string, got undefined'],
    ['reservation for *', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: '*' }] }], 'resources[0].reservations[0].role', "cannot reserve for role '*'"],
    ['stack not nested', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'eng' }, { type: 'DYNAMIC', role: 'ops' }] }], 'resources[0].reservations', "refined reservation for 'ops' is not inside 'eng'"],
    ['label without key', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'eng', labels: { labels: [{ value: 'v' }] } }] }], 'resources[0].reservations[0].labels.labels[0].key', 'expected a string, got undefined'],
    ['allocation role invalid', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, allocation_info: { role: '' } }], 'resources[0].allocation_info.role', 'role must not be empty'],
    ['revocable not an object', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, revocable: true }], 'resources[0].revocable', 'expected an object, got true'],
    ['volume without container path', [{ name: 'disk', type: 'SCALAR', scalar: { value: 1 }, disk: { volume: { mode: 'RW' } } }], 'resources[0].disk.volume.container_path', 'expected a string, got undefined'],
    ['bad volume mode', [{ name: 'disk', type: 'SCALAR', scalar: { value: 1 }, disk: { volume: { container_path: 'd', mode: 'RX' } } }], 'resources[0].disk.volume.mode', 'expected RW or RO, got "RX"'],
    ['unsupported disk source', [{ name: 'disk', type: 'SCALAR', scalar: { value: 1 }, disk: { source: { type: 'BLOCK' } } }], 'resources[0].disk.source.type', 'expected PATH or MOUNT, got "BLOCK"'],
  ])('rejects %s', (_edge, json, path, reason) => {
    let error: unknown;
    try {
      fromV1(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResourceParseError);
    expect((error as ResourceParseError).input).toBe(path);
    expect((error as ResourceParseError).message).toContain(`invalid resource at ${path}: ${reason}`);
  });

  it('resourceFromV1 names the path it is given', () => {
    expect(() => resourceFromV1({ name: 'cpus' }, 'offer.resources[3]')).toThrow('invalid resource at offer.resources[3].type');
  });
});

describe('v1 JSON: writing', () => {
  it.each([
    ['unreserved scalar', 'cpus:1.5', { name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 } }],
    ['one milli', 'cpus:0.001', { name: 'cpus', type: 'SCALAR', scalar: { value: 0.001 } }],
    ['ranges', 'ports:[1-2,4-5]', { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }, { begin: 4, end: 5 }] } }],
    ['set', 'bugs:{a,b}', { name: 'bugs', type: 'SET', set: { item: ['a', 'b'] } }],
    ['static', 'cpus(eng):1', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'STATIC', role: 'eng' }] }],
    [
      'everything',
      'disk(reservations: [(DYNAMIC,eng,p,{k:v,f})])(allocated: eng/web)[id:v1,principal:p,path:data,mode:RW,source:PATH,root:/srv]{REV}{SHARED}:64',
      {
        name: 'disk',
        type: 'SCALAR',
        scalar: { value: 64 },
        reservations: [{ type: 'DYNAMIC', role: 'eng', principal: 'p', labels: { labels: [{ key: 'k', value: 'v' }, { key: 'f' }] } }],
        allocation_info: { role: 'eng/web' },
        disk: { persistence: { id: 'v1', principal: 'p' }, volume: { container_path: 'data', mode: 'RW' }, source: { type: 'PATH', path: { root: '/srv' } } },
        revocable: {},
        shared: {},
      },
    ],
  ] as Array<[string, string, V1Resource]>)('toV1: %s', (_edge, text, json) => {
    expect(resourceToV1(one(text))).toEqual(json);
  });

  it.each([
    ['unreserved gets role *', 'cpus:1', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: '*' }],
    ['static gets its role', 'cpus(eng):1', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng' }],
    ['dynamic gets a reservation', 'cpus(reservations: [(DYNAMIC,eng,p)]):1', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng', reservation: { principal: 'p' } }],
    ['dynamic without principal still marked', 'cpus(reservations: [(DYNAMIC,eng)])(allocated: eng):1', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng', reservation: {}, allocation_info: { role: 'eng' } }],
  ] as Array<[string, string, V1Resource]>)('toV1Legacy: %s', (_edge, text, json) => {
    expect(resourceToV1Legacy(one(text))).toEqual(json);
  });

  it('toV1Legacy refuses refined reservations, which isRefined detects', () => {
    const refined = R('cpus(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/web)]):1;mem:1');
    expect(refined.list.map(isRefined)).toEqual([true, false]);
    expect(() => toV1Legacy(refined)).toThrow(InvalidResourceError);
    expect(toV1Legacy(refined.filter((r) => !isRefined(r)))).toHaveLength(1);
  });

  it('round-trips through JSON text for generated resources', () => {
    fc.assert(
      fc.property(resourcesArb, (x) => {
        expect(fromV1(JSON.parse(JSON.stringify(toV1(x)))).equals(x)).toBe(true);
        const flat = x.filter((r) => !isRefined(r));
        expect(fromV1(JSON.parse(JSON.stringify(toV1Legacy(flat)))).equals(flat)).toBe(true);
      }),
    );
  });
});
