import { ResourceQuantities, topLevelRole, type Resources } from '@agora/resources';
import type { Allocator } from './allocator';
import { isAllocatable } from './min-allocatable';
import { cycleSeed, Prng } from './prng';
import { explain } from './explain';
import { Reason, type ReasonCode, PER_AGENT_REASONS } from './reasons';
import { addInto, isHeadroomResource } from './scalar-space';
import type { AgentState, FrameworkRole, FrameworkState } from './state';
import type { AllocationResult, OfferDecision } from './types';

/** What one cycle may be asked to do differently. */
export interface CycleOptions {
  /**
   * Offer nothing to roles whose top-level role has a quota guarantee: a master that just took
   * office waits for agents to re-register before it hands out guaranteed resources (Mesos pauses
   * its allocator on recovery when quota is set, reference §6.1). Other roles are offered as usual.
   */
  readonly withholdGuaranteedRoles?: boolean;
}

/**
 * One allocation cycle (reference §4.4):
 *
 *  1. Candidates: activated agents with free resources, shuffled by a PRNG seeded for this cycle.
 *  2. Stage 1, only when some quota guarantee is unmet: for each agent, roles with unmet
 *     guarantees in fair-share order get offers that move them toward their guarantee.
 *  3. Stage 2, reshuffled: for each agent, every role in fair-share order, every framework of the
 *     role in fair-share order. Offers are coarse-grained: the first framework that may take
 *     something takes all it may of the agent for that role. Quota limits and the headroom kept
 *     for other roles' guarantees chop unreserved scalars down first.
 *  4. Every framework × role that got nothing is explained from the per-agent reason counts.
 *
 * The sorters reorder as allocations happen, so the next agent sees the updated fair-share order
 * without a re-sort of everything.
 */
export function runCycle(a: Allocator, now: number, options: CycleOptions = {}): AllocationResult {
  const started = a.options.measure?.() ?? 0;
  const seed = cycleSeed(a.options.seed, a.cycle);
  const withheld = options.withholdGuaranteedRoles === true ? (role: string) => a.quota.hasGuarantee(topLevelRole(role)) : () => false;
  const cycle = new Cycle(a, now, withheld);
  const activated = a.agentList.filter((agent) => agent.activated);
  const candidates = activated.filter((agent) => !agent.free.isEmpty());
  if (!a.paused) {
    const prng = new Prng(seed);
    if (a.quota.hasQuota && cycle.someGuaranteeUnmet()) cycle.stage(prng.shuffle(candidates), true);
    cycle.stage(prng.shuffle(candidates), false);
  }
  const offers = cycle.decisions;
  const explanations = explain(a, {
    cycle: a.cycle,
    paused: a.paused,
    withheld,
    noAgents: activated.length === 0,
    freeAtStart: candidates.length > 0,
  });
  const dominantShares: Record<string, number> = {};
  for (const role of a.roleSorter.clients()) dominantShares[role] = a.roleSorter.share(role);
  return {
    offers,
    explanations,
    metrics: {
      cycle: a.cycle,
      seed,
      now,
      durationMs: a.options.measure ? a.options.measure() - started : 0,
      agentsConsidered: a.paused ? 0 : candidates.length,
      offers: offers.length,
      offered: a.space.record(cycle.offered),
      dominantShares,
      quotaHeadroomRequired: a.space.record(a.quota.requiredHeadroom()),
    },
  };
}

class Cycle {
  readonly decisions: OfferDecision[] = [];
  readonly offered: number[] = [];

  constructor(
    private readonly a: Allocator,
    private readonly now: number,
    private readonly withheld: (role: string) => boolean,
  ) {}

  someGuaranteeUnmet(): boolean {
    for (const role of this.a.quota.roles()) if (this.a.quota.hasUnsatisfiedGuarantee(role)) return true;
    return false;
  }

  stage(agents: readonly AgentState[], guaranteesOnly: boolean): void {
    const a = this.a;
    for (const agent of agents) {
      if (agent.free.isEmpty()) continue;
      a.roleSorter.visit((role) => {
        if (this.withheld(role)) return false;
        if (guaranteesOnly && !a.quota.hasUnsatisfiedGuarantee(topLevelRole(role))) return false;
        const sorter = a.frameworkSorter(role);
        if (!sorter) return false;
        let available = availableFor(agent, role);
        if (available.isEmpty()) return false;
        sorter.visit((frameworkId) => {
          const fw = a.frameworks.get(frameworkId) as FrameworkState;
          const fr = fw.roles.get(role) as FrameworkRole;
          fr.touch(a.cycle);
          const offer = this.offerFor(agent, fw, fr, available, guaranteesOnly);
          if (!offer) return false;
          this.allocate(agent, fw, fr, offer);
          available = availableFor(agent, role);
          return available.isEmpty();
        });
        return agent.free.isEmpty();
      });
    }
  }

  /** What `fw` may take of `available` on `agent` for `fr.role`, or undefined with the reason counted. */
  private offerFor(
    agent: AgentState,
    fw: FrameworkState,
    fr: FrameworkRole,
    available: Resources,
    guaranteesOnly: boolean,
  ): Resources | undefined {
    const a = this.a;
    const caps = fw.capabilities;
    // In stage 1 nothing is counted: stage 2 meets the same agent again and counts there.
    const no = (code: ReasonCode): undefined => {
      if (!guaranteesOnly) count(fr, code);
      return undefined;
    };
    if (agent.hasGpus && a.options.filterGpuResources && !caps.gpuResources) return no(Reason.GPU_CAPABILITY);
    if (a.options.localRegion !== undefined && agent.region !== undefined && agent.region !== a.options.localRegion && !caps.regionAware) {
      return no(Reason.REGION_CAPABILITY);
    }
    if (caps.multiRole && !agent.multiRoleCapable) return no(Reason.MULTI_ROLE_CAPABILITY);
    if (fr.constraints && !fr.constraints(agent.subject)) return no(Reason.CONSTRAINTS_EXCLUDE);

    let offer = available;
    if (agent.hasRevocable && !caps.revocableResources) offer = offer.nonRevocable();
    if (agent.hasShared && !caps.sharedResources) offer = offer.nonShared();
    if (agent.hasRefined && !caps.reservationRefinement) offer = offer.filter((r) => r.reservations.length <= 1);

    let chopped: 'limit' | 'headroom' | undefined;
    if (a.quota.hasQuota) {
      const result = this.chop(fr.role, offer);
      offer = result.offer;
      chopped = result.by;
      if (guaranteesOnly && !this.movesTowardGuarantee(fr.role, offer)) return undefined;
    }
    if (!isAllocatable(offer, fr.minAllocatable ?? a.options.minAllocatable)) {
      if (chopped === 'headroom') return no(Reason.HELD_FOR_GUARANTEES);
      if (chopped === 'limit') return no(Reason.QUOTA_LIMIT);
      return no(Reason.BELOW_MIN_ALLOCATABLE);
    }
    if (fr.filters.size > 0 && fr.filters.filters(agent.index, agent.generation, offer, this.now)) {
      return no(Reason.FILTERED);
    }
    return offer;
  }

  /** Shrinks unreserved, non-revocable scalars to the role's limit and the guarantee headroom. */
  private chop(role: string, offer: Resources): { offer: Resources; by: 'limit' | 'headroom' | undefined } {
    const a = this.a;
    const have = a.space.headroomVector(offer);
    let by: 'limit' | 'headroom' | undefined;
    let limits: [string, number][] | undefined;
    for (let i = 0; i < have.length; i++) {
      const amount = have[i] as number;
      if (amount === 0) continue;
      const cap = a.quota.cap(role, i);
      if (cap.amount >= amount) continue;
      limits ??= [];
      limits.push([a.space.names[i] as string, cap.amount]);
      // A finite cap is a limit or headroom; when both bind (on different names), report headroom.
      if (by !== 'headroom' && cap.by !== 'none') by = cap.by;
    }
    if (!limits) return { offer, by: undefined };
    return { offer: offer.shrinkScalars(ResourceQuantities.fromMilli(limits), isHeadroomResource), by };
  }

  private movesTowardGuarantee(role: string, offer: Resources): boolean {
    const have = this.a.space.headroomVector(offer);
    const top = topLevelRole(role);
    for (let i = 0; i < have.length; i++) {
      if ((have[i] as number) > 0 && this.a.quota.unsatisfied(top, i) > 0) return true;
    }
    return false;
  }

  private allocate(agent: AgentState, fw: FrameworkState, fr: FrameworkRole, offer: Resources): void {
    const tagged = offer.allocate(fr.role);
    addInto(this.offered, this.a.trackAllocation(agent, fw, fr.role, offer, tagged));
    fr.offered = true;
    // One decision per framework × role × agent: stage 2 may add to what stage 1 offered.
    if (agent.decisionsCycle !== this.a.cycle) {
      agent.decisionsCycle = this.a.cycle;
      agent.decisions.length = 0;
    }
    const previous = agent.decisions.find((i) => this.decisions[i]?.frameworkId === fw.id && this.decisions[i]?.role === fr.role);
    if (previous !== undefined) {
      const d = this.decisions[previous] as OfferDecision;
      this.decisions[previous] = { ...d, resources: d.resources.add(tagged) };
      return;
    }
    agent.decisions.push(this.decisions.length);
    this.decisions.push({ frameworkId: fw.id, role: fr.role, agentId: agent.id, resources: tagged });
  }
}

/** Free resources `role` may use on `agent`: unreserved, or reserved to the role or an ancestor. */
function availableFor(agent: AgentState, role: string): Resources {
  return agent.hasReservations ? agent.free.allocatableTo(role) : agent.free;
}

function count(fr: FrameworkRole, code: ReasonCode): void {
  const i = PER_AGENT_REASONS.indexOf(code);
  while (fr.counters.length <= i) fr.counters.push(0);
  fr.counters[i] = (fr.counters[i] as number) + 1;
}
