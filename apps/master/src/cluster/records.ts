/**
 * The master's live state (DESIGN §4): agents, frameworks, tasks and offers in memory. Nothing
 * here is written to Postgres on the per-task path; after a failover it is rebuilt from agents
 * re-registering and schedulers re-subscribing. Records are mutable and owned by the services
 * that change them; the operator API only reads them.
 */
import type { Resources } from '@agora/resources';
import type {
  AgentInfo,
  Attribute,
  DrainInfo,
  ExecutorInfo,
  FrameworkInfo,
  OfferConstraints,
  TaskInfo,
  TaskState,
  TaskStatus,
} from '@agora/protocol';
import type { TimerHandle } from '../clock/clock';
import type { EventSink } from './event-sink';

export interface AgentRecord {
  readonly id: string;
  info: AgentInfo & { id: { value: string } };
  hostname: string;
  port: number;
  /** Where the agent's HTTP API answers (offers' `url.address.ip`). */
  ip: string;
  total: Resources;
  attributes: Attribute[];
  version: string;
  capabilities: string[];
  registeredAt: number;
  reregisteredAt?: number;
  /** Offers are made from active agents only: neither deactivated nor disconnected. */
  active: boolean;
  /** An operator deactivated (or drains) it: DEACTIVATE_AGENT, DRAIN_AGENT (agents/agent-maintenance.ts). */
  deactivated?: boolean;
  /** Set by DRAIN_AGENT, DRAINING until its tasks are gone, then DRAINED. */
  drainInfo?: DrainInfo;
  /** Its process said it exits (agents/disconnections.ts); it has a while to re-register. */
  disconnected?: boolean;
  /** Pings in a row without a pong. */
  missedPings: number;
  /** Tasks on the agent, keyed by taskKey(frameworkId, taskId). */
  readonly tasks: Map<string, TaskRecord>;
}

export interface FrameworkRecord {
  readonly id: string;
  info: FrameworkInfo & { id: { value: string } };
  roles: string[];
  capabilities: Set<string>;
  suppressedRoles: Set<string>;
  offerConstraints?: OfferConstraints;
  /** A scheduler stream is attached. */
  connected: boolean;
  /** Known only from agents' reports (after a master restart), not yet re-subscribed. */
  recovered: boolean;
  /** Offers may be made (connected and not torn down). */
  active: boolean;
  stream?: EventSink;
  registeredAt: number;
  reregisteredAt?: number;
  unregisteredAt?: number;
  /** Runs when failover_timeout expires after a disconnect. */
  failoverTimer?: TimerHandle;
  /** Live tasks (including terminal ones not yet acknowledged), by task id. */
  readonly tasks: Map<string, TaskRecord>;
  /** Acknowledged terminal tasks, oldest first, bounded. */
  readonly completedTasks: TaskRecord[];
  readonly offers: Set<string>;
  readonly counters: FrameworkCounters;
}

export interface FrameworkCounters {
  offersSent: number;
  offersAccepted: number;
  offersDeclined: number;
  offersRescinded: number;
  readonly calls: Map<string, number>;
}

export interface TaskRecord {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly info: TaskInfo;
  /** Its custom or default executor; absent for command tasks. */
  readonly executorId?: string;
  /** The allocation role of its resources. */
  readonly role: string;
  /** What it holds, tagged with its allocation role. */
  readonly resources: Resources;
  /** The latest state the master knows. */
  state: TaskState;
  /** The state and uuid of the update the scheduler was last sent and has not acknowledged. */
  statusUpdateState?: TaskState;
  statusUpdateUuid?: string;
  /** Every status seen, oldest first (state and timestamp for /state). */
  readonly statuses: TaskStatus[];
  /** The last status, as reconciliation re-sends it. */
  lastStatus?: TaskStatus;
  /** Resources were given back to the allocator (terminal or unreachable). */
  released: boolean;
}

/**
 * A custom or default (task group) executor on an agent. It holds its own resources from its
 * first task until it exits; command tasks have no executor record (their executor is the agent).
 */
export interface ExecutorRecord {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly info: ExecutorInfo;
  /** Tagged with the allocation role. */
  readonly resources: Resources;
  readonly role: string;
}

export function executorKey(agentId: string, frameworkId: string, executorId: string): string {
  return `${agentId}/${frameworkId}/${executorId}`;
}

export interface OfferRecord {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  /** Tagged with the allocation role. */
  readonly resources: Resources;
  readonly createdAt: number;
  timer?: TimerHandle;
}

export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}/${taskId}`;
}

export function newCounters(): FrameworkCounters {
  return { offersSent: 0, offersAccepted: 0, offersDeclined: 0, offersRescinded: 0, calls: new Map() };
}
