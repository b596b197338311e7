import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { NatsTransport } from '@agora/bus';
import type { ReregisterAgent, TaskInfo } from '@agora/protocol';
import { serviceUrl } from '../../../../../test/support/services';
import { LABELS } from './container-spec';
import { parseDockerHost } from './engine-address';
import { AgentProcess } from '../../testing/agent-process';
import { FakeMaster } from '../../testing/fake-master';
import { waitFor } from '../../testing/wait-for';

jest.setTimeout(120_000);

/**
 * Docker tasks across an agent's SIGKILL: the containers are found again by their labels
 * (DESIGN §7). A real agent process, the engine scripts/services.sh starts, real NATS.
 */
describe('Docker task recovery across a SIGKILL', () => {
  let workDir: string;
  let master: FakeMaster;
  let transport: NatsTransport;
  let env: Record<string, string>;
  let agent: AgentProcess | undefined;
  let raw: Docker;

  beforeAll(async () => {
    const address = parseDockerHost(serviceUrl('DOCKER_HOST'));
    raw = new Docker(address.kind === 'unix' ? { socketPath: address.socketPath } : { host: address.host, port: address.port });
    workDir = await mkdtemp(join(tmpdir(), 'agora-docker-recovery-'));
    const url = serviceUrl('NATS_URL');
    const namespace = `docker-recovery-spec-${randomBytes(4).toString('hex')}`;
    transport = await NatsTransport.connect({ url, name: 'docker-recovery-spec-master', namespace });
    master = new FakeMaster(transport);
    env = {
      NATS_URL: url,
      AGORA_BUS_NAMESPACE: namespace,
      AGORA_AGENT_WORK_DIR: workDir,
      AGORA_AGENT_PORT: '0',
      AGORA_AGENT_HOST: '127.0.0.1',
      AGORA_AGENT_HOSTNAME: 'docker-recovery-spec',
      AGORA_AGENT_RESOURCES: 'cpus:2;mem:1024;disk:1000;ports:[31000-31010]',
      AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '10',
      DOCKER_HOST: serviceUrl('DOCKER_HOST'),
      AGORA_DOCKER: 'on',
      AGORA_DOCKER_REMOVE_DELAY_MS: '0',
    };
  });

  afterAll(async () => {
    await agent?.kill();
    const mine = await raw.listContainers({ all: true, filters: { label: [`${LABELS.agentId}=${master.agentId}`] } });
    await Promise.all(mine.map((c) => raw.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    master.close();
    await transport.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const log = (): string => join(workDir, 'agent.log');
  const checkpointing = { id: { value: 'fw-checkpoint' }, checkpoint: true };
  const dockerTask = (id: string, command: string): Partial<TaskInfo> & { task_id: { value: string } } => ({
    task_id: { value: id },
    command: { value: command },
    container: { type: 'DOCKER', docker: { image: 'agora/busybox' } },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
  });
  const containerOf = async (taskId: string): Promise<Docker.ContainerInfo | undefined> =>
    (await raw.listContainers({ all: true, filters: { label: [`${LABELS.taskId}=${taskId}`, `${LABELS.agentId}=${master.agentId}`] } }))[0];

  /** Starts the agent process; answers its reregister message (a first boot registers: undefined). */
  async function bootAgent(extra: Record<string, string> = {}): Promise<ReregisterAgent | undefined> {
    const before = master.registrations.length;
    const known = master.kinds.length > 0;
    agent = AgentProcess.start({ ...env, ...extra }, log());
    // A late retry of an earlier process's `register` is not this process's registration.
    const index = (): number => master.kinds.findIndex((kind, i) => i >= before && (!known || kind === 'reregister'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => void readFile(log(), 'utf8').then((text) => reject(new Error(`the agent did not register:\n${text}`))), 60_000);
    });
    await Promise.race([master.until(() => index() >= 0), timeout]).finally(() => clearTimeout(timer));
    await master.agentListening();
    return master.kinds[index()] === 'reregister' ? (master.registrations[index()] as ReregisterAgent) : undefined;
  }

  it('finds running containers again, reports one that exited meanwhile, removes the others; cleanup removes all', async () => {
    await bootAgent();
    const agentId = master.agentId;
    master.runTask(dockerTask('dlong', 'sleep 300'), checkpointing);
    master.runTask(dockerTask('dends', 'sleep 2; exit 4'), checkpointing);
    master.runTask(dockerTask('dplain', 'sleep 300'), { id: { value: 'fw-plain' } });
    await master.until(() => ['dlong', 'dends', 'dplain'].every((t) => master.distinctStates(t).includes('TASK_RUNNING')));
    const long = (await containerOf('dlong')) as Docker.ContainerInfo;

    await (agent as AgentProcess).kill();
    // The container of the short task ends while no agent is there.
    await waitFor(async () => (await containerOf('dends'))?.State === 'exited');

    const reregistration = await bootAgent();
    expect(reregistration?.agent_info.id.value).toBe(agentId);
    expect(new Set(reregistration?.tasks?.map((t) => t.task.task_id.value))).toEqual(new Set(['dlong', 'dends']));
    await master.until(() => master.distinctStates('dends').includes('TASK_FAILED'));
    expect(master.updates.find((u) => u.status.task_id.value === 'dends' && u.status.state === 'TASK_FAILED')?.status.message).toBe('Command exited with status 4');
    // The non-checkpointing task's container is removed; the long one runs on, the same container.
    await waitFor(async () => (await containerOf('dplain')) === undefined);
    expect(await containerOf('dlong')).toMatchObject({ Id: long.Id, State: 'running' });

    const cleaned = await bootAgentAfterKill({ AGORA_AGENT_RECOVER: 'cleanup' });
    expect(cleaned?.tasks ?? []).toEqual([]);
    await waitFor(async () => (await containerOf('dlong')) === undefined);
    await (agent as AgentProcess).stop();
  });

  async function bootAgentAfterKill(extra: Record<string, string>): Promise<ReregisterAgent | undefined> {
    await (agent as AgentProcess).kill();
    return bootAgent(extra);
  }
});
