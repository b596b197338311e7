import fc from 'fast-check';
import { jsonParts, RawJson, rawAs } from './json-parts';

/** What a value with stand-ins means: each stand-in replaced by the value its text was made from. */
function meaning(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? JSON.parse(v.text) : v)));
}

describe('jsonParts', () => {
  it.each<[string, unknown]>([
    ['a string with quotes and unicode', 'a "b" \u00e9 \u2028 \n'],
    ['numbers, NaN and Infinity as null', [1, -0.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY]],
    ['booleans and null', [true, false, null]],
    ['undefined and functions left out of objects', { a: undefined, b: () => 1, c: 1 }],
    ['undefined and functions as null in arrays', [undefined, () => 1, 2]],
    ['empty object and array', { a: {}, b: [] }],
    ['nested objects keep key order', { z: 1, a: { y: [1, { b: 2, a: 1 }], x: 'x' } }],
    ['an object with toJSON', { when: new Date(0) }],
    ['an object without prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ])('writes %s as JSON.stringify does', (_name, value) => {
    expect(jsonParts(value).join('')).toBe(JSON.stringify(value));
  });

  it('writes a stand-in as its text, wherever it sits', () => {
    const value = { list: [rawAs<object>('{"id":"t1"}'), { b: rawAs<number>('2') }], top: rawAs<string>('"x"') };
    expect(jsonParts(value).join('')).toBe('{"list":[{"id":"t1"},{"b":2}],"top":"x"}');
  });

  it('is byte-identical to JSON.stringify of what the stand-ins stand for (property)', () => {
    const withRaw = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('raw'), tie('array'), tie('object')),
      raw: fc.jsonValue({ maxDepth: 2 }).map((v) => new RawJson(JSON.stringify(v))),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(withRaw.value, (value) => {
        expect(jsonParts(value).join('')).toBe(JSON.stringify(meaning(value)));
      }),
    );
  });
});
