import { ResourceParseError } from './errors';
import { ResourceQuantities } from './quantities';

const q = (text: string): ResourceQuantities => ResourceQuantities.parse(text);

describe('ResourceQuantities', () => {
  it.each([
    ['empty text', '', ''],
    ['scalars in natural units', 'cpus:1;mem:32', 'cpus:1;mem:32'],
    ['sorted by name', 'mem:32;cpus:1', 'cpus:1;mem:32'],
    ['duplicates summed', 'cpus:1;cpus:0.5', 'cpus:1.5'],
    ['rounded to three decimals', 'cpus:0.0005', 'cpus:0.001'],
    ['blank parts and spaces skipped', ' cpus : 1 ;; ', 'cpus:1'],
    ['explicit zero kept', 'mem:0', 'mem:0'],
  ])('parse: %s', (_edge, text, printed) => {
    expect(q(text).toString()).toBe(printed);
  });

  it.each([
    ['not a number', 'cpus:abc', "invalid quantity 'cpus:abc': value is not a number"],
    ['negative', 'cpus:-1', "invalid quantity 'cpus:-1': value must not be negative"],
    ['missing colon', 'cpus', "invalid quantity 'cpus': expected 'name:value'"],
    ['empty name', ':1', "invalid quantity ':1': name is empty"],
    ['a role is not a quantity', 'cpus(eng):1', "invalid quantity 'cpus(eng):1': name 'cpus(eng)' is not a plain scalar name"],
    ['ranges are not quantities', 'ports:[1-2]', "invalid quantity 'ports:[1-2]': value is not a number"],
  ])('parse rejects %s', (_edge, text, message) => {
    expect(() => q(text)).toThrow(new ResourceParseError(message));
    expect(() => q(text)).toThrow(ResourceParseError);
  });

  it('fromRecord takes natural units and toRecord gives them back', () => {
    const x = ResourceQuantities.fromRecord({ cpus: 1.5, mem: 1024, gpus: 0.0001 });
    expect(x.get('cpus')).toBe(1500);
    expect(x.get('gpus')).toBe(0);
    expect(x.toRecord()).toEqual({ cpus: 1.5, gpus: 0, mem: 1024 });
    expect(() => ResourceQuantities.fromRecord({ cpus: -1 })).toThrow("invalid quantity 'cpus': value must not be negative");
    expect(() => ResourceQuantities.fromRecord({ cpus: Number.NaN })).toThrow(ResourceParseError);
  });

  it('fromMilli sums repeated names and rejects non-integers', () => {
    expect(ResourceQuantities.fromMilli([['cpus', 1], ['cpus', 2]]).get('cpus')).toBe(3);
    expect(() => ResourceQuantities.fromMilli([['cpus', 0.5]])).toThrow(RangeError);
  });

  it.each([
    ['add: union of names', 'cpus:1;mem:10', 'add', 'cpus:2;disk:5', 'cpus:3;disk:5;mem:10'],
    ['subtract: saturates at zero', 'cpus:1;mem:10', 'subtract', 'cpus:2;mem:4', 'cpus:0;mem:6'],
    ['subtract: ignores names only in the other', 'cpus:1', 'subtract', 'gpus:1', 'cpus:1'],
    ['min: names in both only', 'cpus:1;mem:10', 'min', 'cpus:0.5;disk:1', 'cpus:0.5'],
  ] as const)('%s', (_edge, a, op, b, expected) => {
    expect(q(a)[op](q(b)).toString()).toBe(expected);
  });

  it.each([
    ['equal', 'cpus:1;mem:10', 'cpus:1;mem:10', true],
    ['less of one name', 'cpus:1;mem:10', 'cpus:1;mem:11', false],
    ['missing name', 'cpus:1', 'cpus:1;gpus:1', false],
    ['explicit zero needs nothing', 'cpus:1', 'cpus:1;gpus:0', true],
    ['empty', 'cpus:1', '', true],
  ])('contains: %s', (_edge, a, b, expected) => {
    expect(q(a).contains(q(b))).toBe(expected);
  });

  it('explicit zeros are listed but count as absent for equality and emptiness', () => {
    const limit = q('cpus:0;mem:0');
    expect(limit.names()).toEqual(['cpus', 'mem']);
    expect(limit.has('cpus')).toBe(true);
    expect(limit.isEmpty()).toBe(true);
    expect(limit.equals(ResourceQuantities.EMPTY)).toBe(true);
    expect(q('cpus:1').equals(q('cpus:1;mem:0'))).toBe(true);
    expect(q('cpus:1').equals(q('cpus:2'))).toBe(false);
  });

  it('entries iterate in name order', () => {
    expect([...q('mem:2;cpus:1').entries()]).toEqual([
      ['cpus', 1000],
      ['mem', 2000],
    ]);
  });

  it('a million additions and subtractions of 0.001 do not drift', () => {
    const step = q('cpus:0.001');
    let total = ResourceQuantities.EMPTY;
    for (let i = 0; i < 1_000_000; i++) total = total.add(step);
    expect(total.get('cpus')).toBe(1_000_000);
    expect(total.toString()).toBe('cpus:1000');
    for (let i = 0; i < 1_000_000; i++) total = total.subtract(step);
    expect(total.get('cpus')).toBe(0);
  });
});
