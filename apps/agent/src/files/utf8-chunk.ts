/**
 * How `/files/read` turns bytes into the JSON string `data` so that a tailing reader can keep
 * exact byte offsets: the UTF-8 encoding of `data` is always exactly as long as the bytes it
 * stands for, so the next offset is `offset + Buffer.byteLength(data, 'utf8')`.
 *
 * - Valid UTF-8 passes through unchanged; a character is never split.
 * - An incomplete character at the end of the chunk is left out (the next read, or the writer
 *   finishing it, brings it whole).
 * - A byte that cannot be part of valid UTF-8 (binary output, a read that starts inside a
 *   character, overlong forms, surrogates) becomes `?`, one byte for one byte.
 * Pure.
 */

const QUESTION_MARK = 0x3f;

export interface Utf8Chunk {
  readonly text: string;
  /** Bytes of the input the text stands for (all of them but an incomplete last character). */
  readonly length: number;
}

export function utf8Chunk(bytes: Uint8Array): Utf8Chunk {
  const out = Buffer.allocUnsafe(bytes.length);
  let i = 0;
  while (i < bytes.length) {
    const size = sequenceLength(bytes, i);
    if (size === 'incomplete') break;
    if (size === 0) {
      out[i] = QUESTION_MARK;
      i += 1;
      continue;
    }
    for (let k = 0; k < size; k++) out[i + k] = bytes[i + k];
    i += size;
  }
  return { text: out.toString('utf8', 0, i), length: i };
}

/** The length of the valid sequence starting at `i`, 0 if the byte there starts none, or 'incomplete' if the bytes run out mid-way through a valid prefix. */
function sequenceLength(bytes: Uint8Array, i: number): number | 'incomplete' {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  const shape = LEADS.find((l) => lead >= l.from && lead <= l.to);
  if (shape === undefined) return 0;
  for (let k = 1; k < shape.size; k++) {
    if (i + k >= bytes.length) return 'incomplete';
    const b = bytes[i + k];
    const [low, high] = k === 1 ? shape.second : [0x80, 0xbf];
    if (b < low || b > high) return 0;
  }
  return shape.size;
}

/** Well-formed UTF-8 (Unicode Table 3-7): lead byte ranges, sequence sizes and the range of the second byte. */
const LEADS: readonly { from: number; to: number; size: number; second: readonly [number, number] }[] = [
  { from: 0xc2, to: 0xdf, size: 2, second: [0x80, 0xbf] },
  { from: 0xe0, to: 0xe0, size: 3, second: [0xa0, 0xbf] },
  { from: 0xe1, to: 0xec, size: 3, second: [0x80, 0xbf] },
  { from: 0xed, to: 0xed, size: 3, second: [0x80, 0x9f] },
  { from: 0xee, to: 0xef, size: 3, second: [0x80, 0xbf] },
  { from: 0xf0, to: 0xf0, size: 4, second: [0x90, 0xbf] },
  { from: 0xf1, to: 0xf3, size: 4, second: [0x80, 0xbf] },
  { from: 0xf4, to: 0xf4, size: 4, second: [0x80, 0x8f] },
];
