import fc from 'fast-check';
import { ResourceParseError } from './errors';
import type { Resource } from './resource';
import { Resources } from './resources';
import { exoticResourceArb, resourcesArb } from './testing/arbitraries';
import { parseResourceList } from './text';
import { formatResource, formatWord } from './text-format';

const R = (text: string, defaultRole?: string): Resources => Resources.parse(text, defaultRole);

describe('text form: parsing', () => {
  it.each([
    ['the agent flag example', 'cpus:24;gpus:2;mem:24576;disk:409600;ports:[21000-24000,30000-34000]', 'cpus:24;disk:409600;gpus:2;mem:24576;ports:[21000-24000,30000-34000]'],
    ['a static reservation', 'cpus(ads):8;mem(ads):4096;cpus:4', 'cpus:4;cpus(ads):8;mem(ads):4096'],
    ['a set', 'bugs(debug_role):{a,b,c}', 'bugs(debug_role):{a,b,c}'],
    ['explicit * is unreserved', 'cpus(*):1', 'cpus:1'],
    ['duplicate names summed', 'cpus:1;cpus:2.5', 'cpus:3.5'],
    ['decimals rounded to three places', 'cpus:0.12345', 'cpus:0.123'],
    ['half a milli rounds up', 'cpus:0.0005', 'cpus:0.001'],
    ['value rounding to zero disappears', 'cpus:0.0004;mem:1', 'mem:1'],
    ['spaces and newlines around parts', ' cpus : 1 ;\n mem:2 ; ', 'cpus:1;mem:2'],
    ['empty fragments skipped', ';;cpus:1;;', 'cpus:1'],
    ['empty text', '', ''],
    ['spaces inside ranges and sets', 'ports:[ 1 - 2 , 5-6 ];bugs:{ a , b }', 'bugs:{a,b};ports:[1-2,5-6]'],
    ['overlapping ranges coalesce', 'ports:[1-5,3-8,9-9]', 'ports:[1-9]'],
    ['nested role', 'cpus(eng/web):1', 'cpus(eng/web):1'],
    ['quoted name', '"my cpus":1', '"my cpus":1'],
    ['refined stack', 'cpus(reservations: [(STATIC,eng),(DYNAMIC,eng/web,bob)]):1', 'cpus(reservations: [(STATIC,eng),(DYNAMIC,eng/web,bob)]):1'],
    ['labels without principal', 'cpus(reservations: [(DYNAMIC,eng,,{k:v,flag})]):1', 'cpus(reservations: [(DYNAMIC,eng,,{k:v,flag})]):1'],
    ['empty principal is not absent', 'cpus(reservations: [(DYNAMIC,eng,"")]):1', 'cpus(reservations: [(DYNAMIC,eng,"")]):1'],
    ['annotations in any order', 'cpus{SHARED}(allocated: eng){REV}(eng):1', 'cpus(eng)(allocated: eng){REV}{SHARED}:1'],
    ['allocated to *', 'cpus(allocated: *):1', 'cpus(allocated: *):1'],
    ['disk info', 'disk(eng)[id:v1,principal:p,path:data,mode:RO,source:MOUNT,root:/mnt/d]:100', 'disk(eng)[id:v1,principal:p,path:data,mode:RO,source:MOUNT,root:/mnt/d]:100'],
    ['role named like a keyword', 'cpus(allocated):1', 'cpus(allocated):1'],
  ])('%s', (_edge, text, printed) => {
    expect(R(text).toString()).toBe(printed);
  });

  it.each([
    ['unannotated entries get it', 'cpus:1;mem:2', 'eng', 'cpus(eng):1;mem(eng):2'],
    ['an explicit role wins', 'cpus(ops):1', 'eng', 'cpus(ops):1'],
    ['an explicit * stays unreserved', 'cpus(*):1', 'eng', 'cpus:1'],
  ])('default role: %s', (_edge, text, role, printed) => {
    expect(R(text, role).toString()).toBe(printed);
  });

  it('rejects an invalid default role', () => {
    expect(() => R('cpus:1', 'a//b')).toThrow("invalid default role: role 'a//b' must not contain '//'");
  });

  it.each([
    ['value not a number', 'cpus:abc', "invalid resource 'cpus:abc': value is not a number"],
    ['negative value', 'cpus:-1', "invalid resource 'cpus:-1': value must not be negative"],
    ['two numbers', 'cpus:1 2', "invalid resource 'cpus:1 2': value is not a number"],
    ['missing value', 'cpus:', "invalid resource 'cpus:': value is missing"],
    ['missing colon', 'cpus', "invalid resource 'cpus': missing ':' and a value"],
    ['missing name', ':1', "invalid resource ':1': expected a resource name at ':1'"],
    ['unclosed role', 'cpus(eng:1', "invalid resource 'cpus(eng:1': expected ')' at ':1'"],
    ['invalid role', 'cpus(eng//web):1', "invalid resource 'cpus(eng//web):1': invalid role: role 'eng//web' must not contain '//'"],
    ['role with a space', 'cpus(my role):1', "invalid resource 'cpus(my role):1': expected ')' at 'role):1'"],
    ['two reservations', 'cpus(a)(b):1', "invalid resource 'cpus(a)(b):1': reservations given twice"],
    ['range begin > end', 'ports:[5-3]', "invalid resource 'ports:[5-3]': range 5-3 has begin > end"],
    ['range bound not an integer', 'ports:[1.5-3]', "invalid resource 'ports:[1.5-3]': range bound '1.5' is not a non-negative integer"],
    ['negative range bound', 'ports:[-1-3]', "invalid resource 'ports:[-1-3]': expected a range like 31000-32000 at '-1-3]'"],
    ['range without dash', 'ports:[31000]', "invalid resource 'ports:[31000]': expected '-' at ']'"],
    ['unclosed ranges', 'ports:[1-2', "invalid resource 'ports:[1-2': expected ']' at the end"],
    ['range bound too large', 'ports:[1-99999999999999999]', "invalid resource 'ports:[1-99999999999999999]': range bound '99999999999999999' is too large"],
    ['empty set item', 'bugs:{a,,b}', "invalid resource 'bugs:{a,,b}': set item is empty"],
    ['trailing junk after a set', 'bugs:{a}x', "invalid resource 'bugs:{a}x': unexpected 'x' after the value"],
    ['conflicting kinds for one name', 'cpus:1;cpus:[1-2]', "invalid resource 'cpus:[1-2]': 'cpus' was already given as SCALAR, not RANGES"],
    ['reservation for * in a stack', 'cpus(reservations: [(DYNAMIC,*)]):1', "invalid resource 'cpus(reservations: [(DYNAMIC,*)]):1': invalid role: cannot reserve for role '*'"],
    ['stack that does not nest', 'cpus(reservations: [(DYNAMIC,a),(DYNAMIC,b)]):1', "invalid resource 'cpus(reservations: [(DYNAMIC,a),(DYNAMIC,b)]):1': refined reservation for 'b' is not inside 'a'"],
    ['unknown reservation type', 'cpus(reservations: [(DYN,a)]):1', "invalid resource 'cpus(reservations: [(DYN,a)]):1': reservation type 'DYN' is not STATIC or DYNAMIC"],
    ['unknown flag', 'cpus{HOT}:1', "invalid resource 'cpus{HOT}:1': unexpected annotation '{HOT}'"],
    ['unknown disk field', 'disk[size:1]:1', "invalid resource 'disk[size:1]:1': unknown disk field 'size'"],
    ['bad disk mode', 'disk[mode:RX]:1', "invalid resource 'disk[mode:RX]:1': disk mode 'RX' is not RW or RO"],
    ['disk root without source', 'disk[root:/x]:1', "invalid resource 'disk[root:/x]:1': disk 'root' needs a 'source'"],
    ['bad quoted string', '"a\\q":1', `invalid resource '"a\\q":1': bad quoted string "a\\q"`],
  ])('rejects %s', (_edge, text, message) => {
    let error: unknown;
    try {
      R(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResourceParseError);
    expect((error as ResourceParseError).name).toBe('ResourceParseError');
    expect((error as ResourceParseError).message).toBe(message);
  });

  it('names the bad fragment, not the whole text', () => {
    expect(() => R('cpus:1;mem:lots;disk:5')).toThrow("invalid resource 'mem:lots': value is not a number");
  });

  it('returns unmerged entries from parseResourceList', () => {
    expect(parseResourceList('cpus:1;cpus:2').map((r) => r.milli)).toEqual([1000, 2000]);
  });
});

describe('text form: printing', () => {
  it.each([
    ['scalar without trailing zeros', { name: 'cpus', kind: 'SCALAR', milli: 1500, reservations: [] }, 'cpus:1.5'],
    ['one milli', { name: 'cpus', kind: 'SCALAR', milli: 1, reservations: [] }, 'cpus:0.001'],
    ['static reservation uses the flag form', { name: 'cpus', kind: 'SCALAR', milli: 1000, reservations: [{ type: 'STATIC', role: 'eng' }] }, 'cpus(eng):1'],
    ['static with principal needs the full form', { name: 'cpus', kind: 'SCALAR', milli: 1000, reservations: [{ type: 'STATIC', role: 'eng', principal: 'p' }] }, 'cpus(reservations: [(STATIC,eng,p)]):1'],
    ['set items needing quotes', { name: 'bugs', kind: 'SET', items: ['a b', 'c,d', 'e'], reservations: [] }, 'bugs:{"a b","c,d",e}'],
    ['role needing quotes', { name: 'cpus', kind: 'SCALAR', milli: 1000, reservations: [{ type: 'STATIC', role: 'a:b' }] }, 'cpus("a:b"):1'],
  ] as Array<[string, Resource, string]>)('%s', (_edge, r, text) => {
    expect(formatResource(r)).toBe(text);
  });

  it.each([
    ['plain', 'cpus', 'cpus'],
    ['empty', '', '""'],
    ['space', 'a b', '"a b"'],
    ['quote', 'a"b', '"a\\"b"'],
    ['slash and dot are bare', 'eng/v1.2', 'eng/v1.2'],
  ])('formatWord: %s', (_edge, word, printed) => {
    expect(formatWord(word)).toBe(printed);
  });
});

describe('text form: round trips', () => {
  it.each([
    'cpus:2;mem:1024;ports:[31000-32000,33000-34000];cpus(eng):1;bugs(debug):{a,b,c}',
    'cpus(reservations: [(DYNAMIC,eng,alice,{team:web,"odd key":"v;1"})])(allocated: eng/web){REV}:0.5',
    'disk(reservations: [(DYNAMIC,eng)])[id:"vol 1",path:data,mode:RW]{SHARED}:1024',
    '"weird;name(x)":1;bugs:{"}",","}',
  ])('%s', (text) => {
    const res = R(text);
    expect(R(res.toString()).equals(res)).toBe(true);
    expect(R(res.toString()).toString()).toBe(res.toString());
  });

  it('parse(print(x)) equals x for generated resources', () => {
    fc.assert(fc.property(resourcesArb, (x) => R(x.toString()).equals(x)));
  });

  it('parse(print(x)) equals x when names, roles, principals and labels need quoting', () => {
    fc.assert(
      fc.property(fc.array(exoticResourceArb, { maxLength: 4 }), (list) => {
        const x = Resources.of(list);
        return R(x.toString()).equals(x);
      }),
    );
  });
});
