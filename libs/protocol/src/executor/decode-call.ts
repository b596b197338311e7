/**
 * `decodeExecutorCall`: the edge where an executor's JSON becomes a typed ExecutorCall. It
 * checks what Mesos's `validateExecutorCall` checks (`src/common/validation.cpp`) — a known
 * `type`, `executor_id` and `framework_id` on every call, the sub-message the type needs, and
 * for UPDATE a 16-byte `uuid`, the call's own executor id, source SOURCE_EXECUTOR and a state
 * other than TASK_STAGING — and leaves the rest (is the executor known, is the task its own)
 * to the agent.
 *
 * Liberal where real executors need it: `null` is absent, unknown fields are ignored, `type`,
 * `state` and `source` may be protobuf numbers (protobuf.js clients send enums that way), a
 * SUBSCRIBE without its (all-optional) `subscribe` body is a first subscription (the npm
 * `mesos-framework` executor sends none), and an update without `source` is taken as
 * SOURCE_EXECUTOR. Every rejection is a ProtocolError whose message starts with the field path.
 */
import { base64ToBytes } from '../json';
import {
  arrayOf,
  base64,
  compact,
  type Decoder,
  fail,
  isPresent,
  type JsonObject,
  nonEmptyString,
  object,
  optional,
  required,
  protoEnum,
} from '../fields';
import { taskInfo, taskStatus } from '../scheduler/decode-task';
import type { ExecutorID, FrameworkID } from '../scheduler/mesos-types';
import { TASK_STATUS_SOURCES } from '../task-state';
import { EXECUTOR_CALL_TYPE_NUMBERS, type ExecutorCall, type ExecutorCallType, type ExecutorUpdate } from './calls';

const ROOT = 'call';

/** An id the agent keys on: its value must not be empty. */
const key: Decoder<{ value: string }> = (v, path) => ({ value: required(object(v, path), 'value', path, nonEmptyString) });

const callType: Decoder<ExecutorCallType> = protoEnum(EXECUTOR_CALL_TYPE_NUMBERS, 'call type');

/** TaskStatus.Source by protobuf number (SOURCE_MASTER = 0, SOURCE_AGENT = 1, SOURCE_EXECUTOR = 2). */
function withSourceName(o: JsonObject): JsonObject {
  const source = o.source;
  return typeof source === 'number' && TASK_STATUS_SOURCES[source] !== undefined ? { ...o, source: TASK_STATUS_SOURCES[source] } : o;
}

/** One `Call.Update` of executor `executorId` (also the elements of `unacknowledged_updates`). */
function update(executorId: ExecutorID, frameworkId: FrameworkID): Decoder<ExecutorUpdate> {
  return (v, path) => {
    const o = object(v, path);
    const statusPath = `${path}.status`;
    const status = required(o, 'status', path, (s, p) => taskStatus(withSourceName(object(s, p)), p));
    if (status.uuid === undefined) fail(`${statusPath}.uuid`, 'is required');
    if (base64ToBytes(status.uuid, `${statusPath}.uuid`).length !== 16) fail(`${statusPath}.uuid`, 'expected a UUID (base64 of 16 bytes)');
    if (status.executor_id !== undefined && status.executor_id.value !== executorId.value) {
      fail(`${statusPath}.executor_id`, `ExecutorID in Call: ${executorId.value} does not match ExecutorID in TaskStatus: ${status.executor_id.value}`);
    }
    if (status.source !== undefined && status.source !== 'SOURCE_EXECUTOR') {
      fail(
        `${statusPath}.source`,
        `Received Call from executor ${executorId.value} of framework ${frameworkId.value} with invalid source, expecting 'SOURCE_EXECUTOR'`,
      );
    }
    if (status.state === 'TASK_STAGING') {
      fail(`${statusPath}.state`, `Received TASK_STAGING from executor ${executorId.value} of framework ${frameworkId.value} which is not allowed`);
    }
    return { status: { ...status, source: 'SOURCE_EXECUTOR', uuid: status.uuid } };
  };
}

/** The typed ExecutorCall in `json` (already parsed); throws ProtocolError naming the bad field. */
export function decodeExecutorCall(json: unknown): ExecutorCall {
  const o = object(json, ROOT);
  const type = required(o, 'type', ROOT, callType);
  const executorId = required(o, 'executor_id', ROOT, key);
  const frameworkId = required(o, 'framework_id', ROOT, key);
  const envelope = { type, executor_id: executorId, framework_id: frameworkId };
  switch (type) {
    case 'SUBSCRIBE': {
      const body = isPresent(o.subscribe) ? object(o.subscribe, `${ROOT}.subscribe`) : {};
      const path = `${ROOT}.subscribe`;
      return {
        ...envelope,
        type,
        subscribe: compact({
          unacknowledged_tasks: optional(body, 'unacknowledged_tasks', path, arrayOf(taskInfo)),
          unacknowledged_updates: optional(body, 'unacknowledged_updates', path, arrayOf(update(executorId, frameworkId))),
        }),
      };
    }
    case 'UPDATE':
      return { ...envelope, type, update: required(o, 'update', ROOT, update(executorId, frameworkId)) };
    case 'MESSAGE': {
      const message = required(o, 'message', ROOT, object);
      return { ...envelope, type, message: { data: required(message, 'data', `${ROOT}.message`, base64) } };
    }
    case 'HEARTBEAT':
    case 'UNKNOWN':
      return { ...envelope, type };
  }
}

/** JSON text to an ExecutorCall: malformed JSON is a ProtocolError too (`call: malformed JSON: ...`). */
export function parseExecutorCall(text: string): ExecutorCall {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(ROOT, `malformed JSON: ${(e as Error).message}`);
  }
  return decodeExecutorCall(json);
}
