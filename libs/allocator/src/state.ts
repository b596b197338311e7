import type { ResourceQuantities, Resources } from '@agora/resources';
import type { CompiledConstraints, ConstraintSubject } from './constraints';
import { FilterSet } from './filters';
import type { AgentAttribute, AgentSpec, FrameworkCapabilities } from './types';

/** The allocator's view of one agent. */
export class AgentState {
  total: Resources;
  /** total minus everything allocated, kept up to date on every allocate and recover. */
  free: Resources;
  /** What each framework holds here (offered or used), tagged with allocation roles. */
  readonly allocated = new Map<string, Resources>();
  activated = true;
  /** Bumped when total or attributes change; filters installed before no longer apply. */
  generation = 0;
  hasGpus = false;
  hasReservations = false;
  hasRevocable = false;
  hasShared = false;
  hasRefined = false;
  subject: ConstraintSubject;
  multiRoleCapable: boolean;
  region: string | undefined;
  /** This cycle's decisions on this agent, as indexes into the cycle's list (stamped by cycle). */
  decisionsCycle = -1;
  readonly decisions: number[] = [];

  constructor(
    readonly id: string,
    /** Dense index used as a key in filter maps. */
    readonly index: number,
    spec: AgentSpec,
  ) {
    this.total = spec.total;
    this.free = spec.total;
    this.multiRoleCapable = spec.multiRoleCapable ?? true;
    this.region = spec.region;
    this.subject = subjectOf(spec, spec.attributes ?? []);
    this.refreshFlags();
  }

  describe(spec: AgentSpec): void {
    this.subject = subjectOf(spec, spec.attributes ?? this.subject.attributes);
    this.region = spec.region;
    this.multiRoleCapable = spec.multiRoleCapable ?? true;
  }

  refreshFlags(): void {
    this.hasGpus = this.total.scalar('gpus') > 0;
    this.hasReservations = this.hasRevocable = this.hasShared = this.hasRefined = false;
    for (const r of this.total.list) {
      if (r.reservations.length > 0) this.hasReservations = true;
      if (r.reservations.length > 1) this.hasRefined = true;
      if (r.revocable) this.hasRevocable = true;
      if (r.shared) this.hasShared = true;
    }
  }
}

function subjectOf(spec: AgentSpec, attributes: readonly AgentAttribute[]): ConstraintSubject {
  return { hostname: spec.hostname, region: spec.region, zone: spec.zone, attributes };
}

/** Everything the allocator keeps about one framework in one of its roles. */
export class FrameworkRole {
  subscribed = true;
  suppressed = false;
  constraints: CompiledConstraints | undefined;
  minAllocatable: readonly ResourceQuantities[] | undefined;
  readonly filters = new FilterSet();
  /** Per-cycle bookkeeping for explanations; reset when `cycle` differs. */
  cycle = -1;
  offered = false;
  counters: number[] = [];

  constructor(readonly role: string) {}

  touch(cycle: number): void {
    if (this.cycle === cycle) return;
    this.cycle = cycle;
    this.offered = false;
    this.counters.length = 0;
  }
}

export class FrameworkState {
  /** False for a placeholder made when an agent reported resources of a framework not yet added. */
  known = false;
  active = false;
  capabilities: FrameworkCapabilities = {};
  readonly roles = new Map<string, FrameworkRole>();
  /** Indexes of agents where the framework holds resources. */
  readonly agents = new Set<number>();

  constructor(readonly id: string) {}

  role(role: string): FrameworkRole {
    let r = this.roles.get(role);
    if (!r) {
      r = new FrameworkRole(role);
      r.subscribed = false;
      this.roles.set(role, r);
    }
    return r;
  }
}
