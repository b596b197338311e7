import fc from 'fast-check';
import {
  addRanges,
  containsRanges,
  countRanges,
  formatRanges,
  isNormalizedRanges,
  normalizeRanges,
  subtractRanges,
} from './ranges';
import type { ValueRange } from './resource';

/** `'1-3,5-5'` -> ranges; keeps tables to one line per case. */
const r = (text: string): ValueRange[] =>
  text === ''
    ? []
    : text.split(',').map((part) => {
        const [begin, end] = part.split('-').map(Number);
        return { begin, end };
      });
const s = (ranges: readonly ValueRange[]): string => ranges.map((x) => `${x.begin}-${x.end}`).join(',');

describe('range arithmetic', () => {
  it.each([
    ['empty', '', ''],
    ['unsorted input is sorted', '10-12,1-3', '1-3,10-12'],
    ['overlapping ranges merge', '1-5,3-8', '1-8'],
    ['adjacent ranges merge', '1-3,4-6', '1-6'],
    ['a gap of one value stays', '1-3,5-6', '1-3,5-6'],
    ['contained range disappears', '1-10,3-4', '1-10'],
    ['duplicates merge', '7-7,7-7', '7-7'],
  ])('normalize: %s', (_edge, input, expected) => {
    expect(s(normalizeRanges(r(input)))).toBe(expected);
  });

  it.each([
    ['with empty', '1-3', '', '1-3'],
    ['disjoint', '1-3', '10-12', '1-3,10-12'],
    ['adjacent merge', '1-3', '4-6', '1-6'],
    ['adjacent merge, other order', '4-6', '1-3', '1-6'],
    ['bridging two ranges', '1-3,7-9', '4-6', '1-9'],
    ['overlap', '1-5', '3-8', '1-8'],
    ['interleaved', '1-2,10-12,20-22', '5-6,13-15,30-30', '1-2,5-6,10-15,20-22,30-30'],
  ])('add: %s', (_edge, a, b, expected) => {
    expect(s(addRanges(r(a), r(b)))).toBe(expected);
  });

  it.each([
    ['nothing to remove', '1-10', '', '1-10'],
    ['split in the middle', '1-10', '4-6', '1-3,7-10'],
    ['remove the head', '1-10', '1-3', '4-10'],
    ['remove the tail', '1-10', '8-12', '1-7'],
    ['remove everything', '1-10', '0-20', ''],
    ['one subtrahend spans two ranges', '1-5,8-12', '4-9', '1-3,10-12'],
    ['disjoint subtrahend', '1-5', '7-9', '1-5'],
    ['single values', '1-5', '2-2,4-4', '1-1,3-3,5-5'],
    ['ports example', '31000-32000', '31000-31000,32000-32000', '31001-31999'],
  ])('subtract: %s', (_edge, a, b, expected) => {
    expect(s(subtractRanges(r(a), r(b)))).toBe(expected);
  });

  it('subtract returns the same array when nothing is removed', () => {
    const a = r('1-5,10-12');
    expect(subtractRanges(a, r('6-9,13-20'))).toBe(a);
  });

  it.each([
    ['empty contains empty', '', '', true],
    ['anything contains empty', '1-3', '', true],
    ['empty contains nothing else', '', '1-1', false],
    ['inside', '1-10', '3-4', true],
    ['equal', '1-10', '1-10', true],
    ['sticks out', '1-10', '8-11', false],
    ['spans a gap', '1-3,5-7', '2-6', false],
    ['several inside several', '1-3,5-7,9-20', '2-3,9-9,15-20', true],
  ])('contains: %s', (_edge, a, b, expected) => {
    expect(containsRanges(r(a), r(b))).toBe(expected);
  });

  it.each([
    ['empty', '', 0],
    ['inclusive bounds', '31000-32000', 1001],
    ['single values', '1-1,3-3', 2],
  ])('count: %s', (_edge, a, n) => {
    expect(countRanges(r(a))).toBe(n);
  });

  it('formats with a chosen separator', () => {
    expect(formatRanges(r('1-2,4-5'))).toBe('[1-2,4-5]');
    expect(formatRanges(r('1-2,4-5'), ', ')).toBe('[1-2, 4-5]');
  });
});

describe('range arithmetic agrees with sets of integers', () => {
  const rangesArb = fc
    .array(fc.tuple(fc.nat(60), fc.nat(8)), { maxLength: 6 })
    .map((pairs) => normalizeRanges(pairs.map(([begin, len]) => ({ begin, end: begin + len }))));
  const values = (ranges: readonly ValueRange[]): Set<number> => {
    const out = new Set<number>();
    for (const x of ranges) for (let v = x.begin; v <= x.end; v++) out.add(v);
    return out;
  };
  const sorted = (set: Set<number>): number[] => [...set].sort((x, y) => x - y);

  it('add is union, subtract is difference, contains is subset; results stay normalized', () => {
    fc.assert(
      fc.property(rangesArb, rangesArb, (a, b) => {
        const va = values(a);
        const vb = values(b);
        const sum = addRanges(a, b);
        const diff = subtractRanges(a, b);
        expect(isNormalizedRanges(sum) && isNormalizedRanges(diff)).toBe(true);
        expect(sorted(values(sum))).toEqual(sorted(new Set([...va, ...vb])));
        expect(sorted(values(diff))).toEqual(sorted(va).filter((v) => !vb.has(v)));
        expect(containsRanges(a, b)).toBe([...vb].every((v) => va.has(v)));
        expect(countRanges(a)).toBe(va.size);
      }),
    );
  });
});
