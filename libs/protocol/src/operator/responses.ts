/**
 * v1 operator Responses (master.proto `mesos.v1.master.Response`): what `/api/v1` answers to a
 * synchronous call, `{"type": "GET_STATE", "get_state": {...}}`. Wire shapes: ids as `{value}`,
 * agents as `agent_*`, times as `{nanoseconds}`, resources as full v1 Resource objects. Repeated
 * fields are always written, empty or not, so clients can read `.length` without a guard.
 */
import type { TaskState } from '../task-state';
import type {
  AgentID,
  AgentInfo,
  Attribute,
  DrainInfo,
  ExecutorID,
  FrameworkID,
  FrameworkInfo,
  Labels,
  MasterInfo,
  OfferConstraints,
  Resource,
  TaskID,
  TimeInfo,
} from '../scheduler/mesos-types';
import type { InverseOffer, Offer } from '../scheduler/offer-types';
import type { ContainerInfo, ExecutorInfo, HealthCheck, KillPolicy, TaskStatus } from '../scheduler/task-types';
import type { QuotaConfig, WeightInfo } from './calls';

/** `Response.GetAgents.Agent`. */
export interface OperatorAgent {
  agent_info: AgentInfo & { id: AgentID; attributes: Attribute[]; resources: Resource[] };
  active: boolean;
  deactivated: boolean;
  version: string;
  pid: string;
  registered_time: TimeInfo;
  reregistered_time?: TimeInfo;
  total_resources: Resource[];
  allocated_resources: Resource[];
  offered_resources: Resource[];
  capabilities: { type: string }[];
  /** Set while the agent drains or once it drained (DRAIN_AGENT). */
  drain_info?: DrainInfo;
}

/** `Response.GetFrameworks.Framework`. */
export interface OperatorFramework {
  framework_info: FrameworkInfo & { id: FrameworkID };
  active: boolean;
  connected: boolean;
  recovered: boolean;
  registered_time: TimeInfo;
  reregistered_time?: TimeInfo;
  /** Set while the scheduler is disconnected, and for torn-down frameworks. */
  unregistered_time?: TimeInfo;
  offers: Offer[];
  inverse_offers: InverseOffer[];
  allocated_resources: Resource[];
  offered_resources: Resource[];
  offer_constraints?: OfferConstraints;
}

/** mesos.proto `Task`: what the master knows of a task (no `role`: see its resources' `allocation_info`). */
export interface OperatorTask {
  name: string;
  task_id: TaskID;
  framework_id: FrameworkID;
  executor_id?: ExecutorID;
  agent_id: AgentID;
  state: TaskState;
  resources: Resource[];
  statuses: TaskStatus[];
  status_update_state?: TaskState;
  status_update_uuid?: string;
  labels?: Labels;
  discovery?: Record<string, unknown>;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  kill_policy?: KillPolicy;
  user?: string;
  /** Protobuf JSON writes an unlimited amount as the string `"Infinity"`. */
  limits?: Record<string, { value: number | 'Infinity' }>;
}

/** `Response.GetExecutors.Executor`. */
export interface OperatorExecutor {
  executor_info: ExecutorInfo;
  agent_id: AgentID;
}

/** mesos.proto `Role`; `resources` is what is allocated or offered to it. */
export interface OperatorRole {
  name: string;
  weight: number;
  frameworks: FrameworkID[];
  resources: Resource[];
}

export interface GetAgents {
  agents: OperatorAgent[];
  recovered_agents: AgentInfo[];
}

export interface GetFrameworks {
  frameworks: OperatorFramework[];
  completed_frameworks: OperatorFramework[];
}

export interface GetExecutors {
  executors: OperatorExecutor[];
}

export interface GetTasks {
  /** Live tasks, including terminal ones whose last update is not acknowledged yet. */
  tasks: OperatorTask[];
  unreachable_tasks: OperatorTask[];
  completed_tasks: OperatorTask[];
}

export interface GetState {
  get_tasks: GetTasks;
  get_executors: GetExecutors;
  get_frameworks: GetFrameworks;
  get_agents: GetAgents;
}

export interface VersionInfo {
  version: string;
  build_date?: string;
  /** Seconds since the epoch. */
  build_time?: number;
  build_user?: string;
  git_sha?: string;
  git_branch?: string;
  git_tag?: string;
}

/** quota.proto `QuotaInfo` (deprecated, still filled): the guarantees as scalar Resources. */
export interface QuotaInfo {
  role: string;
  guarantee: Resource[];
}

/** quota.proto `QuotaStatus`. */
export interface QuotaStatus {
  infos: QuotaInfo[];
  configs: QuotaConfig[];
}

export type OperatorResponse =
  | { type: 'GET_HEALTH'; get_health: { healthy: boolean } }
  | { type: 'GET_FLAGS'; get_flags: { flags: { name: string; value?: string }[] } }
  | { type: 'GET_VERSION'; get_version: { version_info: VersionInfo } }
  | { type: 'GET_METRICS'; get_metrics: { metrics: { name: string; value?: number }[] } }
  | { type: 'GET_STATE'; get_state: GetState }
  | { type: 'GET_AGENTS'; get_agents: GetAgents }
  | { type: 'GET_FRAMEWORKS'; get_frameworks: GetFrameworks }
  | { type: 'GET_EXECUTORS'; get_executors: GetExecutors }
  | { type: 'GET_TASKS'; get_tasks: GetTasks }
  | { type: 'GET_ROLES'; get_roles: { roles: OperatorRole[] } }
  | { type: 'GET_WEIGHTS'; get_weights: { weight_infos: WeightInfo[] } }
  | { type: 'GET_MASTER'; get_master: { master_info: MasterInfo; start_time: number; elected_time?: number } }
  | { type: 'GET_QUOTA'; get_quota: { status: QuotaStatus } };

export type OperatorResponseType = OperatorResponse['type'];
