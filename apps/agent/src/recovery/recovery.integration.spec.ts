import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { base64ToText, type StatusUpdate, textToBase64 } from '@agora/protocol';
import { freePort } from '../../../../test/support/free-port';
import { TINY_EXECUTOR } from '../executors/testing/executor-harness';
import { FakeMaster } from '../testing/fake-master';
import { isAlive } from '../testing/processes';
import { RecoveringAgent } from '../testing/recovering-agent';
import { waitFor } from '../testing/wait-for';

jest.setTimeout(180_000);

/**
 * Agent recovery end to end (DESIGN §7): a real agent process on real NATS, a bus-level fake
 * master, real tasks through agora-launcher. The agent is killed with SIGKILL and started
 * again on the same work dir.
 */
describe('agent recovery across a SIGKILL', () => {
  let rig: RecoveringAgent;
  let workDir: string;
  let master: FakeMaster;

  beforeAll(async () => {
    rig = await RecoveringAgent.create('recovery', { AGORA_STATUS_UPDATE_RETRY_MIN_MS: '500', AGORA_STATUS_UPDATE_RETRY_MAX_MS: '1000' });
    ({ workDir, master } = rig);
  });
  afterAll(() => rig.close());

  const checkpointing = { id: { value: 'fw-checkpoint' }, checkpoint: true };
  const plain = { id: { value: 'fw-plain' } };

  function runningPid(taskId: string): number | undefined {
    const update = master.updates.find((u) => u.status.task_id.value === taskId && u.status.state === 'TASK_RUNNING');
    return update?.status.container_status?.executor_pid;
  }

  async function started(taskId: string): Promise<number> {
    await master.until(() => runningPid(taskId) !== undefined);
    const pid = runningPid(taskId) as number;
    rig.pids.add(pid);
    return pid;
  }

  it('keeps checkpointed tasks, reports the ones that ended, resends unacknowledged updates; cleanup kills everything', async () => {
    expect(await rig.boot()).toBeUndefined();
    const agentId = master.agentId;
    const release = join(workDir, 'release');

    master.runTask({ task_id: { value: 'long' }, command: { value: 'sleep 300' } }, checkpointing);
    master.runTask({ task_id: { value: 'ends' }, command: { value: `echo before; while [ ! -e ${release} ]; do sleep 0.05; done; echo after; exit 3` } }, checkpointing);
    master.runTask({ task_id: { value: 'plain' }, command: { value: 'sleep 300' } }, plain);
    const longPid = await started('long');
    const endsPid = await started('ends');
    const plainPid = await started('plain');
    // This one's updates stay unacknowledged: the restarted agent must send them again.
    master.autoAck = false;
    master.runTask({ task_id: { value: 'unacked' }, command: { value: 'sleep 300' } }, checkpointing);
    await master.until(() => master.states('unacked').length > 0);
    const firstStarting = master.updates.find((u) => u.status.task_id.value === 'unacked') as StatusUpdate;
    expect(firstStarting.status.state).toBe('TASK_STARTING');
    // Its RUNNING waits behind the unacknowledged STARTING; its run is checkpointed before that.
    const checkpoint = join(workDir, 'meta', 'frameworks', 'fw-checkpoint', 'tasks', 'unacked', 'task.json');
    await waitFor(async () => (JSON.parse(await readFile(checkpoint, 'utf8').catch(() => '{}')) as { run?: { pid?: number } }).run?.pid !== undefined);

    await rig.process.kill();
    // The launcher, orphaned, kills the task of the framework that does not checkpoint at once.
    await waitFor(() => !isAlive(plainPid));
    expect(isAlive(longPid)).toBe(true);
    await writeFile(release, '');
    await waitFor(() => !isAlive(endsPid));

    master.autoAck = true;
    const reregistration = await rig.boot();
    expect(reregistration?.agent_info.id.value).toBe(agentId);
    expect(new Set(reregistration?.tasks?.map((t) => t.task.task_id.value))).toEqual(new Set(['long', 'ends', 'unacked']));
    expect(reregistration?.tasks?.find((t) => t.task.task_id.value === 'unacked')).toMatchObject({
      status_update_state: 'TASK_STARTING',
      status_update_uuid: firstStarting.status.uuid,
    });

    // The task that ended while the agent was down: its real exit status.
    await master.until(() => master.states('ends').includes('TASK_FAILED'));
    expect(master.updates.find((u) => u.status.task_id.value === 'ends' && u.status.state === 'TASK_FAILED')?.status.message).toBe('Command exited with status 3');
    // Its output went on into the sandbox while no agent ran.
    const sandbox = join(workDir, 'slaves', agentId, 'frameworks', 'fw-checkpoint', 'executors', 'ends', 'runs', 'latest');
    expect(await readFile(join(sandbox, 'stdout'), 'utf8')).toBe('before\nafter\n');
    // The unacknowledged update, resent with its uuid, then the one queued behind it.
    await master.until(() => master.updates.filter((u) => u.status.uuid === firstStarting.status.uuid).length >= 2);
    await master.until(() => master.states('unacked').includes('TASK_RUNNING'));
    const unackedPid = await started('unacked');
    // The long task was never touched.
    expect(isAlive(longPid)).toBe(true);
    expect(master.states('long').filter((s) => s !== 'TASK_STARTING' && s !== 'TASK_RUNNING')).toEqual([]);

    // A graceful stop leaves checkpointed tasks running too.
    await rig.process.stop();
    expect(isAlive(longPid)).toBe(true);

    // --recover=cleanup: every task is killed, and the agent comes back under its id without them.
    const cleaned = await rig.boot({ AGORA_AGENT_RECOVER: 'cleanup' });
    expect(cleaned?.agent_info.id.value).toBe(agentId);
    expect(cleaned?.tasks ?? []).toEqual([]);
    await waitFor(() => !isAlive(longPid) && !isAlive(unackedPid));
    await rig.process.stop();
  });
});

/** Custom executors of a checkpointing framework across an agent's SIGKILL (reference §5.4). */
describe('custom executor recovery across a SIGKILL', () => {
  let rig: RecoveringAgent;
  let master: FakeMaster;

  beforeAll(async () => {
    // A fixed port: recovered executors reconnect to the address they were given.
    rig = await RecoveringAgent.create('executor-recovery', {
      AGORA_AGENT_PORT: String(await freePort()),
      // Generous: a loaded CI machine takes seconds to schedule the executor's reconnection.
      AGORA_EXECUTOR_REREGISTRATION_TIMEOUT_MS: '15000',
    });
    ({ master } = rig);
  });
  afterAll(() => rig.close());

  const checkpointing = { id: { value: 'fw-executors' }, checkpoint: true };
  const reported = (): { event: string; task_id?: string }[] => master.executorMessages.map((m) => JSON.parse(base64ToText(m.data)) as { event: string });

  function runOnExecutor(taskId: string, executorId: string, reconnect: boolean): void {
    master.runTask(
      {
        task_id: { value: taskId },
        executor: {
          executor_id: { value: executorId },
          name: executorId,
          command: {
            value: `"${process.execPath}" "${TINY_EXECUTOR}"`,
            environment: { variables: [{ name: 'TINY_RECONNECT', value: reconnect ? '1' : '0' }] },
          },
        },
      },
      checkpointing,
    );
  }

  function pidOf(taskId: string): number | undefined {
    return master.updates.find((u) => u.status.task_id.value === taskId && u.status.state === 'TASK_RUNNING')?.status.container_status?.executor_pid;
  }

  it('takes back an executor that subscribes again, and kills one that does not come back in time', async () => {
    await rig.boot();
    runOnExecutor('on-faithful', 'faithful', true);
    runOnExecutor('on-silent', 'silent', false);
    await master.until(() => pidOf('on-faithful') !== undefined && pidOf('on-silent') !== undefined);
    const faithfulPid = pidOf('on-faithful') as number;
    const silentPid = pidOf('on-silent') as number;
    rig.pids.add(faithfulPid).add(silentPid);
    const subscriptions = (): number => reported().filter((r) => r.event === 'SUBSCRIBED').length;
    expect(subscriptions()).toBe(2);

    await rig.process.kill();
    expect(isAlive(faithfulPid) && isAlive(silentPid)).toBe(true);

    const reregistration = await rig.boot();
    // The agent re-registers once the executors came back or were given up, with what is left.
    expect(reregistration?.executors?.map((e) => e.executor_id.value)).toEqual(['faithful']);
    expect(reregistration?.tasks?.find((t) => t.task.task_id.value === 'on-faithful')?.state).toBe('TASK_RUNNING');
    expect(subscriptions()).toBe(3);
    expect(isAlive(faithfulPid)).toBe(true);
    await master.until(() => master.states('on-silent').includes('TASK_LOST'));
    expect(master.updates.find((u) => u.status.task_id.value === 'on-silent' && u.status.state === 'TASK_LOST')?.status).toMatchObject({
      reason: 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
      message: 'Executor did not re-register within 15secs',
    });
    await waitFor(() => !isAlive(silentPid));

    // The recovered executor works as before.
    master.send('framework-message', { framework_id: checkpointing.id, executor_id: { value: 'faithful' }, data: textToBase64('finish on-faithful') });
    await master.until(() => master.states('on-faithful').includes('TASK_FINISHED'));

    await rig.process.kill();
    // --recover=cleanup ends it.
    const cleaned = await rig.boot({ AGORA_AGENT_RECOVER: 'cleanup' });
    expect(cleaned?.executors ?? []).toEqual([]);
    await waitFor(() => !isAlive(faithfulPid));
    await rig.process.stop();
  });
});

/** Task groups (the default executor, in the agent) of a checkpointing framework across a SIGKILL and a graceful stop. */
describe('task group recovery across a SIGKILL', () => {
  let rig: RecoveringAgent;
  let workDir: string;
  let master: FakeMaster;

  beforeAll(async () => {
    rig = await RecoveringAgent.create('group-recovery');
    ({ workDir, master } = rig);
  });
  afterAll(() => rig.close());

  const framework = { id: { value: 'fw-groups' }, user: 'root', name: 'groups', checkpoint: true };

  /** The pid of a running task of the group, from the executor's checkpoint (its updates carry none). */
  async function started(taskId: string): Promise<number> {
    await master.until(() => master.states(taskId).includes('TASK_RUNNING'));
    const checkpoint = join(workDir, 'meta', 'frameworks', 'fw-groups', 'executors', 'group', 'executor.json');
    const { taskRuns } = JSON.parse(await readFile(checkpoint, 'utf8')) as { taskRuns?: Record<string, { pid?: number }> };
    const pid = taskRuns?.[taskId]?.pid;
    if (pid === undefined) throw new Error(`no pid checkpointed for ${taskId}`);
    rig.pids.add(pid);
    return pid;
  }

  it('keeps the group running, reports the task that ended with its exit status, and goes on watching the other', async () => {
    expect(await rig.boot()).toBeUndefined();
    const agentId = master.agentId;
    const release = join(workDir, 'release');
    const task = (id: string, command: string) => ({ name: id, task_id: { value: id }, agent_id: { value: agentId }, command: { value: command } });
    master.send('run-task-group', {
      framework,
      executor: { executor_id: { value: 'group' }, type: 'DEFAULT', framework_id: framework.id },
      task_group: { tasks: [task('g-long', 'sleep 300'), task('g-ends', `echo before; while [ ! -e ${release} ]; do sleep 0.05; done; echo after; exit 0`)] },
    });
    const longPid = await started('g-long');
    const endsPid = await started('g-ends');

    await rig.process.kill();
    expect(isAlive(longPid) && isAlive(endsPid)).toBe(true);
    await writeFile(release, '');
    await waitFor(() => !isAlive(endsPid));

    const reregistration = await rig.boot();
    expect(reregistration?.agent_info.id.value).toBe(agentId);
    expect(reregistration?.executors?.map((e) => e.executor_id.value)).toEqual(['group']);
    expect(new Set(reregistration?.tasks?.map((t) => t.task.task_id.value))).toEqual(new Set(['g-long', 'g-ends']));
    // The task that ended while the agent was down: its real exit status, from its exit file.
    await master.until(() => master.states('g-ends').includes('TASK_FINISHED'));
    expect(master.updates.find((u) => u.status.task_id.value === 'g-ends' && u.status.state === 'TASK_FINISHED')?.status.message).toBe('Command exited with status 0');
    const sandbox = join(workDir, 'slaves', agentId, 'frameworks', 'fw-groups', 'executors', 'group', 'runs', 'latest', 'tasks', 'g-ends');
    expect(await readFile(join(sandbox, 'stdout'), 'utf8')).toBe('before\nafter\n');
    // A finished task leaves its group running.
    expect(isAlive(longPid)).toBe(true);

    // A graceful stop leaves the group too, and the next agent process takes it back again.
    await rig.process.stop();
    expect(isAlive(longPid)).toBe(true);
    const again = await rig.boot();
    expect(again?.tasks?.map((t) => [t.task.task_id.value, t.state])).toEqual([['g-long', 'TASK_RUNNING']]);
    expect(isAlive(longPid)).toBe(true);
    expect(master.states('g-long').filter((s) => s !== 'TASK_STARTING' && s !== 'TASK_RUNNING')).toEqual([]);

    // The recovered group is the agent's again: a kill ends it, and with it the executor.
    master.send('kill-task', { framework_id: framework.id, task_id: { value: 'g-long' } });
    await master.until(() => master.states('g-long').includes('TASK_KILLED'));
    await waitFor(() => !isAlive(longPid));
    await master.until(() => master.executorExits.some((e) => e.executor_id.value === 'group'));
    await rig.process.stop();
  });
});
