/**
 * Tasks and what describes them (mesos.proto): TaskInfo and its parts, and TaskStatus.
 * JSON field names as on the wire; `bytes` fields (`data`, `uuid`) are base64 text.
 */
import type { TaskState, TaskStatusReason, TaskStatusSource } from '../task-state';
import type {
  AgentID,
  ContainerID,
  DurationInfo,
  ExecutorID,
  FrameworkID,
  Labels,
  Resource,
  TaskID,
  TimeInfo,
} from './mesos-types';

export interface EnvironmentVariable {
  name: string;
  type?: 'UNKNOWN' | 'VALUE' | 'SECRET';
  value?: string;
  secret?: Record<string, unknown>;
}

export interface CommandURI {
  value: string;
  executable?: boolean;
  /** Default true: archives are extracted into the sandbox. */
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

export interface CommandInfo {
  value?: string;
  /** Default true: run `value` with `/bin/sh -c`; false: exec `value` with `arguments`. */
  shell?: boolean;
  arguments?: string[];
  uris?: CommandURI[];
  environment?: { variables?: EnvironmentVariable[] };
  user?: string;
}

export interface DockerInfo {
  image: string;
  network?: 'HOST' | 'BRIDGE' | 'NONE' | 'USER';
  port_mappings?: { host_port: number; container_port: number; protocol?: string }[];
  privileged?: boolean;
  parameters?: { key: string; value: string }[];
  force_pull_image?: boolean;
  volume_driver?: string;
}

export interface Volume {
  container_path: string;
  host_path?: string;
  mode?: 'RW' | 'RO';
  image?: Record<string, unknown>;
  source?: Record<string, unknown>;
}

/** Parts Agora does not interpret (mesos images, network, linux, rlimit and tty info) stay opaque objects. */
export interface ContainerInfo {
  type: 'DOCKER' | 'MESOS';
  docker?: DockerInfo;
  mesos?: Record<string, unknown>;
  volumes?: Volume[];
  hostname?: string;
  network_infos?: Record<string, unknown>[];
  linux_info?: Record<string, unknown>;
  rlimit_info?: Record<string, unknown>;
  tty_info?: Record<string, unknown>;
}

export interface HealthCheck {
  type?: 'UNKNOWN' | 'COMMAND' | 'HTTP' | 'TCP';
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
  consecutive_failures?: number;
  grace_period_seconds?: number;
  command?: CommandInfo;
  http?: { port: number; path?: string; scheme?: string; statuses?: number[]; protocol?: string };
  tcp?: { port: number; protocol?: string };
}

export interface KillPolicy {
  grace_period?: DurationInfo;
}

export interface ExecutorInfo {
  type?: 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';
  executor_id: ExecutorID;
  framework_id?: FrameworkID;
  command?: CommandInfo;
  container?: ContainerInfo;
  resources?: Resource[];
  name?: string;
  data?: string;
  discovery?: Record<string, unknown>;
  shutdown_grace_period?: DurationInfo;
  labels?: Labels;
}

/**
 * A task to launch. Exactly one of `command` (run by the built-in command executor) and
 * `executor` (a custom one) is expected; the master's task validation checks that, not the decoder.
 */
export interface TaskInfo {
  name: string;
  task_id: TaskID;
  agent_id: AgentID;
  resources?: Resource[];
  executor?: ExecutorInfo;
  command?: CommandInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  check?: Record<string, unknown>;
  kill_policy?: KillPolicy;
  data?: string;
  labels?: Labels;
  discovery?: Record<string, unknown>;
  max_completion_time?: DurationInfo;
  /** Per resource name; `Infinity` means no limit. */
  limits?: Record<string, { value: number }>;
}

export interface TaskGroupInfo {
  tasks?: TaskInfo[];
}

export interface ContainerStatus {
  container_id?: ContainerID;
  network_infos?: { ip_addresses?: { ip_address?: string; protocol?: string }[] }[];
  executor_pid?: number;
}

export interface TaskStatus {
  task_id: TaskID;
  state: TaskState;
  message?: string;
  source?: TaskStatusSource;
  reason?: TaskStatusReason;
  data?: string;
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  /** Seconds since the epoch. */
  timestamp?: number;
  /** base64 of 16 bytes; present means the scheduler must acknowledge the update. */
  uuid?: string;
  healthy?: boolean;
  check_status?: Record<string, unknown>;
  labels?: Labels;
  container_status?: ContainerStatus;
  unreachable_time?: TimeInfo;
  limitation?: Record<string, unknown>;
}
