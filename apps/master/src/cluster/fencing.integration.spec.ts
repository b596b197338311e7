import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { AgoraBus } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import type { TaskInfo } from '@agora/protocol';
import { bootstrapAgent } from '../../../agent/src/bootstrap';
import { killTasksUnder } from '../../../agent/src/testing/kill-tasks';
import { eventually } from '../../../../test/support/cluster';
import { TestScheduler } from '../../../../test/support/scheduler-client';
import { createTestDatabase, serviceUrl, type TestDatabase } from '../../../../test/support/services';
import { bootstrapMaster } from '../bootstrap';
import { TasksService } from '../tasks/tasks.service';
import { ClusterState } from './cluster-state';
import { MasterIdentity } from './master-identity';
import { StandbyGate } from './standby-gate';

interface AgentState {
  frameworks: { executors: { tasks: { id: string; state: string }[]; queued_tasks: { id: string }[]; completed_tasks: { id: string }[] }[] }[];
}

/**
 * Fencing (DESIGN §3.4, §5) with a real agent: a leader that lost its lock but did not exit (a
 * deposed master waking up) still believes it leads and sends commands with its old epoch; the
 * agent, which has met the new leader's higher epoch, ignores them.
 */
describe('fencing a deposed leader', () => {
  let database: TestDatabase;
  let workDir: string;
  const namespace = `fence-${randomBytes(4).toString('hex')}`;
  const apps: INestApplication[] = [];
  let scheduler: TestScheduler | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('fencing');
    workDir = mkdtempSync(join(tmpdir(), 'agora-fencing-'));
  });

  afterAll(async () => {
    scheduler?.disconnect();
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    // The framework checkpoints: its task outlives the agent's close (agent recovery).
    await killTasksUnder(workDir);
    await database?.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const masterEnv = (): Record<string, string> => ({
    DATABASE_URL: database.url,
    NATS_URL: serviceUrl('NATS_URL'),
    AGORA_BUS_NAMESPACE: namespace,
    AGORA_ALLOCATION_INTERVAL_MS: '100',
    AGORA_AGENT_PING_INTERVAL_MS: '500',
    AGORA_LEADER_POLL_MS: '100',
  });

  it('an agent that met epoch N+1 ignores the kills and launches of the leader of epoch N', async () => {
    const stepDowns: string[] = [];
    const deposed = await bootstrapMaster({ port: 0, host: '127.0.0.1', logger: false, env: masterEnv(), onStepDown: (why) => stepDowns.push(why) });
    apps.push(deposed);
    const agent = await bootstrapAgent({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      env: {
        NATS_URL: serviceUrl('NATS_URL'),
        AGORA_BUS_NAMESPACE: namespace,
        AGORA_AGENT_HOSTNAME: 'fenced',
        AGORA_AGENT_ADVERTISE_IP: '127.0.0.1',
        AGORA_AGENT_WORK_DIR: join(workDir, 'agent'),
        AGORA_AGENT_RESOURCES: 'cpus:4;mem:4096;disk:1024;ports:[31000-32000]',
      },
    });
    apps.push(agent);
    const oldEpoch = deposed.get(MasterIdentity).epoch;

    scheduler = await TestScheduler.subscribe(urlOf(deposed), { user: 'test', name: 'fenced', failover_timeout: 3600, checkpoint: true });
    const offer = (await scheduler.nextOfType('OFFERS')).offers.offers[0];
    const agentId = offer.agent_id.value;
    await scheduler.call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [sleeper('victim', agentId)] } }] } });
    for (const state of ['TASK_STARTING', 'TASK_RUNNING']) {
      const update = await scheduler.update('victim', state);
      await scheduler.acknowledge(update.update.status);
    }

    // A standby takes over once the first leader's lock session is gone; the first keeps running.
    const successor = await bootstrapMaster({ port: 0, host: '127.0.0.1', logger: false, env: masterEnv() });
    apps.push(successor);
    await terminateLockSessions(database.url);
    await eventually(async () => successor.get(StandbyGate).leading, 10_000, 'the successor leads');
    expect(stepDowns).toHaveLength(1);
    expect(successor.get(MasterIdentity).epoch).toBe(oldEpoch + 1);
    await eventually(async () => successor.get(ClusterState).agents.get(agentId)?.tasks.size === 1, 15_000, 'the agent re-registers with the successor');

    // The deposed leader still believes in its own view and commands the agent with epoch N.
    const tasks = deposed.get(TasksService);
    const fw = deposed.get(ClusterState).frameworks.get(scheduler.frameworkId)!;
    tasks.kill(fw, 'victim', agentId);
    deposed.get(AgoraBus).toAgent(agentId, 'run-task', { epoch: oldEpoch, framework: { ...fw.info, id: { value: fw.id } }, task: sleeper('intruder', agentId) });
    // A barrier on the same connection: the agent handles its messages in order, so once it
    // answers this ping it has seen (and dropped) both commands above.
    await deposed.get(AgoraBus).ping(agentId, { epoch: oldEpoch + 1, registered: true }, 5000);

    const state = (await (await fetch(`${urlOf(agent)}/state`)).json()) as AgentState;
    const seen = state.frameworks.flatMap((f) => f.executors.flatMap((e) => [...e.tasks.map((t) => [t.id, t.state]), ...e.queued_tasks.map((t) => [t.id]), ...e.completed_tasks.map((t) => [t.id])]));
    expect(seen).toEqual([['victim', 'TASK_RUNNING']]);
  });
});

function sleeper(id: string, agentId: string): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: { value: agentId },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
    ],
    command: { value: 'sleep 300' },
  } as TaskInfo;
}

/** Ends every leadership lock session on the database, as a network cut or a Postgres restart would. */
async function terminateLockSessions(url: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'agora-master-leadership' AND datname = current_database()");
  } finally {
    await admin.end();
  }
}
