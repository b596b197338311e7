import type { Event } from '@agora/protocol';
import { FakeAgent } from '../../../../test/support/fake-agent';
import { RegistryService } from '../registry';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/services';
import { startTestMaster, type TestMaster } from '../../../../test/support/master-harness';
import { operatorCall } from '../../../../test/support/operator-client';
import { TestScheduler } from '../../../../test/support/scheduler-client';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];
interface V1Agent {
  agent_info: { id: { value: string } };
  active: boolean;
  deactivated: boolean;
  drain_info?: { state: string; config: { max_grace_period?: { nanoseconds: number }; mark_gone?: boolean } };
}

/**
 * DEACTIVATE_AGENT, REACTIVATE_AGENT and DRAIN_AGENT on the v1 operator API (Mesos 1.9+),
 * against a real master and registry with fake agents: offers stop and resume, the drain
 * reaches the agent and ends DRAINED (or gone) once its tasks are acknowledged, the state
 * survives a new master, and refused calls answer 400 with Mesos's words.
 */
describe('agent maintenance', () => {
  let database: TestDatabase;
  let master: TestMaster | undefined;
  const schedulers: TestScheduler[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('maintenance');
  });
  afterAll(() => database?.drop());
  afterEach(async () => {
    schedulers.splice(0).forEach((s) => s.disconnect());
    await master?.stop();
    master = undefined;
  });

  const call = (m: TestMaster, type: string, body: Record<string, unknown>) => operatorCall(m.url, { type, [type.toLowerCase()]: body });
  const agentId = (id: string) => ({ agent_id: { value: id } });

  async function agentsOf(m: TestMaster): Promise<V1Agent[]> {
    const answer = await operatorCall(m.url, { type: 'GET_AGENTS' });
    return (JSON.parse(answer.body) as { get_agents: { agents: V1Agent[] } }).get_agents.agents;
  }

  async function v0Slave(m: TestMaster, id: string): Promise<Record<string, unknown> | undefined> {
    const state = (await (await fetch(`${m.url}/state`)).json()) as { slaves: Record<string, unknown>[] };
    return state.slaves.find((s) => s.id === id);
  }

  async function setup(capabilities = [{ type: 'PARTITION_AWARE' }]) {
    master = await startTestMaster(database.url);
    const m = master;
    const agent = await m.agent();
    agent.capabilities = [...agent.capabilities, 'AGENT_DRAINING'];
    // Re-registered so the master knows it can drain (before any offer, which that would rescind).
    await agent.reregister();
    const s = await TestScheduler.subscribe(m.url, { user: 'test', name: 'maintenance', capabilities });
    schedulers.push(s);
    const offers = await s.nextOfType('OFFERS', (e) => e.offers.offers.some((o) => o.agent_id.value === agent.id));
    return { m, s, agent, offer: offers.offers.offers.find((o) => o.agent_id.value === agent.id) as Offer };
  }

  it('DEACTIVATE_AGENT rescinds its offers and makes none; REACTIVATE_AGENT offers it again', async () => {
    const { m, s, agent, offer } = await setup();
    expect((await call(m, 'DEACTIVATE_AGENT', agentId(agent.id))).status).toBe(200);
    await s.nextOfType('RESCIND', (e) => e.rescind.offer_id.value === offer.id.value);
    expect((await agentsOf(m)).find((a) => a.agent_info.id.value === agent.id)).toMatchObject({ active: false, deactivated: true });
    expect(await v0Slave(m, agent.id)).toMatchObject({ active: false, deactivated: true });
    expect((await m.app.get(RegistryService).listAgents()).find((a) => a.id === agent.id)).toMatchObject({ deactivated: true, drainInfo: null });
    // Re-registering does not undo an operator's decision.
    await agent.reregister();
    expect((await agentsOf(m)).find((a) => a.agent_info.id.value === agent.id)).toMatchObject({ active: false, deactivated: true });
    expect((await call(m, 'REACTIVATE_AGENT', agentId(agent.id))).status).toBe(200);
    await s.nextOfType('OFFERS', (e) => e.offers.offers.some((o) => o.agent_id.value === agent.id));
    expect((await agentsOf(m)).find((a) => a.agent_info.id.value === agent.id)).toMatchObject({ active: true, deactivated: false });
  });

  it('DRAIN_AGENT kills every task through the agent; DRAINED once the terminal updates are acknowledged', async () => {
    const { m, s, agent, offer } = await setup();
    await s.call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'd1', task_id: { value: 'd1' }, agent_id: offer.agent_id, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }], command: { value: 'sleep 100' } }] } }] } });
    await agent.next('run-task');
    const drain = { agent_id: { value: agent.id }, max_grace_period: { nanoseconds: 2e9 } };
    expect((await call(m, 'DRAIN_AGENT', drain)).status).toBe(200);
    const told = await agent.next('drain');
    expect(told.message.config).toEqual({ max_grace_period: { nanoseconds: 2e9 }, mark_gone: false });
    expect((await agentsOf(m)).find((a) => a.agent_info.id.value === agent.id)).toMatchObject({ deactivated: true, drain_info: { state: 'DRAINING', config: { mark_gone: false } } });
    expect((await call(m, 'REACTIVATE_AGENT', agentId(agent.id))).body).toBe('Agent is still in the DRAINING state');
    // The agent kills the task (as the real one does, drain/drain.service.ts) and reports it.
    agent.sendStatus(s.frameworkId, 'd1', 'TASK_KILLED');
    const killed = await s.update('d1', 'TASK_KILLED');
    expect((await agentsOf(m)).find((a) => a.agent_info.id.value === agent.id)?.drain_info?.state).toBe('DRAINING');
    await s.acknowledge(killed.update.status);
    await waitFor(async () => (await agentsOf(m)).find((a) => a.agent_info.id.value === agent.id)?.drain_info?.state === 'DRAINED');
    expect(await v0Slave(m, agent.id)).toMatchObject({ deactivated: true, drain_info: { state: 'DRAINED' } });
    // Drained: REACTIVATE_AGENT ends it.
    expect((await call(m, 'REACTIVATE_AGENT', agentId(agent.id))).status).toBe(200);
    expect((await agentsOf(m)).find((a) => a.agent_info.id.value === agent.id)?.drain_info).toBeUndefined();
  });

  it('DRAIN_AGENT with mark_gone marks an agent without tasks gone at once', async () => {
    const { m, agent } = await setup();
    expect((await call(m, 'DRAIN_AGENT', { agent_id: { value: agent.id }, mark_gone: true })).status).toBe(200);
    await agent.next('shutdown');
    expect((await m.app.get(RegistryService).listAgents()).find((a) => a.id === agent.id)?.state).toBe('gone');
  });

  it('a new leader keeps the drain: the agent re-registering is told to drain again', async () => {
    const first = await setup();
    // A task on the agent keeps the drain DRAINING: without one it would end DRAINED at once.
    const held = { name: 'held', task_id: { value: 'held' }, agent_id: first.offer.agent_id, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } }], command: { value: 'sleep 100' } };
    await first.s.call('ACCEPT', { accept: { offer_ids: [first.offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [held] } }] } });
    await first.agent.next('run-task');
    expect((await call(first.m, 'DRAIN_AGENT', { agent_id: { value: first.agent.id } })).status).toBe(200);
    // The agent still holds a task; a new master learns it from the re-registration. The master
    // stops before its scheduler disconnects, so the framework (and the task) is never removed.
    const id = first.agent.id;
    const hostname = first.agent.hostname;
    await first.m.stop();
    schedulers.splice(0).forEach((s) => s.disconnect());
    master = await startTestMaster(database.url);
    const m = master;
    const agent = new FakeAgent(m.transport, hostname);
    agent.identify(id);
    agent.capabilities = [...agent.capabilities, 'AGENT_DRAINING'];
    const s = await TestScheduler.subscribe(m.url, { user: 'test', name: 'again', capabilities: [{ type: 'PARTITION_AWARE' }] });
    schedulers.push(s);
    const task = { name: 'left', task_id: { value: 'left' }, agent_id: { value: id }, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } }], command: { value: 'sleep 100' } };
    const reply = await agent.reregister([{ framework_id: { value: s.frameworkId }, task, state: 'TASK_RUNNING' }], [{ user: 'test', name: 'again', id: { value: s.frameworkId } }]);
    expect(reply.result).toBe('REGISTERED');
    const drained = (await agentsOf(m)).find((a) => a.agent_info.id.value === id);
    expect(drained).toMatchObject({ active: false, deactivated: true, drain_info: { state: 'DRAINING' } });
    expect((await agent.next('drain')).message.config).toEqual({ mark_gone: false });
    agent.stop();
  });

  it.each<[string, (m: TestMaster, id: string) => Promise<{ status: number; body: string }>, number, string]>([
    ['DEACTIVATE_AGENT of an unknown agent', (m) => call(m, 'DEACTIVATE_AGENT', agentId('nope')), 400, 'Unknown agent'],
    ['DRAIN_AGENT of an unknown agent', (m) => call(m, 'DRAIN_AGENT', agentId('nope')), 400, 'Unknown agent'],
    ['REACTIVATE_AGENT of an agent that is not deactivated', (m, id) => call(m, 'REACTIVATE_AGENT', agentId(id)), 400, 'Agent is not deactivated'],
    ['DRAIN_AGENT without agent_id', (m) => call(m, 'DRAIN_AGENT', {}), 400, 'call.drain_agent.agent_id: is required'],
    ['DRAIN_AGENT with a negative grace period', (m, id) => call(m, 'DRAIN_AGENT', { ...agentId(id), max_grace_period: { nanoseconds: -1 } }), 400, 'must not be negative'],
  ])('%s: 400', async (_case, send, status, text) => {
    const { m, agent } = await setup();
    const answer = await send(m, agent.id);
    expect(answer.status).toBe(status);
    expect(answer.body).toContain(text);
  });

  it('refuses to drain an agent that cannot drain', async () => {
    master = await startTestMaster(database.url);
    const agent = await master.agent();
    const answer = await call(master, 'DRAIN_AGENT', agentId(agent.id));
    expect(answer).toMatchObject({ status: 400, body: `Agent ${agent.id} is not capable of draining` });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
