import Docker from 'dockerode';
import type { ReregisterAgent, TaskInfo } from '@agora/protocol';
import { serviceUrl } from '../../../../../test/support/services';
import { LABELS } from './container-spec';
import { parseDockerHost } from './engine-address';
import { FakeMaster } from '../../testing/fake-master';
import { RecoveringAgent } from '../../testing/recovering-agent';
import { waitFor } from '../../testing/wait-for';

jest.setTimeout(120_000);

/**
 * Docker tasks across an agent's SIGKILL: the containers are found again by their labels
 * (DESIGN §7). A real agent process, the engine scripts/services.sh starts, real NATS.
 */
describe('Docker task recovery across a SIGKILL', () => {
  let rig: RecoveringAgent;
  let master: FakeMaster;
  let raw: Docker;

  beforeAll(async () => {
    const address = parseDockerHost(serviceUrl('DOCKER_HOST'));
    raw = new Docker(address.kind === 'unix' ? { socketPath: address.socketPath } : { host: address.host, port: address.port });
    rig = await RecoveringAgent.create('docker-recovery', { DOCKER_HOST: serviceUrl('DOCKER_HOST'), AGORA_DOCKER: 'on', AGORA_DOCKER_REMOVE_DELAY_MS: '0' });
    ({ master } = rig);
  });

  afterAll(async () => {
    await rig.close();
    const mine = await raw.listContainers({ all: true, filters: { label: [`${LABELS.agentId}=${master.agentId}`] } });
    await Promise.all(mine.map((c) => raw.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  });

  const checkpointing = { id: { value: 'fw-checkpoint' }, checkpoint: true };
  const dockerTask = (id: string, command: string): Partial<TaskInfo> & { task_id: { value: string } } => ({
    task_id: { value: id },
    command: { value: command },
    container: { type: 'DOCKER', docker: { image: 'agora/busybox' } },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
  });
  const containerOf = async (taskId: string): Promise<Docker.ContainerInfo | undefined> =>
    (await raw.listContainers({ all: true, filters: { label: [`${LABELS.taskId}=${taskId}`, `${LABELS.agentId}=${master.agentId}`] } }))[0];

  it('finds running containers again, reports one that exited meanwhile, removes the others; cleanup removes all', async () => {
    await rig.boot();
    const agentId = master.agentId;
    master.runTask(dockerTask('dlong', 'sleep 300'), checkpointing);
    master.runTask(dockerTask('dends', 'sleep 2; exit 4'), checkpointing);
    master.runTask(dockerTask('dplain', 'sleep 300'), { id: { value: 'fw-plain' } });
    await master.until(() => ['dlong', 'dends', 'dplain'].every((t) => master.distinctStates(t).includes('TASK_RUNNING')));
    const long = (await containerOf('dlong')) as Docker.ContainerInfo;

    await rig.process.kill();
    // The container of the short task ends while no agent is there.
    await waitFor(async () => (await containerOf('dends'))?.State === 'exited');

    const reregistration = await rig.boot();
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
    await rig.process.stop();
  });

  async function bootAgentAfterKill(extra: Record<string, string>): Promise<ReregisterAgent | undefined> {
    await rig.process.kill();
    return rig.boot(extra);
  }
});
