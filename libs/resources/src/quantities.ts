/**
 * Plain amounts of scalar resources by name ("cpus:4;mem:8192"), without identity: what quota,
 * DRF shares, headroom and minimum-allocatable checks need. Values are integer milli.
 *
 * A name that is absent reads as 0. A name may also be present with value 0: that matters for
 * limits ("mem:0" forbids memory, while a missing name imposes nothing), so explicit zeros are
 * kept and listed by `names()`, but `equals`, `contains` and `isEmpty` treat them as absent.
 */
import { ResourceParseError } from './errors';
import { compareStrings } from './sets';
import { formatMilli, milliFromNumber, milliFromText, milliToNumber } from './units';

/** Set by the class's static block: lets `quantitiesFromGrouped` reach the private constructor. */
let construct: (names: readonly string[], values: readonly number[]) => ResourceQuantities;

/**
 * For `Resources.quantities()` (not exported from the package): builds from names whose equal
 * values are adjacent, summing those runs; sorts only when the names are out of order.
 */
export function quantitiesFromGrouped(names: string[], values: number[]): ResourceQuantities {
  for (let i = 1; i < names.length; i++) {
    if (!(names[i - 1] < names[i])) return ResourceQuantities.fromMilli(names.map((n, j) => [n, values[j]]));
  }
  return names.length === 0 ? ResourceQuantities.EMPTY : construct(names, values);
}

export class ResourceQuantities {
  static readonly EMPTY = new ResourceQuantities([], []);

  static {
    construct = (names, values) => new ResourceQuantities(names, values);
  }

  /** Sorted by name (code-unit order), one value per name. */
  private constructor(
    private readonly sortedNames: readonly string[],
    private readonly values: readonly number[],
  ) {}

  /**
   * Parses `cpus:1;mem:32` (natural units, rounded to 3 decimals; duplicates summed).
   * Throws ResourceParseError naming the bad part.
   */
  static parse(text: string): ResourceQuantities {
    const entries: Array<[string, number]> = [];
    for (const raw of text.split(';')) {
      const part = raw.trim();
      if (part === '') continue;
      const colon = part.indexOf(':');
      const fail = (reason: string): never => {
        throw new ResourceParseError(`invalid quantity '${part}': ${reason}`, part);
      };
      if (colon < 0) fail("expected 'name:value'");
      const name = part.slice(0, colon).trim();
      if (name === '') fail('name is empty');
      if (/[\s(){}[\]]/.test(name)) fail(`name '${name}' is not a plain scalar name`);
      const parsed = milliFromText(part.slice(colon + 1));
      if (!parsed.ok) fail(parsed.reason);
      else entries.push([name, parsed.milli]);
    }
    return ResourceQuantities.fromMilli(entries);
  }

  /** From natural units: `{cpus: 1.5, mem: 1024}`. Throws ResourceParseError on bad numbers. */
  static fromRecord(record: Readonly<Record<string, number>>): ResourceQuantities {
    const entries: Array<[string, number]> = [];
    for (const [name, value] of Object.entries(record)) {
      const parsed = milliFromNumber(value);
      if (!parsed.ok) throw new ResourceParseError(`invalid quantity '${name}': ${parsed.reason}`, name);
      entries.push([name, parsed.milli]);
    }
    return ResourceQuantities.fromMilli(entries);
  }

  /** From milli values; repeated names are summed. Values must be non-negative integers. */
  static fromMilli(entries: Iterable<readonly [string, number]>): ResourceQuantities {
    const list = [...entries];
    for (const [name, milli] of list) {
      if (!Number.isSafeInteger(milli) || milli < 0) {
        throw new RangeError(`quantity of '${name}' must be a non-negative integer of milli, got ${milli}`);
      }
    }
    if (list.length === 0) return ResourceQuantities.EMPTY;
    list.sort((a, b) => compareStrings(a[0], b[0]));
    const names: string[] = [];
    const values: number[] = [];
    for (const [name, milli] of list) {
      const last = names.length - 1;
      if (last >= 0 && names[last] === name) values[last] += milli;
      else {
        names.push(name);
        values.push(milli);
      }
    }
    return new ResourceQuantities(names, values);
  }

  /** The amount of `name` in milli; 0 when absent. */
  get(name: string): number {
    const i = this.sortedNames.indexOf(name);
    return i < 0 ? 0 : this.values[i];
  }

  has(name: string): boolean {
    return this.sortedNames.includes(name);
  }

  get size(): number {
    return this.sortedNames.length;
  }

  /** True when no name has a positive amount. */
  isEmpty(): boolean {
    return this.values.every((v) => v === 0);
  }

  /** Names in sorted order, including explicit zeros. */
  names(): readonly string[] {
    return this.sortedNames;
  }

  *entries(): IterableIterator<[string, number]> {
    for (let i = 0; i < this.sortedNames.length; i++) yield [this.sortedNames[i], this.values[i]];
  }

  add(o: ResourceQuantities): ResourceQuantities {
    if (o.sortedNames.length === 0) return this;
    if (this.sortedNames.length === 0) return o;
    return this.merge(o, (a, b) => a + b, true);
  }

  /** Subtracts per name, saturating at 0; names only in `o` are ignored. */
  subtract(o: ResourceQuantities): ResourceQuantities {
    if (o.sortedNames.length === 0 || this.sortedNames.length === 0) return this;
    return this.merge(o, (a, b) => (a > b ? a - b : 0), false);
  }

  /** Per name present in both, the smaller amount. */
  min(o: ResourceQuantities): ResourceQuantities {
    const names: string[] = [];
    const values: number[] = [];
    this.join(o, (name, a, b, inThis, inOther) => {
      if (inThis && inOther) {
        names.push(name);
        values.push(a < b ? a : b);
      }
    });
    return new ResourceQuantities(names, values);
  }

  /** True when every amount in `o` is at most the amount here. */
  contains(o: ResourceQuantities): boolean {
    let j = 0;
    const names = this.sortedNames;
    for (let i = 0; i < o.sortedNames.length; i++) {
      const want = o.values[i];
      if (want === 0) continue;
      const name = o.sortedNames[i];
      while (j < names.length && names[j] < name) j++;
      if (j === names.length || names[j] !== name || this.values[j] < want) return false;
    }
    return true;
  }

  /** Equal amounts for every name, treating explicit zeros as absent. */
  equals(o: ResourceQuantities): boolean {
    if (this === o) return true;
    let same = true;
    this.join(o, (_name, a, b) => {
      if (a !== b) same = false;
    });
    return same;
  }

  /** Natural units: `{cpus: 1.5, mem: 1024}`. */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < this.sortedNames.length; i++) out[this.sortedNames[i]] = milliToNumber(this.values[i]);
    return out;
  }

  /** `cpus:1.5;mem:1024`, sorted by name; parses back with `ResourceQuantities.parse`. */
  toString(): string {
    return this.sortedNames.map((name, i) => `${name}:${formatMilli(this.values[i])}`).join(';');
  }

  private merge(o: ResourceQuantities, op: (a: number, b: number) => number, keepOther: boolean): ResourceQuantities {
    const names: string[] = [];
    const values: number[] = [];
    this.join(o, (name, a, b, inThis) => {
      if (inThis || keepOther) {
        names.push(name);
        values.push(op(a, b));
      }
    });
    return new ResourceQuantities(names, values);
  }

  /** Walks the union of names in order; absent amounts read as 0. */
  private join(
    o: ResourceQuantities,
    visit: (name: string, a: number, b: number, inThis: boolean, inOther: boolean) => void,
  ): void {
    const an = this.sortedNames;
    const bn = o.sortedNames;
    let i = 0;
    let j = 0;
    while (i < an.length || j < bn.length) {
      if (j === bn.length || (i < an.length && an[i] < bn[j])) {
        visit(an[i], this.values[i], 0, true, false);
        i++;
      } else if (i === an.length || bn[j] < an[i]) {
        visit(bn[j], 0, o.values[j], false, true);
        j++;
      } else {
        visit(an[i], this.values[i], o.values[j], true, true);
        i++;
        j++;
      }
    }
  }
}
