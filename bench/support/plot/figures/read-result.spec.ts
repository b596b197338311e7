import { at, numberAt, numbersAt, optionalNumberAt, optionalStringAt, ResultFormatError } from './read-result';

const result = { a: { b: 1, s: 'x', list: [1, 2] }, n: null };

describe('read-result', () => {
  it('walks dotted paths, array indices included, and stops at anything else', () => {
    expect(at(result, 'a.b')).toBe(1);
    expect(at(result, 'a.list.1')).toBe(2);
    expect(at(result, 'a.list.x')).toBeUndefined();
    expect(at(result, 'a.s.length')).toBeUndefined();
    expect(at(result, 'n.b')).toBeUndefined();
    expect(at('text', 'a')).toBeUndefined();
  });

  it('returns numbers and says what it found instead', () => {
    expect(numberAt(result, 'a.b')).toBe(1);
    expect(() => numberAt(result, 'a.s')).toThrow(new ResultFormatError('a.s: expected a number, found the string "x"'));
    expect(() => numberAt(result, 'a.c')).toThrow('a.c: expected a number, found nothing');
    expect(() => numberAt(result, 'n')).toThrow('n: expected a number, found null');
    expect(() => numberAt({ x: NaN }, 'x')).toThrow('x: expected a number, found number NaN');
  });

  it('treats absent optional fields as undefined but wrong types as errors', () => {
    expect(optionalNumberAt(result, 'a.c')).toBeUndefined();
    expect(optionalStringAt(result, 'a.s')).toBe('x');
    expect(() => optionalStringAt(result, 'a.b')).toThrow('a.b: expected a string, found number 1');
  });

  it('reads arrays of numbers', () => {
    expect(numbersAt(result, 'a.list')).toEqual([1, 2]);
    expect(() => numbersAt(result, 'a.b')).toThrow('a.b: expected an array of numbers, found number 1');
  });
});
