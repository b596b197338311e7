/**
 * The v1 objects the operator API is built from (master.proto `Response.GetAgents.Agent`,
 * `GetFrameworks.Framework`, mesos.proto `Task`, `Offer`, `GetExecutors.Executor`). Unlike v0:
 * ids are `{value}`, agents are `agent_*`, times are `{nanoseconds}`, resources are full v1
 * Resource objects. Tasks show the master's true state, as v0 does. Pure functions of records.
 */
import type { Offer, OperatorAgent, OperatorExecutor, OperatorFramework, OperatorTask, TaskStatus, TimeInfo } from '@agora/protocol';
import { Resources, toV1 } from '@agora/resources';
import type { AgentRecord, ExecutorRecord, FrameworkRecord, OfferRecord, TaskRecord } from '../../../cluster/records';
import type { ClusterView } from '../../render/inputs';
import { held, type Usage } from '../../render/usage';

/** What an agent or framework holds: its tasks' resources and its outstanding offers'. */
export interface Holdings {
  readonly allocated: Resources;
  readonly offered: Resources;
}

/** Milliseconds since the epoch → TimeInfo. */
export const timeInfo = (ms: number): TimeInfo => ({ nanoseconds: Math.round(ms * 1e6) });

const id = (value: string): { value: string } => ({ value });

export function renderV1Task(task: TaskRecord): OperatorTask {
  const info = task.info;
  const executorId = task.executorId ?? info.executor?.executor_id.value;
  const json: OperatorTask = {
    name: info.name,
    task_id: id(task.id),
    framework_id: id(task.frameworkId),
    ...(executorId !== undefined ? { executor_id: id(executorId) } : {}),
    agent_id: id(task.agentId),
    state: task.state,
    resources: toV1(task.resources),
    statuses: task.statuses.map(renderV1Status),
  };
  if (task.statusUpdateState !== undefined) json.status_update_state = task.statusUpdateState;
  if (task.statusUpdateUuid !== undefined) json.status_update_uuid = task.statusUpdateUuid;
  if (info.labels?.labels !== undefined && info.labels.labels.length > 0) json.labels = info.labels;
  if (info.discovery !== undefined) json.discovery = info.discovery;
  if (info.container !== undefined) json.container = info.container;
  if (info.health_check !== undefined) json.health_check = info.health_check;
  if (info.kill_policy !== undefined) json.kill_policy = info.kill_policy;
  const user = info.command?.user ?? info.executor?.command?.user;
  if (user !== undefined) json.user = user;
  if (info.limits !== undefined && Object.keys(info.limits).length > 0) {
    json.limits = Object.fromEntries(Object.entries(info.limits).map(([name, { value }]) => [name, { value: Number.isFinite(value) ? value : 'Infinity' }]));
  }
  return json;
}

/** A status as the operator API shows it: everything but `data` (an executor's payload, unbounded). */
export function renderV1Status(status: TaskStatus): TaskStatus {
  const { data: _data, ...shown } = status;
  return shown;
}

export function renderV1Agent(agent: AgentRecord, holdings: Holdings): OperatorAgent {
  const total = toV1(agent.total);
  const json: OperatorAgent = {
    agent_info: {
      ...agent.info,
      id: id(agent.id),
      hostname: agent.hostname,
      port: agent.port,
      resources: total,
      attributes: agent.attributes,
    },
    active: agent.active,
    // Mesos: the operator's deactivation, not a disconnection (that only clears `active`).
    deactivated: agent.deactivated === true,
    version: agent.version,
    pid: `slave(1)@${agent.ip}:${agent.port}`,
    registered_time: timeInfo(agent.registeredAt),
    total_resources: total,
    allocated_resources: toV1(holdings.allocated),
    offered_resources: toV1(holdings.offered),
    capabilities: agent.capabilities.map((type) => ({ type })),
  };
  if (agent.drainInfo !== undefined) json.drain_info = agent.drainInfo;
  if (agent.reregisteredAt !== undefined) json.reregistered_time = timeInfo(agent.reregisteredAt);
  return json;
}

/** The Offer a framework was sent, rebuilt from its record (resources in the refined format). */
export function renderV1Offer(offer: OfferRecord, agent: AgentRecord | undefined, executorIds: readonly string[] = []): Offer {
  return {
    id: id(offer.id),
    framework_id: id(offer.frameworkId),
    agent_id: id(offer.agentId),
    hostname: agent?.hostname ?? '',
    ...(agent !== undefined
      ? { url: { scheme: 'http', address: { hostname: agent.hostname, ip: agent.ip, port: agent.port }, path: '/slave(1)' } }
      : {}),
    ...(agent?.info.domain !== undefined ? { domain: agent.info.domain } : {}),
    resources: toV1(offer.resources),
    attributes: agent?.attributes ?? [],
    executor_ids: executorIds.map(id),
    allocation_info: { role: offer.role },
  };
}

/**
 * The framework with its outstanding offers (ids whose offer is gone are skipped). Times are
 * set when known; `unregistered_time` only while disconnected or once torn down.
 */
export function renderV1Framework(fw: FrameworkRecord, holdings: Holdings, cluster: Pick<ClusterView, 'offers' | 'agents'>, executors?: ExecutorIndex): OperatorFramework {
  const offers: Offer[] = [];
  for (const offerId of fw.offers) {
    const offer = cluster.offers.get(offerId);
    if (offer !== undefined) offers.push(renderV1Offer(offer, cluster.agents.get(offer.agentId), executors?.get(fw.id, offer.agentId)));
  }
  const json: OperatorFramework = {
    framework_info: { ...fw.info, id: id(fw.id) },
    active: fw.active,
    connected: fw.connected,
    recovered: fw.recovered,
    registered_time: timeInfo(fw.registeredAt),
    offers,
    inverse_offers: [],
    allocated_resources: toV1(holdings.allocated),
    offered_resources: toV1(holdings.offered),
  };
  if (fw.reregisteredAt !== undefined) json.reregistered_time = timeInfo(fw.reregisteredAt);
  if (fw.unregisteredAt !== undefined) json.unregistered_time = timeInfo(fw.unregisteredAt);
  if (fw.offerConstraints !== undefined) json.offer_constraints = fw.offerConstraints;
  return json;
}

export function renderV1Executor(executor: ExecutorRecord): OperatorExecutor {
  return {
    executor_info: { ...executor.info, framework_id: id(executor.frameworkId) },
    agent_id: id(executor.agentId),
  };
}

/** Executor ids by framework and agent, built once per answer. */
export class ExecutorIndex {
  private readonly byKey = new Map<string, string[]>();

  constructor(executors: Iterable<ExecutorRecord>) {
    for (const e of executors) {
      const key = `${e.frameworkId}\u0000${e.agentId}`;
      const ids = this.byKey.get(key);
      if (ids === undefined) this.byKey.set(key, [e.id]);
      else ids.push(e.id);
    }
  }

  get(frameworkId: string, agentId: string): readonly string[] {
    return this.byKey.get(`${frameworkId}\u0000${agentId}`) ?? [];
  }
}

/** An agent's holdings from the one-pass usage index (whole-state answers). */
export const agentHoldings = (usage: Usage, agentId: string): Holdings => ({
  allocated: held(usage.usedByAgent, agentId),
  offered: held(usage.offeredByAgent, agentId),
});

export const frameworkHoldings = (usage: Usage, frameworkId: string): Holdings => ({
  allocated: held(usage.usedByFramework, frameworkId),
  offered: held(usage.offeredByFramework, frameworkId),
});

/**
 * One agent's holdings without indexing the whole cluster (events): its tasks, and the offers
 * on it. Counts what the usage index counts, so events and GET_STATE agree.
 */
export function holdingsOfAgent(agent: AgentRecord, offers: ReadonlyMap<string, OfferRecord>): Holdings {
  const tasks = [...agent.tasks.values()].filter((t) => !t.released).map((t) => t.resources);
  const offered = [...offers.values()].filter((o) => o.agentId === agent.id).map((o) => o.resources);
  return { allocated: Resources.sum(tasks), offered: Resources.sum(offered) };
}

/** One framework's holdings: its tasks, and its outstanding offers. */
export function holdingsOfFramework(fw: FrameworkRecord, offers: ReadonlyMap<string, OfferRecord>): Holdings {
  const tasks = [...fw.tasks.values()].filter((t) => !t.released).map((t) => t.resources);
  const offered = [...fw.offers].map((offerId) => offers.get(offerId)?.resources ?? Resources.EMPTY);
  return { allocated: Resources.sum(tasks), offered: Resources.sum(offered) };
}
