/**
 * The bodies of the v1 operator API's synchronous answers (master.proto `Response`), as pure
 * functions of the same inputs the v0 renderers read, so GET_STATE and `/state` describe the same
 * cluster: the same agents, frameworks, tasks, states and resources (the usage index is shared).
 */
import type {
  GetAgents,
  GetExecutors,
  GetFrameworks,
  GetState,
  GetTasks,
  MasterInfo,
  OperatorAgent,
  OperatorRole,
  OperatorTask,
  VersionInfo,
} from '@agora/protocol';
import { renderRecoveredAgentInfo } from '../../render/recovered-agents';
import { toV1 } from '@agora/resources';
import type { AgentRecord, TaskRecord } from '../../../cluster/records';
import type { AllocatorReadings, BuildFacts, ClusterView, FlagsConfig, MasterFacts, RoleSettings } from '../../render/inputs';
import { renderFlags, renderVersion } from '../../render/master-info';
import { renderMetrics, type MetricsInputs } from '../../render/metrics';
import { roleBreakdown } from '../../render/roles';
import { indexUsage, type Usage, type UsageMemo } from '../../render/usage';
import {
  agentHoldings,
  ExecutorIndex,
  frameworkHoldings,
  type Holdings,
  renderV1Agent,
  renderV1Executor,
  renderV1Framework,
  renderV1Task,
} from './entities';

/**
 * How GET_STATE renders tasks and agents: as objects by default; the whole-state answer passes
 * stand-ins for jsonParts() (the cached text of tasks and agents).
 */
export interface V1EntityRenderers {
  readonly task: (task: TaskRecord) => OperatorTask;
  readonly agent: (agent: AgentRecord, holdings: Holdings) => OperatorAgent;
}

const AS_OBJECTS: V1EntityRenderers = { task: renderV1Task, agent: renderV1Agent };

/** `usageMemo`: the usage index's memo, kept between answers (render/usage.ts). */
export function renderGetState(cluster: ClusterView, entities: V1EntityRenderers = AS_OBJECTS, usageMemo?: UsageMemo): GetState {
  const usage = indexUsage(cluster, usageMemo);
  return {
    get_tasks: renderGetTasks(cluster, entities.task),
    get_executors: renderGetExecutors(cluster),
    get_frameworks: renderGetFrameworks(cluster, usage),
    get_agents: renderGetAgents(cluster, usage, entities.agent),
  };
}

/** Registered agents, and those known from the registry that have not re-registered since this master took office. */
export function renderGetAgents(cluster: ClusterView, usage: Usage = indexUsage(cluster), agent: V1EntityRenderers['agent'] = AS_OBJECTS.agent): GetAgents {
  return {
    agents: [...cluster.agents.values()].map((a) => agent(a, agentHoldings(usage, a.id))),
    recovered_agents: [...(cluster.recoveredAgents?.values() ?? [])].map(renderRecoveredAgentInfo),
  };
}

export function renderGetFrameworks(cluster: ClusterView, usage: Usage = indexUsage(cluster)): GetFrameworks {
  const executors = new ExecutorIndex(cluster.executors.values());
  return {
    frameworks: [...cluster.frameworks.values()].map((fw) => renderV1Framework(fw, frameworkHoldings(usage, fw.id), cluster, executors)),
    completed_frameworks: cluster.completedFrameworks.map((fw) => renderV1Framework(fw, frameworkHoldings(usage, fw.id), cluster, executors)),
  };
}

/** Tasks of registered and torn-down frameworks: live, unreachable (TASK_UNREACHABLE), completed. */
export function renderGetTasks(cluster: ClusterView, task: V1EntityRenderers['task'] = AS_OBJECTS.task): GetTasks {
  const tasks: OperatorTask[] = [];
  const unreachable: OperatorTask[] = [];
  const completed: OperatorTask[] = [];
  for (const fw of [...cluster.frameworks.values(), ...cluster.completedFrameworks]) {
    for (const t of fw.tasks.values()) (t.state === 'TASK_UNREACHABLE' ? unreachable : tasks).push(task(t));
    for (const t of fw.completedTasks) completed.push(task(t));
  }
  return { tasks, unreachable_tasks: unreachable, completed_tasks: completed };
}

export function renderGetExecutors(cluster: Pick<ClusterView, 'executors'>): GetExecutors {
  return { executors: [...cluster.executors.values()].map(renderV1Executor) };
}

/** GET_ROLES: the roles `/roles` lists; `resources` is what is allocated or offered to each. */
export function renderGetRoles(cluster: ClusterView, allocator: Pick<AllocatorReadings, 'roles'>, settings: RoleSettings): { roles: OperatorRole[] } {
  return {
    roles: roleBreakdown(cluster, allocator, settings).map((role) => ({
      name: role.name,
      weight: role.weight,
      frameworks: role.frameworks.map((value) => ({ value })),
      resources: toV1(role.allocated.add(role.offered)),
    })),
  };
}

export function renderGetMaster(master: MasterFacts): { master_info: MasterInfo; start_time: number; elected_time?: number } {
  return {
    master_info: master.info(),
    start_time: master.startedAt / 1000,
    ...(master.electedAt !== undefined ? { elected_time: master.electedAt / 1000 } : {}),
  };
}

/** `/flags` as a list of `{name, value}`. */
export function renderGetFlags(config: FlagsConfig, master: Pick<MasterFacts, 'hostname' | 'port'>): { flags: { name: string; value: string }[] } {
  return { flags: Object.entries(renderFlags(config, master)).map(([name, value]) => ({ name, value })) };
}

export function renderGetVersion(build: BuildFacts): { version_info: VersionInfo } {
  const v0 = renderVersion(build);
  return {
    version_info: {
      version: v0.version,
      build_date: v0.build_date,
      build_time: v0.build_time,
      build_user: v0.build_user,
      ...(v0.git_sha !== undefined ? { git_sha: v0.git_sha } : {}),
    },
  };
}

/** `/metrics/snapshot` as a list of `{name, value}`, keys sorted. */
export function renderGetMetrics(input: MetricsInputs): { metrics: { name: string; value: number }[] } {
  return { metrics: Object.entries(renderMetrics(input)).map(([name, value]) => ({ name, value })) };
}
