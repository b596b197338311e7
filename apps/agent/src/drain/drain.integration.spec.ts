import type { Event } from '@agora/protocol';
import { eventually, startTestCluster, type TestCluster } from '../../../../test/support/cluster';
import { operatorCall } from '../../../../test/support/operator-client';
import { TestScheduler } from '../../../../test/support/scheduler-client';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];

/**
 * A real master and a real agent over NATS: DRAIN_AGENT kills a running command task within
 * the drain's grace (TASK_KILLED, REASON_AGENT_DRAINING) and the agent ends DRAINED once the
 * update is acknowledged; an agent process that stops loses the tasks of a framework without
 * checkpointing at once (TASK_LOST, REASON_AGENT_DISCONNECTED).
 */
describe('draining and stopping a real agent', () => {
  let cluster: TestCluster;
  let scheduler: TestScheduler | undefined;

  beforeEach(async () => {
    cluster = await startTestCluster('drain', { agents: 1 });
  });
  afterEach(async () => {
    scheduler?.disconnect();
    await cluster.stop();
  });

  async function launch(taskId: string): Promise<{ s: TestScheduler; offer: Offer }> {
    const s = await TestScheduler.subscribe(cluster.masterUrl, { user: 'test', name: 'drain', capabilities: [{ type: 'PARTITION_AWARE' }] });
    scheduler = s;
    const offer = (await s.nextOfType('OFFERS')).offers.offers[0];
    const task = {
      name: taskId,
      task_id: { value: taskId },
      agent_id: offer.agent_id,
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
      command: { value: 'sleep 1000' },
      // Longer than the drain allows: the drain's maximum wins.
      kill_policy: { grace_period: { nanoseconds: 600e9 } },
    };
    await s.call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } });
    for (const state of ['TASK_STARTING', 'TASK_RUNNING']) {
      const update = await s.update(taskId, state);
      await s.acknowledge(update.update.status);
    }
    return { s, offer };
  }

  it('DRAIN_AGENT kills the task (REASON_AGENT_DRAINING) and the agent is DRAINED once it is acknowledged', async () => {
    const { s, offer } = await launch('drained');
    const drain = await operatorCall(cluster.masterUrl, { type: 'DRAIN_AGENT', drain_agent: { agent_id: offer.agent_id, max_grace_period: { nanoseconds: 1e9 } } });
    expect(drain.status).toBe(200);
    const killed = await s.update('drained', 'TASK_KILLED');
    expect(killed.update.status.reason).toBe('REASON_AGENT_DRAINING');
    await s.acknowledge(killed.update.status);
    await eventually(async () => {
      const answer = JSON.parse((await operatorCall(cluster.masterUrl, { type: 'GET_AGENTS' })).body) as { get_agents: { agents: { drain_info?: { state: string } }[] } };
      return answer.get_agents.agents[0]?.drain_info?.state === 'DRAINED';
    }, 20000, 'DRAINED');
  });

  it('an agent process that stops loses the tasks of a framework without checkpointing at once', async () => {
    const { s } = await launch('lost');
    await cluster.agents[0].close();
    cluster.agents.splice(0, 1);
    const lost = await s.update('lost', 'TASK_LOST');
    expect(lost.update.status.reason).toBe('REASON_AGENT_DISCONNECTED');
  });
});
