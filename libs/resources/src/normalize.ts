/**
 * Turns a Resource built anywhere into the canonical form the arithmetic relies on, or rejects
 * it. Canonical means: only the value field of its kind is set, scalars are non-negative
 * integers (milli), ranges are sorted and coalesced, set items sorted and unique, reservation
 * roles nest, and an empty value makes the whole entry disappear.
 */
import { InvalidResourceError } from './errors';
import { compactResource } from './make';
import { isNormalizedRanges, normalizeRanges } from './ranges';
import { UNRESERVED_ROLE, type Reservation, type Resource, type ValueRange } from './resource';
import { isAncestorOrSelf } from './roles';
import { isNormalizedItems, normalizeItems } from './sets';
import { MAX_MILLI } from './units';

function fail(r: Resource, reason: string): never {
  throw new InvalidResourceError(`invalid resource '${String(r.name)}': ${reason}`);
}

function isBound(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/**
 * Checks a reservation stack: roles are real roles (not `*`), each level is strictly inside the
 * one below it, and STATIC can only be the bottom level. Returns a reason or undefined.
 */
export function checkReservationStack(stack: readonly Reservation[]): string | undefined {
  for (let i = 0; i < stack.length; i++) {
    const { type, role } = stack[i];
    if (type !== 'STATIC' && type !== 'DYNAMIC') return `reservation type '${String(type)}' is not STATIC or DYNAMIC`;
    if (typeof role !== 'string' || role === '' || role === UNRESERVED_ROLE) {
      return `cannot reserve for role '${String(role)}'`;
    }
    if (i > 0) {
      const below = stack[i - 1].role;
      if (role === below || !isAncestorOrSelf(below, role)) {
        return `refined reservation for '${role}' is not inside '${below}'`;
      }
      if (type === 'STATIC') return 'a STATIC reservation can only be the bottom of the stack';
    }
  }
  return undefined;
}

function checkRanges(r: Resource, ranges: readonly ValueRange[]): void {
  for (const range of ranges) {
    if (!isBound(range.begin) || !isBound(range.end)) {
      fail(r, `range bounds must be non-negative integers, got ${range.begin}-${range.end}`);
    }
    if (range.begin > range.end) fail(r, `range ${range.begin}-${range.end} has begin > end`);
  }
}

/** The canonical form of `r` (the same object when already canonical), or undefined if empty. */
export function canonicalResource(r: Resource): Resource | undefined {
  if (typeof r.name !== 'string' || r.name === '') fail(r, 'name must be a non-empty string');
  const stack = r.reservations ?? [];
  const bad = checkReservationStack(stack);
  if (bad !== undefined) fail(r, bad);
  let canonical = r.reservations !== undefined;
  let ranges: readonly ValueRange[] | undefined;
  let items: readonly string[] | undefined;
  switch (r.kind) {
    case 'SCALAR': {
      if (!isBound(r.milli) || r.milli > MAX_MILLI) {
        fail(r, `scalar must be a non-negative integer of milli, got ${r.milli}`);
      }
      if (r.milli === 0) return undefined;
      canonical &&= r.ranges === undefined && r.items === undefined;
      break;
    }
    case 'RANGES': {
      ranges = r.ranges ?? [];
      checkRanges(r, ranges);
      if (ranges.length === 0) return undefined;
      if (!isNormalizedRanges(ranges)) {
        ranges = normalizeRanges(ranges);
        canonical = false;
      }
      canonical &&= r.milli === undefined && r.items === undefined;
      break;
    }
    case 'SET': {
      items = r.items ?? [];
      if (items.some((item) => typeof item !== 'string')) fail(r, 'set items must be strings');
      if (items.length === 0) return undefined;
      if (!isNormalizedItems(items)) {
        items = normalizeItems(items);
        canonical = false;
      }
      canonical &&= r.milli === undefined && r.ranges === undefined;
      break;
    }
    default:
      fail(r, `kind '${String(r.kind)}' is not SCALAR, RANGES or SET`);
  }
  const emptyDisk = r.disk !== undefined && Object.values(r.disk).every((v) => v === undefined);
  if (canonical && !emptyDisk) return r;
  return compactResource({
    ...r,
    milli: r.kind === 'SCALAR' ? r.milli : undefined,
    ranges,
    items,
    reservations: stack,
    disk: emptyDisk ? undefined : r.disk,
  });
}
