import type { Event } from '@agora/protocol';
import { startTestCluster, type TestCluster } from '../support/cluster';
import { TestScheduler } from '../support/scheduler-client';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];

/**
 * Reliable status updates and kills through a real agent (reference §1.6): an update the
 * scheduler does not acknowledge comes again with the same uuid, and the next one waits behind
 * it; a kill ends a running process with TASK_KILLED.
 */
describe('status updates and kills through a real agent', () => {
  let cluster: TestCluster;
  let scheduler: TestScheduler;

  beforeAll(async () => {
    cluster = await startTestCluster('status_updates', {
      agents: 1,
      agentEnv: { AGORA_STATUS_UPDATE_RETRY_MIN_MS: '300', AGORA_STATUS_UPDATE_RETRY_MAX_MS: '1000', AGORA_KILL_GRACE_MS: '1000' },
    });
    scheduler = await TestScheduler.subscribe(cluster.masterUrl, { user: 'e2e', name: 'updates', capabilities: [{ type: 'TASK_KILLING_STATE' }] });
  });

  afterAll(async () => {
    scheduler?.disconnect();
    await cluster?.stop();
  });

  async function launch(id: string, command: string): Promise<void> {
    const offer: Offer = (await scheduler.nextOfType('OFFERS')).offers.offers[0];
    const answer = await scheduler.call('ACCEPT', {
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{
          name: id,
          task_id: { value: id },
          agent_id: offer.agent_id,
          resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
          command: { value: command },
        }] } }],
        filters: { refuse_seconds: 0 },
      },
    });
    expect(answer.status).toBe(202);
  }

  it('resends an unacknowledged update with the same uuid, and holds the next one back until the ack', async () => {
    await launch('retried', 'sleep 0.2');
    const first = await scheduler.update('retried', 'TASK_STARTING');
    const again = await scheduler.update('retried', 'TASK_STARTING');
    expect(again.update.status.uuid).toBe(first.update.status.uuid);
    expect(scheduler.events.some((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'retried' && e.update.status.state !== 'TASK_STARTING')).toBe(false);
    await scheduler.acknowledge(first.update.status);
    await scheduler.acknowledge((await scheduler.update('retried', 'TASK_RUNNING')).update.status);
    const finished = await scheduler.update('retried', 'TASK_FINISHED');
    expect(finished.update.status.message).toBe('Command exited with status 0');
    await scheduler.acknowledge(finished.update.status);
  });

  it('kills a running task: TASK_KILLING, then TASK_KILLED', async () => {
    await launch('sleeper', 'sleep 30');
    for (const state of ['TASK_STARTING', 'TASK_RUNNING']) await scheduler.acknowledge((await scheduler.update('sleeper', state)).update.status);
    expect((await scheduler.call('KILL', { kill: { task_id: { value: 'sleeper' } } })).status).toBe(202);
    await scheduler.acknowledge((await scheduler.update('sleeper', 'TASK_KILLING')).update.status);
    const killed = await scheduler.update('sleeper', 'TASK_KILLED');
    expect(killed.update.status.source).toBe('SOURCE_EXECUTOR');
    await scheduler.acknowledge(killed.update.status);
  });

  it('reports a failing command with its exit status', async () => {
    await launch('failing', 'exit 3');
    for (const state of ['TASK_STARTING', 'TASK_RUNNING']) await scheduler.acknowledge((await scheduler.update('failing', state)).update.status);
    const failed = await scheduler.update('failing', 'TASK_FAILED');
    expect(failed.update.status.message).toBe('Command exited with status 3');
    await scheduler.acknowledge(failed.update.status);
  });
});
