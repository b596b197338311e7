import { topLevelRole, type ResourceQuantities } from '@agora/resources';
import { addInto, at, type ScalarSpace } from './scalar-space';

/** Quota of one top-level role, as vectors of thousandths. */
interface RoleQuota {
  guarantees: number[];
  /** Infinity where the role has no limit for a scalar. */
  limits: number[];
}

/**
 * Quota accounting (reference §4.2). Consumption of a top-level role is everything reserved to its
 * subtree (allocated or not) plus the unreserved resources allocated or offered to its subtree.
 * Headroom: the unreserved, non-revocable, unallocated resources of the cluster must stay at least
 * the sum of every role's unmet guarantee; what would break that is held back.
 *
 * All figures are maintained incrementally: the allocation loop reads them per agent.
 */
export class QuotaTracker {
  private readonly quotas = new Map<string, RoleQuota>();
  private readonly reserved = new Map<string, number[]>();
  private readonly allocatedUnreserved = new Map<string, number[]>();
  /** Σ max(0, guarantee − consumed) over quota roles. */
  private required: number[] = [];
  /** Unreserved, non-revocable, unallocated scalars of all agents. */
  readonly freeUnreserved: number[] = [];

  constructor(private readonly space: ScalarSpace) {}

  get hasQuota(): boolean {
    return this.quotas.size > 0;
  }

  set(role: string, guarantees: ResourceQuantities, limits: ResourceQuantities): void {
    const g: number[] = [];
    const l: number[] = [];
    for (const [name, milli] of guarantees.entries()) set(g, this.space.indexOf(name), milli);
    for (const [name] of limits.entries()) this.space.indexOf(name);
    for (let i = 0; i < this.space.names.length; i++) l.push(Infinity);
    for (const [name, milli] of limits.entries()) l[this.space.indexOf(name)] = milli;
    this.quotas.set(role, { guarantees: g, limits: l });
    this.recomputeRequired();
  }

  clear(role: string): void {
    this.quotas.delete(role);
    this.recomputeRequired();
  }

  roles(): IterableIterator<string> {
    return this.quotas.keys();
  }

  consumed(topRole: string): number[] {
    const out: number[] = [];
    addInto(out, this.reserved.get(topRole) ?? []);
    addInto(out, this.allocatedUnreserved.get(topRole) ?? []);
    return out;
  }

  /** What the role still needs to reach its guarantee, per scalar. */
  unsatisfied(topRole: string, i: number): number {
    const q = this.quotas.get(topRole);
    if (!q) return 0;
    const g = at(q.guarantees, i);
    if (g <= 0) return 0;
    return Math.max(0, g - this.consumedAt(topRole, i));
  }

  /** Whether the top-level role has a guarantee of anything (a quota with limits only has none). */
  hasGuarantee(topRole: string): boolean {
    return this.quotas.get(topRole)?.guarantees.some((g) => g > 0) ?? false;
  }

  hasUnsatisfiedGuarantee(topRole: string): boolean {
    const q = this.quotas.get(topRole);
    if (!q) return false;
    for (let i = 0; i < q.guarantees.length; i++) if (this.unsatisfied(topRole, i) > 0) return true;
    return false;
  }

  requiredHeadroom(): readonly number[] {
    return this.required;
  }

  /**
   * The most of scalar `i` that may go to `role` unreserved in one allocation, and which rule
   * binds: the role's limit, or the headroom kept for other roles' guarantees.
   */
  cap(role: string, i: number): { amount: number; by: 'limit' | 'headroom' | 'none' } {
    const top = topLevelRole(role);
    const q = this.quotas.get(top);
    let amount = Infinity;
    let by: 'limit' | 'headroom' | 'none' = 'none';
    if (q) {
      const limit = q.limits[i] ?? Infinity;
      if (limit !== Infinity) {
        amount = Math.max(0, limit - this.consumedAt(top, i));
        by = 'limit';
      }
    }
    const required = at(this.required, i);
    if (required > 0) {
      // Taking x leaves the headroom intact while x ≤ own unmet guarantee + current surplus.
      const surplus = Math.max(0, at(this.freeUnreserved, i) - required);
      const allowed = this.unsatisfied(top, i) + surplus;
      if (allowed < amount) {
        amount = allowed;
        by = 'headroom';
      }
    }
    return { amount, by };
  }

  /** Scalars reserved to `role` appeared (sign 1) or disappeared (sign −1) in some agent's total. */
  reservedChanged(role: string, v: readonly number[], sign: 1 | -1): void {
    this.bump(this.reserved, topLevelRole(role), v, sign);
  }

  /** Unreserved, non-revocable scalars were allocated to (1) or recovered from (−1) `role`. */
  unreservedAllocationChanged(role: string, v: readonly number[], sign: 1 | -1): void {
    this.bump(this.allocatedUnreserved, topLevelRole(role), v, sign);
  }

  freeUnreservedChanged(v: readonly number[], sign: 1 | -1): void {
    addInto(this.freeUnreserved, v, sign);
  }

  private consumedAt(top: string, i: number): number {
    return at(this.reserved.get(top) ?? [], i) + at(this.allocatedUnreserved.get(top) ?? [], i);
  }

  private bump(map: Map<string, number[]>, top: string, v: readonly number[], sign: 1 | -1): void {
    let acc = map.get(top);
    if (!acc) {
      acc = [];
      map.set(top, acc);
    }
    const q = this.quotas.get(top);
    if (!q) {
      addInto(acc, v, sign);
      return;
    }
    // Keep Σ unmet guarantees exact without re-summing all roles.
    for (let i = 0; i < v.length; i++) {
      const before = this.unsatisfied(top, i);
      while (acc.length <= i) acc.push(0);
      acc[i] = (acc[i] as number) + sign * (v[i] as number);
      const after = this.unsatisfied(top, i);
      if (before !== after) set(this.required, i, at(this.required, i) + after - before);
    }
  }

  private recomputeRequired(): void {
    this.required = [];
    for (const role of this.quotas.keys()) {
      for (let i = 0; i < this.space.names.length; i++) {
        const u = this.unsatisfied(role, i);
        if (u > 0) set(this.required, i, at(this.required, i) + u);
      }
    }
  }
}

function set(v: number[], i: number, value: number): void {
  while (v.length <= i) v.push(0);
  v[i] = value;
}
