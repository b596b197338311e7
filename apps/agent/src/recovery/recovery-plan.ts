/**
 * What a starting agent does with what an earlier agent process left (reference §5.4). Pure:
 * the decisions are table-tested (recovery-plan.spec.ts); recovery.service.ts carries them out.
 */
import { isTerminalState, type TaskState, type TaskStatus } from '@agora/protocol';

/** `--recover` / AGORA_AGENT_RECOVER. */
export const RECOVER_MODES = ['reconnect', 'cleanup'] as const;
export type RecoverMode = (typeof RECOVER_MODES)[number];

/**
 * - `reconnect`: take the checkpointed tasks back and re-register under the same id.
 * - `cleanup`: kill everything left over, forget the tasks, keep the id (the master sees the
 *   agent come back without them and ends them as lost).
 * - `fresh`: there is no agent id to return under (no meta, or other resources: a different
 *   agent), so whatever is left over is killed, as in cleanup.
 */
export type AgentRecovery = 'reconnect' | 'cleanup' | 'fresh';

export function agentRecovery(mode: RecoverMode, meta: 'none' | 'same-resources' | 'other-resources'): AgentRecovery {
  if (meta !== 'same-resources') return 'fresh';
  return mode;
}

/**
 * One checkpointed task under `reconnect`:
 * - `recover`: its run is looked for and watched (alive) or reported (ended: from its exit file, else lost);
 * - `deliver`: it ended and its terminal update was journaled; only delivery is left;
 * - `lost-launching`: the agent went while it was launching, before its run was checkpointed:
 *   it is reported lost (a process it may have started is killed as a leftover).
 */
export type TaskRecovery = 'recover' | 'deliver' | 'lost-launching';

export function taskRecovery(task: { readonly launched: boolean; readonly statuses: readonly Pick<TaskStatus, 'state'>[] }): TaskRecovery {
  const latest = task.statuses.at(-1);
  if (latest !== undefined && isTerminalState(latest.state)) return 'deliver';
  return task.launched ? 'recover' : 'lost-launching';
}

/** A task whose run cannot be accounted for (Mesos: TASK_GONE for partition-aware frameworks, else TASK_LOST). */
export function lostState(partitionAware: boolean): TaskState {
  return partitionAware ? 'TASK_GONE' : 'TASK_LOST';
}
