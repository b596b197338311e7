/**
 * Validation of bus messages as they arrive. The bus is internal, but master and agent are
 * separate processes that may run different versions during an upgrade, so every message is
 * checked like input from outside: ProtocolError names the kind and the field path
 * (`run-task.task.task_id: is required`). Unknown fields are ignored, `null` is absent.
 */
import { ProtocolError } from '../errors';
import { isTerminalState } from '../task-state';
import {
  arrayOf,
  base64,
  boolean,
  compact,
  type Decoder,
  enumOf,
  fail,
  integer,
  type JsonObject,
  nonEmptyString,
  number,
  object,
  optional,
  required,
  string,
} from '../fields';
import { agentInfo, duration, frameworkInfo } from '../scheduler/decode-common';
import { executorInfo, killPolicy, taskGroupInfo, taskInfo, taskState, taskStatus } from '../scheduler/decode-task';
import type { AgentID, DrainConfig, FrameworkID } from '../scheduler/mesos-types';
import type { AgentTask, BusKind, BusMessages, FromMaster } from './messages';
import { parseSubject, type ParsedSubject } from './subjects';

const epoch: Decoder<number> = (v, path) => {
  const n = integer(v, path);
  return n < 0 ? fail(path, 'must not be negative') : n;
};

const fromMaster = (o: JsonObject, path: string): FromMaster => ({ epoch: required(o, 'epoch', path, epoch) });

const strings = arrayOf(string);

/** An id whose value is not empty: the bus keys state on these. */
const key: Decoder<{ value: string }> = (v, path) => {
  const o = object(v, path);
  return { value: required(o, 'value', path, nonEmptyString) };
};

const withFrameworkId: Decoder<ReturnType<typeof frameworkInfo> & { id: FrameworkID }> = (v, path) => {
  const info = frameworkInfo(v, path);
  if (info.id === undefined || info.id.value === '') fail(`${path}.id`, 'is required');
  return info as ReturnType<typeof frameworkInfo> & { id: FrameworkID };
};

const agentTask: Decoder<AgentTask> = (v, path) => {
  const o = object(v, path);
  return compact({
    framework_id: required(o, 'framework_id', path, key),
    task: required(o, 'task', path, taskInfo),
    state: required(o, 'state', path, taskState),
    status_update_state: optional(o, 'status_update_state', path, taskState),
    status_update_uuid: optional(o, 'status_update_uuid', path, base64),
  });
};

type Decoders = { [K in BusKind]: (o: JsonObject, path: string) => BusMessages[K] };

const DECODERS: Decoders = {
  register: (o, p) =>
    compact({
      agent_info: required(o, 'agent_info', p, agentInfo),
      version: required(o, 'version', p, string),
      capabilities: optional(o, 'capabilities', p, strings),
      ip: optional(o, 'ip', p, nonEmptyString),
      session: optional(o, 'session', p, nonEmptyString),
    }),
  reregister: (o, p) => {
    const info = required(o, 'agent_info', p, agentInfo);
    if (info.id === undefined || info.id.value === '') fail(`${p}.agent_info.id`, 'is required');
    return compact({
      agent_info: info as typeof info & { id: AgentID },
      version: required(o, 'version', p, string),
      capabilities: optional(o, 'capabilities', p, strings),
      ip: optional(o, 'ip', p, nonEmptyString),
      frameworks: optional(o, 'frameworks', p, arrayOf(withFrameworkId)),
      executors: optional(o, 'executors', p, arrayOf((e, ep) => {
        const exec = executorInfo(e, ep);
        if (exec.framework_id === undefined) fail(`${ep}.framework_id`, 'is required');
        return exec;
      })),
      tasks: optional(o, 'tasks', p, arrayOf(agentTask)),
      session: optional(o, 'session', p, nonEmptyString),
    });
  },
  'agent-exiting': (o, p) => compact({ agent_id: required(o, 'agent_id', p, key), session: optional(o, 'session', p, nonEmptyString) }),
  'status-update': (o, p) => {
    const status = required(o, 'status', p, taskStatus);
    if (status.uuid === undefined) fail(`${p}.status.uuid`, 'is required');
    return compact({
      agent_id: required(o, 'agent_id', p, key),
      framework_id: required(o, 'framework_id', p, key),
      status,
      latest_state: optional(o, 'latest_state', p, taskState),
    });
  },
  'task-ended': (o, p) => {
    const latest = required(o, 'latest_state', p, taskState);
    if (!isTerminalState(latest)) fail(`${p}.latest_state`, `expected a terminal state, got ${latest}`);
    return {
      agent_id: required(o, 'agent_id', p, key),
      framework_id: required(o, 'framework_id', p, key),
      task_id: required(o, 'task_id', p, key),
      latest_state: latest,
    };
  },
  'executor-message': (o, p) => ({
    agent_id: required(o, 'agent_id', p, key),
    framework_id: required(o, 'framework_id', p, key),
    executor_id: required(o, 'executor_id', p, key),
    data: required(o, 'data', p, base64),
  }),
  'executor-exited': (o, p) =>
    compact({
      agent_id: required(o, 'agent_id', p, key),
      framework_id: required(o, 'framework_id', p, key),
      executor_id: required(o, 'executor_id', p, key),
      status: optional(o, 'status', p, integer),
    }),
  registered: (o, p) => {
    const result = required(o, 'result', p, enumOf(['REGISTERED', 'REFUSED'] as const));
    if (result === 'REFUSED') {
      return {
        ...fromMaster(o, p),
        result,
        message: required(o, 'message', p, string),
        shutdown: optional(o, 'shutdown', p, boolean) ?? false,
      };
    }
    return {
      ...fromMaster(o, p),
      result,
      master_id: required(o, 'master_id', p, nonEmptyString),
      agent_id: required(o, 'agent_id', p, key),
      ping_interval_seconds: required(o, 'ping_interval_seconds', p, positive),
      max_missed_pings: required(o, 'max_missed_pings', p, positiveInteger),
    };
  },
  pong: (o, p) => ({ agent_id: required(o, 'agent_id', p, key) }),
  ping: (o, p) => ({ ...fromMaster(o, p), registered: required(o, 'registered', p, boolean) }),
  'run-task': (o, p) => ({
    ...fromMaster(o, p),
    framework: required(o, 'framework', p, withFrameworkId),
    task: required(o, 'task', p, taskInfo),
  }),
  'run-task-group': (o, p) => {
    const executor = required(o, 'executor', p, executorInfo);
    if (executor.framework_id === undefined) fail(`${p}.executor.framework_id`, 'is required');
    const group = required(o, 'task_group', p, taskGroupInfo);
    if ((group.tasks ?? []).length === 0) fail(`${p}.task_group.tasks`, 'must not be empty');
    return { ...fromMaster(o, p), framework: required(o, 'framework', p, withFrameworkId), executor, task_group: group };
  },
  'kill-task': (o, p) =>
    compact({
      ...fromMaster(o, p),
      framework_id: required(o, 'framework_id', p, key),
      task_id: required(o, 'task_id', p, key),
      kill_policy: optional(o, 'kill_policy', p, killPolicy),
    }),
  'status-ack': (o, p) => ({
    ...fromMaster(o, p),
    framework_id: required(o, 'framework_id', p, key),
    task_id: required(o, 'task_id', p, key),
    uuid: required(o, 'uuid', p, base64),
  }),
  'shutdown-framework': (o, p) => ({ ...fromMaster(o, p), framework_id: required(o, 'framework_id', p, key) }),
  'shutdown-executor': (o, p) => ({
    ...fromMaster(o, p),
    framework_id: required(o, 'framework_id', p, key),
    executor_id: required(o, 'executor_id', p, key),
  }),
  'framework-message': (o, p) => ({
    ...fromMaster(o, p),
    framework_id: required(o, 'framework_id', p, key),
    executor_id: required(o, 'executor_id', p, key),
    data: required(o, 'data', p, base64),
  }),
  shutdown: (o, p) => ({ ...fromMaster(o, p), message: required(o, 'message', p, string) }),
  drain: (o, p) => ({ ...fromMaster(o, p), config: required(o, 'config', p, drainConfig) }),
  'master-elected': (o, p) => ({ ...fromMaster(o, p), master_id: required(o, 'master_id', p, nonEmptyString) }),
};

function drainConfig(v: unknown, path: string): DrainConfig {
  const o = object(v, path);
  const config = compact({
    max_grace_period: optional(o, 'max_grace_period', path, duration),
    mark_gone: optional(o, 'mark_gone', path, boolean),
  });
  if ((config.max_grace_period?.nanoseconds ?? 0) < 0) fail(`${path}.max_grace_period.nanoseconds`, 'must not be negative');
  return config;
}

function positive(v: unknown, path: string): number {
  const n = number(v, path);
  return n > 0 ? n : fail(path, 'must be positive');
}

function positiveInteger(v: unknown, path: string): number {
  const n = integer(v, path);
  return n > 0 ? n : fail(path, 'must be positive');
}

/** The message of `kind` in `json` (already parsed), validated. Use for replies, which have no subject. */
export function decodeBusPayload<K extends BusKind>(kind: K, json: unknown): BusMessages[K] {
  const decode = DECODERS[kind] as (o: JsonObject, path: string) => BusMessages[K];
  if (decode === undefined) throw new ProtocolError('kind', `unknown bus message kind '${String(kind)}'`);
  return decode(object(json, kind), kind);
}

/** A message received on `subject`, with what the subject says about it. */
export type DecodedBusMessage = {
  [K in ParsedSubject['kind']]: { readonly kind: K; readonly subject: ParsedSubject & { kind: K }; readonly message: BusMessages[K] };
}[ParsedSubject['kind']];

/** The message received on `subject`, validated against the subject's kind. */
export function decodeBusMessage(subject: string, json: unknown): DecodedBusMessage {
  const parsed = parseSubject(subject);
  const message = decodeBusPayload(parsed.kind, json);
  return { kind: parsed.kind, subject: parsed, message } as DecodedBusMessage;
}
