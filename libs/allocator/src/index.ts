export { Allocator, byAllocationRole, type UsedResources } from './allocator';
export type { CycleOptions } from './cycle';
export { AllocatorError } from './errors';
export type {
  AttributeConstraint,
  AttributePredicate,
  AttributeSelector,
  ConstraintGroup,
  OfferConstraints,
} from './constraints';
export { MAX_REFUSE_MS, refuseDurationMs } from './filters';
export { DEFAULT_MIN_ALLOCATABLE, isAllocatable, parseMinAllocatable } from './min-allocatable';
export { Reason, reasonOf, type Explanation, type ExplanationReason, type ReasonCode } from './reasons';
export type {
  AgentAttribute,
  AgentSpec,
  AllocationResult,
  AllocatorOptions,
  CycleMetrics,
  FrameworkCapabilities,
  FrameworkSpec,
  OfferDecision,
  Quota,
} from './types';
