/**
 * Reading untrusted JSON into typed values, one field at a time, with the field's path in every
 * error. The decoders of calls and bus messages are written with these.
 *
 * The rules are protobuf JSON's, made liberal where Mesos clients need it:
 * - `null` is the same as absent, everywhere;
 * - unknown fields are ignored (the decoders copy only the fields they know);
 * - numbers may arrive as strings (`"5"`, protobuf writes 64-bit integers that way);
 * - enums are their names; the caller may also allow their protobuf numbers.
 */
import { ProtocolError } from './errors';
import { tryBase64ToBytes } from './json';

export type JsonObject = Record<string, unknown>;

/** Decodes the value at `path`; throws ProtocolError. */
export type Decoder<T> = (value: unknown, path: string) => T;

export function fail(path: string, reason: string): never {
  throw new ProtocolError(path, reason);
}

export function isPresent(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export const object: Decoder<JsonObject> = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as JsonObject;
};

export const string: Decoder<string> = (v, path) => (typeof v === 'string' ? v : fail(path, 'expected a string'));

/** A string that is not empty (ids, names the master keys on). */
export const nonEmptyString: Decoder<string> = (v, path) => {
  const s = string(v, path);
  return s === '' ? fail(path, 'must not be empty') : s;
};

export const boolean: Decoder<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, 'expected a boolean'));

/** A finite number, or a string holding one. */
export const number: Decoder<number> = (v, path) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(path, 'expected a number');
  return n;
};

/** Like `number`, also taking `Infinity` (TaskInfo `limits` use it for "no limit"). */
export const numberOrInfinity: Decoder<number> = (v, path) => {
  if (v === 'Infinity' || v === Infinity) return Infinity;
  return number(v, path);
};

export const integer: Decoder<number> = (v, path) => {
  const n = number(v, path);
  return Number.isSafeInteger(n) ? n : fail(path, 'expected an integer');
};

/** A protobuf `bytes` field: base64 text, kept as text (decode with base64ToBytes when needed). */
export const base64: Decoder<string> = (v, path) => {
  const s = string(v, path);
  return tryBase64ToBytes(s) === undefined ? fail(path, 'expected base64') : s;
};

/** A JSON object carried through unchanged (parts of messages Agora does not interpret). */
export const opaque: Decoder<JsonObject> = object;

export function arrayOf<T>(item: Decoder<T>): Decoder<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) fail(path, 'expected an array');
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

/** A protobuf map: an object whose values all decode with `value`. */
export function mapOf<T>(value: Decoder<T>): Decoder<Record<string, T>> {
  return (v, path) => {
    const o = object(v, path);
    const out: Record<string, T> = {};
    for (const [key, x] of Object.entries(o)) {
      if (isPresent(x)) out[key] = value(x, `${path}.${key}`);
    }
    return out;
  };
}

/**
 * One of `names`; with `numbers` (name → protobuf number) the number is accepted too and mapped
 * to its name.
 */
export function enumOf<T extends string>(names: readonly T[], numbers?: Readonly<Record<T, number>>): Decoder<T> {
  const byName = new Set<string>(names);
  const byNumber = new Map<number, T>();
  if (numbers !== undefined) for (const name of names) byNumber.set(numbers[name], name);
  return (v, path) => {
    if (typeof v === 'string' && byName.has(v)) return v as T;
    if (typeof v === 'number' && byNumber.has(v)) return byNumber.get(v) as T;
    return fail(path, `expected one of ${names.join(', ')}, got ${describe(v)}`);
  };
}

/** A short rendering of a bad value for messages: `"FOO"`, `42`, `an object`. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

/** The field `key` of `o`, decoded; absent or null is an error. */
export function required<T>(o: JsonObject, key: string, path: string, decode: Decoder<T>): T {
  const p = `${path}.${key}`;
  return isPresent(o[key]) ? decode(o[key], p) : fail(p, 'is required');
}

/** The field `key` of `o`, decoded, or undefined when absent or null. */
export function optional<T>(o: JsonObject, key: string, path: string, decode: Decoder<T>): T | undefined {
  return isPresent(o[key]) ? decode(o[key], `${path}.${key}`) : undefined;
}

/**
 * `o` without its undefined fields, so decoded messages hold only what was sent (and compare
 * cleanly with toEqual, and serialize without `"x": undefined` surprises).
 */
export function compact<T extends object>(o: T): T {
  // A new object rather than `delete`: deleting a property turns an object into a slow
  // dictionary, and every decoded message would pay for it wherever it is read.
  const out: Partial<T> = {};
  for (const key of Object.keys(o) as (keyof T)[]) {
    if (o[key] !== undefined) out[key] = o[key];
  }
  return out as T;
}

/**
 * A protobuf enum given by name or by number (protobuf.js clients send numbers). Only own
 * names count, so `toString` is not a call type.
 */
export function protoEnum<T extends string>(numbers: Readonly<Record<T, number>>, what: string): Decoder<T> {
  const names = Object.keys(numbers) as T[];
  return (v, path) => {
    if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(numbers, v)) return v as T;
    if (typeof v === 'number') {
      const byNumber = names.find((t) => numbers[t] === v);
      if (byNumber !== undefined) return byNumber;
    }
    if (typeof v !== 'string' && typeof v !== 'number') return fail(path, 'expected a string');
    return fail(path, `unknown ${what} ${describe(v)}`);
  };
}
