/**
 * The v0 objects every endpoint is built from: task, offer, agent, framework (reference §3.1).
 * Tasks show the master's true state: TASK_UNREACHABLE stays TASK_UNREACHABLE even for frameworks
 * that are told TASK_LOST, as Mesos's `/state` shows it.
 */
import { type Resources, toV0, toV1 } from '@agora/resources';
import { attributeMap } from '../../agents/agent-spec';
import type { AgentRecord, ExecutorRecord, FrameworkRecord, OfferRecord, TaskRecord } from '../../cluster/records';
import type { AgentFullJson, AgentJson, ExecutorJson, FrameworkJson, FrameworkSummaryJson, OfferJson, TaskJson, TaskStatusJson } from './json';
import { held, type Usage } from './usage';

/** Milliseconds since the epoch → seconds, as Mesos's JSON carries times. */
export const seconds = (ms: number): number => ms / 1000;

export function renderTask(task: TaskRecord): TaskJson {
  const info = task.info;
  const json: TaskJson = {
    id: task.id,
    name: info.name,
    framework_id: task.frameworkId,
    executor_id: info.executor?.executor_id.value ?? '',
    slave_id: task.agentId,
    state: task.state,
    resources: toV0(task.resources),
    role: task.role,
    statuses: task.statuses.map(renderStatus),
  };
  if (info.limits !== undefined && Object.keys(info.limits).length > 0) json.limits = renderLimits(info.limits);
  // As Mesos: the user the task's command (or its executor's) runs as, when one was given.
  const user = info.command?.user ?? info.executor?.command?.user;
  if (user !== undefined) json.user = user;
  if (info.labels?.labels !== undefined && info.labels.labels.length > 0) json.labels = info.labels.labels;
  if (info.discovery !== undefined) json.discovery = info.discovery;
  if (info.container !== undefined) json.container = info.container;
  if (info.health_check !== undefined) json.health_check = info.health_check;
  return json;
}

function renderStatus(status: TaskRecord['statuses'][number]): TaskStatusJson {
  const json: TaskStatusJson = { state: status.state, timestamp: status.timestamp ?? 0 };
  if (status.labels?.labels !== undefined && status.labels.labels.length > 0) json.labels = status.labels.labels;
  if (status.container_status !== undefined) json.container_status = status.container_status;
  if (status.healthy !== undefined) json.healthy = status.healthy;
  return json;
}

/** JSON has no Infinity: an unlimited resource is written as the string "Infinity". */
function renderLimits(limits: Record<string, { value: number }>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, { value }] of Object.entries(limits)) out[name] = Number.isFinite(value) ? value : 'Infinity';
  return out;
}

export function renderOffer(offer: OfferRecord): OfferJson {
  return {
    id: offer.id,
    framework_id: offer.frameworkId,
    slave_id: offer.agentId,
    allocation_info: { role: offer.role },
    resources: toV0(offer.resources),
  };
}

export function renderAgent(agent: AgentRecord, usage: Usage): AgentJson {
  const json: AgentJson = {
    id: agent.id,
    hostname: agent.hostname,
    port: agent.port,
    attributes: attributeMap(agent.attributes),
    pid: `slave(1)@${agent.ip}:${agent.port}`,
    registered_time: seconds(agent.registeredAt),
    resources: toV0(agent.total),
    used_resources: toV0(held(usage.usedByAgent, agent.id)),
    offered_resources: toV0(held(usage.offeredByAgent, agent.id)),
    reserved_resources: byRole(agent.total.reservedByRole(), toV0),
    unreserved_resources: toV0(agent.total.unreserved()),
    active: agent.active,
    // Mesos: the operator's deactivation, not a disconnection (that only clears `active`).
    deactivated: agent.deactivated === true,
    version: agent.version,
    capabilities: [...agent.capabilities],
  };
  if (agent.drainInfo !== undefined) json.drain_info = agent.drainInfo;
  if (agent.reregisteredAt !== undefined) json.reregistered_time = seconds(agent.reregisteredAt);
  if (agent.info.domain !== undefined) json.domain = agent.info.domain;
  return json;
}

/** The agent as `/slaves` shows it: the v0 object plus every resource as a v1 Resource. */
export function renderAgentFull(agent: AgentRecord, usage: Usage): AgentFullJson {
  return {
    ...renderAgent(agent, usage),
    reserved_resources_full: byRole(agent.total.reservedByRole(), toV1),
    unreserved_resources_full: toV1(agent.total.unreserved()),
    used_resources_full: toV1(held(usage.usedByAgent, agent.id)),
    offered_resources_full: toV1(held(usage.offeredByAgent, agent.id)),
  };
}

function byRole<T>(reserved: ReadonlyMap<string, Resources>, render: (r: Resources) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [role, resources] of reserved) out[role] = render(resources);
  return out;
}

/** What `/state-summary` says of a framework; the start of the full object. */
export function renderFrameworkSummary(fw: FrameworkRecord, usage: Usage): FrameworkSummaryJson {
  return {
    id: fw.id,
    name: fw.info.name,
    used_resources: toV0(held(usage.usedByFramework, fw.id)),
    offered_resources: toV0(held(usage.offeredByFramework, fw.id)),
    capabilities: [...fw.capabilities],
    hostname: fw.info.hostname ?? '',
    webui_url: fw.info.webui_url ?? '',
    active: fw.active,
    connected: fw.connected,
    recovered: fw.recovered,
  };
}

/**
 * The framework as `/state` and `/frameworks` show it. `offers` resolves the framework's offer
 * ids (an id whose offer is gone is skipped); `task` renders each task (whole-state answers pass
 * TaskFragments#v0Task).
 */
export function renderFramework(
  fw: FrameworkRecord,
  usage: Usage,
  offers: ReadonlyMap<string, OfferRecord>,
  executors: readonly ExecutorRecord[] = [],
  task: (task: TaskRecord) => TaskJson = renderTask,
): FrameworkJson {
  const tasks: TaskJson[] = [];
  const unreachable: TaskJson[] = [];
  for (const t of fw.tasks.values()) (t.state === 'TASK_UNREACHABLE' ? unreachable : tasks).push(task(t));
  const offerList: OfferJson[] = [];
  for (const id of fw.offers) {
    const offer = offers.get(id);
    if (offer !== undefined) offerList.push(renderOffer(offer));
  }
  const json: FrameworkJson = {
    ...renderFrameworkSummary(fw, usage),
    resources: toV0(held(usage.usedByFramework, fw.id).add(held(usage.offeredByFramework, fw.id))),
    user: fw.info.user,
    failover_timeout: fw.info.failover_timeout ?? 0,
    checkpoint: fw.info.checkpoint ?? false,
    registered_time: seconds(fw.registeredAt),
    unregistered_time: fw.unregisteredAt === undefined ? 0 : seconds(fw.unregisteredAt),
    ...(fw.reregisteredAt !== undefined ? { reregistered_time: seconds(fw.reregisteredAt) } : {}),
    ...(fw.info.principal !== undefined ? { principal: fw.info.principal } : {}),
    ...(fw.capabilities.has('MULTI_ROLE') ? { roles: [...fw.roles] } : { role: fw.roles[0] ?? '*' }),
    tasks,
    unreachable_tasks: unreachable,
    completed_tasks: fw.completedTasks.map((t) => task(t)),
    offers: offerList,
    executors: executors.map(renderExecutor),
  };
  if (fw.info.labels?.labels !== undefined && fw.info.labels.labels.length > 0) json.labels = fw.info.labels.labels;
  if (fw.offerConstraints !== undefined) json.offer_constraints = fw.offerConstraints;
  return json;
}

/** A custom or default executor as v0 `/state` shows it (command executors are not listed). */
export function renderExecutor(e: ExecutorRecord): ExecutorJson {
  return {
    id: e.id,
    name: e.info.name ?? '',
    source: '',
    framework_id: e.frameworkId,
    slave_id: e.agentId,
    type: e.info.type ?? 'CUSTOM',
    ...(e.info.command !== undefined ? { command: e.info.command } : {}),
    ...(e.info.container !== undefined ? { container: e.info.container } : {}),
    resources: toV0(e.resources),
    role: e.role,
  };
}
