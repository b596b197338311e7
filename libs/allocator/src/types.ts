import type { ResourceQuantities, Resources } from '@agora/resources';
import type { OfferConstraints } from './constraints';
import type { Explanation } from './reasons';

/** An agent attribute as the allocator sees it: TEXT attributes carry `text`, others do not. */
export interface AgentAttribute {
  readonly name: string;
  readonly text?: string;
}

export interface AgentSpec {
  readonly id: string;
  readonly hostname: string;
  /** Everything the agent has, reservations included. */
  readonly total: Resources;
  readonly attributes?: readonly AgentAttribute[];
  /** Fault domain, for REGION_AWARE gating and ZONE/REGION offer constraints. */
  readonly region?: string;
  readonly zone?: string;
  /** Agents that cannot hold resources for several roles are never offered to MULTI_ROLE frameworks. */
  readonly multiRoleCapable?: boolean;
}

/** What a framework declared about itself that changes what it may be offered. */
export interface FrameworkCapabilities {
  readonly gpuResources?: boolean;
  readonly multiRole?: boolean;
  readonly revocableResources?: boolean;
  readonly sharedResources?: boolean;
  readonly reservationRefinement?: boolean;
  readonly regionAware?: boolean;
}

export interface FrameworkSpec {
  readonly id: string;
  /** Roles the framework is subscribed to; at least one. */
  readonly roles: readonly string[];
  readonly capabilities?: FrameworkCapabilities;
  /** Roles that must get no offers until revived. */
  readonly suppressedRoles?: readonly string[];
  readonly offerConstraints?: OfferConstraints;
  /**
   * Per-role override of the cluster's minimum allocatable resources: an offer must contain at
   * least one of these quantity sets (OR of ANDs). An empty list means "anything non-empty".
   */
  readonly minAllocatable?: Readonly<Record<string, readonly ResourceQuantities[]>>;
}

export interface Quota {
  readonly guarantees: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

export interface AllocatorOptions {
  /** The allocation interval; refuse filters never last less than this. Default 1000 ms. */
  readonly allocationIntervalMs?: number;
  /** Lifetime of a refuse filter when the framework gives none. Default 5000 ms. */
  readonly defaultRefuseMs?: number;
  /** Cluster-wide minimum allocatable resources, OR of ANDs. Default `cpus:0.01 | mem:32`. */
  readonly minAllocatable?: readonly ResourceQuantities[];
  /** Offer GPU agents only to GPU_RESOURCES frameworks. Default true. */
  readonly filterGpuResources?: boolean;
  /** Scalar names left out of fair-share computation (e.g. gpus). */
  readonly fairnessExcludedResourceNames?: readonly string[];
  /** The master's region; agents elsewhere go only to REGION_AWARE frameworks. */
  readonly localRegion?: string;
  /** Base seed mixed with the cycle number for each cycle's agent shuffle. Default 0. */
  readonly seed?: number;
  /**
   * A monotonic clock in milliseconds used only to report cycle duration; decisions never
   * depend on it. The allocator stays pure when it is not given.
   */
  readonly measure?: () => number;
}

/** One decision: these resources of this agent go to this framework for this role. */
export interface OfferDecision {
  readonly frameworkId: string;
  readonly role: string;
  readonly agentId: string;
  /** Resources tagged with their allocation role. */
  readonly resources: Resources;
}

export interface CycleMetrics {
  readonly cycle: number;
  readonly seed: number;
  readonly now: number;
  /** Measured with options.measure; 0 without one. */
  readonly durationMs: number;
  readonly agentsConsidered: number;
  readonly offers: number;
  /** Scalars offered in this cycle, natural units. */
  readonly offered: Readonly<Record<string, number>>;
  /** Dominant share per role after the cycle (weighted, as the sorter orders them). */
  readonly dominantShares: Readonly<Record<string, number>>;
  /** Σ unmet quota guarantees after the cycle: free unreserved scalars kept out of others' offers. */
  readonly quotaHeadroomRequired: Readonly<Record<string, number>>;
}

export interface AllocationResult {
  readonly offers: readonly OfferDecision[];
  readonly explanations: readonly Explanation[];
  readonly metrics: CycleMetrics;
}
