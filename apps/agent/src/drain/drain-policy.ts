/**
 * What draining changes, as Mesos's agent does it (`Slave::drain`, `Slave::statusUpdate`). Pure.
 *
 * - Each task is killed with a grace period of at most the drain's `max_grace_period`: a task
 *   whose own kill policy allows longer (or has none) gets the maximum; one that allows less
 *   keeps its own. Without a maximum every task keeps its own.
 * - While draining, TASK_KILLING and TASK_KILLED updates carry REASON_AGENT_DRAINING (whatever
 *   reason they had), and when the agent will be marked gone a partition-aware framework sees
 *   TASK_GONE_BY_OPERATOR instead of TASK_KILLED.
 */
import { type DrainConfig, type KillPolicy, type TaskStatus, TaskStatusReason } from '@agora/protocol';

/** The kill policy to send with a drain's kill, or undefined to keep the task's own. */
export function drainKillPolicy(config: DrainConfig, taskPolicy: KillPolicy | undefined): KillPolicy | undefined {
  const max = config.max_grace_period;
  if (max === undefined) return undefined;
  const own = taskPolicy?.grace_period;
  if (own === undefined || max.nanoseconds < own.nanoseconds) return { grace_period: { nanoseconds: max.nanoseconds } };
  return undefined;
}

/** The update as a draining agent sends it. */
export function drainingStatus<S extends TaskStatus>(config: DrainConfig, status: S, partitionAware: boolean): S {
  if (status.state !== 'TASK_KILLING' && status.state !== 'TASK_KILLED') return status;
  const gone = status.state === 'TASK_KILLED' && config.mark_gone === true && partitionAware;
  return { ...status, reason: TaskStatusReason.AGENT_DRAINING, ...(gone ? { state: 'TASK_GONE_BY_OPERATOR' } : {}) };
}
