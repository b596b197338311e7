import type { Resource, Resources } from '@agora/resources';

/** Unreserved and non-revocable: what quota headroom is made of. */
export function isHeadroomResource(r: Resource): boolean {
  return r.reservations.length === 0 && !r.revocable;
}

/**
 * Interns scalar resource names into small integer indexes so that shares, quota consumption and
 * headroom are plain arrays of thousandths instead of maps keyed by strings: the allocation loop
 * touches these for every agent, and this keeps it to a few array reads.
 */
export class ScalarSpace {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly excludedFromFairness: ReadonlySet<string> = new Set()) {}

  indexOf(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }

  /** Looks a name up without interning it. */
  find(name: string): number | undefined {
    return this.index.get(name);
  }

  countsForFairness(i: number): boolean {
    return !this.excludedFromFairness.has(this.names[i] as string);
  }

  /** Scalars of `resources` (those passing `only`, when given) as a vector, in thousandths. */
  vector(resources: Resources, only?: (r: Resource) => boolean): number[] {
    const v: number[] = [];
    for (const r of resources.list) {
      if (r.kind !== 'SCALAR' || !r.milli || (only && !only(r))) continue;
      const i = this.indexOf(r.name);
      while (v.length <= i) v.push(0);
      v[i] = (v[i] as number) + r.milli;
    }
    return v;
  }

  /**
   * Two vectors in one pass: all scalars, and the unreserved non-revocable ones (what quota
   * headroom is made of). The allocation path needs both for every allocation.
   */
  split(resources: Resources): { all: number[]; unreserved: number[] } {
    const all: number[] = [];
    const unreserved: number[] = [];
    for (const r of resources.list) {
      if (r.kind !== 'SCALAR' || !r.milli) continue;
      const i = this.indexOf(r.name);
      while (all.length <= i) all.push(0);
      all[i] = (all[i] as number) + r.milli;
      if (!isHeadroomResource(r)) continue;
      while (unreserved.length <= i) unreserved.push(0);
      unreserved[i] = (unreserved[i] as number) + r.milli;
    }
    return { all, unreserved };
  }

  /** The unreserved, non-revocable scalars of `resources`. */
  headroomVector(resources: Resources): number[] {
    return this.vector(resources, isHeadroomResource);
  }

  /** Natural units, rounded to thousandths, names with a zero value left out. */
  record(v: readonly number[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < v.length; i++) {
      const milli = v[i] as number;
      if (milli !== 0) out[this.names[i] as string] = milli / 1000;
    }
    return out;
  }
}

/** a += sign * b, growing a as needed. */
export function addInto(a: number[], b: readonly number[], sign = 1): void {
  while (a.length < b.length) a.push(0);
  for (let i = 0; i < b.length; i++) a[i] = (a[i] as number) + sign * (b[i] as number);
}

export function at(v: readonly number[], i: number): number {
  return i < v.length ? (v[i] as number) : 0;
}
