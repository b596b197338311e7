import type { Event } from '@agora/protocol';
import { eventually, startTestCluster, type TestCluster } from '../support/cluster';
import { TestScheduler } from '../support/scheduler-client';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];

const scalar = (name: string, value: number): Record<string, unknown> => ({ name, type: 'SCALAR', scalar: { value } });

/**
 * LAUNCH_GROUP through the master and a real agent (reference §1.5, §2): the tasks start
 * together under the default executor; when one fails the others are killed, the executor ends
 * (FAILURE) and everything it held returns to the pool.
 */
describe('task groups', () => {
  let cluster: TestCluster;
  let scheduler: TestScheduler;

  beforeAll(async () => {
    cluster = await startTestCluster('task_group', { agents: 1, agentResources: 'cpus:2;mem:1024;disk:1024;ports:[31000-32000]' });
    scheduler = await TestScheduler.subscribe(cluster.masterUrl, { user: 'e2e', name: 'groups' });
  });

  afterAll(async () => {
    scheduler?.disconnect();
    await cluster?.stop();
  });

  it('kills the rest of the group when one task fails', async () => {
    const offer: Offer = (await scheduler.nextOfType('OFFERS')).offers.offers[0];
    const member = (id: string, command: string): Record<string, unknown> => ({
      name: id,
      task_id: { value: id },
      agent_id: offer.agent_id,
      resources: [scalar('cpus', 0.2), scalar('mem', 32)],
      command: { value: command },
    });
    const answer = await scheduler.call('ACCEPT', {
      accept: {
        offer_ids: [offer.id],
        operations: [{
          type: 'LAUNCH_GROUP',
          launch_group: {
            executor: { executor_id: { value: 'group-1' }, type: 'DEFAULT', resources: [scalar('cpus', 0.1), scalar('mem', 32)] },
            task_group: { tasks: [member('long-1', 'sleep 30'), member('long-2', 'sleep 30'), member('broken', 'sleep 0.5; exit 2')] },
          },
        }],
        filters: { refuse_seconds: 0 },
      },
    });
    expect(answer.status).toBe(202);

    const ended = new Map<string, string>();
    while (ended.size < 3) {
      const update = (await scheduler.nextOfType('UPDATE')).update.status;
      await scheduler.acknowledge(update);
      if (!['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'].includes(update.state)) ended.set(update.task_id.value, update.state);
    }
    expect(Object.fromEntries(ended)).toEqual({ broken: 'TASK_FAILED', 'long-1': 'TASK_KILLED', 'long-2': 'TASK_KILLED' });

    const failure = await scheduler.nextOfType('FAILURE');
    expect(failure.failure.executor_id?.value).toBe('group-1');

    // Tasks and the executor gave everything back.
    await eventually(async () => {
      const state = (await (await fetch(`${cluster.masterUrl}/state`)).json()) as { slaves: { used_resources: Record<string, number> }[] };
      return state.slaves[0].used_resources.cpus === 0;
    }, 20000, 'resources returned');
  });
});
