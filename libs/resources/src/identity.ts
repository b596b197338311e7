/**
 * Identity keys. Two resources with the same key are the same kind of thing and merge when
 * added; anything that makes them differ (name, kind, reservation stack, allocation role,
 * revocable, shared, disk info) is part of the key. Keys are computed once per Resource object
 * and cached, so arithmetic compares strings instead of walking nested objects.
 */
import { UNRESERVED_ROLE, type DiskInfo, type Label, type Resource } from './resource';
import { compareStrings } from './sets';

// Control characters delimit the parts of a key; `escape` removes them (and `\`) from the
// strings it embeds, so the encoding is injective. The name comes first and `SEP` sorts below
// every printable character, so keys sort by name first.
const SEP = '\u0001';
const SUB = '\u0002';
const ABSENT = '\u0003';
const LIST = '\u0004';
/** Starts the allocation-role part; the only place where SEP is followed by 'a'. */
const ALLOCATION = SEP + 'a';
const ESCAPES: Record<string, string> = { '\\': '\\\\', [SEP]: '\\a', [SUB]: '\\b', [ABSENT]: '\\c', [LIST]: '\\d' };

/** Backslash and the delimiters U+0001..U+0004. */
function isSpecial(code: number): boolean {
  return code === 92 || (code >= 1 && code <= 4);
}

function escape(s: string): string {
  let i = 0;
  while (i < s.length && !isSpecial(s.charCodeAt(i))) i++;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) out += isSpecial(s.charCodeAt(i)) ? ESCAPES[s[i]] : s[i];
  return out;
}

function optional(s: string | undefined): string {
  return s === undefined ? ABSENT : escape(s);
}

const KIND_CODE = { SCALAR: 'S', RANGES: 'R', SET: 'T' } as const;

/** Labels compare as a multiset (order on the wire is not meaningful). */
function labelsKey(labels: readonly Label[] | undefined): string {
  if (labels === undefined || labels.length === 0) return '';
  const parts = labels.map((l) => escape(l.key) + SUB + optional(l.value));
  return parts.sort(compareStrings).join(LIST);
}

function diskKey(disk: DiskInfo): string {
  return [
    optional(disk.persistenceId),
    optional(disk.persistencePrincipal),
    optional(disk.containerPath),
    optional(disk.mode),
    optional(disk.source?.type),
    optional(disk.source?.root),
  ].join(SUB);
}

// Keys are built with `join`, which yields flat strings. Concatenation with `+` yields V8 rope
// strings, and comparing ropes is several times slower; keys are compared all the time.
function computeKey(r: Resource): string {
  const parts = [escape(r.name), SEP, KIND_CODE[r.kind]];
  // Unreserved ('a' for allocation follows at once) sorts before reserved ('r'); reserved
  // entries sort by role, outermost level first, STATIC before DYNAMIC.
  for (const res of r.reservations) {
    parts.push(SEP, 'r', escape(res.role), SUB, res.type === 'STATIC' ? '1' : '2');
    parts.push(SUB, optional(res.principal), SUB, labelsKey(res.labels));
  }
  parts.push(ALLOCATION, optional(r.allocationRole));
  parts.push(SEP, r.revocable === true ? 'R' : '-', r.shared === true ? 'S' : '-');
  if (r.disk !== undefined) parts.push(SEP, 'k', diskKey(r.disk));
  return parts.join('');
}

// Only objects that enter through `identityKey` (Resources.of, callers) are cached: entries that
// arithmetic derives carry their key alongside them inside `Resources`, and a WeakMap insert per
// short-lived object would cost more (in V8's ephemeron GC) than the key itself.
const cache = new WeakMap<Resource, string>();

/** The identity key of a resource (cached per object; resources are immutable). */
export function identityKey(r: Resource): string {
  let key = cache.get(r);
  if (key === undefined) {
    key = computeKey(r);
    cache.set(r, key);
  }
  return key;
}

/** The identity key, computed without touching the cache (for freshly derived objects). */
export function freshIdentityKey(r: Resource): string {
  return computeKey(r);
}

// allocate() re-keys every entry of every offer, so derived keys are memoized per (role, key).
// Bounded: when full it starts over, which costs time, never correctness.
const REKEY_LIMIT = 50_000;
let rekeyed = new Map<string, Map<string, string>>();
let rekeyedSize = 0;

/** The key of the same identity with another allocation role, derived by splicing `key`. */
export function keyWithAllocationRole(key: string, allocationRole: string | undefined): string {
  const role = allocationRole ?? ABSENT;
  let byKey = rekeyed.get(role);
  const known = byKey?.get(key);
  if (known !== undefined) return known;
  const start = key.indexOf(ALLOCATION) + ALLOCATION.length; // unique: see computeKey
  const end = key.indexOf(SEP, start);
  const derived = [key.slice(0, start), optional(allocationRole), key.slice(end)].join('');
  if (rekeyedSize >= REKEY_LIMIT) {
    rekeyed = new Map();
    rekeyedSize = 0;
    byKey = undefined;
  }
  if (byKey === undefined) rekeyed.set(role, (byKey = new Map()));
  byKey.set(key, derived);
  rekeyedSize++;
  return derived;
}

/** True when `a` and `b` differ at most in their value. */
export function sameIdentity(a: Resource, b: Resource): boolean {
  return a === b || identityKey(a) === identityKey(b);
}

/** The role a resource is reserved for: the innermost reservation's role, or `*`. */
export function reservationRole(r: Resource): string {
  const n = r.reservations.length;
  return n === 0 ? UNRESERVED_ROLE : r.reservations[n - 1].role;
}
