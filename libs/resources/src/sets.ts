/**
 * Arithmetic on set values. A normalized set is sorted by UTF-16 code units (the `<` order,
 * never locale order) without duplicates; every function takes and returns normalized sets.
 */

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function normalizeItems(items: readonly string[]): string[] {
  const sorted = [...items].sort(compareStrings);
  return sorted.filter((item, i) => i === 0 || item !== sorted[i - 1]);
}

export function isNormalizedItems(items: readonly string[]): boolean {
  for (let i = 1; i < items.length; i++) if (!(items[i - 1] < items[i])) return false;
  return true;
}

export function addItems(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i++]);
      j++;
    } else if (a[i] < b[j]) out.push(a[i++]);
    else out.push(b[j++]);
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** The items of `a` not in `b`; returns `a` itself when nothing is removed. */
export function subtractItems(a: readonly string[], b: readonly string[]): readonly string[] {
  if (a.length === 0 || b.length === 0) return a;
  const out: string[] = [];
  let j = 0;
  for (const item of a) {
    while (j < b.length && b[j] < item) j++;
    if (j === b.length || b[j] !== item) out.push(item);
  }
  return out.length === a.length ? a : out;
}

export function containsItems(a: readonly string[], b: readonly string[]): boolean {
  let i = 0;
  for (const item of b) {
    while (i < a.length && a[i] < item) i++;
    if (i === a.length || a[i] !== item) return false;
  }
  return true;
}

export function itemsEqual(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
