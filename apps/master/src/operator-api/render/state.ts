/** `/state`, `/frameworks` and `/slaves` (reference §3.1). */
import type { AgentRecord, ExecutorRecord, TaskRecord } from '../../cluster/records';
import { renderAgent, renderAgentFull, renderFramework, renderTask, seconds } from './entities';
import type { BuildFacts, ClusterView, FlagsConfig, MasterFacts } from './inputs';
import type { AgentJson, FrameworkJson, FrameworksJson, SlavesJson, StateJson, TaskJson } from './json';
import { renderFlags, renderVersion } from './master-info';
import { renderRecoveredSlave } from './recovered-agents';
import { indexUsage, type Usage, type UsageMemo } from './usage';

export interface StateInputs {
  readonly cluster: ClusterView;
  readonly master: MasterFacts;
  readonly config: FlagsConfig;
  readonly build: BuildFacts;
  /** How tasks and agents are rendered (default: as objects). */
  readonly entities?: EntityRenderers;
  /** The usage index's memo, kept between answers (render/usage.ts). */
  readonly usageMemo?: UsageMemo;
}

/**
 * The whole-state answer passes stand-ins for jsonParts() here (the cached text of tasks and
 * agents, render/task-fragments.ts and agent-fragments.ts), so the state is never one object
 * graph of every task.
 */
export interface EntityRenderers {
  readonly task: (task: TaskRecord) => TaskJson;
  readonly agent: (agent: AgentRecord, usage: Usage) => AgentJson;
}

const AS_OBJECTS: EntityRenderers = { task: renderTask, agent: renderAgent };

/** What this master can do beyond the base API, as Mesos lists its own. */
export const MASTER_CAPABILITIES = ['AGENT_UPDATE', 'QUOTA_V2'];

export function renderState({ cluster, master, config, build, entities = AS_OBJECTS, usageMemo }: StateInputs): StateJson {
  const usage = indexUsage(cluster, usageMemo);
  let activated = 0;
  for (const agent of cluster.agents.values()) if (agent.active) activated++;
  const { frameworks, completed_frameworks } = frameworksOf(cluster, usage, undefined, entities.task);
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
    slaves: [...cluster.agents.values()].map((agent) => entities.agent(agent, usage)),
    recovered_slaves: [...(cluster.recoveredAgents?.values() ?? [])].map(renderRecoveredSlave),
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
  const recovered = [...(cluster.recoveredAgents?.values() ?? [])].filter((a) => agentId === undefined || a.id === agentId);
  return { slaves: agents.map((agent) => renderAgentFull(agent, usage)), recovered_slaves: recovered.map(renderRecoveredSlave) };
}

function frameworksOf(
  cluster: ClusterView,
  usage: Usage,
  frameworkId?: string,
  task: (task: TaskRecord) => TaskJson = renderTask,
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
  for (const fw of cluster.frameworks.values()) if (wanted(fw.id)) frameworks.push(renderFramework(fw, usage, cluster.offers, executors.get(fw.id), task));
  const completed_frameworks: FrameworkJson[] = [];
  for (const fw of cluster.completedFrameworks) if (wanted(fw.id)) completed_frameworks.push(renderFramework(fw, usage, cluster.offers, [], task));
  return { frameworks, completed_frameworks };
}
