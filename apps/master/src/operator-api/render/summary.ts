/**
 * `/state-summary`: agents and frameworks without their tasks, with per-state task counts and
 * who runs where. The counts cover live, unreachable and completed tasks of registered
 * frameworks, in the states Mesos's TaskStateSummary counts; all of it in one pass over tasks.
 */
import type { TaskRecord } from '../../cluster/records';
import { renderAgent, renderFrameworkSummary } from './entities';
import type { ClusterView, MasterFacts } from './inputs';
import { SUMMARY_TASK_STATES, type StateSummaryJson, type SummaryTaskState, type TaskStateCounts } from './json';
import { indexUsage } from './usage';

export function renderStateSummary(cluster: ClusterView, master: Pick<MasterFacts, 'hostname'>): StateSummaryJson {
  const usage = indexUsage(cluster);
  const byAgent = new Map<string, Tally>();
  const byFramework = new Map<string, Tally>();
  for (const fw of cluster.frameworks.values()) {
    const fwTally = tallyOf(byFramework, fw.id);
    const count = (task: TaskRecord): void => {
      const agentTally = tallyOf(byAgent, task.agentId);
      agentTally.peers.add(fw.id);
      fwTally.peers.add(task.agentId);
      if (isCounted(task.state)) {
        agentTally.counts[task.state]++;
        fwTally.counts[task.state]++;
      }
    };
    for (const task of fw.tasks.values()) count(task);
    for (const task of fw.completedTasks) count(task);
  }
  return {
    hostname: master.hostname,
    slaves: [...cluster.agents.values()].map((agent) => {
      const tally = byAgent.get(agent.id) ?? newTally();
      return { ...renderAgent(agent, usage), ...tally.counts, framework_ids: [...tally.peers] };
    }),
    frameworks: [...cluster.frameworks.values()].map((fw) => {
      const tally = byFramework.get(fw.id) ?? newTally();
      return { ...renderFrameworkSummary(fw, usage), ...tally.counts, slave_ids: [...tally.peers] };
    }),
  };
}

interface Tally {
  readonly counts: TaskStateCounts;
  /** Frameworks on an agent, or agents of a framework. */
  readonly peers: Set<string>;
}

const COUNTED: ReadonlySet<string> = new Set(SUMMARY_TASK_STATES);
const isCounted = (state: string): state is SummaryTaskState => COUNTED.has(state);

function newTally(): Tally {
  const counts = {} as TaskStateCounts;
  for (const state of SUMMARY_TASK_STATES) counts[state] = 0;
  return { counts, peers: new Set() };
}

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  let tally = map.get(key);
  if (tally === undefined) map.set(key, (tally = newTally()));
  return tally;
}
