import { INestApplication } from '@nestjs/common';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { InProcessTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import { serviceUrl } from '../../../../../test/support/services';
import { bootstrapAgent } from '../../bootstrap';
import { FakeMaster } from '../../testing/fake-master';
import { LABELS } from './container-spec';
import { parseDockerHost } from './engine-address';

/**
 * A whole agent with the Docker engine scripts/services.sh starts, against a fake master on the
 * in-process bus: it says in /state that it has an engine, runs a Docker task to
 * TASK_FINISHED with its output in the sandbox, keeps the ended container for the remove delay
 * and removes it when it stops. Without an engine, a Docker task fails and says why.
 */
describe('an agent with Docker', () => {
  let workDir: string;
  let bus: InProcessTransport;
  let master: FakeMaster;
  let agent: INestApplication | undefined;
  let raw: Docker;

  beforeAll(() => {
    const address = parseDockerHost(serviceUrl('DOCKER_HOST'));
    raw = new Docker(address.kind === 'unix' ? { socketPath: address.socketPath } : { host: address.host, port: address.port });
  });

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-docker-agent-'));
    bus = new InProcessTransport();
    master = new FakeMaster(bus);
  });

  afterEach(async () => {
    await agent?.close();
    agent = undefined;
    master.close();
    await bus.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function boot(env: Record<string, string>): Promise<string> {
    agent = await bootstrapAgent({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      workDir,
      hostname: 'docker-agent',
      resources: 'cpus:2;mem:1024',
      transport: bus,
      env: { AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '20', ...env },
    });
    await master.until(() => master.registrations.length === 1);
    await master.agentListening();
    return urlOf(agent);
  }

  it('runs a Docker task and removes its container when it stops', async () => {
    const base = await boot({ DOCKER_HOST: serviceUrl('DOCKER_HOST'), AGORA_DOCKER_REMOVE_DELAY_MS: '3600000' });
    const state = (await (await fetch(`${base}/state`)).json()) as { docker: boolean; flags: Record<string, string> };
    expect(state.docker).toBe(true);
    expect(state.flags).toMatchObject({ docker: 'auto', docker_host: serviceUrl('DOCKER_HOST') });

    master.runTask({
      task_id: { value: 'in-docker' },
      command: { value: 'echo hello from $(uname -s)' },
      container: { type: 'DOCKER', docker: { image: 'agora/busybox' } },
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
    });
    await master.until(() => master.distinctStates('in-docker').includes('TASK_FINISHED'));
    expect(master.distinctStates('in-docker')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);

    const executor = (((await (await fetch(`${base}/state`)).json()) as { frameworks: { executors: { id: string; container: string; directory: string }[] }[] })
      .frameworks.flatMap((f) => f.executors)).find((e) => e.id === 'in-docker');
    expect(await readFile(join(executor?.directory ?? '', 'stdout'), 'utf8')).toBe('hello from Linux\n');
    const kept = await raw.listContainers({ all: true, filters: { label: [`${LABELS.containerId}=${executor?.container}`] } });
    expect(kept.map((c) => c.Names)).toEqual([[`/mesos-${executor?.container}`]]);

    await agent?.close();
    agent = undefined;
    expect(await raw.listContainers({ all: true, filters: { label: [`${LABELS.containerId}=${executor?.container}`] } })).toEqual([]);
  });

  it('fails a Docker task when no engine answers, saying so', async () => {
    const base = await boot({ DOCKER_HOST: `unix://${join(workDir, 'no-docker.sock')}` });
    expect(((await (await fetch(`${base}/state`)).json()) as { docker: boolean }).docker).toBe(false);
    master.runTask({ task_id: { value: 'no-engine' }, command: { value: 'true' }, container: { type: 'DOCKER', docker: { image: 'agora/busybox' } } });
    await master.until(() => master.distinctStates('no-engine').includes('TASK_FAILED'));
    const failed = master.updates.find((u) => u.status.task_id.value === 'no-engine' && u.status.state === 'TASK_FAILED');
    expect(failed?.status).toMatchObject({ source: 'SOURCE_AGENT', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: expect.stringMatching(/^no Docker engine on this agent: nothing answers at unix:\/\//) });
  });
});
