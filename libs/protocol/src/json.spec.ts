import fc from 'fast-check';
import { base64ToBytes, base64ToText, bytesToBase64, textToBase64, toAsciiJson, tryBase64ToBytes } from './json';

describe('toAsciiJson', () => {
  it.each([
    ['plain ASCII unchanged', { a: 'x' }, '{"a":"x"}'],
    ['latin', 'café', '"caf\\u00e9"'],
    ['CJK', '任务', '"\\u4efb\\u52a1"'],
    ['astral as surrogate pair', '😀', '"\\ud83d\\ude00"'],
    ['keys escaped too', { 'ключ': 1 }, '{"\\u043a\\u043b\\u044e\\u0447":1}'],
    ['existing escapes kept', 'a"\n', '"a\\"\\n"'],
  ])('%s', (_edge, value, json) => {
    expect(toAsciiJson(value)).toBe(json);
  });

  it('refuses values without a JSON form', () => {
    expect(() => toAsciiJson(undefined)).toThrow(TypeError);
  });

  it('property: output is ASCII and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const out = toAsciiJson(v);
        expect(/^[\x20-\x7e]*$/.test(out)).toBe(true);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});

describe('base64', () => {
  it.each([
    ['empty', '', ''],
    ['one byte', 'f', 'Zg=='],
    ['two bytes', 'fo', 'Zm8='],
    ['three bytes', 'foo', 'Zm9v'],
    ['UTF-8', 'héllo', 'aMOpbGxv'],
  ])('%s', (_edge, text, encoded) => {
    expect(textToBase64(text)).toBe(encoded);
    expect(base64ToText(encoded)).toBe(text);
  });

  it.each([
    ['padding optional', 'Zg', [0x66]],
    ['URL-safe alphabet', '-_8', [0xfb, 0xff]],
  ])('accepts %s', (_edge, text, out) => {
    expect(Array.from(base64ToBytes(text))).toEqual(out);
  });

  it.each([
    ['bad character', 'Zm9v!'],
    ['impossible length', 'Zm9vZ'],
    ['non-zero trailing bits', 'Zh=='],
    ['padding inside', 'Zg==Zg=='],
  ])('rejects %s', (_edge, text) => {
    expect(tryBase64ToBytes(text)).toBeUndefined();
    expect(() => base64ToBytes(text, 'call.message.data')).toThrow('call.message.data: expected base64');
  });

  it('property: bytes round-trip, and agree with node Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const encoded = bytesToBase64(b);
        expect(encoded).toBe(Buffer.from(b).toString('base64'));
        expect(Array.from(base64ToBytes(encoded))).toEqual(Array.from(b));
      }),
    );
  });
});
