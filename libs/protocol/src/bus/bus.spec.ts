import { ProtocolError } from '../errors';
import { decodeBusBytes, decodeBusReply, encodeBusMessage, MAX_BUS_MESSAGE_BYTES } from './codec';
import { decodeBusMessage, decodeBusPayload } from './decode';
import type { BusKind, BusMessages } from './messages';
import { agentSubject, agentWildcard, broadcastSubject, masterSubject, parseSubject } from './subjects';

const AGENT = { value: 'm-S1' };
const FW = { value: 'm-0001' };
const UUID = 'AAECAwQFBgcICQoLDA0ODw==';
const CPUS = { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } } as const;
const TASK = { name: 't', task_id: { value: 't1' }, agent_id: AGENT, resources: [CPUS], command: { value: 'echo hi' } };
const STATUS = { task_id: { value: 't1' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: UUID } as const;
const INFO = { hostname: 'h1', port: 5051, resources: [CPUS], attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }] } as const;

describe('bus subjects', () => {
  it.each([
    ['master', masterSubject('register'), 'agora.v1.master.register'],
    ['agent', agentSubject('m-S1', 'run-task'), 'agora.v1.agent.m-S1.run-task'],
    ['agent wildcard', agentWildcard('m-S1'), 'agora.v1.agent.m-S1.>'],
    ['broadcast', broadcastSubject('master-elected'), 'agora.v1.agents.master-elected'],
  ])('%s', (_edge, subject, expected) => {
    expect(subject).toBe(expected);
  });

  it.each([
    ['agora.v1.master.status-update', { family: 'master', kind: 'status-update' }],
    ['agora.v1.agent.m-S1.kill-task', { family: 'agent', kind: 'kill-task', agentId: 'm-S1' }],
    ['agora.v1.agents.master-elected', { family: 'agents', kind: 'master-elected' }],
  ])('parses %s', (subject, parsed) => {
    expect(parseSubject(subject)).toEqual(parsed);
  });

  it.each([
    ['other prefix', 'agora.v2.master.register', "subject: 'agora.v2.master.register' is not under agora.v1."],
    ['unknown kind', 'agora.v1.master.nope', "subject: unknown subject 'agora.v1.master.nope'"],
    ['agent kind on master', 'agora.v1.master.run-task', "subject: unknown subject 'agora.v1.master.run-task'"],
    ['missing agent id', 'agora.v1.agent.run-task', "subject: unknown subject 'agora.v1.agent.run-task'"],
  ])('rejects %s', (_edge, subject, message) => {
    expect(() => parseSubject(subject)).toThrow(message);
  });

  it.each(['a.b', 'a b', 'a*', '>'])('refuses agent id %p as a subject token', (id) => {
    expect(() => agentSubject(id, 'ping')).toThrow(ProtocolError);
  });
});

/** One valid message per kind: it must decode to itself (after canonicalization) and encode under the limit. */
const VALID: { [K in BusKind]: BusMessages[K] } = {
  register: { agent_info: { ...INFO, resources: [{ ...CPUS }], attributes: [...INFO.attributes] }, version: '0.1.0', capabilities: ['MULTI_ROLE'], session: 'b7f1c2d0-4e5a-4c1b-9f3e-2a6d8e0c5b71' },
  reregister: {
    agent_info: { hostname: 'h1', id: AGENT, resources: [{ ...CPUS }] },
    version: '0.1.0',
    frameworks: [{ user: 'u', name: 'n', id: FW }],
    executors: [{ executor_id: { value: 'e' }, framework_id: FW }],
    tasks: [{ framework_id: FW, task: { ...TASK, resources: [{ ...CPUS }] }, state: 'TASK_RUNNING', status_update_state: 'TASK_STARTING', status_update_uuid: UUID }],
    session: 'b7f1c2d0-4e5a-4c1b-9f3e-2a6d8e0c5b71',
  },
  'agent-exiting': { agent_id: AGENT, session: 'b7f1c2d0-4e5a-4c1b-9f3e-2a6d8e0c5b71' },
  'status-update': { agent_id: AGENT, framework_id: FW, status: { ...STATUS }, latest_state: 'TASK_FINISHED' },
  'task-ended': { agent_id: AGENT, framework_id: FW, task_id: { value: 't1' }, latest_state: 'TASK_FINISHED' },
  'executor-message': { agent_id: AGENT, framework_id: FW, executor_id: { value: 'e' }, data: 'aGk=' },
  'executor-exited': { agent_id: AGENT, framework_id: FW, executor_id: { value: 'e' }, status: 0 },
  registered: { epoch: 3, result: 'REGISTERED', master_id: 'm', agent_id: AGENT, ping_interval_seconds: 15, max_missed_pings: 5 },
  pong: { agent_id: AGENT },
  ping: { epoch: 3, registered: true },
  'run-task': { epoch: 3, framework: { user: 'u', name: 'n', id: FW, checkpoint: true }, task: { ...TASK, resources: [{ ...CPUS }] } },
  'run-task-group': {
    epoch: 3,
    framework: { user: 'u', name: 'n', id: FW },
    executor: { executor_id: { value: 'default' }, framework_id: FW, type: 'DEFAULT', resources: [{ ...CPUS }] },
    task_group: { tasks: [{ ...TASK, resources: [{ ...CPUS }] }] },
  },
  'kill-task': { epoch: 3, framework_id: FW, task_id: { value: 't1' }, kill_policy: { grace_period: { nanoseconds: 3e9 } } },
  'status-ack': { epoch: 3, framework_id: FW, task_id: { value: 't1' }, uuid: UUID },
  'shutdown-framework': { epoch: 3, framework_id: FW },
  'shutdown-executor': { epoch: 3, framework_id: FW, executor_id: { value: 'e' } },
  'framework-message': { epoch: 3, framework_id: FW, executor_id: { value: 'e' }, data: 'aGk=' },
  shutdown: { epoch: 3, message: 'marked gone' },
  drain: { epoch: 3, config: { max_grace_period: { nanoseconds: 5e9 }, mark_gone: true } },
  'master-elected': { epoch: 4, master_id: 'm2' },
};

describe('bus messages round-trip', () => {
  it.each(Object.entries(VALID) as [BusKind, unknown][])('%s', (kind, message) => {
    const bytes = encodeBusMessage(kind, message as never);
    expect(decodeBusReply(kind, bytes)).toEqual(message);
  });

  it('decodes by subject, with the agent id of the subject', () => {
    const bytes = encodeBusMessage('run-task', VALID['run-task']);
    const decoded = decodeBusBytes('agora.v1.agent.m-S1.run-task', bytes);
    expect(decoded.kind).toBe('run-task');
    expect(decoded.subject).toEqual({ family: 'agent', kind: 'run-task', agentId: 'm-S1' });
    if (decoded.kind === 'run-task') expect(decoded.message.task.task_id.value).toBe('t1');
  });

  it('a refused registration defaults shutdown to false', () => {
    expect(decodeBusPayload('registered', { epoch: 1, result: 'REFUSED', message: 'no' })).toEqual({ epoch: 1, result: 'REFUSED', message: 'no', shutdown: false });
  });
});

describe('bus messages rejected', () => {
  it.each<[string, string, unknown, string]>([
    ['not an object', 'agora.v1.master.register', 'x', 'register: expected an object'],
    ['register without hostname', 'agora.v1.master.register', { agent_info: {}, version: '1' }, 'register.agent_info.hostname: is required'],
    ['register with a bad resource', 'agora.v1.master.register', { agent_info: { hostname: 'h', resources: [{ name: 'cpus', type: 'SCALAR' }] }, version: '1' }, 'register.agent_info.resources[0].scalar: missing for a SCALAR resource'],
    ['reregister without agent id', 'agora.v1.master.reregister', { agent_info: { hostname: 'h' }, version: '1' }, 'reregister.agent_info.id: is required'],
    ['reregister executor without framework', 'agora.v1.master.reregister', { agent_info: { hostname: 'h', id: AGENT }, version: '1', executors: [{ executor_id: { value: 'e' } }] }, 'reregister.executors[0].framework_id: is required'],
    ['reregister task with bad state', 'agora.v1.master.reregister', { agent_info: { hostname: 'h', id: AGENT }, version: '1', tasks: [{ framework_id: FW, task: TASK, state: 'RUNNING' }] }, 'reregister.tasks[0].state: expected one of TASK_STARTING, TASK_RUNNING, TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_STAGING, TASK_ERROR, TASK_KILLING, TASK_DROPPED, TASK_UNREACHABLE, TASK_GONE, TASK_GONE_BY_OPERATOR, TASK_UNKNOWN, got "RUNNING"'],
    ['status update without uuid', 'agora.v1.master.status-update', { agent_id: AGENT, framework_id: FW, status: { task_id: { value: 't' }, state: 'TASK_RUNNING' } }, 'status-update.status.uuid: is required'],
    ['task ended in a state that is not terminal', 'agora.v1.master.task-ended', { agent_id: AGENT, framework_id: FW, task_id: { value: 't' }, latest_state: 'TASK_RUNNING' }, 'task-ended.latest_state: expected a terminal state, got TASK_RUNNING'],
    ['status update with unknown reason', 'agora.v1.master.status-update', { agent_id: AGENT, framework_id: FW, status: { ...STATUS, reason: 'BECAUSE' } }, 'status-update.status.reason: expected one of'],
    ['empty framework id', 'agora.v1.master.executor-exited', { agent_id: AGENT, framework_id: { value: '' }, executor_id: { value: 'e' } }, 'executor-exited.framework_id.value: must not be empty'],
    ['from-master without epoch', 'agora.v1.agent.m-S1.ping', { registered: true }, 'ping.epoch: is required'],
    ['negative epoch', 'agora.v1.agent.m-S1.shutdown-framework', { epoch: -1, framework_id: FW }, 'shutdown-framework.epoch: must not be negative'],
    ['fractional epoch', 'agora.v1.agent.m-S1.shutdown-framework', { epoch: 1.5, framework_id: FW }, 'shutdown-framework.epoch: expected an integer'],
    ['run task without framework id', 'agora.v1.agent.m-S1.run-task', { epoch: 1, framework: { user: 'u', name: 'n' }, task: TASK }, 'run-task.framework.id: is required'],
    ['run task without task id', 'agora.v1.agent.m-S1.run-task', { epoch: 1, framework: { user: 'u', name: 'n', id: FW }, task: { name: 't', agent_id: AGENT } }, 'run-task.task.task_id: is required'],
    ['kill task grace mistyped', 'agora.v1.agent.m-S1.kill-task', { epoch: 1, framework_id: FW, task_id: { value: 't' }, kill_policy: { grace_period: { nanoseconds: 'soon' } } }, 'kill-task.kill_policy.grace_period.nanoseconds: expected a number'],
    ['ack uuid not base64', 'agora.v1.agent.m-S1.status-ack', { epoch: 1, framework_id: FW, task_id: { value: 't' }, uuid: '***' }, 'status-ack.uuid: expected base64'],
    ['master elected without id', 'agora.v1.agents.master-elected', { epoch: 1 }, 'master-elected.master_id: is required'],
    ['drain without config', 'agora.v1.agent.m-S1.drain', { epoch: 1 }, 'drain.config: is required'],
    ['drain with a negative grace period', 'agora.v1.agent.m-S1.drain', { epoch: 1, config: { max_grace_period: { nanoseconds: -1 } } }, 'drain.config.max_grace_period.nanoseconds: must not be negative'],
    ['agent exiting without agent id', 'agora.v1.master.agent-exiting', {}, 'agent-exiting.agent_id: is required'],
  ])('%s', (_edge, subject, json, message) => {
    expect(() => decodeBusMessage(subject, json)).toThrow(ProtocolError);
    expect(() => decodeBusMessage(subject, json)).toThrow(message);
  });

  it.each<[string, unknown, string]>([
    ['registered with bad result', { epoch: 1, result: 'MAYBE' }, 'registered.result: expected one of REGISTERED, REFUSED, got "MAYBE"'],
    ['registered with zero ping interval', { ...VALID.registered, ping_interval_seconds: 0 }, 'registered.ping_interval_seconds: must be positive'],
  ])('reply %s', (_edge, json, message) => {
    expect(() => decodeBusPayload('registered', json)).toThrow(message);
  });

  it('malformed payload bytes', () => {
    expect(() => decodeBusBytes('agora.v1.agent.m-S1.ping', new TextEncoder().encode('{'))).toThrow(/^agora\.v1\.agent\.m-S1\.ping: malformed payload: /);
  });
});

describe('bus message size', () => {
  it('refuses to encode a message of 64 KiB or more, naming the kind and size', () => {
    const big = { ...VALID.shutdown, message: 'x'.repeat(MAX_BUS_MESSAGE_BYTES) };
    expect(() => encodeBusMessage('shutdown', big)).toThrow(/^shutdown: encoded message is \d+ bytes, the limit is under 65536$/);
  });

  it('accepts a message just under the limit', () => {
    const overhead = encodeBusMessage('shutdown', { epoch: 3, message: '' }).length;
    const fits = { epoch: 3, message: 'x'.repeat(MAX_BUS_MESSAGE_BYTES - overhead - 1) };
    expect(encodeBusMessage('shutdown', fits)).toHaveLength(MAX_BUS_MESSAGE_BYTES - 1);
  });
});
