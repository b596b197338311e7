import { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import { bootstrapAgent } from '../bootstrap';
import { FakeMaster } from '../testing/fake-master';

describe('agent /metrics/snapshot over HTTP', () => {
  let bus: InProcessTransport;
  let master: FakeMaster;
  let agent: INestApplication;
  let workDir: string;
  let base: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-metrics-'));
    bus = new InProcessTransport();
    master = new FakeMaster(bus);
    agent = await bootstrapAgent({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      workDir,
      resources: 'cpus:2;mem:1024;disk:2048',
      transport: bus,
      env: { AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '20' },
    });
    base = urlOf(agent);
    await master.until(() => master.registrations.length === 1);
    await master.agentListening();
  });

  afterAll(async () => {
    await agent.close();
    master.close();
    await bus.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const snapshot = async (path = '/metrics/snapshot'): Promise<Record<string, number>> => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, number>;
  };

  it('shows the registered agent and its resources', async () => {
    expect(await snapshot()).toMatchObject({
      'slave/registered': 1,
      'slave/cpus_total': 2,
      'slave/mem_total': 1024,
      'slave/disk_total': 2048,
      'slave/tasks_running': 0,
      'system/cpus_total': expect.any(Number),
      'system/mem_total_bytes': expect.any(Number),
    });
  });

  it('counts a running task, then its end, under /slave(1)/metrics/snapshot too', async () => {
    const fw = `${master.masterId}-0000`;
    master.runTask({
      task_id: { value: 'sleeper' },
      command: { value: 'sleep 60' },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 256 } },
      ],
    });
    await master.until(() => master.distinctStates('sleeper').includes('TASK_RUNNING'));
    expect(await snapshot('/slave(1)/metrics/snapshot')).toMatchObject({
      'slave/tasks_running': 1,
      'slave/executors_running': 1,
      'slave/frameworks_active': 1,
      'slave/cpus_used': 0.5,
      'slave/cpus_percent': 0.25,
      'slave/mem_used': 256,
      'slave/valid_status_updates': 2,
    });

    master.send('framework-message', { framework_id: { value: fw }, executor_id: { value: 'sleeper' }, data: 'aGk=' });
    master.send('framework-message', { framework_id: { value: fw }, executor_id: { value: 'nobody' }, data: 'aGk=' });
    master.send('kill-task', { framework_id: { value: fw }, task_id: { value: 'sleeper' } });
    await master.until(() => master.distinctStates('sleeper').includes('TASK_KILLED'));

    const after = await snapshot();
    expect(after).toMatchObject({
      'slave/tasks_running': 0,
      'slave/cpus_used': 0,
      'slave/tasks_killed': 1,
      'slave/valid_status_updates': 3,
      'slave/invalid_status_updates': 0,
      'slave/executors_terminated': 1,
      'slave/valid_framework_messages': 1,
      'slave/invalid_framework_messages': 1,
    });
    expect(after['slave/uptime_secs']).toBeGreaterThan(0);
  });
});
