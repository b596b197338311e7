import { ProtocolError } from '../errors';
import type { TaskStatus } from '../scheduler/task-types';
import type { ExecutorCall } from './calls';
import { decodeExecutorCall, parseExecutorCall } from './decode-call';
import { encodeExecutorEvent, type ExecutorEvent } from './events';

const FW = { value: 'm-0001' };
const EX = { value: 'exec-1' };
const UUID = 'AAECAwQFBgcICQoLDA0ODw=='; // 16 bytes
const TASK = { name: 't', task_id: { value: 't1' }, agent_id: { value: 'm-S1' }, command: { value: 'echo hi' } };

/** A call of `type` from executor EX of framework FW, with `body` merged into the envelope. */
const call = (type: unknown, body: object = {}): Record<string, unknown> => ({ type, executor_id: EX, framework_id: FW, ...body });
const status = (fields: object = {}): Record<string, unknown> => ({ task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid: UUID, ...fields });
const decodedStatus = (fields: Partial<TaskStatus> = {}): TaskStatus & { uuid: string } => ({ task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid: UUID, source: 'SOURCE_EXECUTOR', ...fields });

describe('decodeExecutorCall: valid calls', () => {
  it.each<[string, unknown, ExecutorCall]>([
    ['SUBSCRIBE, first subscription', call('SUBSCRIBE', { subscribe: {} }), { type: 'SUBSCRIBE', executor_id: EX, framework_id: FW, subscribe: {} }],
    ['SUBSCRIBE without a body (mesos-framework)', call('SUBSCRIBE'), { type: 'SUBSCRIBE', executor_id: EX, framework_id: FW, subscribe: {} }],
    [
      'SUBSCRIBE after a reconnect',
      call('SUBSCRIBE', { subscribe: { unacknowledged_tasks: [TASK], unacknowledged_updates: [{ status: status() }] } }),
      { type: 'SUBSCRIBE', executor_id: EX, framework_id: FW, subscribe: { unacknowledged_tasks: [TASK], unacknowledged_updates: [{ status: decodedStatus() }] } },
    ],
    ['UPDATE', call('UPDATE', { update: { status: status({ source: 'SOURCE_EXECUTOR' }) } }), { type: 'UPDATE', executor_id: EX, framework_id: FW, update: { status: decodedStatus() } }],
    ['UPDATE naming its own executor', call('UPDATE', { update: { status: status({ executor_id: EX }) } }), { type: 'UPDATE', executor_id: EX, framework_id: FW, update: { status: decodedStatus({ executor_id: EX }) } }],
    ['MESSAGE', call('MESSAGE', { message: { data: 'aGk=' } }), { type: 'MESSAGE', executor_id: EX, framework_id: FW, message: { data: 'aGk=' } }],
    ['HEARTBEAT', call('HEARTBEAT'), { type: 'HEARTBEAT', executor_id: EX, framework_id: FW }],
    ['UNKNOWN (answered 501 by the agent)', call('UNKNOWN'), { type: 'UNKNOWN', executor_id: EX, framework_id: FW }],
  ])('%s', (_case, json, decoded) => {
    expect(decodeExecutorCall(json)).toEqual(decoded);
  });
});

describe('decodeExecutorCall: liberal in what it accepts', () => {
  it.each<[string, unknown, ExecutorCall]>([
    ['numeric type (UPDATE = 2)', call(2, { update: { status: status() } }), { type: 'UPDATE', executor_id: EX, framework_id: FW, update: { status: decodedStatus() } }],
    ['numeric type (HEARTBEAT = 4)', call(4), { type: 'HEARTBEAT', executor_id: EX, framework_id: FW }],
    ['numeric state and source (protobuf.js)', call('UPDATE', { update: { status: status({ state: 2, source: 2 }) } }), { type: 'UPDATE', executor_id: EX, framework_id: FW, update: { status: decodedStatus({ state: 'TASK_FINISHED' }) } }],
    ['null fields are absent', call('UPDATE', { update: { status: status({ message: null, reason: null, healthy: null }) } }), { type: 'UPDATE', executor_id: EX, framework_id: FW, update: { status: decodedStatus() } }],
    ['null subscribe body', call('SUBSCRIBE', { subscribe: null }), { type: 'SUBSCRIBE', executor_id: EX, framework_id: FW, subscribe: {} }],
    ['unknown fields ignored', { ...call('HEARTBEAT'), extra: 1 }, { type: 'HEARTBEAT', executor_id: EX, framework_id: FW }],
  ])('%s', (_case, json, decoded) => {
    expect(decodeExecutorCall(json)).toEqual(decoded);
  });
});

describe('decodeExecutorCall: rejected, naming the problem', () => {
  it.each<[string, unknown, string]>([
    ['not an object', [], 'call: expected an object'],
    ['no type', { executor_id: EX, framework_id: FW }, 'call.type: is required'],
    ['unknown type', call('LAUNCH'), 'call.type: unknown call type "LAUNCH"'],
    ['unknown type number', call(9), 'call.type: unknown call type 9'],
    ['no executor id', { type: 'HEARTBEAT', framework_id: FW }, 'call.executor_id: is required'],
    ['no framework id', { type: 'HEARTBEAT', executor_id: EX }, 'call.framework_id: is required'],
    ['empty executor id', call('HEARTBEAT', { executor_id: { value: '' } }), 'call.executor_id.value: must not be empty'],
    ['UPDATE without update', call('UPDATE'), 'call.update: is required'],
    ['UPDATE without status', call('UPDATE', { update: {} }), 'call.update.status: is required'],
    ['UPDATE without uuid', call('UPDATE', { update: { status: status({ uuid: undefined }) } }), 'call.update.status.uuid: is required'],
    ['UPDATE with a uuid of 3 bytes', call('UPDATE', { update: { status: status({ uuid: 'AAEC' }) } }), 'call.update.status.uuid: expected a UUID (base64 of 16 bytes)'],
    ['UPDATE with a uuid not in base64', call('UPDATE', { update: { status: status({ uuid: 'not base64!' }) } }), 'call.update.status.uuid: expected base64'],
    [
      'UPDATE for another executor',
      call('UPDATE', { update: { status: status({ executor_id: { value: 'other' } }) } }),
      'call.update.status.executor_id: ExecutorID in Call: exec-1 does not match ExecutorID in TaskStatus: other',
    ],
    [
      'UPDATE claiming to come from the agent',
      call('UPDATE', { update: { status: status({ source: 'SOURCE_AGENT' }) } }),
      "call.update.status.source: Received Call from executor exec-1 of framework m-0001 with invalid source, expecting 'SOURCE_EXECUTOR'",
    ],
    [
      'UPDATE to TASK_STAGING',
      call('UPDATE', { update: { status: status({ state: 'TASK_STAGING' }) } }),
      'call.update.status.state: Received TASK_STAGING from executor exec-1 of framework m-0001 which is not allowed',
    ],
    ['UPDATE with an unknown state', call('UPDATE', { update: { status: status({ state: 'TASK_NAPPING' }) } }), 'call.update.status.state: expected one of'],
    ['SUBSCRIBE with a bad unacknowledged update', call('SUBSCRIBE', { subscribe: { unacknowledged_updates: [{ status: status({ uuid: undefined }) }] } }), 'call.subscribe.unacknowledged_updates[0].status.uuid: is required'],
    ['SUBSCRIBE with a bad unacknowledged task', call('SUBSCRIBE', { subscribe: { unacknowledged_tasks: [{ name: 't' }] } }), 'call.subscribe.unacknowledged_tasks[0].task_id: is required'],
    ['MESSAGE without message', call('MESSAGE'), 'call.message: is required'],
    ['MESSAGE without data', call('MESSAGE', { message: {} }), 'call.message.data: is required'],
    ['MESSAGE with data not in base64', call('MESSAGE', { message: { data: '%%' } }), 'call.message.data: expected base64'],
  ])('%s', (_case, json, message) => {
    expect(() => decodeExecutorCall(json)).toThrow(ProtocolError);
    expect(() => decodeExecutorCall(json)).toThrow(message);
  });

  it('reports malformed JSON as a ProtocolError', () => {
    expect(() => parseExecutorCall('{"type":')).toThrow(/^call: malformed JSON/);
    expect(parseExecutorCall(JSON.stringify(call('HEARTBEAT')))).toEqual({ type: 'HEARTBEAT', executor_id: EX, framework_id: FW });
  });
});

describe('encodeExecutorEvent', () => {
  const text = (event: ExecutorEvent): string => new TextDecoder().decode(encodeExecutorEvent(event));

  it('writes one RecordIO record of ASCII JSON', () => {
    const body = '{"type":"ACKNOWLEDGED","acknowledged":{"task_id":{"value":"caf\\u00e9"},"uuid":"AAECAwQFBgcICQoLDA0ODw=="}}';
    expect(text({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 'café' }, uuid: UUID } })).toBe(`${body.length}\n${body}`);
    expect(text({ type: 'SHUTDOWN' })).toBe('19\n{"type":"SHUTDOWN"}');
  });
});
