import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { FrameworkInfo, TaskInfo, TaskState, TaskStatus } from '@agora/protocol';
import { Resources } from '@agora/resources';
import { CheckpointStore, type ExecutorCheckpoint } from '../checkpoint/checkpoint-store';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import type { TaskExit } from '../drivers/task-driver';
import { AgentProfile } from '../machine/agent-profile';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from '../status-updates/status-update-journal';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import type { LaunchedFramework } from '../tasks/task-run';
import { FakeDriver } from '../testing/fake-driver';
import { waitFor } from '../testing/wait-for';
import { DefaultExecutorService } from './default-executor.service';
import { ExecutorRegistry } from './executor-registry';
import { ExecutorReporter } from './executor-reporter';

/** One agent process's default executor, on a fake driver, recording the updates it sends. */
interface Agent {
  readonly service: DefaultExecutorService;
  readonly registry: ExecutorRegistry;
  readonly driver: FakeDriver;
  readonly updates: TaskStatus[];
}

/** Task groups of checkpointing frameworks: checkpointing, the graceful stop that leaves them, recovery. */
describe('DefaultExecutorService and checkpointing', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let workDir: string;
  let profile: AgentProfile;
  let store: CheckpointStore;

  function agent(): Agent {
    const clock = new FakeClock();
    const session = new AgentSession();
    session.agentId = 'agent-1';
    const config = loadAgentConfig({}, {});
    const bus = new AgoraBus(new InProcessTransport());
    const statusUpdates = new StatusUpdateManager(bus, clock, session, config, new InMemoryJournal());
    const updates: TaskStatus[] = [];
    jest.spyOn(statusUpdates, 'update').mockImplementation((_frameworkId, status) => {
      updates.push(status);
    });
    const registry = new ExecutorRegistry();
    const reporter = new ExecutorReporter(registry, statusUpdates, session, bus, clock);
    const driver = new FakeDriver();
    const service = new DefaultExecutorService(registry, reporter, driver, new SandboxService(profile), config, store);
    return { service, registry, driver, updates };
  }

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-default-executor-checkpoint-'));
    profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
    store = new CheckpointStore(profile);
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  const framework = (over: Partial<FrameworkInfo> = {}): LaunchedFramework => ({ id: { value: 'fw' }, user: 'root', name: 'f', checkpoint: true, ...over });
  const task = (id: string): TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'agent-1' }, command: { value: 'sleep 9' } });
  const states = (a: Agent, taskId: string): TaskState[] => a.updates.filter((u) => u.task_id.value === taskId).map((u) => u.state);
  const executorJson = (executorId = 'ex'): string => join(workDir, 'meta', 'frameworks', 'fw', 'executors', executorId, 'executor.json');
  const containerOf = (a: Agent, taskId: string): string => a.driver.launches.find((l) => l.owner?.taskId === taskId)?.containerId ?? '';

  function runGroup(a: Agent, ids: string[], over: Partial<FrameworkInfo> = {}, executorId = 'ex'): void {
    const info = framework(over);
    a.service.runGroup({ epoch: 1, framework: info, executor: { executor_id: { value: executorId }, type: 'DEFAULT', framework_id: info.id }, task_group: { tasks: ids.map(task) } }, 'agent-1');
  }

  it('checkpoints the group, each task\'s run and its exit file before TASK_RUNNING', async () => {
    const a = agent();
    let onDiskAtRunning: ExecutorCheckpoint | undefined;
    a.updates.push = (...items) => {
      for (const item of items) if (item.state === 'TASK_RUNNING' && onDiskAtRunning === undefined) onDiskAtRunning = JSON.parse(readFileSync(executorJson(), 'utf8')) as ExecutorCheckpoint;
      return Array.prototype.push.apply(a.updates, items);
    };
    runGroup(a, ['a', 'b']);
    await waitFor(() => states(a, 'a').includes('TASK_RUNNING') && states(a, 'b').includes('TASK_RUNNING'));
    const run = a.registry.executor('fw', 'ex');
    expect(run?.checkpointed).toBe(true);
    expect(store.checkpointing('fw')).toBe(true);
    expect(onDiskAtRunning).toMatchObject({ kind: 'default', run: { driver: 'default', containerId: run?.containerId, sandbox: run?.directory }, groups: [['a', 'b']] });
    expect(onDiskAtRunning?.tasks.map((t) => t.task_id.value)).toEqual(['a', 'b']);
    for (const id of ['a', 'b']) {
      const launch = a.driver.launches.find((l) => l.owner?.taskId === id);
      expect(launch?.exitFile).toBe(join(workDir, 'meta', 'runs', run?.containerId ?? '', launch?.containerId ?? '', 'exit'));
      expect(onDiskAtRunning?.taskRuns?.[id]).toEqual({ driver: 'process', containerId: launch?.containerId, executorId: 'ex', sandbox: launch?.sandbox, pid: 4242, exitFile: launch?.exitFile, bootId: expect.any(String) });
    }
  });

  it('writes nothing to disk for a framework that does not checkpoint', async () => {
    const a = agent();
    runGroup(a, ['a'], { checkpoint: false });
    await waitFor(() => states(a, 'a').includes('TASK_RUNNING'));
    expect(existsSync(join(workDir, 'meta'))).toBe(false);
    expect(a.driver.launches[0].exitFile).toBeUndefined();
  });

  it('a graceful stop leaves the groups of checkpointing frameworks running; a shutdown kills them', async () => {
    const a = agent();
    runGroup(a, ['kept']);
    runGroup(a, ['gone'], { id: { value: 'other' }, checkpoint: false }, 'ex-other');
    await waitFor(() => states(a, 'kept').includes('TASK_RUNNING') && states(a, 'gone').includes('TASK_RUNNING'));
    a.driver.stop = async (containerId) => {
      a.driver.stops.push({ containerId, graceMs: 0 });
      a.driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, containerId);
      return { kind: 'signaled', signal: 'SIGTERM' };
    };
    await a.service.stopAll({ keepCheckpointed: true });
    expect(a.driver.stops.map((s) => s.containerId)).toEqual([containerOf(a, 'gone')]);
    expect(existsSync(executorJson())).toBe(true);
    await a.service.stopAll();
    expect(a.driver.stops.map((s) => s.containerId)).toEqual([containerOf(a, 'gone'), containerOf(a, 'kept')]);
    // Silenced: no updates after the stop began.
    expect(states(a, 'kept')).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  });

  /** Runs a group on a first agent process, then hands its checkpoint and journal to a second one. */
  async function restartWith(ids: string[], endedWhileDown: Record<string, TaskExit> = {}, over: Partial<FrameworkInfo> = {}): Promise<{ before: Agent; after: Agent; pids: number[] }> {
    const before = agent();
    runGroup(before, ids, over);
    await waitFor(() => ids.every((id) => states(before, id).includes('TASK_RUNNING')));
    const [checkpointed] = await store.readAll();
    const after = agent();
    for (const [id, exit] of Object.entries(endedWhileDown)) after.driver.endedWhileDown.set(containerOf(before, id), exit);
    const journals = new Map(ids.map((id) => [id, before.updates.filter((u) => u.task_id.value === id)] as const));
    const pids = await after.service.adopt(framework(over), checkpointed.executors[0], journals);
    return { before, after, pids };
  }

  it('takes a group back: its runs are found, its tasks are live again, nothing is reported', async () => {
    const { before, after, pids } = await restartWith(['a', 'b']);
    expect(pids).toEqual([4242, 4242]);
    expect(after.driver.recovered.map((r) => r.containerId)).toEqual([containerOf(before, 'a'), containerOf(before, 'b')]);
    expect(after.driver.recovered[0]).toMatchObject({ pid: 4242, exitFile: expect.stringContaining(join('meta', 'runs')) });
    const run = after.registry.executor('fw', 'ex');
    expect(run).toMatchObject({ kind: 'default', checkpointed: true, containerId: before.registry.executor('fw', 'ex')?.containerId });
    expect([...(run?.tasks.values() ?? [])].map((t) => [t.taskId, t.state, t.containerId])).toEqual([
      ['a', 'TASK_RUNNING', containerOf(before, 'a')],
      ['b', 'TASK_RUNNING', containerOf(before, 'b')],
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(after.updates).toEqual([]);
    // Watched as before: a task that finishes leaves the other running; the last one ends the executor.
    after.driver.exit({ kind: 'exited', code: 0 }, containerOf(before, 'a'));
    await waitFor(() => states(after, 'a').includes('TASK_FINISHED'));
    expect(after.driver.stops).toEqual([]);
    after.driver.exit({ kind: 'exited', code: 0 }, containerOf(before, 'b'));
    await waitFor(() => run?.phase === 'terminated');
  });

  it('reports a task that ended while the agent was down with its exit status, and kills the rest of its group', async () => {
    const { before, after, pids } = await restartWith(['a', 'b'], { a: { kind: 'exited', code: 3 } });
    expect(pids).toEqual([4242]);
    await waitFor(() => states(after, 'a').length > 0);
    expect(after.updates[0]).toMatchObject({ state: 'TASK_FAILED', message: 'Command exited with status 3', source: 'SOURCE_EXECUTOR' });
    await waitFor(() => after.driver.stops.length > 0);
    expect(after.driver.stops.map((s) => s.containerId)).toEqual([containerOf(before, 'b')]);
    after.driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, containerOf(before, 'b'));
    await waitFor(() => states(after, 'b').includes('TASK_KILLED'));
  });

  it('reports a run whose exit is unknown lost (TASK_GONE when partition aware), REASON_EXECUTOR_TERMINATED', async () => {
    const lost: TaskExit = { kind: 'signaled', signal: 'SIGKILL', cause: { reason: 'REASON_EXECUTOR_TERMINATED', message: 'ended while the agent was down', lost: true } };
    const { after } = await restartWith(['a', 'b'], { a: lost, b: lost }, { capabilities: [{ type: 'PARTITION_AWARE' }] });
    await waitFor(() => states(after, 'a').length > 0 && states(after, 'b').length > 0);
    for (const id of ['a', 'b']) {
      expect(after.updates.filter((u) => u.task_id.value === id)).toEqual([
        expect.objectContaining({ state: 'TASK_GONE', source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED', message: 'ended while the agent was down' }),
      ]);
    }
    await waitFor(() => after.registry.executor('fw', 'ex')?.phase === 'terminated');
  });

  it('reports the tasks of a group the agent left while starting it lost', async () => {
    const checkpoint: ExecutorCheckpoint = {
      kind: 'default',
      info: { executor_id: { value: 'ex' }, type: 'DEFAULT', framework_id: { value: 'fw' } },
      run: { driver: 'default', containerId: 'c-ex', executorId: 'ex', sandbox: join(workDir, 'sandbox') },
      tasks: [task('a'), task('b')],
      groups: [['a', 'b']],
      taskRuns: {},
    };
    const after = agent();
    const starting = (id: string): TaskStatus[] => [{ task_id: { value: id }, state: 'TASK_STARTING', uuid: `u-${id}` }];
    const pids = await after.service.adopt(framework(), checkpoint, new Map([['a', starting('a')], ['b', starting('b')]]));
    expect(pids).toEqual([]);
    expect(after.driver.recovered).toEqual([]);
    expect(after.updates.map((u) => [u.task_id.value, u.state, u.reason, u.message])).toEqual([
      ['a', 'TASK_LOST', 'REASON_EXECUTOR_TERMINATED', 'The agent restarted before the task was running; it cannot be recovered'],
      ['b', 'TASK_LOST', 'REASON_EXECUTOR_TERMINATED', 'The agent restarted before the task was running; it cannot be recovered'],
    ]);
  });

  it('leaves out a started task whose journal is gone (acknowledged before executor.json was rewritten)', async () => {
    const before = agent();
    runGroup(before, ['a', 'b']);
    await waitFor(() => ['a', 'b'].every((id) => states(before, id).includes('TASK_RUNNING')));
    const [checkpointed] = await store.readAll();
    const after = agent();
    const pids = await after.service.adopt(framework(), checkpointed.executors[0], new Map([['b', before.updates.filter((u) => u.task_id.value === 'b')]]));
    expect(pids).toEqual([4242]);
    expect([...(after.registry.executor('fw', 'ex')?.tasks.keys() ?? [])]).toEqual(['b']);
    expect(after.driver.recovered.map((r) => r.containerId)).toEqual([containerOf(before, 'b')]);
  });
});
