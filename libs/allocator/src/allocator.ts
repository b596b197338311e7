import { Resources, validateRole, topLevelRole, type ResourceQuantities } from '@agora/resources';
import { compileRoleConstraints } from './constraints';
import { runCycle, type CycleOptions } from './cycle';
import { DrfSorter } from './drf-sorter';
import { AllocatorError } from './errors';
import { refuseDurationMs } from './filters';
import { DEFAULT_MIN_ALLOCATABLE } from './min-allocatable';
import { QuotaTracker } from './quota';
import { addInto, ScalarSpace } from './scalar-space';
import { AgentState, FrameworkState, type FrameworkRole } from './state';
import type {
  AgentSpec,
  AllocationResult,
  AllocatorOptions,
  FrameworkSpec,
  Quota,
} from './types';

/** Settings with defaults applied. */
export interface ResolvedOptions {
  readonly allocationIntervalMs: number;
  readonly defaultRefuseMs: number;
  readonly minAllocatable: readonly ResourceQuantities[];
  readonly filterGpuResources: boolean;
  readonly localRegion: string | undefined;
  readonly seed: number;
  readonly measure: (() => number) | undefined;
}

/** Resources a framework already holds on an agent, reported when the agent (re-)registers. */
export interface UsedResources {
  readonly frameworkId: string;
  /** Tagged with allocation roles. */
  readonly resources: Resources;
}

/**
 * Weighted hierarchical DRF allocator (DESIGN §6, reference §4).
 *
 * Events come in as method calls; `allocate(now)` runs one cycle and returns the decisions. It does
 * no I/O, reads no clock and draws no unseeded randomness: the same events and seed give the same
 * offers. The master owns one instance and drives it from a serialized queue.
 *
 * Vocabulary: an agent's *free* resources are its total minus what is *allocated* (offered or in
 * use) to frameworks; a *client* is a role in the role sorter or a framework in a role's sorter.
 */
export class Allocator {
  /** @internal */ readonly options: ResolvedOptions;
  /** @internal */ readonly space: ScalarSpace;
  /** @internal */ readonly totals: number[] = [];
  /** @internal */ readonly agents = new Map<string, AgentState>();
  /** @internal */ readonly agentList: AgentState[] = [];
  private readonly agentsByIndex = new Map<number, AgentState>();
  /** @internal */ readonly frameworks = new Map<string, FrameworkState>();
  /** @internal */ readonly roleSorter: DrfSorter;
  /** @internal */ readonly frameworkSorters = new Map<string, DrfSorter>();
  /** @internal */ readonly quota: QuotaTracker;
  /** @internal */ paused = false;
  /** @internal */ cycle = 0;
  private nextAgentIndex = 0;

  constructor(options: AllocatorOptions = {}) {
    const interval = options.allocationIntervalMs ?? 1000;
    if (!(interval > 0)) throw new AllocatorError('allocationIntervalMs must be positive');
    this.options = {
      allocationIntervalMs: interval,
      defaultRefuseMs: options.defaultRefuseMs ?? 5000,
      minAllocatable: options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE,
      filterGpuResources: options.filterGpuResources ?? true,
      localRegion: options.localRegion,
      seed: options.seed ?? 0,
      measure: options.measure,
    };
    this.space = new ScalarSpace(new Set(options.fairnessExcludedResourceNames ?? []));
    this.roleSorter = new DrfSorter(this.space, this.totals, true);
    this.quota = new QuotaTracker(this.space);
  }

  // ---- agents -------------------------------------------------------------------------------

  /** Adds an agent; `used` is what frameworks already hold there (agent re-registration). */
  addAgent(spec: AgentSpec, used: readonly UsedResources[] = []): void {
    if (this.agents.has(spec.id)) throw new AllocatorError(`agent ${spec.id} is already added`);
    const agent = new AgentState(spec.id, this.nextAgentIndex++, spec);
    this.agents.set(spec.id, agent);
    this.agentList.push(agent);
    this.agentsByIndex.set(agent.index, agent);
    this.totalChanged(agent.total, 1);
    this.quota.freeUnreservedChanged(this.space.headroomVector(agent.free), 1);
    for (const u of used) {
      const fw = this.frameworkOrPlaceholder(u.frameworkId);
      for (const [role, part] of byAllocationRole(u.resources)) {
        this.track(fw, role);
        this.trackAllocation(agent, fw, role, part.unallocate(), part);
      }
    }
  }

  /** Changes an agent's total, attributes or capabilities. Its refuse filters are dropped. */
  updateAgent(spec: AgentSpec): void {
    const agent = this.agent(spec.id);
    agent.describe(spec);
    agent.generation++;
    if (!spec.total.equals(agent.total)) {
      this.quota.freeUnreservedChanged(this.space.headroomVector(agent.free), -1);
      this.totalChanged(agent.total, -1);
      agent.total = spec.total;
      agent.refreshFlags();
      let allocated = Resources.EMPTY;
      for (const r of agent.allocated.values()) allocated = allocated.add(r.unallocate());
      agent.free = spec.total.subtract(allocated);
      this.totalChanged(agent.total, 1);
      this.quota.freeUnreservedChanged(this.space.headroomVector(agent.free), 1);
    }
  }

  /** Removes an agent; what frameworks held there is gone with it. */
  removeAgent(agentId: string): void {
    const agent = this.agent(agentId);
    for (const [fwId, held] of agent.allocated) {
      const fw = this.frameworks.get(fwId);
      if (fw) for (const [role, part] of byAllocationRole(held)) this.untrackAllocation(agent, fw, role, part, false);
    }
    this.quota.freeUnreservedChanged(this.space.headroomVector(agent.free), -1);
    this.totalChanged(agent.total, -1);
    this.agents.delete(agentId);
    this.agentsByIndex.delete(agent.index);
    const i = this.agentList.indexOf(agent);
    if (i >= 0) this.agentList.splice(i, 1);
    for (const fw of this.frameworks.values()) fw.agents.delete(agent.index);
  }

  /** Draining or maintenance: a deactivated agent gets no new offers. */
  deactivateAgent(agentId: string): void {
    this.agent(agentId).activated = false;
  }

  activateAgent(agentId: string): void {
    this.agent(agentId).activated = true;
  }

  // ---- frameworks ---------------------------------------------------------------------------

  addFramework(spec: FrameworkSpec, active = true): void {
    const existing = this.frameworks.get(spec.id);
    if (existing?.known) throw new AllocatorError(`framework ${spec.id} is already added`);
    const fw = existing ?? new FrameworkState(spec.id);
    this.frameworks.set(spec.id, fw);
    fw.known = true;
    this.applySpec(fw, spec);
    if (active) this.activateFramework(spec.id);
  }

  /** UPDATE_FRAMEWORK or re-subscription: roles, suppressed roles, constraints, capabilities. */
  updateFramework(spec: FrameworkSpec): void {
    this.applySpec(this.framework(spec.id), spec);
  }

  /** Removes a framework; everything it held returns to its agents, unfiltered. */
  removeFramework(frameworkId: string): void {
    const fw = this.framework(frameworkId);
    this.deactivateFramework(frameworkId);
    for (const index of [...fw.agents]) {
      const agent = this.agentsByIndex.get(index);
      const held = agent?.allocated.get(fw.id);
      if (agent && held) for (const [role, part] of byAllocationRole(held)) this.untrackAllocation(agent, fw, role, part, true);
    }
    for (const role of [...fw.roles.keys()]) this.untrack(fw, role);
    this.frameworks.delete(frameworkId);
  }

  activateFramework(frameworkId: string): void {
    const fw = this.framework(frameworkId);
    fw.active = true;
    for (const r of fw.roles.values()) this.syncActivity(fw, r);
  }

  /** Disconnected or failed over: no offers until activated again; allocations stay. */
  deactivateFramework(frameworkId: string): void {
    const fw = this.framework(frameworkId);
    fw.active = false;
    for (const r of fw.roles.values()) this.syncActivity(fw, r);
  }

  /** Stops offers for `roles` (all subscribed roles when omitted). */
  suppress(frameworkId: string, roles?: readonly string[]): void {
    const fw = this.framework(frameworkId);
    for (const r of this.selectRoles(fw, roles)) {
      r.suppressed = true;
      this.syncActivity(fw, r);
    }
  }

  /** Resumes offers for `roles` (all subscribed when omitted) and clears their refuse filters. */
  revive(frameworkId: string, roles?: readonly string[]): void {
    const fw = this.framework(frameworkId);
    for (const r of this.selectRoles(fw, roles)) {
      r.suppressed = false;
      r.filters.clear();
      this.syncActivity(fw, r);
    }
  }

  // ---- resources ----------------------------------------------------------------------------

  /**
   * Resources come back: declined, unused in an ACCEPT, rescinded, or freed by a finished task.
   * With `refuseMs` (a decline or an accept's filters) the framework is not offered them again on
   * this agent until the filter expires, is revived, or the agent changes.
   */
  recoverResources(
    frameworkId: string,
    agentId: string,
    resources: Resources,
    filter?: { readonly refuseMs?: number; readonly now: number },
  ): void {
    const agent = this.agents.get(agentId);
    const fw = this.frameworks.get(frameworkId);
    // The agent or framework may have been removed meanwhile; what it held went with it.
    if (!agent || !fw) return;
    for (const [role, part] of byAllocationRole(resources)) {
      const held = agent.allocated.get(fw.id);
      // Only what the framework holds can come back (part ∩ held, by saturating subtraction).
      const recovered = held ? (held.contains(part) ? part : part.subtract(part.subtract(held))) : Resources.EMPTY;
      if (recovered.isEmpty()) continue;
      this.untrackAllocation(agent, fw, role, recovered, true);
      if (filter && fw.roles.has(role)) {
        const duration = refuseDurationMs(filter.refuseMs, this.options.defaultRefuseMs, this.options.allocationIntervalMs);
        fw.role(role).filters.add(agent.index, {
          resources: recovered.unallocate(),
          expiresAt: filter.now + duration,
          agentGeneration: agent.generation,
        });
      }
    }
  }

  /**
   * Operations changed the identity of allocated resources (RESERVE, UNRESERVE, CREATE, DESTROY):
   * `from` becomes `to` in what the framework holds and in the agent's total. Quantities are
   * unchanged, so shares are too.
   */
  updateAllocation(frameworkId: string, agentId: string, from: Resources, to: Resources): void {
    const agent = this.agent(agentId);
    const fw = this.framework(frameworkId);
    const held = agent.allocated.get(fw.id) ?? Resources.EMPTY;
    if (!held.contains(from)) {
      throw new AllocatorError(`framework ${fw.id} does not hold ${from.toString()} on agent ${agentId}`);
    }
    const fromQ = from.quantities();
    const toQ = to.quantities();
    if (!fromQ.contains(toQ) || !toQ.contains(fromQ)) {
      throw new AllocatorError('updateAllocation must not change resource quantities');
    }
    agent.allocated.set(fw.id, held.subtract(from).add(to));
    this.quotaAllocationDelta(from, -1);
    this.quotaAllocationDelta(to, 1);
    this.totalChanged(agent.total, -1);
    agent.total = agent.total.subtract(from.unallocate()).add(to.unallocate());
    agent.refreshFlags();
    this.totalChanged(agent.total, 1);
  }

  // ---- roles --------------------------------------------------------------------------------

  updateWeights(weights: readonly { readonly role: string; readonly weight: number }[]): void {
    for (const { role, weight } of weights) {
      checkRole(role);
      if (!(typeof weight === 'number' && Number.isFinite(weight) && weight > 0)) {
        throw new AllocatorError(`weight of role '${role}' must be a positive number`);
      }
    }
    for (const { role, weight } of weights) this.roleSorter.setWeight(role, weight);
  }

  /** Sets (or with `undefined`, removes) the quota of a top-level role. */
  updateQuota(role: string, quota: Quota | undefined): void {
    checkRole(role);
    if (role === '*') throw new AllocatorError("quota cannot be set on role '*'");
    if (topLevelRole(role) !== role) {
      throw new AllocatorError(`quota is set on top-level roles only; '${role}' is nested under '${topLevelRole(role)}'`);
    }
    if (!quota) {
      this.quota.clear(role);
      return;
    }
    for (const [name, g] of quota.guarantees.entries()) {
      const limit = quota.limits.get(name);
      if (quota.limits.names().includes(name) && g > limit) {
        throw new AllocatorError(`quota of role '${role}': guarantee of ${name} exceeds its limit`);
      }
    }
    this.quota.set(role, quota.guarantees, quota.limits);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  // ---- the cycle ----------------------------------------------------------------------------

  /** Runs one allocation cycle at time `now` (ms) and returns its decisions. */
  allocate(now: number, options: CycleOptions = {}): AllocationResult {
    this.cycle++;
    return runCycle(this, now, options);
  }

  // ---- queries ------------------------------------------------------------------------------

  /** Roles known to the allocator with their weighted share, weight and allocation. */
  roles(): { role: string; weight: number; share: number; allocated: Record<string, number> }[] {
    return [...this.roleSorter.clients()].sort().map((role) => ({
      role,
      weight: this.roleSorter.weightOf(role),
      share: this.roleSorter.share(role),
      allocated: this.space.record(this.roleSorter.allocation(role)),
    }));
  }

  /** What a framework holds on each agent. */
  allocationOf(frameworkId: string): Map<string, Resources> {
    const out = new Map<string, Resources>();
    for (const agent of this.agentList) {
      const held = agent.allocated.get(frameworkId);
      if (held) out.set(agent.id, held);
    }
    return out;
  }

  /** An agent's free (unallocated) resources. */
  freeOf(agentId: string): Resources {
    return this.agent(agentId).free;
  }

  // ---- internals shared with the cycle -------------------------------------------------------

  /**
   * @internal Records an allocation in the agent, both sorters and quota accounting. `plain` and
   * `tagged` are the same resources without and with the allocation role (callers usually have
   * both at hand, and re-deriving one is a needless copy on the hot path). Returns the scalars
   * allocated, as a vector.
   */
  trackAllocation(agent: AgentState, fw: FrameworkState, role: string, plain: Resources, tagged: Resources): number[] {
    agent.free = agent.free.subtract(plain);
    agent.allocated.set(fw.id, (agent.allocated.get(fw.id) ?? Resources.EMPTY).add(tagged));
    fw.agents.add(agent.index);
    const { all, unreserved } = this.space.split(plain);
    this.frameworkSorters.get(role)?.allocated(fw.id, all);
    this.roleSorter.allocated(role, all);
    this.quota.unreservedAllocationChanged(role, unreserved, 1);
    this.quota.freeUnreservedChanged(unreserved, -1);
    return all;
  }

  /** @internal */
  frameworkSorter(role: string): DrfSorter | undefined {
    return this.frameworkSorters.get(role);
  }

  private untrackAllocation(agent: AgentState, fw: FrameworkState, role: string, tagged: Resources, returnToAgent: boolean): void {
    const plain = tagged.unallocate();
    const held = (agent.allocated.get(fw.id) ?? Resources.EMPTY).subtract(tagged);
    if (held.isEmpty()) {
      agent.allocated.delete(fw.id);
      fw.agents.delete(agent.index);
    } else {
      agent.allocated.set(fw.id, held);
    }
    const { all, unreserved } = this.space.split(plain);
    this.frameworkSorters.get(role)?.unallocated(fw.id, all);
    this.roleSorter.unallocated(role, all);
    this.quota.unreservedAllocationChanged(role, unreserved, -1);
    if (returnToAgent) {
      agent.free = agent.free.add(plain);
      this.quota.freeUnreservedChanged(unreserved, 1);
    }
    this.maybeUntrack(fw, role);
  }

  private quotaAllocationDelta(tagged: Resources, sign: 1 | -1): void {
    for (const [role, part] of byAllocationRole(tagged)) {
      this.quota.unreservedAllocationChanged(role, this.space.headroomVector(part), sign);
    }
  }

  private totalChanged(total: Resources, sign: 1 | -1): void {
    addInto(this.totals, this.space.vector(total), sign);
    for (const [role, part] of total.reservedByRole()) {
      if (role !== '*') this.quota.reservedChanged(role, this.space.vector(part), sign);
    }
    this.roleSorter.totalsChanged();
    for (const s of this.frameworkSorters.values()) s.totalsChanged();
  }

  private applySpec(fw: FrameworkState, spec: FrameworkSpec): void {
    if (!Array.isArray(spec.roles) || spec.roles.length === 0) {
      throw new AllocatorError(`framework ${spec.id} must be subscribed to at least one role`);
    }
    for (const role of spec.roles) checkRole(role);
    if (spec.roles.length > 1 && !spec.capabilities?.multiRole) {
      throw new AllocatorError(`framework ${spec.id} subscribes to several roles without the MULTI_ROLE capability`);
    }
    const constraints = new Map(
      Object.entries(spec.offerConstraints ?? {})
        .filter(([role]) => spec.roles.includes(role)) // constraints for other roles are ignored
        .map(([role, c]) => [role, compileRoleConstraints(role, c)] as const),
    );
    const minimums = spec.minAllocatable ?? {};
    fw.capabilities = spec.capabilities ?? {};
    const suppressed = new Set(spec.suppressedRoles ?? []);
    for (const role of spec.roles) {
      const r = this.track(fw, role);
      const wasSuppressed = r.subscribed ? r.suppressed : false;
      r.subscribed = true;
      r.suppressed = suppressed.has(role);
      // Newly unsuppressed roles start without filters, as on REVIVE.
      if (wasSuppressed && !r.suppressed) r.filters.clear();
      r.constraints = constraints.get(role);
      r.minAllocatable = minimums[role];
    }
    for (const r of fw.roles.values()) {
      if (!spec.roles.includes(r.role)) {
        r.subscribed = false;
        r.filters.clear();
      }
    }
    for (const r of [...fw.roles.values()]) {
      this.syncActivity(fw, r);
      this.maybeUntrack(fw, r.role);
    }
  }

  private selectRoles(fw: FrameworkState, roles: readonly string[] | undefined): FrameworkRole[] {
    const all = [...fw.roles.values()].filter((r) => r.subscribed);
    if (!roles || roles.length === 0) return all;
    return all.filter((r) => roles.includes(r.role));
  }

  /** Makes sure `fw` is a client of the role's sorter and the role of the role sorter. */
  private track(fw: FrameworkState, role: string): FrameworkRole {
    let sorter = this.frameworkSorters.get(role);
    if (!sorter) {
      sorter = new DrfSorter(this.space, this.totals, false);
      this.frameworkSorters.set(role, sorter);
      this.roleSorter.add(role);
    }
    sorter.add(fw.id);
    return fw.role(role);
  }

  /** Drops the framework from a role it neither subscribes to nor holds resources in. */
  private maybeUntrack(fw: FrameworkState, role: string): void {
    const r = fw.roles.get(role);
    if (!r || r.subscribed) return;
    const sorter = this.frameworkSorters.get(role);
    if (sorter && sorter.allocation(fw.id).some((v) => v !== 0)) return;
    this.untrack(fw, role);
  }

  private untrack(fw: FrameworkState, role: string): void {
    fw.roles.delete(role);
    const sorter = this.frameworkSorters.get(role);
    if (!sorter) return;
    sorter.remove(fw.id);
    if (sorter.size === 0) {
      this.frameworkSorters.delete(role);
      this.roleSorter.remove(role);
    } else {
      this.syncRole(role);
    }
  }

  private syncActivity(fw: FrameworkState, r: FrameworkRole): void {
    const sorter = this.frameworkSorters.get(r.role);
    if (!sorter) return;
    if (fw.active && fw.known && r.subscribed && !r.suppressed) sorter.activate(fw.id);
    else sorter.deactivate(fw.id);
    this.syncRole(r.role);
  }

  /** A role is active in the role sorter while some framework is active in it. */
  private syncRole(role: string): void {
    const sorter = this.frameworkSorters.get(role);
    if (sorter && sorter.activeCount > 0) this.roleSorter.activate(role);
    else this.roleSorter.deactivate(role);
  }

  private frameworkOrPlaceholder(id: string): FrameworkState {
    let fw = this.frameworks.get(id);
    if (!fw) {
      fw = new FrameworkState(id);
      this.frameworks.set(id, fw);
    }
    return fw;
  }

  private agent(id: string): AgentState {
    const agent = this.agents.get(id);
    if (!agent) throw new AllocatorError(`unknown agent ${id}`);
    return agent;
  }

  private framework(id: string): FrameworkState {
    const fw = this.frameworks.get(id);
    if (!fw || !fw.known) throw new AllocatorError(`unknown framework ${id}`);
    return fw;
  }
}

function checkRole(role: string): void {
  const problem = validateRole(role);
  if (problem) throw new AllocatorError(`invalid role '${role}': ${problem}`);
}

/** Splits tagged resources by allocation role. Untagged resources are an error: callers tag them. */
export function byAllocationRole(resources: Resources): Map<string, Resources> {
  const roles = new Set<string>();
  for (const r of resources.list) {
    if (r.allocationRole === undefined) throw new AllocatorError(`resource ${r.name} carries no allocation role`);
    roles.add(r.allocationRole);
  }
  const out = new Map<string, Resources>();
  // The common case, one role, keeps the very same object.
  if (roles.size === 1) for (const role of roles) out.set(role, resources);
  else for (const role of roles) out.set(role, resources.filter((r) => r.allocationRole === role));
  return out;
}

