import type { Event } from '@agora/protocol';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/services';
import { startTestMaster, type TestMaster } from '../../../../test/support/master-harness';
import { TestScheduler } from '../../../../test/support/scheduler-client';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];

/**
 * Re-registration against what the master knew (reference §5.2): tasks the agent no longer
 * reports are reconciled to TASK_DROPPED (partition-aware) or TASK_LOST, both for an agent that
 * was registered and for one that had been marked unreachable. Real master, fake agents.
 */
describe('agents re-registering without some of their tasks', () => {
  let database: TestDatabase;
  let master: TestMaster;
  let scheduler: TestScheduler | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('reregistration');
  });
  afterAll(() => database?.drop());
  beforeEach(async () => {
    master = await startTestMaster(database.url);
  });
  afterEach(async () => {
    scheduler?.disconnect();
    await master.stop();
  });

  const task = (id: string, o: Offer) => ({
    name: id,
    task_id: { value: id },
    agent_id: o.agent_id,
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
    command: { value: 'true' },
  });

  /** A framework with two tasks `kept` and `vanished` on one fake agent; returns what re-registration needs. */
  async function twoTasks(capabilities: { type: string }[]) {
    const s = await TestScheduler.subscribe(master.url, { user: 'test', name: 'rereg', capabilities });
    scheduler = s;
    const agent = await master.agent();
    const offers = await s.nextOfType('OFFERS');
    const o = offers.offers.offers[0];
    await s.call('ACCEPT', { accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task('kept', o), task('vanished', o)] } }] } });
    const kept = await agent.next('run-task', (m) => m.message.task.task_id.value === 'kept');
    await agent.next('run-task', (m) => m.message.task.task_id.value === 'vanished');
    const reported = [{ framework_id: { value: s.frameworkId }, task: kept.message.task, state: 'TASK_RUNNING' as const }];
    return { s, agent, reported, frameworks: [kept.message.framework] };
  }

  it('reports TASK_LOST for a task a registered agent no longer has (legacy framework)', async () => {
    const { s, agent, reported, frameworks } = await twoTasks([]);
    const reply = await agent.reregister(reported, frameworks);
    expect(reply.result).toBe('REGISTERED');
    const lost = await s.update('vanished', 'TASK_LOST');
    expect(lost.update.status.reason).toBe('REASON_RECONCILIATION');
    await s.call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 'kept' } }] } });
    await s.update('kept', 'TASK_RUNNING');
  });

  it('reports TASK_DROPPED for a task an unreachable agent no longer has when it comes back', async () => {
    const { s, agent, reported, frameworks } = await twoTasks([{ type: 'PARTITION_AWARE' }]);
    agent.answerPings = false;
    await s.update('vanished', 'TASK_UNREACHABLE');
    agent.answerPings = true;
    const reply = await agent.reregister(reported, frameworks);
    expect(reply.result).toBe('REGISTERED');
    const dropped = await s.update('vanished', 'TASK_DROPPED');
    expect(dropped.update.status.reason).toBe('REASON_RECONCILIATION');
  });
});
