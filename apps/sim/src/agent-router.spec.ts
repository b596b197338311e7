import { agentSubject, encodeBusMessage } from '@agora/protocol';
import { type AgentMessage, agentIdOf, AgentRouter } from './agent-router';

describe('agentIdOf', () => {
  it.each([
    ['an agent subject', 'agora.v1.agent.a-1.run-task', 'a-1'],
    ['an id with dashes and digits', 'agora.v1.agent.2f0c-S12.ping', '2f0c-S12'],
    ['the master family', 'agora.v1.master.register', undefined],
    ['the broadcast family', 'agora.v1.agents.master-elected', undefined],
    ['no kind after the id', 'agora.v1.agent.a-1', undefined],
    ['an empty id', 'agora.v1.agent..ping', undefined],
    ['a trailing dot', 'agora.v1.agent.a-1.', undefined],
  ])('%s', (_case, subject, expected) => {
    expect(agentIdOf(subject)).toBe(expected);
  });
});

describe('AgentRouter', () => {
  const collect = (): { received: AgentMessage[]; onAgentMessage: (m: AgentMessage) => void } => {
    const received: AgentMessage[] = [];
    return { received, onAgentMessage: (m) => received.push(m) };
  };

  it('hands each message to the agent its subject names, validated', () => {
    const router = new AgentRouter();
    const a = collect();
    const b = collect();
    router.add('a', a);
    router.add('b', b);
    const ack = { epoch: 1, framework_id: { value: 'f' }, task_id: { value: 't' }, uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' };
    router.dispatch({ subject: agentSubject('b', 'status-ack'), data: encodeBusMessage('status-ack', ack) });
    expect(a.received).toHaveLength(0);
    expect(b.received.map((m) => [m.kind, m.message])).toEqual([['status-ack', ack]]);
  });

  it('counts messages for agents it does not own without decoding them', () => {
    const router = new AgentRouter();
    router.dispatch({ subject: agentSubject('elsewhere', 'ping'), data: new TextEncoder().encode('not json') });
    expect(router.unrouted).toBe(1);
    expect(router.invalid).toBe(0);
  });

  it('drops and reports a message that fails validation', () => {
    const errors: string[] = [];
    const router = new AgentRouter((subject) => errors.push(subject));
    const a = collect();
    router.add('a', a);
    router.dispatch({ subject: agentSubject('a', 'ping'), data: new TextEncoder().encode('{"registered":true}') });
    expect(a.received).toHaveLength(0);
    expect(router.invalid).toBe(1);
    expect(errors).toEqual([agentSubject('a', 'ping')]);
  });

  it('answers a request through the envelope', () => {
    const router = new AgentRouter();
    const replies: Uint8Array[] = [];
    router.add('a', { onAgentMessage: (m) => m.reply('pong', { agent_id: { value: 'a' } }) });
    router.dispatch({ subject: agentSubject('a', 'ping'), data: encodeBusMessage('ping', { epoch: 1, registered: true }), respond: (d) => replies.push(d) });
    expect(JSON.parse(new TextDecoder().decode(replies[0]))).toEqual({ agent_id: { value: 'a' } });
  });
});
