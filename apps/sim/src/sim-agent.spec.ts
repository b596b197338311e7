import { AgoraBus, InProcessTransport } from '@agora/bus';
import { type BusMessages, decodeBusBytes, encodeBusMessage, MASTER_WILDCARD, type StatusUpdate, type ToAgentKind } from '@agora/protocol';
import { FakeClock } from '../../agent/src/clock/fake-clock';
import { AgentConfig } from '../../agent/src/config/agent.config';
import type { AgentMessage } from './agent-router';
import { SimAgent, type SimContext } from './sim-agent';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** A SimAgent on an in-process bus with a fake master that registers it and records its status updates. */
async function registeredAgent(taskDurationMs = 0): Promise<{ agent: SimAgent; clock: FakeClock; updates: StatusUpdate[]; identified: string[] }> {
  const transport = new InProcessTransport();
  const bus = new AgoraBus(transport);
  const clock = new FakeClock(1_700_000_000_000, 0);
  const updates: StatusUpdate[] = [];
  const identified: string[] = [];
  transport.subscribe(MASTER_WILDCARD, (envelope) => {
    const decoded = decodeBusBytes(envelope.subject, envelope.data);
    if (decoded.kind === 'register') {
      const reply: BusMessages['registered'] = { epoch: 1, result: 'REGISTERED', master_id: 'm', agent_id: { value: 'a1' }, ping_interval_seconds: 1, max_missed_pings: 3 };
      envelope.respond?.(encodeBusMessage('registered', reply));
    }
    if (decoded.kind === 'status-update') updates.push(decoded.message as StatusUpdate);
  });
  const context: SimContext = {
    bus,
    clock,
    config: new AgentConfig(),
    version: 'test',
    taskDurationMs,
    counters: { launched: 0, finished: 0, killed: 0, registrations: 0 },
    identified: (_agent, id) => identified.push(id),
  };
  const agent = new SimAgent('sim-1', [{ name: 'cpus', type: 'SCALAR', scalar: { value: 4 } }], context);
  agent.start();
  clock.advance(0);
  await settle();
  return { agent, clock, updates, identified };
}

function message<K extends ToAgentKind>(kind: K, body: BusMessages[K]): AgentMessage {
  return { kind, subject: { family: 'agent', kind, agentId: 'a1' }, message: body, reply: () => undefined } as unknown as AgentMessage;
}

const runTask = (epoch = 1): AgentMessage =>
  message('run-task', { epoch, framework: { id: { value: 'f' }, user: 'u', name: 'n' }, task: { name: 't', task_id: { value: 't1' }, agent_id: { value: 'a1' }, resources: [] } });

const ack = (uuid: string): AgentMessage => message('status-ack', { epoch: 1, framework_id: { value: 'f' }, task_id: { value: 't1' }, uuid });

describe('SimAgent', () => {
  it('registers and reports its id', async () => {
    const { agent, identified } = await registeredAgent();
    expect(agent.registered).toBe(true);
    expect(identified).toEqual(['a1']);
  });

  it('runs a zero-duration task STARTING, RUNNING, FINISHED, one acknowledged update at a time', async () => {
    const { agent, updates } = await registeredAgent();
    agent.onAgentMessage(runTask());
    await settle();
    expect(updates.map((u) => u.status.state)).toEqual(['TASK_STARTING']);
    agent.onAgentMessage(ack(updates[0].status.uuid ?? ''));
    await settle();
    agent.onAgentMessage(ack(updates[1].status.uuid ?? ''));
    await settle();
    expect(updates.map((u) => u.status.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    // Updates queued behind the head travel as latest_state, so the master knows the task ended.
    expect(updates[1].latest_state).toBe('TASK_FINISHED');
    agent.onAgentMessage(ack(updates[2].status.uuid ?? ''));
    expect(agent.taskCount).toBe(0);
  });

  it('resends an unacknowledged update after the retry interval', async () => {
    const { agent, clock, updates } = await registeredAgent();
    agent.onAgentMessage(runTask());
    await settle();
    clock.advance(new AgentConfig().statusUpdateRetryMinMs);
    await settle();
    expect(updates.map((u) => u.status.state)).toEqual(['TASK_STARTING', 'TASK_STARTING']);
    expect(updates[1].status.uuid).toBe(updates[0].status.uuid);
  });

  it('finishes a task after its duration, and kills one that is still running', async () => {
    const { agent, clock, updates } = await registeredAgent(1000);
    agent.onAgentMessage(runTask());
    await settle();
    agent.onAgentMessage(message('kill-task', { epoch: 1, framework_id: { value: 'f' }, task_id: { value: 't1' } }));
    clock.advance(1000);
    agent.onAgentMessage(ack(updates[0].status.uuid ?? ''));
    await settle();
    expect(updates.at(-1)?.latest_state).toBe('TASK_KILLED');
  });

  it('ignores a command of an older epoch than one it has seen', async () => {
    const { agent, updates } = await registeredAgent();
    agent.onAgentMessage(runTask(0));
    await settle();
    expect(updates).toHaveLength(0);
    expect(agent.taskCount).toBe(0);
  });
});
