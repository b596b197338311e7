import { decodeEvent } from './decode-event';

describe('decodeEvent', () => {
  it.each<[string, unknown, unknown]>([
    ['SUBSCRIBED', { type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'f' }, heartbeat_interval_seconds: 15, master_info: {} } },
      { type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'f' }, heartbeat_interval_seconds: 15 } }],
    ['HEARTBEAT', { type: 'HEARTBEAT' }, { type: 'HEARTBEAT' }],
    ['ERROR', { type: 'ERROR', error: { message: 'Framework failed over' } }, { type: 'ERROR', error: { message: 'Framework failed over' } }],
    ['RESCIND', { type: 'RESCIND', rescind: { offer_id: { value: 'o' } } }, { type: 'RESCIND', rescind: { offer_id: { value: 'o' } } }],
    [
      'an UPDATE, keeping what an ACK echoes and dropping a reason it does not know',
      { type: 'UPDATE', update: { status: { task_id: { value: 't' }, state: 'TASK_FAILED', agent_id: { value: 'a' }, uuid: 'kq3=', message: 'm', reason: 'REASON_FROM_THE_FUTURE', source: 'SOURCE_AGENT', timestamp: 1 } } },
      { type: 'UPDATE', update: { status: { task_id: { value: 't' }, state: 'TASK_FAILED', agent_id: { value: 'a' }, uuid: 'kq3=', message: 'm', source: 'SOURCE_AGENT' } } },
    ],
  ])('reads %s', (_case, json, expected) => {
    expect(decodeEvent(JSON.stringify(json))).toEqual(expected);
  });

  it('keeps offers exactly as sent, unknown fields included', () => {
    const offer = {
      id: { value: 'o' },
      framework_id: { value: 'f' },
      agent_id: { value: 'a' },
      hostname: 'h',
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: '*', reservation: null, future_field: 1 }],
    };
    expect(decodeEvent(JSON.stringify({ type: 'OFFERS', offers: { offers: [offer] } }))).toEqual({ type: 'OFFERS', offers: { offers: [offer] } });
  });

  it.each(['INVERSE_OFFERS', 'UPDATE_OPERATION_STATUS', 'MESSAGE', 'SOMETHING_NEW'])('ignores %s', (type) => {
    expect(decodeEvent(JSON.stringify({ type }))).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ['not JSON', '{', 'event: is not JSON'],
    ['no type', '{}', 'event.type: expected an event type'],
    ['an UPDATE without a state', '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"}}}}', 'event.update.status.state: expected a task state, got undefined'],
    ['an UPDATE without a task id', '{"type":"UPDATE","update":{"status":{"state":"TASK_RUNNING"}}}', 'event.update.status.task_id: expected an object'],
    ['an offer without an agent', '{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"}}]}}', 'event.offers.offers[0].agent_id: expected an object'],
  ])('refuses %s', (_case, text, message) => {
    expect(() => decodeEvent(text)).toThrow(message);
  });
});
