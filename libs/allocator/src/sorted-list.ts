/**
 * An array kept sorted by a strict total order. Lookup and insertion point are binary searches;
 * moving an element is one splice out and one splice in. For the sibling groups the DRF sorter
 * keeps (hundreds to a few thousand clients) a splice is a memmove of a few kilobytes, cheaper in
 * practice than the pointer chasing of a balanced tree.
 *
 * Elements must not change their sort key while in the list: take them out, change, put back.
 */
export class SortedList<T> {
  readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get length(): number {
    return this.items.length;
  }

  insert(item: T): void {
    this.items.splice(this.lowerBound(item), 0, item);
  }

  /** Removes `item`, located by its current key. Returns false when it is not in the list. */
  remove(item: T): boolean {
    // The allocation loop mostly moves the head (the client it just served); shift() is cheap.
    if (this.items[0] === item) {
      this.items.shift();
      return true;
    }
    const i = this.lowerBound(item);
    if (this.items[i] !== item) return false;
    this.items.splice(i, 1);
    return true;
  }

  /** Re-sorts everything, after keys changed for many elements at once. */
  resort(): void {
    this.items.sort(this.compare);
  }

  private lowerBound(item: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.items[mid] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
