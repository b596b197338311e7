/**
 * Decoders for tasks and their parts (task-types.ts): TaskInfo, CommandInfo, ContainerInfo,
 * ExecutorInfo, HealthCheck, KillPolicy, TaskStatus. Parts Agora does not interpret are checked
 * to be objects and carried through as they are.
 */
import { TASK_STATE_NUMBERS, TASK_STATES, TASK_STATUS_REASONS, TASK_STATUS_SOURCES } from '../task-state';
import {
  arrayOf,
  base64,
  boolean,
  compact,
  type Decoder,
  enumOf,
  integer,
  mapOf,
  number,
  numberOrInfinity,
  object,
  opaque,
  optional,
  required,
  string,
} from '../fields';
import { duration, id, labels, resources, strings } from './decode-common';
import type {
  CommandInfo,
  CommandURI,
  ContainerInfo,
  ContainerStatus,
  DockerInfo,
  EnvironmentVariable,
  ExecutorInfo,
  HealthCheck,
  KillPolicy,
  TaskGroupInfo,
  TaskInfo,
  TaskStatus,
  Volume,
} from './task-types';
import type { ContainerID } from './mesos-types';

const uri: Decoder<CommandURI> = (v, path) => {
  const o = object(v, path);
  return compact({
    value: required(o, 'value', path, string),
    executable: optional(o, 'executable', path, boolean),
    extract: optional(o, 'extract', path, boolean),
    cache: optional(o, 'cache', path, boolean),
    output_file: optional(o, 'output_file', path, string),
  });
};

const variable: Decoder<EnvironmentVariable> = (v, path) => {
  const o = object(v, path);
  return compact({
    name: required(o, 'name', path, string),
    type: optional(o, 'type', path, enumOf(['UNKNOWN', 'VALUE', 'SECRET'] as const)),
    value: optional(o, 'value', path, string),
    secret: optional(o, 'secret', path, opaque),
  });
};

export const commandInfo: Decoder<CommandInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    value: optional(o, 'value', path, string),
    shell: optional(o, 'shell', path, boolean),
    arguments: optional(o, 'arguments', path, strings),
    uris: optional(o, 'uris', path, arrayOf(uri)),
    environment: optional(o, 'environment', path, (e, p) =>
      compact({ variables: optional(object(e, p), 'variables', p, arrayOf(variable)) }),
    ),
    user: optional(o, 'user', path, string),
  });
};

const dockerInfo: Decoder<DockerInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    image: required(o, 'image', path, string),
    network: optional(o, 'network', path, enumOf(['HOST', 'BRIDGE', 'NONE', 'USER'] as const)),
    port_mappings: optional(o, 'port_mappings', path, arrayOf((m, p) => {
      const pm = object(m, p);
      return compact({
        host_port: required(pm, 'host_port', p, integer),
        container_port: required(pm, 'container_port', p, integer),
        protocol: optional(pm, 'protocol', p, string),
      });
    })),
    privileged: optional(o, 'privileged', path, boolean),
    parameters: optional(o, 'parameters', path, arrayOf((x, p) => {
      const kv = object(x, p);
      return { key: required(kv, 'key', p, string), value: required(kv, 'value', p, string) };
    })),
    force_pull_image: optional(o, 'force_pull_image', path, boolean),
    volume_driver: optional(o, 'volume_driver', path, string),
  });
};

const volume: Decoder<Volume> = (v, path) => {
  const o = object(v, path);
  return compact({
    container_path: required(o, 'container_path', path, string),
    host_path: optional(o, 'host_path', path, string),
    mode: optional(o, 'mode', path, enumOf(['RW', 'RO'] as const)),
    image: optional(o, 'image', path, opaque),
    source: optional(o, 'source', path, opaque),
  });
};

export const containerInfo: Decoder<ContainerInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    type: required(o, 'type', path, enumOf(['DOCKER', 'MESOS'] as const)),
    docker: optional(o, 'docker', path, dockerInfo),
    mesos: optional(o, 'mesos', path, opaque),
    volumes: optional(o, 'volumes', path, arrayOf(volume)),
    hostname: optional(o, 'hostname', path, string),
    network_infos: optional(o, 'network_infos', path, arrayOf(opaque)),
    linux_info: optional(o, 'linux_info', path, opaque),
    rlimit_info: optional(o, 'rlimit_info', path, opaque),
    tty_info: optional(o, 'tty_info', path, opaque),
  });
};

export const healthCheck: Decoder<HealthCheck> = (v, path) => {
  const o = object(v, path);
  return compact({
    type: optional(o, 'type', path, enumOf(['UNKNOWN', 'COMMAND', 'HTTP', 'TCP'] as const)),
    delay_seconds: optional(o, 'delay_seconds', path, number),
    interval_seconds: optional(o, 'interval_seconds', path, number),
    timeout_seconds: optional(o, 'timeout_seconds', path, number),
    consecutive_failures: optional(o, 'consecutive_failures', path, integer),
    grace_period_seconds: optional(o, 'grace_period_seconds', path, number),
    command: optional(o, 'command', path, commandInfo),
    http: optional(o, 'http', path, (h, p) => {
      const http = object(h, p);
      return compact({
        port: required(http, 'port', p, integer),
        path: optional(http, 'path', p, string),
        scheme: optional(http, 'scheme', p, string),
        statuses: optional(http, 'statuses', p, arrayOf(integer)),
        protocol: optional(http, 'protocol', p, string),
      });
    }),
    tcp: optional(o, 'tcp', path, (t, p) => {
      const tcp = object(t, p);
      return compact({ port: required(tcp, 'port', p, integer), protocol: optional(tcp, 'protocol', p, string) });
    }),
  });
};

export const killPolicy: Decoder<KillPolicy> = (v, path) =>
  compact({ grace_period: optional(object(v, path), 'grace_period', path, duration) });

export const executorInfo: Decoder<ExecutorInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    type: optional(o, 'type', path, enumOf(['UNKNOWN', 'DEFAULT', 'CUSTOM'] as const)),
    executor_id: required(o, 'executor_id', path, id),
    framework_id: optional(o, 'framework_id', path, id),
    command: optional(o, 'command', path, commandInfo),
    container: optional(o, 'container', path, containerInfo),
    resources: optional(o, 'resources', path, resources),
    name: optional(o, 'name', path, string),
    data: optional(o, 'data', path, base64),
    discovery: optional(o, 'discovery', path, opaque),
    shutdown_grace_period: optional(o, 'shutdown_grace_period', path, duration),
    labels: optional(o, 'labels', path, labels),
  });
};

export const taskInfo: Decoder<TaskInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    name: required(o, 'name', path, string),
    task_id: required(o, 'task_id', path, id),
    agent_id: required(o, 'agent_id', path, id),
    resources: optional(o, 'resources', path, resources),
    executor: optional(o, 'executor', path, executorInfo),
    command: optional(o, 'command', path, commandInfo),
    container: optional(o, 'container', path, containerInfo),
    health_check: optional(o, 'health_check', path, healthCheck),
    check: optional(o, 'check', path, opaque),
    kill_policy: optional(o, 'kill_policy', path, killPolicy),
    data: optional(o, 'data', path, base64),
    labels: optional(o, 'labels', path, labels),
    discovery: optional(o, 'discovery', path, opaque),
    max_completion_time: optional(o, 'max_completion_time', path, duration),
    limits: optional(o, 'limits', path, mapOf((l, p) => ({ value: required(object(l, p), 'value', p, numberOrInfinity) }))),
  });
};

export const taskGroupInfo: Decoder<TaskGroupInfo> = (v, path) =>
  compact({ tasks: optional(object(v, path), 'tasks', path, arrayOf(taskInfo)) });

const containerId: Decoder<ContainerID> = (v, path) => {
  const o = object(v, path);
  return compact({ value: required(o, 'value', path, string), parent: optional(o, 'parent', path, containerId) });
};

const containerStatus: Decoder<ContainerStatus> = (v, path) => {
  const o = object(v, path);
  return compact({
    container_id: optional(o, 'container_id', path, containerId),
    network_infos: optional(o, 'network_infos', path, arrayOf((n, p) =>
      compact({
        ip_addresses: optional(object(n, p), 'ip_addresses', p, arrayOf((a, ap) => {
          const ip = object(a, ap);
          return compact({ ip_address: optional(ip, 'ip_address', ap, string), protocol: optional(ip, 'protocol', ap, string) });
        })),
      }),
    )),
    executor_pid: optional(o, 'executor_pid', path, integer),
  });
};

export const taskState = enumOf(TASK_STATES, TASK_STATE_NUMBERS);

export const taskStatus: Decoder<TaskStatus> = (v, path) => {
  const o = object(v, path);
  return compact({
    task_id: required(o, 'task_id', path, id),
    state: required(o, 'state', path, taskState),
    message: optional(o, 'message', path, string),
    source: optional(o, 'source', path, enumOf(TASK_STATUS_SOURCES)),
    reason: optional(o, 'reason', path, enumOf(TASK_STATUS_REASONS)),
    data: optional(o, 'data', path, base64),
    agent_id: optional(o, 'agent_id', path, id),
    executor_id: optional(o, 'executor_id', path, id),
    timestamp: optional(o, 'timestamp', path, number),
    uuid: optional(o, 'uuid', path, base64),
    healthy: optional(o, 'healthy', path, boolean),
    check_status: optional(o, 'check_status', path, opaque),
    labels: optional(o, 'labels', path, labels),
    container_status: optional(o, 'container_status', path, containerStatus),
    unreachable_time: optional(o, 'unreachable_time', path, duration),
    limitation: optional(o, 'limitation', path, opaque),
  });
};
