/**
 * Value arithmetic on single canonical entries of the same identity (hence the same kind).
 * Kept apart from `Resources` so the collection code reads as plain merge loops.
 */
import { withItems, withMilli, withRanges } from './make';
import { addRanges, containsRanges, countRanges, rangesEqual, subtractRanges } from './ranges';
import type { Resource, ValueRange } from './resource';
import { addItems, containsItems, itemsEqual, subtractItems } from './sets';

const NO_RANGES: readonly ValueRange[] = [];
const NO_ITEMS: readonly string[] = [];

export const milliOf = (r: Resource): number => r.milli ?? 0;
export const rangesOf = (r: Resource): readonly ValueRange[] => r.ranges ?? NO_RANGES;
export const itemsOf = (r: Resource): readonly string[] => r.items ?? NO_ITEMS;

/** `a + b`. */
export function sumValues(a: Resource, b: Resource): Resource {
  switch (a.kind) {
    case 'SCALAR':
      return withMilli(a, milliOf(a) + milliOf(b));
    case 'RANGES':
      return withRanges(a, addRanges(rangesOf(a), rangesOf(b)));
    case 'SET':
      return withItems(a, addItems(itemsOf(a), itemsOf(b)));
  }
}

/** `a - b`, saturating; undefined when nothing is left, `a` itself when nothing was removed. */
export function differenceOfValues(a: Resource, b: Resource): Resource | undefined {
  switch (a.kind) {
    case 'SCALAR': {
      const left = milliOf(a) - milliOf(b);
      return left <= 0 ? undefined : left === a.milli ? a : withMilli(a, left);
    }
    case 'RANGES': {
      const left = subtractRanges(rangesOf(a), rangesOf(b));
      return left.length === 0 ? undefined : left === a.ranges ? a : withRanges(a, left);
    }
    case 'SET': {
      const left = subtractItems(itemsOf(a), itemsOf(b));
      return left.length === 0 ? undefined : left === a.items ? a : withItems(a, left);
    }
  }
}

/** Whether `a` holds all of `b`'s value. */
export function coversValue(a: Resource, b: Resource): boolean {
  switch (a.kind) {
    case 'SCALAR':
      return milliOf(a) >= milliOf(b);
    case 'RANGES':
      return containsRanges(rangesOf(a), rangesOf(b));
    case 'SET':
      return containsItems(itemsOf(a), itemsOf(b));
  }
}

export function sameValue(a: Resource, b: Resource): boolean {
  switch (a.kind) {
    case 'SCALAR':
      return milliOf(a) === milliOf(b);
    case 'RANGES':
      return rangesEqual(rangesOf(a), rangesOf(b));
    case 'SET':
      return itemsEqual(itemsOf(a), itemsOf(b));
  }
}

/** Scalars: milli; ranges: number of values; sets: number of items. */
export function amountOf(r: Resource): number {
  switch (r.kind) {
    case 'SCALAR':
      return milliOf(r);
    case 'RANGES':
      return countRanges(rangesOf(r));
    case 'SET':
      return itemsOf(r).length;
  }
}
