import { addItems, containsItems, normalizeItems, subtractItems } from './sets';

const items = (text: string): string[] => (text === '' ? [] : text.split(','));

describe('set arithmetic', () => {
  it.each([
    ['sorted by code unit, not locale', 'b,B,a', 'B,a,b'],
    ['duplicates dropped', 'a,b,a', 'a,b'],
  ])('normalize: %s', (_edge, input, expected) => {
    expect(normalizeItems(items(input)).join(',')).toBe(expected);
  });

  it.each([
    ['union', 'a,c', 'b,c,d', 'a,b,c,d'],
    ['with empty', 'a', '', 'a'],
  ])('add: %s', (_edge, a, b, expected) => {
    expect(addItems(items(a), items(b)).join(',')).toBe(expected);
  });

  it.each([
    ['difference', 'a,b,c', 'b,d', 'a,c'],
    ['everything', 'a,b', 'a,b,c', ''],
    ['nothing shared', 'a,b', 'c', 'a,b'],
  ])('subtract: %s', (_edge, a, b, expected) => {
    expect(subtractItems(items(a), items(b)).join(',')).toBe(expected);
  });

  it.each([
    ['subset', 'a,b,c', 'a,c', true],
    ['missing item', 'a,b', 'a,z', false],
    ['empty', 'a', '', true],
  ])('contains: %s', (_edge, a, b, expected) => {
    expect(containsItems(items(a), items(b))).toBe(expected);
  });
});
