/**
 * The v0 JSON the operator endpoints answer (reference §3.1): Mesos's field names (`slave_*`),
 * plain string ids, times in seconds, resources flattened by `toV0`. Optional fields are absent,
 * never `null`.
 */
import type {
  AgentInfo,
  ContainerInfo,
  ContainerStatus,
  DrainInfo,
  HealthCheck,
  Label,
  OfferConstraints,
  QuotaConfig,
  QuotaInfo,
  ScalarQuantities,
  TaskState,
} from '@agora/protocol';
import type { V0Resources, V1Resource } from '@agora/resources';
import type { RecoveredSlaveJson } from './recovered-agents';
import type { Json } from '../../registry';

export interface TaskStatusJson {
  state: TaskState;
  /** Seconds since the epoch. */
  timestamp: number;
  labels?: Label[];
  container_status?: ContainerStatus;
  healthy?: boolean;
}

export interface TaskJson {
  id: string;
  name: string;
  framework_id: string;
  /** `""` for command tasks. */
  executor_id: string;
  slave_id: string;
  state: TaskState;
  resources: V0Resources;
  limits?: Record<string, number | string>;
  role: string;
  statuses: TaskStatusJson[];
  user?: string;
  labels?: Label[];
  discovery?: Record<string, unknown>;
  container?: ContainerInfo;
  health_check?: HealthCheck;
}

export interface OfferJson {
  id: string;
  framework_id: string;
  slave_id: string;
  allocation_info: { role: string };
  resources: V0Resources;
}

export interface AgentJson {
  id: string;
  hostname: string;
  port: number;
  attributes: Record<string, Json>;
  domain?: AgentInfo['domain'];
  pid: string;
  registered_time: number;
  reregistered_time?: number;
  resources: V0Resources;
  used_resources: V0Resources;
  offered_resources: V0Resources;
  reserved_resources: Record<string, V0Resources>;
  unreserved_resources: V0Resources;
  active: boolean;
  deactivated: boolean;
  /** While draining and once drained (DRAIN_AGENT). */
  drain_info?: DrainInfo;
  version: string;
  capabilities: string[];
}

/** `/slaves` adds the resources as v1 Resource objects. */
export interface AgentFullJson extends AgentJson {
  reserved_resources_full: Record<string, V1Resource[]>;
  unreserved_resources_full: V1Resource[];
  used_resources_full: V1Resource[];
  offered_resources_full: V1Resource[];
}

/** The counts `/state-summary` adds to agents and frameworks. */
export type TaskStateCounts = Record<SummaryTaskState, number>;

/** The states `/state-summary` counts (Mesos's TaskStateSummary). */
export const SUMMARY_TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
] as const satisfies readonly TaskState[];
export type SummaryTaskState = (typeof SUMMARY_TASK_STATES)[number];

export type AgentSummaryJson = AgentJson & TaskStateCounts & { framework_ids: string[] };

/** What `/state-summary` and `/state` say about every framework. */
export interface FrameworkSummaryJson {
  id: string;
  name: string;
  used_resources: V0Resources;
  offered_resources: V0Resources;
  capabilities: string[];
  hostname: string;
  webui_url: string;
  active: boolean;
  connected: boolean;
  recovered: boolean;
}

export interface FrameworkJson extends FrameworkSummaryJson {
  /** used + offered. */
  resources: V0Resources;
  user: string;
  failover_timeout: number;
  checkpoint: boolean;
  registered_time: number;
  /** 0 while connected. */
  unregistered_time: number;
  reregistered_time?: number;
  principal?: string;
  /** Frameworks without MULTI_ROLE. */
  role?: string;
  /** MULTI_ROLE frameworks. */
  roles?: string[];
  tasks: TaskJson[];
  unreachable_tasks: TaskJson[];
  completed_tasks: TaskJson[];
  offers: OfferJson[];
  executors: ExecutorJson[];
  labels?: Label[];
  offer_constraints?: OfferConstraints;
}

export type FrameworkStateSummaryJson = FrameworkSummaryJson & TaskStateCounts & { slave_ids: string[] };

export interface MasterInfoJson {
  id: string;
  pid?: string;
  port: number;
  hostname?: string;
  ip: number;
  version?: string;
  address?: { hostname?: string; ip?: string; port: number };
}

export interface VersionJson {
  version: string;
  agora_version: string;
  build_date: string;
  build_time: number;
  build_user: string;
  git_sha?: string;
}

export interface StateJson extends VersionJson {
  start_time: number;
  elected_time?: number;
  id: string;
  pid: string;
  hostname: string;
  capabilities: string[];
  activated_slaves: number;
  deactivated_slaves: number;
  unreachable_slaves: number;
  leader: string;
  leader_info: MasterInfoJson;
  flags: Record<string, string>;
  slaves: AgentJson[];
  recovered_slaves: RecoveredSlaveJson[];
  frameworks: FrameworkJson[];
  completed_frameworks: FrameworkJson[];
  orphan_tasks: never[];
  unregistered_frameworks: never[];
}

export interface StateSummaryJson {
  hostname: string;
  slaves: AgentSummaryJson[];
  frameworks: FrameworkStateSummaryJson[];
}

export interface FrameworksJson {
  frameworks: FrameworkJson[];
  completed_frameworks: FrameworkJson[];
  unregistered_frameworks: never[];
}

export interface SlavesJson {
  slaves: AgentFullJson[];
  recovered_slaves: RecoveredSlaveJson[];
}

export interface TasksJson {
  tasks: TaskJson[];
}

/** A role's quota as `/roles` writes it (Mesos 1.9+): singular `guarantee` and `limit`, natural units. */
export interface RoleQuotaJson {
  role: string;
  guarantee: Record<string, number>;
  limit: Record<string, number>;
  /** What the role consumes of its quota (reservations and what its tasks hold). */
  consumed: Record<string, number>;
}

export interface RoleJson {
  name: string;
  weight: number;
  quota: RoleQuotaJson;
  /** allocated + offered (deprecated in Mesos, still read by tools). */
  resources: V0Resources;
  allocated: V0Resources;
  offered: V0Resources;
  reserved: V0Resources;
  frameworks: string[];
}

export interface RolesJson {
  roles: RoleJson[];
}

/** `/quota`: Mesos's QuotaStatus, each config with what the role consumes (an Agora addition). */
export interface QuotaJson {
  infos: QuotaInfo[];
  configs: (QuotaConfig & { consumed: ScalarQuantities })[];
}

export type MetricsJson = Record<string, number>;

/** A custom or default executor in v0 `/state`. */
export interface ExecutorJson {
  id: string;
  name: string;
  source: string;
  framework_id: string;
  slave_id: string;
  type: string;
  command?: unknown;
  container?: unknown;
  resources: V0Resources;
  role: string;
}
