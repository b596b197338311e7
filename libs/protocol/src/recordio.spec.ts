import fc from 'fast-check';
import { encodeRecord, RecordIODecoder } from './recordio';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('RecordIO encoding', () => {
  it.each([
    ['ascii', '{"type":"HEARTBEAT"}', '20\n{"type":"HEARTBEAT"}'],
    ['length counts UTF-8 bytes, not characters', 'é', '2\né'],
    ['astral character is 4 bytes', '😀', '4\n😀'],
  ])('%s', (_edge, record, framed) => {
    expect(text(encodeRecord(record))).toBe(framed);
  });

  it('refuses an empty record (a zero length is not allowed on the wire)', () => {
    expect(() => encodeRecord('')).toThrow('recordio: a record must not be empty');
  });
});

describe('RecordIO decoding', () => {
  it.each([
    ['two records in one chunk', ['3\nabc2\nde'], ['abc', 'de']],
    ['split inside the length', ['1', '0\n0123456789'], ['0123456789']],
    ['split right after the newline', ['3\n', 'abc'], ['abc']],
    ['split inside the body', ['5\nab', 'c', 'de'], ['abcde']],
    ['byte by byte', ['2', '\n', 'x', 'y'], ['xy']],
    ['UTF-8 character split across chunks', [new Uint8Array([0x32, 0x0a, 0xc3]), new Uint8Array([0xa9])], ['é']],
  ])('%s', (_edge, chunks, records) => {
    const d = new RecordIODecoder();
    const out = chunks.flatMap((c) => d.decodeText(typeof c === 'string' ? bytes(c) : c));
    expect(out).toEqual(records);
    expect(d.idle).toBe(true);
  });

  it('is not idle with a partial record buffered', () => {
    const d = new RecordIODecoder();
    expect(d.decode(bytes('5\nab'))).toEqual([]);
    expect(d.idle).toBe(false);
  });

  it.each([
    ['non-digit length', 'x\nabc', 'recordio: record length must be decimal digits, got byte 0x78'],
    ['sign in length', '-3\nabc', 'recordio: record length must be decimal digits, got byte 0x2d'],
    ['zero length', '0\n', 'recordio: record length must not be 0'],
    ['empty length', '\nabc', 'recordio: record length is missing before the line feed'],
    ['length over the maximum', '11\nhello world', 'recordio: record length 11 exceeds the maximum of 10 bytes'],
    ['endless digits', '1234567890123456', 'recordio: record length has more than 15 digits'],
  ])('rejects %s', (_edge, input, message) => {
    const d = new RecordIODecoder({ maxRecordBytes: 10 });
    expect(() => d.decode(bytes(input))).toThrow(message);
    // The framing is lost: the decoder stays failed.
    expect(() => d.decode(bytes('1\na'))).toThrow(message);
  });

  it('reports invalid UTF-8 in decodeText', () => {
    const d = new RecordIODecoder();
    expect(() => d.decodeText(new Uint8Array([0x31, 0x0a, 0xff]))).toThrow('recordio: record is not valid UTF-8');
  });

  it('property: any records, encoded and split anywhere, decode back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (records, cutSeeds) => {
          const parts = records.map((r) => encodeRecord(r));
          const stream = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of parts) {
            stream.set(p, at);
            at += p.length;
          }
          const cuts = [...new Set(cutSeeds.map((s) => (stream.length === 0 ? 0 : s % (stream.length + 1))))].sort((a, b) => a - b);
          const bounds = [0, ...cuts, stream.length];
          const d = new RecordIODecoder();
          const out: string[] = [];
          for (let i = 0; i + 1 < bounds.length; i++) out.push(...d.decodeText(stream.subarray(bounds[i], bounds[i + 1])));
          expect(out).toEqual(records);
          expect(d.idle).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
