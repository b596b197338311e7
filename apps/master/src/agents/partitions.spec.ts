import type { Event } from '@agora/protocol';
import { RegistryService } from '../registry';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/services';
import { startTestMaster, type TestMaster } from '../../../../test/support/master-harness';
import type { FakeAgent } from '../../../../test/support/fake-agent';
import { OperatorStream } from '../../../../test/support/operator-client';
import { TestScheduler } from '../../../../test/support/scheduler-client';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];
type Capability = { type: string };

/**
 * Partitions and broken agent connections (reference §5.2, §5.3, §6.3, §6.4) against a real
 * master and registry, with fake agents: unreachable agents and their return, kills queued
 * while away, tasks of removed frameworks, agents whose process exits or restarts. Tests wait
 * for events, never on time.
 */
describe('partitions', () => {
  let database: TestDatabase;
  let master: TestMaster | undefined;
  const schedulers: TestScheduler[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('partitions');
  });
  afterAll(() => database?.drop());
  afterEach(async () => {
    schedulers.splice(0).forEach((s) => s.disconnect());
    await master?.stop();
    master = undefined;
  });

  const task = (id: string, o: Offer) => ({
    name: id,
    task_id: { value: id },
    agent_id: o.agent_id,
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
    command: { value: 'sleep 1000' },
  });

  async function start(env: Record<string, string> = {}): Promise<TestMaster> {
    master = await startTestMaster(database.url, env);
    return master;
  }

  /** A framework that launched `ids` on one fake agent; the agent "runs" them (TASK_RUNNING acknowledged). */
  async function running(m: TestMaster, ids: string[], framework: { capabilities?: Capability[]; checkpoint?: boolean; name?: string } = {}, agent?: FakeAgent) {
    const s = await TestScheduler.subscribe(m.url, { user: 'test', name: framework.name ?? 'partitions', capabilities: framework.capabilities ?? [], checkpoint: framework.checkpoint ?? false });
    schedulers.push(s);
    const a = agent ?? (await m.agent());
    const offers = await s.nextOfType('OFFERS', (e) => e.offers.offers.some((o) => o.agent_id.value === a.id));
    const o = offers.offers.offers.find((x) => x.agent_id.value === a.id) as Offer;
    await s.call('ACCEPT', { accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: ids.map((id) => task(id, o)) } }] } });
    const reported = [];
    let frameworkInfo;
    for (const id of ids) {
      const run = await a.next('run-task', (r) => r.message.task.task_id.value === id);
      frameworkInfo = run.message.framework;
      a.sendStatus(s.frameworkId, id, 'TASK_RUNNING');
      const update = await s.update(id, 'TASK_RUNNING');
      await s.acknowledge(update.update.status);
      reported.push({ framework_id: { value: s.frameworkId }, task: run.message.task, state: 'TASK_RUNNING' as const });
    }
    return { s, agent: a, reported, frameworks: frameworkInfo ? [frameworkInfo] : [] };
  }

  describe('an agent that misses its pings', () => {
    it('is unreachable in the registry first; its tasks carry that time and REASON_AGENT_REMOVED; frameworks hear FAILURE', async () => {
      const m = await start();
      const { s, agent } = await running(m, ['t1'], { capabilities: [{ type: 'PARTITION_AWARE' }] });
      agent.answerPings = false;
      const unreachable = await s.update('t1', 'TASK_UNREACHABLE');
      const status = unreachable.update.status;
      expect(status.reason).toBe('REASON_AGENT_REMOVED');
      expect(status.source).toBe('SOURCE_MASTER');
      const row = (await m.app.get(RegistryService).listAgents()).find((a) => a.id === agent.id);
      expect(row?.state).toBe('unreachable');
      // The time the registry recorded is the one the task carries.
      expect(status.unreachable_time?.nanoseconds).toBe((row?.unreachableTime?.getTime() ?? 0) * 1e6);
      await s.nextOfType('FAILURE', (e) => e.failure.agent_id?.value === agent.id);
    });

    it('comes back with its tasks RUNNING again: partition-aware and legacy frameworks are told (REASON_AGENT_REREGISTERED)', async () => {
      const m = await start();
      const agent = await m.agent();
      const aware = await running(m, ['aware'], { capabilities: [{ type: 'PARTITION_AWARE' }], name: 'aware' }, agent);
      const legacy = await running(m, ['legacy'], { name: 'legacy' }, agent);
      agent.answerPings = false;
      await aware.s.update('aware', 'TASK_UNREACHABLE');
      await legacy.s.update('legacy', 'TASK_LOST');
      agent.answerPings = true;
      const reply = await agent.reregister([...aware.reported, ...legacy.reported], [...aware.frameworks, ...legacy.frameworks]);
      expect(reply.result).toBe('REGISTERED');
      const back = await aware.s.update('aware', 'TASK_RUNNING');
      expect(back.update.status.reason).toBe('REASON_AGENT_REREGISTERED');
      const legacyBack = await legacy.s.update('legacy', 'TASK_RUNNING');
      expect(legacyBack.update.status.reason).toBe('REASON_AGENT_REREGISTERED');
      const row = (await m.app.get(RegistryService).listAgents()).find((a) => a.id === agent.id);
      expect(row?.state).toBe('admitted');
    });

    it('stays registered when a pong comes before the last allowed miss (the transition is called off)', async () => {
      const m = await start(); // 3 missed pings make an agent unreachable
      const { s, agent } = await running(m, ['p1'], { capabilities: [{ type: 'PARTITION_AWARE' }] });
      const before = agent.pings;
      // Four misses, never three in a row: each pong resets the count.
      agent.pingScript = [false, false, true, false, false, true];
      await agent.pinged(before + 8);
      expect(s.events.filter((e) => e.type === 'FAILURE' || (e.type === 'UPDATE' && e.update.status.state === 'TASK_UNREACHABLE'))).toEqual([]);
      expect((await m.app.get(RegistryService).listAgents()).find((a) => a.id === agent.id)?.state).toBe('admitted');
    });

    it('is reported on the operator event stream: TASK_UPDATED and AGENT_REMOVED, then AGENT_ADDED and TASK_UPDATED back', async () => {
      const m = await start();
      const { s, agent, reported, frameworks } = await running(m, ['o1'], { capabilities: [{ type: 'PARTITION_AWARE' }] });
      const stream = await OperatorStream.open(m.url);
      try {
        agent.answerPings = false;
        await stream.next((e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_UNREACHABLE' && e.task_updated.status.task_id.value === 'o1');
        await stream.next((e) => e.type === 'AGENT_REMOVED' && e.agent_removed.agent_id.value === agent.id);
        await s.update('o1', 'TASK_UNREACHABLE');
        agent.answerPings = true;
        await agent.reregister(reported, frameworks);
        await stream.next((e) => e.type === 'AGENT_ADDED' && e.agent_added.agent.agent_info.id.value === agent.id);
        await stream.next((e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_RUNNING' && e.task_updated.status.task_id.value === 'o1');
      } finally {
        stream.close();
      }
    });

    it('gets the kills that were asked for while it was away when it re-registers', async () => {
      const m = await start();
      const { s, agent, reported, frameworks } = await running(m, ['k1', 'k2'], { capabilities: [{ type: 'PARTITION_AWARE' }] });
      agent.answerPings = false;
      await s.update('k1', 'TASK_UNREACHABLE');
      await s.call('KILL', { kill: { task_id: { value: 'k1' } } });
      agent.answerPings = true;
      await agent.reregister(reported, frameworks);
      const kill = await agent.next('kill-task');
      expect(kill.message.task_id.value).toBe('k1');
    });

    it('is told to shut down the frameworks removed while it was away', async () => {
      const m = await start();
      const { s, agent, reported, frameworks } = await running(m, ['r1'], { capabilities: [{ type: 'PARTITION_AWARE' }] });
      agent.answerPings = false;
      await s.update('r1', 'TASK_UNREACHABLE');
      expect((await s.call('TEARDOWN')).status).toBe(202);
      agent.answerPings = true;
      await agent.reregister(reported, frameworks);
      const shutdown = await agent.next('shutdown-framework');
      expect(shutdown.message.framework_id.value).toBe(s.frameworkId);
    });

    it('that is marked gone can never come back: it is told to shut down', async () => {
      const m = await start();
      const { s, agent, reported, frameworks } = await running(m, ['g1'], { capabilities: [{ type: 'PARTITION_AWARE' }] });
      agent.answerPings = false;
      await s.update('g1', 'TASK_UNREACHABLE');
      const gone = await fetch(`${m.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agent.id } } }) });
      expect(gone.status).toBe(200);
      const byOperator = await s.update('g1', 'TASK_GONE_BY_OPERATOR');
      expect(byOperator.update.status.reason).toBe('REASON_AGENT_REMOVED_BY_OPERATOR');
      const reply = await agent.reregister(reported, frameworks);
      expect(reply).toMatchObject({ result: 'REFUSED', shutdown: true });
    });
  });

  describe('an agent whose process exits (agent-exiting)', () => {
    it('loses the tasks of frameworks without checkpointing at once (TASK_LOST even when partition-aware); checkpointed ones keep running', async () => {
      const m = await start();
      const agent = await m.agent();
      const plain = await running(m, ['plain'], { capabilities: [{ type: 'PARTITION_AWARE' }], name: 'plain' }, agent);
      const durable = await running(m, ['durable'], { checkpoint: true, name: 'durable' }, agent);
      agent.exiting();
      const lost = await plain.s.update('plain', 'TASK_LOST');
      expect(lost.update.status.reason).toBe('REASON_AGENT_DISCONNECTED');
      const agents = await (await fetch(`${m.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'GET_AGENTS' }) })).json() as { get_agents: { agents: { agent_info: { id: { value: string } }; active: boolean; deactivated: boolean }[] } };
      expect(agents.get_agents.agents.find((a) => a.agent_info.id.value === agent.id)).toMatchObject({ active: false, deactivated: false });
      const metrics = (await (await fetch(`${m.url}/metrics/snapshot`)).json()) as Record<string, number>;
      expect(metrics).toMatchObject({ 'master/slaves_disconnected': 1, 'master/slaves_inactive': 1 });
      // It comes back (same process, as after a network blip) reporting both: the lost one is killed, the other adopted.
      await agent.reregister([...plain.reported, ...durable.reported], [...plain.frameworks, ...durable.frameworks]);
      const kill = await agent.next('kill-task');
      expect(kill.message.task_id.value).toBe('plain');
      await durable.s.call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 'durable' } }] } });
      await durable.s.update('durable', 'TASK_RUNNING');
    });

    it('is unreachable if it does not re-register within AGORA_AGENT_REREGISTER_TIMEOUT_MS', async () => {
      const m = await start({ AGORA_AGENT_REREGISTER_TIMEOUT_MS: '200' });
      const { s, agent } = await running(m, ['c1'], { checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] });
      agent.exiting();
      await s.update('c1', 'TASK_UNREACHABLE');
      const row = (await m.app.get(RegistryService).listAgents()).find((a) => a.id === agent.id);
      expect(row?.state).toBe('unreachable');
    });

    it('ignores agent-exiting from an older process of the agent', async () => {
      const m = await start();
      const agent = await m.agent();
      agent.session = 'new-process';
      const { s, reported, frameworks } = await running(m, ['n1'], { capabilities: [{ type: 'PARTITION_AWARE' }] }, agent);
      await agent.reregister(reported, frameworks);
      agent.session = 'old-process';
      agent.exiting();
      agent.session = 'new-process';
      // Still offered and its task untouched: a kill still goes straight to it.
      await s.call('KILL', { kill: { task_id: { value: 'n1' } } });
      await agent.next('kill-task');
      expect(s.events.filter((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_LOST')).toEqual([]);
    });
  });

  it('loses the unreported tasks of frameworks without checkpointing when the agent re-registers from a new process', async () => {
    const m = await start();
    const agent = await m.agent();
    agent.session = 'first';
    await agent.reregister();
    const { s, frameworks } = await running(m, ['gone-with-it', 'kept'], { capabilities: [{ type: 'PARTITION_AWARE' }] }, agent);
    agent.session = 'second';
    const kept = { framework_id: { value: s.frameworkId }, task: { name: 'kept', task_id: { value: 'kept' }, agent_id: { value: agent.id }, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } }], command: { value: 'sleep 1000' } }, state: 'TASK_RUNNING' as const };
    await agent.reregister([kept], frameworks);
    const lost = await s.update('gone-with-it', 'TASK_LOST');
    expect(lost.update.status.reason).toBe('REASON_AGENT_RESTARTED');
  });
});
