import type { Event } from '@agora/protocol';
import { eventually, startTestCluster, type TestCluster } from '../support/cluster';
import { TestScheduler } from '../support/scheduler-client';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];
type V0 = Record<string, number | string>;

/**
 * Issue 3's end-to-end proof: a scheduler subscribes over HTTP and launches 500 command tasks
 * over 3 real agents (real processes, real NATS, real Postgres). Every task finishes, every
 * update with a uuid is acknowledged once, resources return to the pool, and /state and
 * /metrics/snapshot agree with what happened.
 */
describe('offer cycle end to end', () => {
  const TASKS = 500;
  let cluster: TestCluster;
  let scheduler: TestScheduler;

  beforeAll(async () => {
    cluster = await startTestCluster('offer_cycle', { agents: 3, agentResources: 'cpus:4;mem:4096;disk:1024;ports:[31000-32000]' });
  });

  afterAll(async () => {
    scheduler?.disconnect();
    await cluster?.stop();
  });

  it(`runs ${TASKS} command tasks over 3 agents to TASK_FINISHED`, async () => {
    await eventually(async () => {
      const state = (await (await fetch(`${cluster.masterUrl}/state`)).json()) as { slaves: unknown[] };
      return state.slaves.length === 3;
    }, 30000, 'three agents registered');

    scheduler = await TestScheduler.subscribe(cluster.masterUrl, { user: 'e2e', name: 'five-hundred', roles: ['e2e'], capabilities: [{ type: 'MULTI_ROLE' }] });
    const pending = Array.from({ length: TASKS }, (_, i) => `task-${i}`);
    const finished = new Set<string>();
    const acknowledged = new Map<string, number>();
    const agentsUsed = new Set<string>();
    const failures: string[] = [];

    while (finished.size < TASKS) {
      const event = await scheduler.next((e) => e.type === 'OFFERS' || e.type === 'UPDATE', 60000);
      if (event.type === 'OFFERS') {
        for (const offer of event.offers.offers) await useOffer(offer);
        continue;
      }
      if (event.type !== 'UPDATE') continue;
      const status = event.update.status;
      if (status.uuid !== undefined) {
        acknowledged.set(status.uuid, (acknowledged.get(status.uuid) ?? 0) + 1);
        await scheduler.acknowledge(status);
      }
      if (status.state === 'TASK_FINISHED') finished.add(status.task_id.value);
      else if (!['TASK_STARTING', 'TASK_RUNNING'].includes(status.state)) failures.push(`${status.task_id.value}: ${status.state} ${status.message ?? ''}`);
      expect(failures).toEqual([]);
    }

    async function useOffer(offer: Offer): Promise<void> {
      const cpus = scalar(offer, 'cpus');
      const mem = scalar(offer, 'mem');
      const fit = Math.min(Math.floor(cpus / 0.1 + 1e-9), Math.floor(mem / 32), pending.length);
      const tasks = pending.splice(0, fit).map((id) => ({
        name: id,
        task_id: { value: id },
        agent_id: offer.agent_id,
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, allocation_info: { role: 'e2e' } },
          { name: 'mem', type: 'SCALAR', scalar: { value: 32 }, allocation_info: { role: 'e2e' } },
        ],
        command: { value: 'true' },
      }));
      if (tasks.length > 0) agentsUsed.add(offer.agent_id.value);
      const answer = tasks.length === 0
        ? await scheduler.call('DECLINE', { decline: { offer_ids: [offer.id] } })
        : await scheduler.call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } } });
      expect(answer.status).toBe(202);
    }

    expect(finished.size).toBe(TASKS);
    expect(agentsUsed.size).toBe(3);
    // STARTING, RUNNING and FINISHED for each task, each with its own uuid, each acknowledged once.
    expect(acknowledged.size).toBe(TASKS * 3);
    expect([...acknowledged.values()].every((n) => n === 1)).toBe(true);

    // Resources return to the pool; /state and /metrics/snapshot say what happened.
    const state = await eventually(async () => {
      const s = (await (await fetch(`${cluster.masterUrl}/state`)).json()) as {
        slaves: { used_resources: V0; resources: V0 }[];
        frameworks: { id: string; tasks: unknown[]; completed_tasks: { state: string }[] }[];
      };
      return s.slaves.every((a) => Number(a.used_resources.cpus ?? 0) === 0) ? s : undefined;
    }, 20000, 'resources returned');
    const fw = state.frameworks.find((f) => f.id === scheduler.frameworkId)!;
    expect(fw.tasks).toEqual([]);
    expect(fw.completed_tasks).toHaveLength(TASKS);
    expect(fw.completed_tasks.every((t) => t.state === 'TASK_FINISHED')).toBe(true);
    expect(state.slaves.reduce((sum, a) => sum + Number(a.resources.cpus), 0)).toBe(12);

    const metrics = (await (await fetch(`${cluster.masterUrl}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(metrics['master/tasks_finished']).toBe(TASKS);
    expect(metrics['master/tasks_failed']).toBe(0);
    expect(metrics['master/tasks_running']).toBe(0);
    expect(metrics['master/slaves_active']).toBe(3);
    expect(metrics['master/cpus_total']).toBe(12);
    expect(metrics['master/cpus_used']).toBe(0);
    expect(metrics['master/valid_status_update_acknowledgements']).toBe(TASKS * 3);

    const tasks = (await (await fetch(`${cluster.masterUrl}/tasks?limit=1000`)).json()) as { tasks: { state: string }[] };
    expect(tasks.tasks).toHaveLength(TASKS);

    expect((await scheduler.call('TEARDOWN')).status).toBe(202);
  }, 300000);
});

function scalar(offer: Offer, name: string): number {
  return (offer.resources ?? []).filter((r) => r.name === name).reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0);
}
