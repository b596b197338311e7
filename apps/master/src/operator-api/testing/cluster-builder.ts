/**
 * Builds ClusterState by hand for the renderers' table tests, keeping the cross-references the
 * services keep (a task is in its framework's and its agent's maps, an offer id in its
 * framework's set). Times are milliseconds; defaults are small and obvious.
 */
import { type Attribute, type DrainInfo, type FrameworkCapabilityType, isTerminalState, type TaskInfo, type TaskState } from '@agora/protocol';
import { Resources } from '@agora/resources';
import { ClusterState } from '../../cluster/cluster-state';
import { MasterIdentity } from '../../cluster/master-identity';
import {
  type AgentRecord,
  type FrameworkRecord,
  newCounters,
  type OfferRecord,
  type TaskRecord,
  taskKey,
} from '../../cluster/records';
import type { BuildFacts, FlagsConfig, HostReadings } from '../render/inputs';

export interface AgentOptions {
  resources?: string;
  hostname?: string;
  port?: number;
  ip?: string;
  active?: boolean;
  /** An operator deactivated it (implies inactive unless `active` says otherwise). */
  deactivated?: boolean;
  drainInfo?: DrainInfo;
  attributes?: Attribute[];
  registeredAt?: number;
  reregisteredAt?: number;
  missedPings?: number;
}

export interface FrameworkOptions {
  name?: string;
  roles?: string[];
  capabilities?: FrameworkCapabilityType[];
  connected?: boolean;
  active?: boolean;
  registeredAt?: number;
  unregisteredAt?: number;
  reregisteredAt?: number;
  principal?: string;
  suppressedRoles?: string[];
}

export interface TaskOptions {
  state?: TaskState;
  resources?: string;
  role?: string;
  /** Time (ms) of the first status. */
  launchedAt?: number;
  /** Defaults to whether the state is terminal or unreachable, as TasksService does. */
  released?: boolean;
  info?: Partial<TaskInfo>;
}

export class ClusterBuilder {
  readonly state = new ClusterState();

  agent(id: string, options: AgentOptions = {}): AgentRecord {
    const hostname = options.hostname ?? `host-${id}`;
    const port = options.port ?? 5051;
    const record: AgentRecord = {
      id,
      info: { hostname, port, id: { value: id }, attributes: options.attributes },
      hostname,
      port,
      ip: options.ip ?? '10.0.0.1',
      total: Resources.parse(options.resources ?? 'cpus:4;mem:1024'),
      attributes: options.attributes ?? [],
      version: '1.11.0',
      capabilities: ['MULTI_ROLE'],
      registeredAt: options.registeredAt ?? 1_000,
      reregisteredAt: options.reregisteredAt,
      active: options.active ?? options.deactivated !== true,
      missedPings: options.missedPings ?? 0,
      tasks: new Map(),
    };
    if (options.deactivated === true) record.deactivated = true;
    if (options.drainInfo !== undefined) record.drainInfo = options.drainInfo;
    this.state.agents.set(id, record);
    return record;
  }

  framework(id: string, options: FrameworkOptions = {}): FrameworkRecord {
    const capabilities = options.capabilities ?? [];
    const roles = options.roles ?? ['*'];
    const multiRole = capabilities.includes('MULTI_ROLE');
    const connected = options.connected ?? true;
    const record: FrameworkRecord = {
      id,
      info: {
        id: { value: id },
        user: 'alice',
        name: options.name ?? `fw-${id}`,
        ...(multiRole ? { roles } : { role: roles[0] }),
        capabilities: capabilities.map((type) => ({ type })),
        ...(options.principal !== undefined ? { principal: options.principal } : {}),
      },
      roles,
      capabilities: new Set(capabilities),
      suppressedRoles: new Set(options.suppressedRoles ?? []),
      connected,
      recovered: false,
      active: options.active ?? connected,
      registeredAt: options.registeredAt ?? 2_000,
      reregisteredAt: options.reregisteredAt,
      unregisteredAt: options.unregisteredAt,
      tasks: new Map(),
      completedTasks: [],
      offers: new Set(),
      counters: newCounters(),
    };
    this.state.frameworks.set(id, record);
    return record;
  }

  task(frameworkId: string, agentId: string, id: string, options: TaskOptions = {}): TaskRecord {
    const fw = this.frameworkOf(frameworkId);
    const state = options.state ?? 'TASK_RUNNING';
    const role = options.role ?? fw.roles[0] ?? '*';
    const launchedAt = options.launchedAt ?? 3_000;
    const record: TaskRecord = {
      id,
      frameworkId,
      agentId,
      info: { name: `task-${id}`, task_id: { value: id }, agent_id: { value: agentId }, command: { value: 'true' }, ...options.info },
      role,
      resources: Resources.parse(options.resources ?? 'cpus:1;mem:128').allocate(role),
      state,
      statuses: [{ task_id: { value: id }, state: 'TASK_STAGING', timestamp: launchedAt / 1000 }],
      released: options.released ?? (isTerminalState(state) || state === 'TASK_UNREACHABLE'),
    };
    if (state !== 'TASK_STAGING') record.statuses.push({ task_id: { value: id }, state, timestamp: launchedAt / 1000 + 1 });
    fw.tasks.set(id, record);
    this.state.agents.get(agentId)?.tasks.set(taskKey(frameworkId, id), record);
    return record;
  }

  /** A task that ended and was acknowledged: in the framework's completed list only. */
  completedTask(frameworkId: string, agentId: string, id: string, options: TaskOptions = {}): TaskRecord {
    const record = this.task(frameworkId, agentId, id, { state: 'TASK_FINISHED', ...options });
    const fw = this.frameworkOf(frameworkId);
    fw.tasks.delete(id);
    this.state.agents.get(agentId)?.tasks.delete(taskKey(frameworkId, id));
    fw.completedTasks.push(record);
    return record;
  }

  offer(id: string, frameworkId: string, agentId: string, resources = 'cpus:1;mem:256', role?: string): OfferRecord {
    const fw = this.frameworkOf(frameworkId);
    const allocationRole = role ?? fw.roles[0] ?? '*';
    const record: OfferRecord = {
      id,
      frameworkId,
      agentId,
      role: allocationRole,
      resources: Resources.parse(resources).allocate(allocationRole),
      createdAt: 4_000,
    };
    this.state.offers.set(id, record);
    fw.offers.add(id);
    return record;
  }

  /** Tears a framework down the way FrameworksService does (its tasks must be completed first). */
  completeFramework(id: string, at = 9_000): FrameworkRecord {
    const fw = this.frameworkOf(id);
    fw.connected = false;
    fw.active = false;
    fw.unregisteredAt ??= at;
    this.state.frameworks.delete(id);
    this.state.removedFrameworkIds.add(id);
    this.state.completedFrameworks.push(fw);
    return fw;
  }

  unreachable(agentId: string, at = 8_000): void {
    this.state.agents.delete(agentId);
    this.state.unreachableAgents.set(agentId, at);
  }

  private frameworkOf(id: string): FrameworkRecord {
    const fw = this.state.frameworks.get(id);
    if (fw === undefined) throw new Error(`no framework ${id} in the builder`);
    return fw;
  }
}

/** A master started at t = 500 ms and elected at t = 600 ms. */
export function testMaster(): MasterIdentity {
  const master = new MasterIdentity('master-1', 'master.example', '10.0.0.9', 5050, 500);
  master.electedAt = 600;
  return master;
}

export const TEST_CONFIG: FlagsConfig = {
  host: '0.0.0.0',
  allocationIntervalMs: 1000,
  heartbeatIntervalSeconds: 15,
  agentPingIntervalMs: 15_000,
  maxAgentPingTimeouts: 5,
  offerTimeoutMs: 0,
  maxCompletedTasksPerFramework: 1000,
  maxCompletedFrameworks: 50,
  maxOperatorEventStreamSubscribers: 1000,
  agentReregisterTimeoutMs: 600_000,
  leaderPollMs: 1000,
  leaderLeaseMs: 10_000,
  quotaRecoveryFraction: 0.8,
  quotaRecoveryTimeoutMs: 600_000,
};

export const TEST_BUILD: BuildFacts = { date: '2025-01-02 03:04:05', time: 1735787045, user: 'builder' };

export const TEST_HOST: HostReadings = { cpus: 8, load: [0.5, 0.25, 0.125], memTotalBytes: 16e9, memFreeBytes: 4e9 };
