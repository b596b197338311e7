import { ProtocolError } from '../errors';
import type { Call } from './calls';
import { decodeCall, parseCall } from './decode-call';

const FW = { value: 'm-0001' };
const AGENT = { value: 'm-S1' };
const UUID = 'AAECAwQFBgcICQoLDA0ODw=='; // 16 bytes
const INFO = { user: 'u', name: 'n' };
const CPUS = { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } } as const;
const TASK = { name: 't', task_id: { value: 't1' }, agent_id: AGENT, resources: [CPUS], command: { value: 'echo hi' } };

/** A call of `type` for framework FW with `body` merged into the envelope. */
const call = (type: unknown, body: object = {}): Record<string, unknown> => ({ type, framework_id: FW, ...body });

describe('decodeCall: every call type, valid', () => {
  it.each<[string, unknown, Call]>([
    ['SUBSCRIBE new framework', { type: 'SUBSCRIBE', subscribe: { framework_info: INFO } }, { type: 'SUBSCRIBE', subscribe: { framework_info: INFO } }],
    ['SUBSCRIBE re-subscribe, ids agree', { type: 'SUBSCRIBE', framework_id: FW, subscribe: { framework_info: { ...INFO, id: FW }, suppressed_roles: ['a'] } }, { type: 'SUBSCRIBE', framework_id: FW, subscribe: { framework_info: { ...INFO, id: FW }, suppressed_roles: ['a'] } }],
    ['TEARDOWN', call('TEARDOWN'), { type: 'TEARDOWN', framework_id: FW }],
    ['ACCEPT with LAUNCH', call('ACCEPT', { accept: { offer_ids: [{ value: 'm-O1' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [TASK] } }], filters: { refuse_seconds: 5 } } }), { type: 'ACCEPT', framework_id: FW, accept: { offer_ids: [{ value: 'm-O1' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ ...TASK, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] }] } }], filters: { refuse_seconds: 5 } } }],
    ['DECLINE', call('DECLINE', { decline: { offer_ids: [{ value: 'm-O1' }] } }), { type: 'DECLINE', framework_id: FW, decline: { offer_ids: [{ value: 'm-O1' }] } }],
    ['ACCEPT_INVERSE_OFFERS', call('ACCEPT_INVERSE_OFFERS', { accept_inverse_offers: { inverse_offer_ids: [{ value: 'i' }] } }), { type: 'ACCEPT_INVERSE_OFFERS', framework_id: FW, accept_inverse_offers: { inverse_offer_ids: [{ value: 'i' }] } }],
    ['DECLINE_INVERSE_OFFERS', call('DECLINE_INVERSE_OFFERS', { decline_inverse_offers: {} }), { type: 'DECLINE_INVERSE_OFFERS', framework_id: FW, decline_inverse_offers: {} }],
    ['REVIVE without body (all roles)', call('REVIVE'), { type: 'REVIVE', framework_id: FW }],
    ['REVIVE with roles', call('REVIVE', { revive: { roles: ['eng'] } }), { type: 'REVIVE', framework_id: FW, revive: { roles: ['eng'] } }],
    ['SUPPRESS', call('SUPPRESS', { suppress: { roles: [] } }), { type: 'SUPPRESS', framework_id: FW, suppress: { roles: [] } }],
    ['KILL with kill policy', call('KILL', { kill: { task_id: { value: 't1' }, kill_policy: { grace_period: { nanoseconds: '3000000000' } } } }), { type: 'KILL', framework_id: FW, kill: { task_id: { value: 't1' }, kill_policy: { grace_period: { nanoseconds: 3e9 } } } }],
    ['SHUTDOWN', call('SHUTDOWN', { shutdown: { executor_id: { value: 'e' }, agent_id: AGENT } }), { type: 'SHUTDOWN', framework_id: FW, shutdown: { executor_id: { value: 'e' }, agent_id: AGENT } }],
    ['ACKNOWLEDGE', call('ACKNOWLEDGE', { acknowledge: { agent_id: AGENT, task_id: { value: 't1' }, uuid: UUID } }), { type: 'ACKNOWLEDGE', framework_id: FW, acknowledge: { agent_id: AGENT, task_id: { value: 't1' }, uuid: UUID } }],
    ['ACKNOWLEDGE_OPERATION_STATUS', call('ACKNOWLEDGE_OPERATION_STATUS', { acknowledge_operation_status: { uuid: UUID, operation_id: { value: 'op' } } }), { type: 'ACKNOWLEDGE_OPERATION_STATUS', framework_id: FW, acknowledge_operation_status: { uuid: UUID, operation_id: { value: 'op' } } }],
    ['RECONCILE implicit', call('RECONCILE', { reconcile: { tasks: [] } }), { type: 'RECONCILE', framework_id: FW, reconcile: { tasks: [] } }],
    ['RECONCILE explicit', call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 't1' }, agent_id: null }] } }), { type: 'RECONCILE', framework_id: FW, reconcile: { tasks: [{ task_id: { value: 't1' } }] } }],
    ['RECONCILE_OPERATIONS', call('RECONCILE_OPERATIONS', { reconcile_operations: { operations: [{ operation_id: { value: 'op' } }] } }), { type: 'RECONCILE_OPERATIONS', framework_id: FW, reconcile_operations: { operations: [{ operation_id: { value: 'op' } }] } }],
    ['MESSAGE', call('MESSAGE', { message: { agent_id: AGENT, executor_id: { value: 'e' }, data: 'aGk=' } }), { type: 'MESSAGE', framework_id: FW, message: { agent_id: AGENT, executor_id: { value: 'e' }, data: 'aGk=' } }],
    ['REQUEST', call('REQUEST', { request: { requests: [{ resources: [CPUS] }] } }), { type: 'REQUEST', framework_id: FW, request: { requests: [{ resources: [CPUS] }] } }],
    ['UPDATE_FRAMEWORK', call('UPDATE_FRAMEWORK', { update_framework: { framework_info: { ...INFO, id: FW, roles: ['a', 'b'] } } }), { type: 'UPDATE_FRAMEWORK', framework_id: FW, update_framework: { framework_info: { ...INFO, id: FW, roles: ['a', 'b'] } } }],
  ])('%s', (_case, json, decoded) => {
    expect(decodeCall(json)).toEqual(decoded);
  });
});

describe('decodeCall: liberal in what it accepts', () => {
  it.each<[string, unknown, Call]>([
    ['numeric type (TEARDOWN = 2)', call(2), { type: 'TEARDOWN', framework_id: FW }],
    ['numeric type (UPDATE_FRAMEWORK = 17)', call(17, { update_framework: { framework_info: INFO } }), { type: 'UPDATE_FRAMEWORK', framework_id: FW, update_framework: { framework_info: INFO } }],
    ['null fields are absent', call('DECLINE', { decline: { offer_ids: null, filters: null } }), { type: 'DECLINE', framework_id: FW, decline: {} }],
    ['null optional sub-message is absent', call('REVIVE', { revive: null }), { type: 'REVIVE', framework_id: FW }],
    ['unknown fields ignored', { ...call('TEARDOWN'), extra: 1, teardown: { x: 1 } }, { type: 'TEARDOWN', framework_id: FW }],
    ['numbers as strings', call('DECLINE', { decline: { filters: { refuse_seconds: '7.5' } } }), { type: 'DECLINE', framework_id: FW, decline: { filters: { refuse_seconds: 7.5 } } }],
  ])('%s', (_case, json, decoded) => {
    expect(decodeCall(json)).toEqual(decoded);
  });

  it('decodes the SUBSCRIBE of reference §1.7 with capabilities, labels, offer filters and constraints', () => {
    const info = {
      ...INFO,
      roles: ['eng/batch'],
      failover_timeout: 604800,
      checkpoint: true,
      capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }],
      labels: { labels: [{ key: 'team', value: 'data' }] },
      offer_filters: { 'eng/batch': { min_allocatable_resources: { quantities: [{ quantities: { cpus: { value: 1 } } }] } } },
    };
    const constraints = {
      role_constraints: {
        'eng/batch': { groups: [{ attribute_constraints: [{ selector: { attribute_name: 'rack' }, predicate: { text_equals: { value: 'r1' } } }] }] },
      },
    };
    const decoded = decodeCall({ type: 'SUBSCRIBE', subscribe: { framework_info: info, offer_constraints: constraints } });
    expect(decoded).toEqual({ type: 'SUBSCRIBE', subscribe: { framework_info: info, offer_constraints: constraints } });
  });

  it('decodes every ACCEPT operation type, keeping operation ids, canonicalizing legacy reservations', () => {
    const reserved = { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'eng', reservation: { principal: 'p' } };
    const canonical = { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'eng', principal: 'p' }] };
    const volume = { name: 'disk', type: 'SCALAR', scalar: { value: 10 }, role: 'eng', reservation: {}, disk: { persistence: { id: 'v1' }, volume: { container_path: 'data', mode: 'RW' } } };
    const decoded = decodeCall(call('ACCEPT', {
      accept: {
        operations: [
          { type: 'RESERVE', id: { value: 'op1' }, reserve: { resources: [reserved] } },
          { type: 'UNRESERVE', unreserve: { resources: [reserved] } },
          { type: 'CREATE', create: { volumes: [volume] } },
          { type: 'DESTROY', destroy: { volumes: [volume] } },
          { type: 'LAUNCH_GROUP', launch_group: { executor: { type: 'DEFAULT', executor_id: { value: 'e' }, resources: [CPUS] }, task_group: { tasks: [TASK] } } },
        ],
      },
    }));
    if (decoded.type !== 'ACCEPT') throw new Error('not an ACCEPT');
    const ops = decoded.accept.operations ?? [];
    expect(ops.map((o) => o.type)).toEqual(['RESERVE', 'UNRESERVE', 'CREATE', 'DESTROY', 'LAUNCH_GROUP']);
    expect(ops[0]).toEqual({ type: 'RESERVE', id: { value: 'op1' }, reserve: { resources: [canonical] } });
    expect(ops[2]).toMatchObject({ create: { volumes: [{ disk: { persistence: { id: 'v1' }, volume: { container_path: 'data', mode: 'RW' } } }] } });
    expect(ops[4]).toMatchObject({ launch_group: { executor: { type: 'DEFAULT' }, task_group: { tasks: [{ name: 't' }] } } });
  });

  it('decodes a Docker task with health check and kill policy (reference §1.8)', () => {
    const task = {
      ...TASK,
      command: { shell: false },
      container: { type: 'DOCKER', docker: { image: 'nginx:1.25', network: 'BRIDGE', port_mappings: [{ host_port: 31000, container_port: 80, protocol: 'tcp' }] } },
      health_check: { type: 'HTTP', http: { port: 80, path: '/' } },
      kill_policy: { grace_period: { nanoseconds: 10000000000 } },
      limits: { cpus: { value: 'Infinity' }, mem: { value: 512 } },
    };
    const decoded = decodeCall(call('ACCEPT', { accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } }));
    expect(decoded).toMatchObject({ accept: { operations: [{ launch: { task_infos: [{ ...task, limits: { cpus: { value: Infinity }, mem: { value: 512 } } }] } }] } });
  });
});

const LAUNCH = (task: object) => call('ACCEPT', { accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } });
const TASK_PATH = 'call.accept.operations[0].launch.task_infos[0]';

describe('decodeCall: rejections name the field', () => {
  it.each<[string, unknown, string]>([
    ['not an object', [], 'call: expected an object'],
    ['null', null, 'call: expected an object'],
    ['missing type', { framework_id: FW }, 'call.type: is required'],
    ['unknown type', call('FOO'), 'call.type: unknown call type "FOO"'],
    ['unknown numeric type', call(99), 'call.type: unknown call type 99'],
    ['a name every object has', call('toString'), 'call.type: unknown call type "toString"'],
    ['type of the wrong kind', call(true), 'call.type: expected a string'],
    ['missing framework_id', { type: 'TEARDOWN' }, 'call.framework_id: is required for TEARDOWN'],
    ['framework_id not an object', { type: 'TEARDOWN', framework_id: 'm-0001' }, 'call.framework_id: expected an object'],
    ['framework_id without value', { type: 'TEARDOWN', framework_id: {} }, 'call.framework_id.value: is required'],
    ['SUBSCRIBE without subscribe', { type: 'SUBSCRIBE' }, 'call.subscribe: is required for SUBSCRIBE'],
    ['SUBSCRIBE without framework_info', { type: 'SUBSCRIBE', subscribe: {} }, 'call.subscribe.framework_info: is required'],
    ['SUBSCRIBE without user', { type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'n' } } }, 'call.subscribe.framework_info.user: is required'],
    ['SUBSCRIBE ids differ', { type: 'SUBSCRIBE', framework_id: FW, subscribe: { framework_info: { ...INFO, id: { value: 'other' } } } }, 'call.framework_id: differs from call.subscribe.framework_info.id'],
    ['roles not an array', { type: 'SUBSCRIBE', subscribe: { framework_info: { ...INFO, roles: 'eng' } } }, 'call.subscribe.framework_info.roles: expected an array'],
    ['unknown capability', { type: 'SUBSCRIBE', subscribe: { framework_info: { ...INFO, capabilities: [{ type: 'X' }] } } }, 'call.subscribe.framework_info.capabilities[0].type: expected one of REVOCABLE_RESOURCES, TASK_KILLING_STATE, GPU_RESOURCES, SHARED_RESOURCES, PARTITION_AWARE, MULTI_ROLE, RESERVATION_REFINEMENT, REGION_AWARE, got "X"'],
    ['failover_timeout not a number', { type: 'SUBSCRIBE', subscribe: { framework_info: { ...INFO, failover_timeout: 'soon' } } }, 'call.subscribe.framework_info.failover_timeout: expected a number'],
    ['constraint without predicate', { type: 'SUBSCRIBE', subscribe: { framework_info: INFO, offer_constraints: { role_constraints: { r: { groups: [{ attribute_constraints: [{ selector: { attribute_name: 'rack' } }] }] } } } } }, 'call.subscribe.offer_constraints.role_constraints.r.groups[0].attribute_constraints[0].predicate: is required'],
    ['ACCEPT without accept', call('ACCEPT'), 'call.accept: is required for ACCEPT'],
    ['offer id value mistyped', call('ACCEPT', { accept: { offer_ids: [{ value: 7 }] } }), 'call.accept.offer_ids[0].value: expected a string'],
    ['operation without type', call('ACCEPT', { accept: { operations: [{ launch: {} }] } }), 'call.accept.operations[0].type: is required'],
    ['unsupported operation', call('ACCEPT', { accept: { operations: [{ type: 'GROW_VOLUME' }] } }), 'call.accept.operations[0].type: expected one of LAUNCH, LAUNCH_GROUP, RESERVE, UNRESERVE, CREATE, DESTROY, got "GROW_VOLUME"'],
    ['LAUNCH without launch', call('ACCEPT', { accept: { operations: [{ type: 'LAUNCH' }] } }), 'call.accept.operations[0].launch: is required'],
    ['LAUNCH_GROUP without executor', call('ACCEPT', { accept: { operations: [{ type: 'LAUNCH_GROUP', launch_group: { task_group: {} } }] } }), 'call.accept.operations[0].launch_group.executor: is required'],
    ['task without task_id', LAUNCH({ name: 't', agent_id: AGENT }), `${TASK_PATH}.task_id: is required`],
    ['task name mistyped', LAUNCH({ ...TASK, name: 1 }), `${TASK_PATH}.name: expected a string`],
    ['task resource value not a number', LAUNCH({ ...TASK, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 'abc' } }] }), `${TASK_PATH}.resources[0].scalar.value: expected a number, got "abc"`],
    ['task resource negative', LAUNCH({ ...TASK, resources: [CPUS, { name: 'mem', type: 'SCALAR', scalar: { value: -1 } }] }), `${TASK_PATH}.resources[1].scalar.value:`],
    ['task resource bad role', LAUNCH({ ...TASK, resources: [{ ...CPUS, role: '..' }] }), `${TASK_PATH}.resources[0].role:`],
    ['task data not base64', LAUNCH({ ...TASK, data: '%%%' }), `${TASK_PATH}.data: expected base64`],
    ['shell not a boolean', LAUNCH({ ...TASK, command: { shell: 'yes' } }), `${TASK_PATH}.command.shell: expected a boolean`],
    ['container type unknown', LAUNCH({ ...TASK, container: { type: 'RKT' } }), `${TASK_PATH}.container.type: expected one of DOCKER, MESOS, got "RKT"`],
    ['docker without image', LAUNCH({ ...TASK, container: { type: 'DOCKER', docker: {} } }), `${TASK_PATH}.container.docker.image: is required`],
    ['grace period not an integer', LAUNCH({ ...TASK, kill_policy: { grace_period: { nanoseconds: 1.5 } } }), `${TASK_PATH}.kill_policy.grace_period.nanoseconds: expected an integer`],
    ['DECLINE filters not an object', call('DECLINE', { decline: { filters: 5 } }), 'call.decline.filters: expected an object'],
    ['REVIVE roles of numbers', call('REVIVE', { revive: { roles: [1] } }), 'call.revive.roles[0]: expected a string'],
    ['KILL without kill', call('KILL'), 'call.kill: is required for KILL'],
    ['KILL without task_id', call('KILL', { kill: { agent_id: AGENT } }), 'call.kill.task_id: is required'],
    ['SHUTDOWN without agent_id', call('SHUTDOWN', { shutdown: { executor_id: { value: 'e' } } }), 'call.shutdown.agent_id: is required'],
    ['ACKNOWLEDGE without uuid', call('ACKNOWLEDGE', { acknowledge: { agent_id: AGENT, task_id: { value: 't' } } }), 'call.acknowledge.uuid: is required'],
    ['ACKNOWLEDGE uuid not base64', call('ACKNOWLEDGE', { acknowledge: { agent_id: AGENT, task_id: { value: 't' }, uuid: 'not base64!' } }), 'call.acknowledge.uuid: expected base64'],
    ['ACKNOWLEDGE uuid of 3 bytes', call('ACKNOWLEDGE', { acknowledge: { agent_id: AGENT, task_id: { value: 't' }, uuid: 'Zm9v' } }), 'call.acknowledge.uuid: expected a UUID (base64 of 16 bytes)'],
    ['ACKNOWLEDGE_OPERATION_STATUS without operation_id', call('ACKNOWLEDGE_OPERATION_STATUS', { acknowledge_operation_status: { uuid: UUID } }), 'call.acknowledge_operation_status.operation_id: is required'],
    ['RECONCILE tasks not an array', call('RECONCILE', { reconcile: { tasks: {} } }), 'call.reconcile.tasks: expected an array'],
    ['RECONCILE task without task_id', call('RECONCILE', { reconcile: { tasks: [{ agent_id: AGENT }] } }), 'call.reconcile.tasks[0].task_id: is required'],
    ['RECONCILE_OPERATIONS without body', call('RECONCILE_OPERATIONS'), 'call.reconcile_operations: is required for RECONCILE_OPERATIONS'],
    ['MESSAGE without data', call('MESSAGE', { message: { agent_id: AGENT, executor_id: { value: 'e' } } }), 'call.message.data: is required'],
    ['REQUEST resources not an array', call('REQUEST', { request: { requests: [{ resources: {} }] } }), 'call.request.requests[0].resources: expected an array'],
    ['UPDATE_FRAMEWORK without body', call('UPDATE_FRAMEWORK'), 'call.update_framework: is required for UPDATE_FRAMEWORK'],
    ['ACCEPT_INVERSE_OFFERS without body', call('ACCEPT_INVERSE_OFFERS'), 'call.accept_inverse_offers: is required for ACCEPT_INVERSE_OFFERS'],
  ])('%s', (_case, json, message) => {
    let error: unknown;
    try {
      decodeCall(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).name).toBe('ProtocolError');
    if (message.endsWith(':')) expect((error as Error).message.startsWith(message)).toBe(true);
    else expect((error as Error).message).toBe(message);
  });

  it('parseCall reports malformed JSON', () => {
    expect(() => parseCall('{"type":')).toThrow(/^call: malformed JSON: /);
    expect(parseCall('{"type":"TEARDOWN","framework_id":{"value":"x"}}')).toEqual({ type: 'TEARDOWN', framework_id: { value: 'x' } });
  });

  it('the error carries path and reason separately', () => {
    try {
      decodeCall(call('KILL', { kill: {} }));
    } catch (e) {
      expect(e).toMatchObject({ path: 'call.kill.task_id', reason: 'is required' });
    }
    expect.assertions(1);
  });
});
