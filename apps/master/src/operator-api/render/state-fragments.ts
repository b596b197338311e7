import { AgentFragments } from './agent-fragments';
import { TaskFragments } from './task-fragments';
import { UsageMemo } from './usage';

/**
 * Everything the whole-state answers (`/state`, GET_STATE) keep between requests so that an
 * answer costs what changed since the last one, not the size of the cluster: the text of tasks
 * and agents, and the usage index's sums (one memo per answer kind, as each is asked on its own).
 */
export class StateFragments {
  readonly tasks = new TaskFragments();
  readonly agents = new AgentFragments();
  readonly usage = { v0: new UsageMemo(), v1: new UsageMemo() } as const;
}
