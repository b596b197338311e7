/**
 * Why a framework got nothing. Every "no" the allocator says carries one of these codes, so the
 * master can answer "why is my framework not getting offers" from data rather than guesswork.
 * The codes are stable strings: tools and dashboards may match on them.
 */
export const Reason = {
  /** Allocation is paused (e.g. while the master recovers). */
  PAUSED: 'PAUSED',
  /** A new leader waits for agents to re-register before offering to roles with quota guarantees. */
  QUOTA_RECOVERY: 'QUOTA_RECOVERY',
  /** The framework is disconnected or deactivated. */
  FRAMEWORK_INACTIVE: 'FRAMEWORK_INACTIVE',
  /** The framework suppressed offers for this role. */
  ROLE_SUPPRESSED: 'ROLE_SUPPRESSED',
  /** No registered, activated agent exists. */
  NO_AGENTS: 'NO_AGENTS',
  /** No agent had free resources this role may use. */
  NO_FREE_RESOURCES: 'NO_FREE_RESOURCES',
  /** Free resources existed, but went to roles or frameworks ahead in fair-share order. */
  FAIR_SHARE: 'FAIR_SHARE',
  /** The framework declined these resources with a filter that has not expired. */
  FILTERED: 'FILTERED',
  /** The framework's offer constraints exclude the agent. */
  CONSTRAINTS_EXCLUDE: 'CONSTRAINTS_EXCLUDE',
  /** The agent has GPUs and the framework lacks the GPU_RESOURCES capability. */
  GPU_CAPABILITY: 'GPU_CAPABILITY',
  /** The agent is in another region and the framework lacks REGION_AWARE. */
  REGION_CAPABILITY: 'REGION_CAPABILITY',
  /** The framework is MULTI_ROLE and the agent cannot hold allocations for several roles. */
  MULTI_ROLE_CAPABILITY: 'MULTI_ROLE_CAPABILITY',
  /** What the agent had free for the role is below the minimum allocatable resources. */
  BELOW_MIN_ALLOCATABLE: 'BELOW_MIN_ALLOCATABLE',
  /** The role (or its top-level ancestor) reached its quota limit. */
  QUOTA_LIMIT: 'QUOTA_LIMIT',
  /** Free resources are held back for other roles' unmet quota guarantees. */
  HELD_FOR_GUARANTEES: 'HELD_FOR_GUARANTEES',
} as const;

export type ReasonCode = (typeof Reason)[keyof typeof Reason];

/** Codes counted per agent during the cycle, in the order they are reported. */
export const PER_AGENT_REASONS: readonly ReasonCode[] = [
  Reason.FILTERED,
  Reason.CONSTRAINTS_EXCLUDE,
  Reason.GPU_CAPABILITY,
  Reason.REGION_CAPABILITY,
  Reason.MULTI_ROLE_CAPABILITY,
  Reason.BELOW_MIN_ALLOCATABLE,
  Reason.QUOTA_LIMIT,
  Reason.HELD_FOR_GUARANTEES,
];

const MESSAGES: Record<ReasonCode, (agents: number) => string> = {
  PAUSED: () => 'allocation is paused',
  QUOTA_RECOVERY: () => 'the master is recovering: roles with a quota guarantee get offers once enough agents have re-registered',
  FRAMEWORK_INACTIVE: () => 'the framework is not active (disconnected or deactivated)',
  ROLE_SUPPRESSED: () => 'the framework suppressed offers for this role; REVIVE to receive offers',
  NO_AGENTS: () => 'no activated agent is registered',
  NO_FREE_RESOURCES: () => 'no agent has free resources this role may use',
  FAIR_SHARE: () => 'free resources went to roles and frameworks ahead in fair-share order',
  FILTERED: (n) => `declined with a refuse filter that has not expired on ${agentsText(n)}`,
  CONSTRAINTS_EXCLUDE: (n) => `offer constraints exclude ${agentsText(n)}`,
  GPU_CAPABILITY: (n) => `${agentsText(n)} have GPUs and the framework lacks GPU_RESOURCES`,
  REGION_CAPABILITY: (n) => `${agentsText(n)} are in another region and the framework lacks REGION_AWARE`,
  MULTI_ROLE_CAPABILITY: (n) => `${agentsText(n)} cannot hold MULTI_ROLE allocations`,
  BELOW_MIN_ALLOCATABLE: (n) => `free resources on ${agentsText(n)} are below the minimum allocatable`,
  QUOTA_LIMIT: (n) => `the role's quota limit left nothing allocatable on ${agentsText(n)}`,
  HELD_FOR_GUARANTEES: (n) => `resources on ${agentsText(n)} are held back for other roles' quota guarantees`,
};

function agentsText(n: number): string {
  return n === 1 ? '1 agent' : `${n} agents`;
}

export interface ExplanationReason {
  readonly code: ReasonCode;
  readonly message: string;
  /** For per-agent reasons: on how many agents this was the obstacle. */
  readonly agents?: number;
}

/** Why one framework got nothing for one role in one cycle. */
export interface Explanation {
  readonly frameworkId: string;
  readonly role: string;
  readonly reasons: readonly ExplanationReason[];
}

export function reasonOf(code: ReasonCode, agents?: number): ExplanationReason {
  const message = MESSAGES[code](agents ?? 0);
  return agents === undefined ? { code, message } : { code, message, agents };
}
