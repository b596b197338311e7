/**
 * JSON helpers for the wire: ASCII-only serialization and base64 for protobuf `bytes` fields.
 * Mesos writes event JSON escaped to ASCII, and some clients read the stream byte-wise, so a
 * task name like `café` goes out as `caf\u00e9`. Nothing here uses node's Buffer: the library
 * stays runnable wherever TextEncoder exists.
 */
import { ProtocolError } from './errors';

const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * `JSON.stringify` with every character above 0x7f written as `\uXXXX` (astral characters as
 * their two surrogate escapes, which is what JSON requires). The result parses back to the same
 * value. Throws TypeError for values JSON cannot represent (undefined at the top, BigInt, cycles).
 */
export function toAsciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('value has no JSON form');
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Value of each ASCII character in base64, -1 for none; protobuf's JSON parser also takes the URL-safe alphabet. */
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;
INDEX['-'.charCodeAt(0)] = 62;
INDEX['_'.charCodeAt(0)] = 63;

/** Standard base64 with padding, as protobuf JSON writes `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return out;
}

/**
 * Decodes base64 (standard or URL-safe alphabet, padding optional). Returns undefined for text
 * that is not base64, so callers can report the field path.
 */
export function tryBase64ToBytes(text: string): Uint8Array | undefined {
  const body = text.endsWith('==') ? text.slice(0, -2) : text.endsWith('=') ? text.slice(0, -1) : text;
  if (body.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  // Every status update carries one (its uuid): a table lookup per character, no per-character strings.
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const v = code < 128 ? INDEX[code] : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0x3fff; // only the bits not yet emitted matter
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or the text is not the canonical encoding of any bytes.
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Like `tryBase64ToBytes`, throwing ProtocolError at `path` for text that is not base64. */
export function base64ToBytes(text: string, path = 'base64'): Uint8Array {
  const bytes = tryBase64ToBytes(text);
  if (bytes === undefined) throw new ProtocolError(path, 'expected base64');
  return bytes;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** base64 of a string's UTF-8 bytes (for `data` fields carrying text). */
export function textToBase64(text: string): string {
  return bytesToBase64(utf8.encode(text));
}

/** The UTF-8 text held in a base64 `data` field; invalid sequences become U+FFFD. */
export function base64ToText(base64: string, path = 'base64'): string {
  return fromUtf8.decode(base64ToBytes(base64, path));
}
