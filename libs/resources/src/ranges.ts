/**
 * Arithmetic on range values (ports). A normalized list is sorted, and no two ranges overlap or
 * touch: [1-3],[4-6] is written [1-6]. Every function here takes normalized input, returns
 * normalized output and runs in one linear pass.
 */
import type { ValueRange } from './resource';

/** Sorts and coalesces arbitrary (valid) ranges. */
export function normalizeRanges(ranges: readonly ValueRange[]): ValueRange[] {
  if (ranges.length === 0) return [];
  const sorted = [...ranges].sort((a, b) => a.begin - b.begin || a.end - b.end);
  const out: ValueRange[] = [];
  let begin = sorted[0].begin;
  let end = sorted[0].end;
  for (let i = 1; i < sorted.length; i++) {
    const r = sorted[i];
    if (r.begin <= end + 1) {
      if (r.end > end) end = r.end;
    } else {
      out.push({ begin, end });
      begin = r.begin;
      end = r.end;
    }
  }
  out.push({ begin, end });
  return out;
}

/** True when the list is sorted, with no overlapping or adjacent ranges. */
export function isNormalizedRanges(ranges: readonly ValueRange[]): boolean {
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i].begin > ranges[i].end) return false;
    if (i > 0 && ranges[i].begin <= ranges[i - 1].end + 1) return false;
  }
  return true;
}

/** Union of two normalized lists. */
export function addRanges(a: readonly ValueRange[], b: readonly ValueRange[]): readonly ValueRange[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: ValueRange[] = [];
  let i = 0;
  let j = 0;
  const first = a[0].begin <= b[0].begin ? a[i++] : b[j++];
  let begin = first.begin;
  let end = first.end;
  while (i < a.length || j < b.length) {
    const next = j === b.length || (i < a.length && a[i].begin <= b[j].begin) ? a[i++] : b[j++];
    if (next.begin <= end + 1) {
      if (next.end > end) end = next.end;
    } else {
      out.push({ begin, end });
      begin = next.begin;
      end = next.end;
    }
  }
  out.push({ begin, end });
  return out;
}

/** The values of `a` that are not in `b`; returns `a` itself when nothing is removed. */
export function subtractRanges(a: readonly ValueRange[], b: readonly ValueRange[]): readonly ValueRange[] {
  if (a.length === 0 || b.length === 0) return a;
  const out: ValueRange[] = [];
  let changed = false;
  let j = 0;
  for (const r of a) {
    while (j < b.length && b[j].end < r.begin) j++;
    let cur = r.begin;
    let k = j;
    while (k < b.length && b[k].begin <= r.end && cur <= r.end) {
      changed = true;
      if (b[k].begin > cur) out.push({ begin: cur, end: b[k].begin - 1 });
      if (b[k].end + 1 > cur) cur = b[k].end + 1;
      if (b[k].end > r.end) break; // b[k] may still cover the next range of `a`
      k++;
    }
    j = k;
    if (cur === r.begin) out.push(r);
    else if (cur <= r.end) out.push({ begin: cur, end: r.end });
  }
  return changed ? out : a;
}

/** True when every value of `b` is in `a`. */
export function containsRanges(a: readonly ValueRange[], b: readonly ValueRange[]): boolean {
  let i = 0;
  for (const r of b) {
    while (i < a.length && a[i].end < r.begin) i++;
    // `a` is coalesced, so a contiguous interval it covers lies inside a single range.
    if (i === a.length || a[i].begin > r.begin || a[i].end < r.end) return false;
  }
  return true;
}

export function rangesEqual(a: readonly ValueRange[], b: readonly ValueRange[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].begin !== b[i].begin || a[i].end !== b[i].end) return false;
  }
  return true;
}

/** How many values the ranges hold: [31000-32000] holds 1001. */
export function countRanges(ranges: readonly ValueRange[]): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.begin + 1;
  return n;
}

/** `[31000-32000,33000-34000]`; `separator` lets /state use Mesos' `", "`. */
export function formatRanges(ranges: readonly ValueRange[], separator = ','): string {
  return `[${ranges.map((r) => `${r.begin}-${r.end}`).join(separator)}]`;
}
