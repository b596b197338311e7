import fc from 'fast-check';
import { utf8Chunk } from './utf8-chunk';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

describe('utf8Chunk', () => {
  it.each<[string, Buffer, string, number]>([
    ['ASCII', Buffer.from('hello\n'), 'hello\n', 6],
    ['whole multi-byte characters', Buffer.from('aé€😀'), 'aé€😀', 10],
    ['a 2-byte character cut at the end', Buffer.from('aé').subarray(0, 2), 'a', 1],
    ['a 3-byte character cut after 2 bytes', Buffer.from('a€').subarray(0, 3), 'a', 1],
    ['a 4-byte character cut after 3 bytes', Buffer.from('😀').subarray(0, 3), '', 0],
    ['a read starting inside a character', Buffer.from('é!').subarray(1), '?!', 2],
    ['a byte that never appears in UTF-8', bytes(0x61, 0xff, 0x62), 'a?b', 3],
    ['an overlong encoding of "/"', bytes(0xc0, 0xaf), '??', 2],
    ['an encoded surrogate', bytes(0xed, 0xa0, 0x80), '???', 3],
    ['a lead byte followed by ASCII', bytes(0xe2, 0x41), '?A', 2],
    ['a code point above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), '????', 4],
    ['an invalid prefix at the end', bytes(0x61, 0xe0, 0x80), 'a??', 3],
  ])('%s', (_case, input, text, length) => {
    expect(utf8Chunk(input)).toEqual({ text, length });
  });

  it('always stands for exactly as many bytes as its text encodes to, and leaves at most 3 behind', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        const { text, length } = utf8Chunk(input);
        expect(Buffer.byteLength(text, 'utf8')).toBe(length);
        expect(input.length - length).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('passes valid text through unchanged, however it is cut into chunks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 4, max: 16 }), (s, size) => {
        const all = Buffer.from(s, 'utf8');
        let offset = 0;
        let out = '';
        while (offset < all.length) {
          const { text } = utf8Chunk(all.subarray(offset, offset + size));
          out += text;
          offset += Buffer.byteLength(text, 'utf8');
        }
        expect(out).toBe(s);
      }),
    );
  });
});
