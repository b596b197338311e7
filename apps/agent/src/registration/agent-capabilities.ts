/**
 * What the agent advertises (reference §5.2); the resource-provider and volume ones
 * come later. Shared with the agent simulator (apps/sim), which must look like a real agent.
 */
export const AGENT_CAPABILITIES = ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'TASK_RESOURCE_LIMITS', 'AGENT_DRAINING'];
