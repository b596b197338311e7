import type { TaskState } from '@agora/protocol';

/** What the master knows about the agent named in an explicit reconcile of a task it does not know. */
export interface AgentStanding {
  /** The agent id the scheduler gave, if any. */
  readonly agentId: string | undefined;
  readonly registered: (agentId: string) => boolean;
  /** When it was marked unreachable (ms since the epoch), or undefined. */
  readonly unreachableSince: (agentId: string) => number | undefined;
  readonly gone: (agentId: string) => boolean;
  /** Still recovered after a master failover (not re-registered, not yet unreachable). */
  readonly recovered: (agentId: string) => boolean;
  /** Whether any agent is still recovered. */
  readonly anyRecovered: boolean;
}

export interface UnknownTaskAnswer {
  readonly state: TaskState;
  readonly message: string;
  readonly unreachableSinceMs?: number;
}

/**
 * The answer to an explicit reconcile of a task the master does not know (reference §6.2,
 * Mesos's `Master::_reconcileTasks`), in partition-aware states (statusForFramework turns them
 * into TASK_LOST for legacy frameworks). Undefined means no answer: the task may be on an agent
 * that has not re-registered since the master failed over, so the master cannot know yet.
 */
export function unknownTaskAnswer(standing: AgentStanding): UnknownTaskAnswer | undefined {
  const { agentId } = standing;
  if (agentId === undefined) {
    if (standing.anyRecovered) return undefined;
    return { state: 'TASK_UNKNOWN', message: 'Reconciliation: Task is unknown' };
  }
  if (standing.recovered(agentId)) return undefined;
  if (standing.registered(agentId)) return { state: 'TASK_GONE', message: 'Reconciliation: Task is unknown to the agent' };
  const unreachableSinceMs = standing.unreachableSince(agentId);
  if (unreachableSinceMs !== undefined) return { state: 'TASK_UNREACHABLE', message: 'Reconciliation: Task is unreachable', unreachableSinceMs };
  if (standing.gone(agentId)) return { state: 'TASK_GONE_BY_OPERATOR', message: 'Reconciliation: Task is gone' };
  return { state: 'TASK_UNKNOWN', message: 'Reconciliation: Task is unknown' };
}
