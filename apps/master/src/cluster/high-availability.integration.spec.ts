import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { NatsTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import type { TaskInfo } from '@agora/protocol';
import { eventually } from '../../../../test/support/cluster';
import { FakeAgent } from '../../../../test/support/fake-agent';
import { FAST_MASTER_ENV } from '../../../../test/support/master-harness';
import { operatorCall, operatorGet } from '../../../../test/support/operator-client';
import { TestScheduler } from '../../../../test/support/scheduler-client';
import { createTestDatabase, serviceUrl, type TestDatabase } from '../../../../test/support/services';
import { Reason } from '@agora/allocator';
import { AllocationService } from '../allocation/allocation.service';
import { bootstrapMaster } from '../bootstrap';
import { MasterIdentity } from './master-identity';
import { StandbyGate } from './standby-gate';

/**
 * High availability (DESIGN §5, reference §6.1) with three masters in one process against one
 * Postgres database and one NATS (a private namespace): one leads, the others redirect; when the
 * leader goes, a standby takes office with a new epoch, recovers the agents and frameworks the
 * registry knows, and honours reconciliation silence and failover timeouts.
 */
describe('high availability', () => {
  let database: TestDatabase;
  let transport: NatsTransport;
  const namespace = `ha-${randomBytes(4).toString('hex')}`;
  const masters: INestApplication[] = [];
  const schedulers: TestScheduler[] = [];
  const agents: FakeAgent[] = [];
  const stepDowns: string[] = [];

  function env(): Record<string, string> {
    return {
      ...FAST_MASTER_ENV,
      DATABASE_URL: database.url,
      NATS_URL: serviceUrl('NATS_URL'),
      AGORA_BUS_NAMESPACE: namespace,
      AGORA_LEADER_POLL_MS: '100',
      AGORA_LEADER_LEASE_MS: '2000',
    };
  }

  async function startMaster(): Promise<INestApplication> {
    const app = await bootstrapMaster({ port: 0, host: '127.0.0.1', env: env(), logger: false, onStepDown: (why) => stepDowns.push(why) });
    masters.push(app);
    return app;
  }

  async function stopMaster(app: INestApplication): Promise<void> {
    masters.splice(masters.indexOf(app), 1);
    await app.close();
  }

  const leading = (app: INestApplication): boolean => app.get(StandbyGate).leading;
  const address = (app: INestApplication): string => urlOf(app).replace('http://', '');

  beforeAll(async () => {
    database = await createTestDatabase('high_availability');
    transport = await NatsTransport.connect({ url: serviceUrl('NATS_URL'), name: 'ha-test-agents', namespace });
  });

  afterAll(async () => {
    schedulers.forEach((s) => s.disconnect());
    agents.forEach((a) => a.stop());
    for (const app of [...masters]) await app.close();
    await transport?.close();
    await database?.drop();
  });

  it('one master leads, standbys redirect to it, and a standby takes over with the agents and frameworks', async () => {
    const first = await startMaster();
    const standbys = [await startMaster(), await startMaster()];
    expect(masters.map(leading)).toEqual([true, false, false]);
    const firstEpoch = first.get(MasterIdentity).epoch;

    // Standbys: 307 to the leader on the scheduler, operator and /redirect paths; local answers on /health, /version.
    const standby = urlOf(standbys[0]);
    await eventually(async () => standbys[0].get(StandbyGate).leader === address(first), 5000, 'standby knows the leader');
    const scheduler = await fetch(`${standby}/api/v1/scheduler`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect([scheduler.status, scheduler.headers.get('location')]).toEqual([307, `//${address(first)}/api/v1/scheduler`]);
    for (const path of ['/state', '/master/state?jsonp=cb', '/frameworks', '/slaves', '/tasks', '/metrics/snapshot', '/quota']) {
      const answer = await fetch(`${standby}${path}`, { redirect: 'manual' });
      expect([path, answer.status, answer.headers.get('location')]).toEqual([path, 307, `//${address(first)}${path}`]);
    }
    const v1 = await fetch(`${standby}/api/v1`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_STATE"}' });
    expect([v1.status, v1.headers.get('location')]).toEqual([307, `//${address(first)}/api/v1`]);
    const redirect = await fetch(`${standby}/redirect`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, `//${address(first)}`]);
    expect((await fetch(`${urlOf(first)}/redirect`, { redirect: 'manual' })).headers.get('location')).toBe(`//${address(first)}`);
    expect((await fetch(`${standby}/health`)).status).toBe(200);
    expect((await fetch(`${standby}/version`)).status).toBe(200);

    // The leader's cluster: an agent with a running task of a framework that will come back,
    // and a framework with a short failover timeout that will not.
    const agent = new FakeAgent(transport, 'ha-agent');
    agents.push(agent);
    expect((await agent.register()).result).toBe('REGISTERED');
    const info = { user: 'test', name: 'ha', failover_timeout: 3600, checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' as const }] };
    const s1 = await TestScheduler.subscribe(urlOf(first), info);
    schedulers.push(s1);
    const offers = await s1.nextOfType('OFFERS');
    const offer = offers.offers.offers[0];
    const t1 = task('t1', offer.agent_id.value);
    await s1.call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [t1] } }] } });
    await agent.next('run-task');
    agent.sendStatus(s1.frameworkId, 't1', 'TASK_RUNNING');
    const running = await s1.update('t1', 'TASK_RUNNING');
    await s1.acknowledge(running.update.status);
    const leaver = await TestScheduler.subscribe(urlOf(first), { user: 'test', name: 'leaver', failover_timeout: 1 });
    schedulers.push(leaver);
    const quota = await operatorCall(urlOf(first), { type: 'UPDATE_QUOTA', update_quota: { force: true, quota_configs: [{ role: 'q', guarantees: { cpus: { value: 1 } } }] } });
    expect(quota.status).toBe(200);

    // The leader goes; a standby takes office with the next epoch.
    await stopMaster(first);
    const next = await eventually(async () => standbys.find(leading), 10_000, 'a standby leads');
    const other = standbys.find((m) => m !== next)!;
    expect(next.get(MasterIdentity).epoch).toBe(firstEpoch + 1);
    await eventually(async () => other.get(StandbyGate).leader === address(next), 5000, 'the other standby follows');
    const moved = await fetch(`${urlOf(other)}/state`, { redirect: 'manual' });
    expect(moved.headers.get('location')).toBe(`//${address(next)}/state`);

    // The agent is recovered until it re-registers: listed, and reconciling an unknown task there gets no answer.
    const state = (await (await fetch(`${urlOf(next)}/state`)).json()) as { slaves: unknown[]; recovered_slaves: { id: string }[] };
    expect([state.slaves, state.recovered_slaves.map((a) => a.id)]).toEqual([[], [agent.id]]);
    const getAgents = await operatorGet<{ get_agents: { recovered_agents: { id: { value: string } }[] } }>(urlOf(next), 'GET_AGENTS');
    expect(getAgents.get_agents.recovered_agents.map((a) => a.id.value)).toEqual([agent.id]);

    const s2 = await TestScheduler.subscribe(urlOf(next), { ...info, id: { value: s1.frameworkId } });
    schedulers.push(s2);
    expect(s2.first?.type).toBe('SUBSCRIBED');
    expect(s2.frameworkId).toBe(s1.frameworkId);
    await s2.call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 'ghost-1' }, agent_id: { value: agent.id } }, { task_id: { value: 'ghost-2' } }] } });
    // A role with a quota guarantee is withheld until enough agents are back (reference §6.1).
    const guaranteed = await TestScheduler.subscribe(urlOf(next), { user: 'test', name: 'guaranteed', role: 'q' });
    schedulers.push(guaranteed);
    const allocation = next.get(AllocationService);
    await eventually(async () => allocation.explanations(guaranteed.frameworkId).some((e) => e.reasons.some((r) => r.code === Reason.QUOTA_RECOVERY)), 5000, 'the quota role is withheld');

    const frameworkInfo = { ...info, id: { value: s1.frameworkId } };
    const answer = await agent.reregister([{ framework_id: { value: s1.frameworkId }, task: t1, state: 'TASK_RUNNING' }], [frameworkInfo]);
    expect(answer.result).toBe('REGISTERED');
    expect(answer.epoch).toBe(firstEpoch + 1);
    const after = (await (await fetch(`${urlOf(next)}/state`)).json()) as { recovered_slaves: unknown[] };
    expect(after.recovered_slaves).toEqual([]);
    // Admitted already and unchanged: re-admitted without a registry write, as in Mesos.
    expect(await registryColumn('registry_agents', 'reregistered_time', agent.id)).toBeNull();
    // Events on a stream are ordered: had the ghosts been answered, their updates would come first.
    await s2.call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 'ghost-3' }, agent_id: { value: agent.id } }, { task_id: { value: 't1' } }] } });
    const firstUpdate = await s2.nextOfType('UPDATE');
    expect([firstUpdate.update.status.task_id.value, firstUpdate.update.status.state]).toEqual(['ghost-3', 'TASK_GONE']);
    expect((await s2.update('t1', 'TASK_RUNNING')).update.status.reason).toBe('REASON_RECONCILIATION');
    // With the agent back, the guaranteed role is offered again.
    await guaranteed.nextOfType('OFFERS');

    // The framework that never came back is removed once its failover timeout passed after the failover.
    await eventually(async () => (await removedTime(leaver.frameworkId)) !== null, 10_000, 'the leaver is removed');
    const refused = await TestScheduler.subscribe(urlOf(next), { user: 'test', name: 'leaver', failover_timeout: 1, id: { value: leaver.frameworkId } });
    expect(refused.first).toMatchObject({ type: 'ERROR', error: { message: 'Framework has been removed' } });
    expect(stepDowns).toEqual([]);
  });

  function task(id: string, agentId: string): TaskInfo {
    return {
      name: id,
      task_id: { value: id },
      agent_id: { value: agentId },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
      ],
      command: { value: 'sleep 1000' },
    } as TaskInfo;
  }

  function removedTime(frameworkId: string): Promise<Date | null> {
    return registryColumn('registry_frameworks', 'removed_time', frameworkId);
  }

  async function registryColumn(table: 'registry_frameworks' | 'registry_agents', column: 'removed_time' | 'reregistered_time', id: string): Promise<Date | null> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<Record<string, Date | null>>(`SELECT ${column} FROM ${table} WHERE id = $1`, [id]);
      return result.rows[0]?.[column] ?? null;
    } finally {
      await client.end();
    }
  }
});
