/** `/state`, `/frameworks` and `/slaves` (reference §3.1). */
import type { ExecutorRecord } from '../../cluster/records';
import { renderAgent, renderAgentFull, renderFramework, seconds } from './entities';
import type { BuildFacts, ClusterView, FlagsConfig, MasterFacts } from './inputs';
import type { FrameworkJson, FrameworksJson, SlavesJson, StateJson } from './json';
import { renderFlags, renderVersion } from './master-info';
import { indexUsage, type Usage } from './usage';

export interface StateInputs {
  readonly cluster: ClusterView;
  readonly master: MasterFacts;
  readonly config: FlagsConfig;
  readonly build: BuildFacts;
}

/** What this master can do beyond the base API, as Mesos lists its own. */
export const MASTER_CAPABILITIES = ['AGENT_UPDATE', 'QUOTA_V2'];

export function renderState({ cluster, master, config, build }: StateInputs): StateJson {
  const usage = indexUsage(cluster);
  let activated = 0;
  for (const agent of cluster.agents.values()) if (agent.active) activated++;
  const { frameworks, completed_frameworks } = frameworksOf(cluster, usage);
  return {
    ...renderVersion(build),
    start_time: seconds(master.startedAt),
    ...(master.electedAt !== undefined ? { elected_time: seconds(master.electedAt) } : {}),
    id: master.id,
    pid: master.pid,
    hostname: master.hostname,
    capabilities: [...MASTER_CAPABILITIES],
    activated_slaves: activated,
    deactivated_slaves: cluster.agents.size - activated,
    unreachable_slaves: cluster.unreachableAgents.size,
    leader: master.pid,
    leader_info: master.info(),
    flags: renderFlags(config, master),
    slaves: [...cluster.agents.values()].map((agent) => renderAgent(agent, usage)),
    recovered_slaves: [],
    frameworks,
    completed_frameworks,
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

/** `/frameworks`, optionally only the framework with id `frameworkId` (registered or completed). */
export function renderFrameworks(cluster: ClusterView, frameworkId?: string): FrameworksJson {
  return { ...frameworksOf(cluster, indexUsage(cluster), frameworkId), unregistered_frameworks: [] };
}

/** `/slaves`, optionally only the agent with id `agentId`. */
export function renderSlaves(cluster: ClusterView, agentId?: string): SlavesJson {
  const usage = indexUsage(cluster);
  const agents = agentId === undefined ? [...cluster.agents.values()] : [cluster.agents.get(agentId)].filter((a) => a !== undefined);
  return { slaves: agents.map((agent) => renderAgentFull(agent, usage)), recovered_slaves: [] };
}

function frameworksOf(
  cluster: ClusterView,
  usage: Usage,
  frameworkId?: string,
): { frameworks: FrameworkJson[]; completed_frameworks: FrameworkJson[] } {
  const wanted = (id: string): boolean => frameworkId === undefined || id === frameworkId;
  // One pass over executors, not one per framework.
  const executors = new Map<string, ExecutorRecord[]>();
  for (const e of cluster.executors.values()) {
    const list = executors.get(e.frameworkId);
    if (list === undefined) executors.set(e.frameworkId, [e]);
    else list.push(e);
  }
  const frameworks: FrameworkJson[] = [];
  for (const fw of cluster.frameworks.values()) if (wanted(fw.id)) frameworks.push(renderFramework(fw, usage, cluster.offers, executors.get(fw.id)));
  const completed_frameworks: FrameworkJson[] = [];
  for (const fw of cluster.completedFrameworks) if (wanted(fw.id)) completed_frameworks.push(renderFramework(fw, usage, cluster.offers));
  return { frameworks, completed_frameworks };
}
