import { ProtocolError } from '../errors';
import { OPERATOR_CALL_TYPE_NUMBERS, OPERATOR_CALL_TYPES, type OperatorCall, SUPPORTED_OPERATOR_CALL_TYPES } from './calls';
import { decodeOperatorCall, parseOperatorCall } from './decode-operator-call';

const FW = { value: 'm-0001' };
const AGENT = { value: 'm-S1' };

describe('decodeOperatorCall: valid calls', () => {
  it.each<[string, unknown, OperatorCall]>([
    ['GET_HEALTH', { type: 'GET_HEALTH' }, { type: 'GET_HEALTH' }],
    ['GET_STATE', { type: 'GET_STATE' }, { type: 'GET_STATE' }],
    ['SUBSCRIBE', { type: 'SUBSCRIBE' }, { type: 'SUBSCRIBE' }],
    ['GET_METRICS without body', { type: 'GET_METRICS' }, { type: 'GET_METRICS' }],
    ['GET_METRICS with timeout', { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: '5000000000' } } }, { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: 5e9 } } }],
    ['UPDATE_WEIGHTS', { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'r1', weight: 2 }, { role: 'r2', weight: '0.5' }] } }, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'r1', weight: 2 }, { role: 'r2', weight: 0.5 }] } }],
    ['UPDATE_WEIGHTS, empty list', { type: 'UPDATE_WEIGHTS', update_weights: {} }, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [] } }],
    [
      'UPDATE_QUOTA',
      { type: 'UPDATE_QUOTA', update_quota: { force: true, quota_configs: [{ role: 'eng', guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 2 }, mem: { value: 1024 } } }] } },
      { type: 'UPDATE_QUOTA', update_quota: { force: true, quota_configs: [{ role: 'eng', guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 2 }, mem: { value: 1024 } } }] } },
    ],
    ['UPDATE_QUOTA reset (no maps)', { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'eng' }] } }, { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'eng' }] } }],
    ['TEARDOWN', { type: 'TEARDOWN', teardown: { framework_id: FW } }, { type: 'TEARDOWN', teardown: { framework_id: FW } }],
    ['MARK_AGENT_GONE', { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: AGENT } }, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: AGENT } }],
    [
      'DRAIN_AGENT',
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: AGENT, max_grace_period: { nanoseconds: '5000000000' }, mark_gone: true } },
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: AGENT, max_grace_period: { nanoseconds: 5e9 }, mark_gone: true } },
    ],
    ['DRAIN_AGENT with defaults', { type: 'DRAIN_AGENT', drain_agent: { agent_id: AGENT } }, { type: 'DRAIN_AGENT', drain_agent: { agent_id: AGENT } }],
    ['DEACTIVATE_AGENT', { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: AGENT } }, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: AGENT } }],
    ['REACTIVATE_AGENT by number', { type: 39, reactivate_agent: { agent_id: AGENT } }, { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: AGENT } }],
  ])('%s', (_case, json, decoded) => {
    expect(decodeOperatorCall(json)).toEqual(decoded);
  });
});

describe('decodeOperatorCall: liberal in what it accepts', () => {
  it.each<[string, unknown, OperatorCall]>([
    ['numeric type (GET_STATE = 9)', { type: 9 }, { type: 'GET_STATE' }],
    ['numeric type (UPDATE_QUOTA = 36)', { type: 36, update_quota: {} }, { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [] } }],
    ['unknown fields ignored', { type: 'TEARDOWN', teardown: { framework_id: FW, why: 'x' }, extra: 1 }, { type: 'TEARDOWN', teardown: { framework_id: FW } }],
    ['null fields absent', { type: 'GET_METRICS', get_metrics: { timeout: null } }, { type: 'GET_METRICS', get_metrics: {} }],
    ['null map entries dropped', { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'a', limits: { cpus: null } }] } }, { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'a', limits: {} }] } }],
    ['a call Agora does not serve decodes to its type', { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: 5 } }, { type: 'RESERVE_RESOURCES' }],
  ])('%s', (_case, json, decoded) => {
    expect(decodeOperatorCall(json)).toEqual(decoded);
  });
});

describe('decodeOperatorCall: refusals name the field', () => {
  it.each<[string, unknown, string]>([
    ['not an object', [], 'call: expected an object'],
    ['no type', {}, 'call.type: is required'],
    ['unknown type', { type: 'GET_EVERYTHING' }, 'call.type: unknown call type "GET_EVERYTHING"'],
    ['unknown type number', { type: 99 }, 'call.type: unknown call type 99'],
    ['type of the wrong kind', { type: true }, 'call.type: expected a string'],
    ['UPDATE_WEIGHTS without body', { type: 'UPDATE_WEIGHTS' }, 'call.update_weights: is required for UPDATE_WEIGHTS'],
    ['weight_infos not an array', { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: {} } }, 'call.update_weights.weight_infos: expected an array'],
    ['weight missing', { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'r' }] } }, 'call.update_weights.weight_infos[0].weight: is required'],
    ['weight not a number', { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'r', weight: 'heavy' }] } }, 'call.update_weights.weight_infos[0].weight: expected a number'],
    ['weight role missing', { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ weight: 1 }] } }, 'call.update_weights.weight_infos[0].role: is required'],
    ['UPDATE_QUOTA without body', { type: 'UPDATE_QUOTA' }, 'call.update_quota: is required for UPDATE_QUOTA'],
    ['force not a boolean', { type: 'UPDATE_QUOTA', update_quota: { force: 'yes' } }, 'call.update_quota.force: expected a boolean'],
    ['quota role missing', { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{}] } }, 'call.update_quota.quota_configs[0].role: is required'],
    ['guarantee not a scalar', { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'a', guarantees: { cpus: 1 } }] } }, 'call.update_quota.quota_configs[0].guarantees.cpus: expected an object'],
    ['limit value missing', { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'a', limits: { mem: {} } }] } }, 'call.update_quota.quota_configs[0].limits.mem.value: is required'],
    ['TEARDOWN without body', { type: 'TEARDOWN' }, 'call.teardown: is required for TEARDOWN'],
    ['TEARDOWN without framework_id', { type: 'TEARDOWN', teardown: {} }, 'call.teardown.framework_id: is required'],
    ['TEARDOWN framework_id without value', { type: 'TEARDOWN', teardown: { framework_id: {} } }, 'call.teardown.framework_id.value: is required'],
    ['MARK_AGENT_GONE without agent_id', { type: 'MARK_AGENT_GONE', mark_agent_gone: {} }, 'call.mark_agent_gone.agent_id: is required'],
    ['DRAIN_AGENT without body', { type: 'DRAIN_AGENT' }, 'call.drain_agent: is required for DRAIN_AGENT'],
    ['DRAIN_AGENT without agent_id', { type: 'DRAIN_AGENT', drain_agent: { mark_gone: false } }, 'call.drain_agent.agent_id: is required'],
    ['DRAIN_AGENT mark_gone not a boolean', { type: 'DRAIN_AGENT', drain_agent: { agent_id: AGENT, mark_gone: 'yes' } }, 'call.drain_agent.mark_gone: expected a boolean'],
    ['DRAIN_AGENT negative grace', { type: 'DRAIN_AGENT', drain_agent: { agent_id: AGENT, max_grace_period: { nanoseconds: -1 } } }, 'call.drain_agent.max_grace_period.nanoseconds: must not be negative'],
    ['DEACTIVATE_AGENT without agent_id', { type: 'DEACTIVATE_AGENT', deactivate_agent: {} }, 'call.deactivate_agent.agent_id: is required'],
    ['REACTIVATE_AGENT without body', { type: 'REACTIVATE_AGENT' }, 'call.reactivate_agent: is required for REACTIVATE_AGENT'],
    ['GET_METRICS timeout without nanoseconds', { type: 'GET_METRICS', get_metrics: { timeout: {} } }, 'call.get_metrics.timeout.nanoseconds: is required'],
  ])('%s', (_case, json, message) => {
    expect(() => decodeOperatorCall(json)).toThrow(new ProtocolError('', message));
  });
});

describe('parseOperatorCall', () => {
  it('reads JSON text', () => {
    expect(parseOperatorCall('{"type":"GET_WEIGHTS"}')).toEqual({ type: 'GET_WEIGHTS' });
  });

  it('refuses malformed JSON with a ProtocolError', () => {
    expect(() => parseOperatorCall('{"type":')).toThrow(/^call: malformed JSON: /);
  });
});

describe('the call types', () => {
  it('match master.proto: every number unique, every supported type known', () => {
    const numbers = Object.values(OPERATOR_CALL_TYPE_NUMBERS);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(OPERATOR_CALL_TYPES).toHaveLength(39);
    for (const type of SUPPORTED_OPERATOR_CALL_TYPES) expect(OPERATOR_CALL_TYPES).toContain(type);
  });
});
