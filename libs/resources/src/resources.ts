/**
 * `Resources`: an immutable, normalized collection of resources and the arithmetic the master
 * and the allocator run on it.
 *
 * Normalized means one entry per identity (see identity.ts), no empty entries, and entries
 * sorted by identity key. Keeping the sort lets add, subtract, contains and equals run as one
 * linear merge over two lists, comparing precomputed key strings, and lets results reuse the
 * unchanged entries of their inputs. Nothing here mutates an existing object.
 */
import { InvalidResourceError } from './errors';
import { freshIdentityKey, identityKey, keyWithAllocationRole, reservationRole } from './identity';
import { compactResource, withAllocationRole, withMilli, withReservations } from './make';
import { canonicalResource, checkReservationStack } from './normalize';
import { quantitiesFromGrouped, ResourceQuantities } from './quantities';
import { UNRESERVED_ROLE, type DiskInfo, type Reservation, type Resource } from './resource';
import { isAncestorOrSelf, validateRole } from './roles';
import { compareStrings } from './sets';
import { parseResourceList } from './text';
import { formatResources } from './text-format';
import { milliFromNumber } from './units';
import { amountOf, coversValue, differenceOfValues, milliOf, sameValue, sumValues } from './values';

/** Identity fields for the test and fixture helpers `Resources.scalar/ranges/set`. */
export interface ResourceOptions {
  /** Shorthand for one STATIC reservation, as in `cpus(eng):1`; `*` means unreserved. */
  readonly role?: string;
  /** The full reservation stack; wins over `role`. */
  readonly reservations?: readonly Reservation[];
  readonly allocationRole?: string;
  readonly revocable?: boolean;
  readonly shared?: boolean;
  readonly disk?: DiskInfo;
}

export type ResourcePredicate = (r: Resource) => boolean;

export class Resources implements Iterable<Resource> {
  static readonly EMPTY: Resources = new Resources([], []);

  /** Memo of `quantities()`; an ES private field, so it stays out of equality checks in tests. */
  #quantities: ResourceQuantities | undefined = undefined;

  /** `keys[i]` is the identity key of `list[i]`; keys are strictly increasing. */
  private constructor(
    readonly list: readonly Resource[],
    private readonly keys: readonly string[],
  ) {}

  /** Validates, canonicalizes and merges arbitrary resources. Throws InvalidResourceError. */
  static of(resources: Iterable<Resource>): Resources {
    if (resources instanceof Resources) return resources;
    const list: Resource[] = [];
    const keys: string[] = [];
    for (const r of resources) {
      const c = canonicalResource(r);
      if (c === undefined) continue;
      list.push(c);
      keys.push(identityKey(c));
    }
    return Resources.build(list, keys);
  }

  /** Parses the text form (`cpus:2;mem:1024;ports:[31000-32000]`); see text.ts. */
  static parse(text: string, defaultRole: string = UNRESERVED_ROLE): Resources {
    return Resources.of(parseResourceList(text, defaultRole));
  }

  /** One scalar in natural units: `Resources.scalar('cpus', 1.5, { role: 'eng' })`. */
  static scalar(name: string, value: number, opts: ResourceOptions = {}): Resources {
    const parsed = milliFromNumber(value);
    if (!parsed.ok) throw new InvalidResourceError(`invalid resource '${name}': ${parsed.reason}`);
    return Resources.of([withOptions({ name, kind: 'SCALAR', milli: parsed.milli, reservations: [] }, opts)]);
  }

  /** One ranges resource: `Resources.ranges('ports', [[31000, 32000]])`. */
  static ranges(name: string, ranges: ReadonlyArray<readonly [number, number]>, opts: ResourceOptions = {}): Resources {
    const values = ranges.map(([begin, end]) => ({ begin, end }));
    return Resources.of([withOptions({ name, kind: 'RANGES', ranges: values, reservations: [] }, opts)]);
  }

  /** One set resource: `Resources.set('bugs', ['a', 'b'])`. */
  static set(name: string, items: readonly string[], opts: ResourceOptions = {}): Resources {
    return Resources.of([withOptions({ name, kind: 'SET', items, reservations: [] }, opts)]);
  }

  /** The sum of many collections. */
  static sum(all: Iterable<Resources>): Resources {
    let total = Resources.EMPTY;
    for (const r of all) total = total.add(r);
    return total;
  }

  [Symbol.iterator](): Iterator<Resource> {
    return this.list[Symbol.iterator]();
  }

  /** Number of entries (identities), not an amount. */
  get size(): number {
    return this.list.length;
  }

  isEmpty(): boolean {
    return this.list.length === 0;
  }

  equals(o: Resources): boolean {
    if (this === o) return true;
    const n = this.list.length;
    if (n !== o.list.length) return false;
    for (let i = 0; i < n; i++) {
      if (this.keys[i] !== o.keys[i] || !sameValue(this.list[i], o.list[i])) return false;
    }
    return true;
  }

  // ---- arithmetic -------------------------------------------------------------------------

  add(o: Resources): Resources {
    if (o.list.length === 0) return this;
    if (this.list.length === 0) return o;
    const a = this.list;
    const ak = this.keys;
    const b = o.list;
    const bk = o.keys;
    const list: Resource[] = [];
    const keys: string[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const ka = ak[i];
      const kb = bk[j];
      if (ka === kb) {
        list.push(sumValues(a[i++], b[j++]));
        keys.push(ka);
      } else if (ka < kb) {
        list.push(a[i++]);
        keys.push(ka);
      } else {
        list.push(b[j++]);
        keys.push(kb);
      }
    }
    for (; i < a.length; i++) {
      list.push(a[i]);
      keys.push(ak[i]);
    }
    for (; j < b.length; j++) {
      list.push(b[j]);
      keys.push(bk[j]);
    }
    return new Resources(list, keys);
  }

  /**
   * Removes what of `o` is present here: scalars saturate at 0, ranges and sets lose the
   * values they share with `o`, identities absent here are ignored.
   */
  subtract(o: Resources): Resources {
    if (o.list.length === 0 || this.list.length === 0) return this;
    const a = this.list;
    const ak = this.keys;
    const b = o.list;
    const bk = o.keys;
    const list: Resource[] = [];
    const keys: string[] = [];
    let changed = false;
    let j = 0;
    for (let i = 0; i < a.length; i++) {
      const ka = ak[i];
      while (j < b.length && bk[j] < ka) j++;
      if (j < b.length && bk[j] === ka) {
        const left = differenceOfValues(a[i], b[j++]);
        if (left !== a[i]) changed = true;
        if (left === undefined) continue;
        list.push(left);
      } else {
        list.push(a[i]);
      }
      keys.push(ka);
    }
    return changed ? Resources.fromSorted(list, keys) : this;
  }

  /** True when `o` fits in this: every entry of `o` has an entry of the same identity here that holds it. */
  contains(o: Resources): boolean {
    const a = this.list;
    const ak = this.keys;
    const b = o.list;
    const bk = o.keys;
    if (b.length > a.length) return false;
    let i = 0;
    for (let j = 0; j < b.length; j++) {
      const kb = bk[j];
      while (i < a.length && ak[i] < kb) i++;
      if (i === a.length || ak[i] !== kb || !coversValue(a[i], b[j])) return false;
      i++;
    }
    return true;
  }

  // ---- selection ----------------------------------------------------------------------------

  /** The entries for which `pred` holds (this very object when all do). */
  filter(pred: ResourcePredicate): Resources {
    const a = this.list;
    let list: Resource[] | undefined;
    let keys: string[] | undefined;
    for (let i = 0; i < a.length; i++) {
      const keep = pred(a[i]);
      if (list === undefined || keys === undefined) {
        if (keep) continue;
        list = a.slice(0, i);
        keys = this.keys.slice(0, i);
      } else if (keep) {
        list.push(a[i]);
        keys.push(this.keys[i]);
      }
    }
    return list === undefined || keys === undefined ? this : Resources.fromSorted(list, keys);
  }

  unreserved(): Resources {
    return this.filter((r) => r.reservations.length === 0);
  }

  /** Entries whose innermost reservation is for `role`; every reserved entry when omitted. */
  reserved(role?: string): Resources {
    if (role === undefined) return this.filter((r) => r.reservations.length > 0);
    return this.filter((r) => r.reservations.length > 0 && reservationRole(r) === role);
  }

  /**
   * What a framework in `role` may be offered: unreserved entries, and entries reserved for
   * `role` or for a role above it (a reservation for `eng` is usable by `eng/web`).
   */
  allocatableTo(role: string): Resources {
    return this.filter((r) => {
      const n = r.reservations.length;
      return n === 0 || isAncestorOrSelf(r.reservations[n - 1].role, role);
    });
  }

  /** The innermost reservation role of `r`, or `*` when unreserved. */
  static reservationRole(r: Resource): string {
    return reservationRole(r);
  }

  /** Reserved entries grouped by innermost reservation role, roles in sorted order. */
  reservedByRole(): Map<string, Resources> {
    const groups = new Map<string, { list: Resource[]; keys: string[] }>();
    for (let i = 0; i < this.list.length; i++) {
      const r = this.list[i];
      if (r.reservations.length === 0) continue;
      const role = reservationRole(r);
      let group = groups.get(role);
      if (group === undefined) groups.set(role, (group = { list: [], keys: [] }));
      group.list.push(r);
      group.keys.push(this.keys[i]);
    }
    const out = new Map<string, Resources>();
    for (const role of [...groups.keys()].sort(compareStrings)) {
      const group = groups.get(role);
      if (group !== undefined) out.set(role, Resources.fromSorted(group.list, group.keys));
    }
    return out;
  }

  revocable(): Resources {
    return this.filter((r) => r.revocable === true);
  }

  nonRevocable(): Resources {
    return this.filter((r) => r.revocable !== true);
  }

  shared(): Resources {
    return this.filter((r) => r.shared === true);
  }

  nonShared(): Resources {
    return this.filter((r) => r.shared !== true);
  }

  // ---- amounts --------------------------------------------------------------------------------

  /** Total milli of scalar `name` over all identities. */
  scalar(name: string): number {
    let total = 0;
    for (const r of this.list) if (r.kind === 'SCALAR' && r.name === name) total += milliOf(r);
    return total;
  }

  /** Scalar totals by name, without identity (cached: resources are immutable). */
  quantities(): ResourceQuantities {
    let q = this.#quantities;
    if (q === undefined) {
      // Entries of one name are adjacent (keys start with the name), so sum runs of names.
      const names: string[] = [];
      const values: number[] = [];
      for (const r of this.list) {
        if (r.kind !== 'SCALAR') continue;
        const last = names.length - 1;
        if (last >= 0 && names[last] === r.name) values[last] += milliOf(r);
        else {
          names.push(r.name);
          values.push(milliOf(r));
        }
      }
      q = quantitiesFromGrouped(names, values);
      this.#quantities = q;
    }
    return q;
  }

  /**
   * How many range values or set items `name` has over all identities (ports:[1-10] counts
   * 10). Scalars are not counted here (0); use `scalar(name)`.
   */
  count(name: string): number {
    let total = 0;
    for (const r of this.list) if (r.name === name && r.kind !== 'SCALAR') total += amountOf(r);
    return total;
  }

  /** Distinct resource names, sorted. */
  names(): string[] {
    const names = new Set<string>();
    for (const r of this.list) names.add(r.name);
    return [...names].sort(compareStrings);
  }

  // ---- identity changes -------------------------------------------------------------------

  /** Marks every entry as allocated to `role` (offers and allocations carry it). */
  allocate(role: string): Resources {
    return this.reallocate(role);
  }

  unallocate(): Resources {
    return this.reallocate(undefined);
  }

  /**
   * Pushes a reservation onto every entry (RESERVE). Unreserved entries get it as their first
   * level; reserved ones are refined, which needs a DYNAMIC reservation for a role strictly
   * below their current one. Throws InvalidResourceError otherwise.
   */
  pushReservation(res: Reservation): Resources {
    const bad = res.role === UNRESERVED_ROLE ? `cannot reserve for role '*'` : validateRole(res.role);
    if (bad !== undefined) throw new InvalidResourceError(`cannot push reservation: ${bad}`);
    return this.remap((r) => {
      const stack = [...r.reservations, res];
      const reason = checkReservationStack(stack);
      if (reason !== undefined) throw new InvalidResourceError(`cannot push reservation onto '${r.name}': ${reason}`);
      return withReservations(r, stack);
    });
  }

  /** Pops the innermost reservation of every entry (UNRESERVE). Every entry must be reserved. */
  popReservation(): Resources {
    return this.remap((r) => {
      if (r.reservations.length === 0) {
        throw new InvalidResourceError(`cannot pop a reservation from unreserved '${r.name}'`);
      }
      return withReservations(r, r.reservations.slice(0, -1));
    });
  }

  /**
   * Caps scalars for quota: for each name in `limit`, the entries of that name for which
   * `pred` holds (all when omitted) keep at most `limit.get(name)` in total, taken from the
   * entries in list order. Other entries are unchanged.
   */
  shrinkScalars(limit: ResourceQuantities, pred?: ResourcePredicate): Resources {
    const names = limit.names();
    if (names.length === 0) return this;
    const budget = names.map((name) => limit.get(name));
    const a = this.list;
    let list: Resource[] | undefined;
    let keys: string[] | undefined;
    for (let i = 0; i < a.length; i++) {
      const r = a[i];
      let next: Resource | undefined = r;
      if (r.kind === 'SCALAR' && (pred === undefined || pred(r))) {
        const slot = names.indexOf(r.name);
        if (slot >= 0) {
          const have = milliOf(r);
          const keep = have < budget[slot] ? have : budget[slot];
          budget[slot] -= keep;
          if (keep !== have) next = keep === 0 ? undefined : withMilli(r, keep);
        }
      }
      if (next !== r && (list === undefined || keys === undefined)) {
        list = a.slice(0, i);
        keys = this.keys.slice(0, i);
      }
      if (next !== undefined && list !== undefined && keys !== undefined) {
        list.push(next);
        keys.push(this.keys[i]);
      }
    }
    return list === undefined || keys === undefined ? this : Resources.fromSorted(list, keys);
  }

  // ---- printing -----------------------------------------------------------------------------

  /** The text form, `cpus:2;mem:1024;ports:[31000-32000]`; `Resources.parse` reads it back. */
  toString(): string {
    return formatResources(this.list);
  }

  /** JSON.stringify shows the text form; use v1.ts / v0.ts for wire formats. */
  toJSON(): string {
    return this.toString();
  }

  // ---- internals ----------------------------------------------------------------------------

  private static fromSorted(list: Resource[], keys: string[]): Resources {
    return list.length === 0 ? Resources.EMPTY : new Resources(list, keys);
  }

  /** Sorts by key and merges equal identities; `list` entries must be canonical. */
  private static build(list: Resource[], keys: string[]): Resources {
    let sorted = true;
    for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
    if (sorted) return Resources.fromSorted(list, keys);
    const order = keys.map((_, i) => i).sort((x, y) => compareStrings(keys[x], keys[y]));
    const outList: Resource[] = [];
    const outKeys: string[] = [];
    for (const i of order) {
      const last = outKeys.length - 1;
      if (last >= 0 && outKeys[last] === keys[i]) outList[last] = sumValues(outList[last], list[i]);
      else {
        outList.push(list[i]);
        outKeys.push(keys[i]);
      }
    }
    return new Resources(outList, outKeys);
  }

  /** Applies an identity-changing map to every entry, then re-keys and re-merges. */
  private remap(f: (r: Resource) => Resource): Resources {
    const list = this.list.map(f);
    return Resources.build(list, list.map(freshIdentityKey));
  }

  /** allocate/unallocate: only the allocation part of each key changes, so splice it. */
  private reallocate(role: string | undefined): Resources {
    const a = this.list;
    let i = 0;
    while (i < a.length && a[i].allocationRole === role) i++;
    if (i === a.length) return this;
    const list = a.slice(0, i);
    const keys = this.keys.slice(0, i);
    const before = a[i].allocationRole;
    let uniform = i === 0;
    for (; i < a.length; i++) {
      const r = a[i];
      if (r.allocationRole === role) {
        uniform = false;
        list.push(r);
        keys.push(this.keys[i]);
      } else {
        uniform &&= r.allocationRole === before;
        list.push(withAllocationRole(r, role));
        keys.push(keyWithAllocationRole(this.keys[i], role));
      }
    }
    // When every entry had the same allocation role, each key changes in the same place in the
    // same way, which keeps them distinct and in order: no need to sort or merge.
    return uniform ? new Resources(list, keys) : Resources.build(list, keys);
  }
}

function withOptions(base: Resource, opts: ResourceOptions): Resource {
  const reservations =
    opts.reservations ?? (opts.role === undefined || opts.role === UNRESERVED_ROLE ? [] : [{ type: 'STATIC' as const, role: opts.role }]);
  return compactResource({
    ...base,
    reservations,
    allocationRole: opts.allocationRole,
    revocable: opts.revocable,
    shared: opts.shared,
    disk: opts.disk,
  });
}
