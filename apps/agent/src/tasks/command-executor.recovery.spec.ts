import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { FrameworkInfo, TaskState, TaskStatus } from '@agora/protocol';
import { Resources } from '@agora/resources';
import { CheckpointStore, type TaskCheckpoint } from '../checkpoint/checkpoint-store';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import type { TaskExit } from '../drivers/task-driver';
import { AgentProfile } from '../machine/agent-profile';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from '../status-updates/status-update-journal';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { FakeDriver } from '../testing/fake-driver';
import { waitFor } from '../testing/wait-for';
import { CommandExecutorService } from './command-executor.service';
import { TaskRegistry } from './task-registry';
import type { LaunchedFramework } from './task-run';

/** Checkpointing launches, adopting recovered tasks, and the stop that leaves checkpointed tasks running. */
describe('CommandExecutorService and checkpointing', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let workDir: string;
  let updates: { frameworkId: string; status: TaskStatus }[];
  let driver: FakeDriver;
  let executor: CommandExecutorService;
  let registry: TaskRegistry;
  let store: CheckpointStore;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-executor-checkpoint-'));
    const clock = new FakeClock();
    const session = new AgentSession();
    session.agentId = 'agent-1';
    const config = loadAgentConfig({}, {});
    const profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
    const statusUpdates = new StatusUpdateManager(new AgoraBus(new InProcessTransport()), clock, session, config, new InMemoryJournal());
    updates = [];
    jest.spyOn(statusUpdates, 'update').mockImplementation((frameworkId, status) => {
      updates.push({ frameworkId, status });
    });
    registry = new TaskRegistry();
    driver = new FakeDriver();
    store = new CheckpointStore(profile);
    executor = new CommandExecutorService(registry, statusUpdates, driver, new SandboxService(profile), session, config, clock, undefined, undefined, store);
    executor.onModuleInit();
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  const framework = (over: Partial<FrameworkInfo> = {}): LaunchedFramework => ({ id: { value: 'fw' }, user: 'root', name: 'f', checkpoint: true, ...over });
  const states = (taskId: string): TaskState[] => updates.filter((u) => u.status.task_id.value === taskId).map((u) => u.status.state);
  const taskJson = (taskId: string): string => join(workDir, 'meta', 'frameworks', 'fw', 'tasks', taskId, 'task.json');

  it('checkpoints a task of a checkpointing framework, with its run, before TASK_RUNNING', async () => {
    let onDiskAtRunning: TaskCheckpoint | undefined;
    updates.push = (...items) => {
      for (const item of items) if (item.status.state === 'TASK_RUNNING') onDiskAtRunning = JSON.parse(readFileSync(taskJson('t1'), 'utf8')) as TaskCheckpoint;
      return Array.prototype.push.apply(updates, items);
    };
    executor.run({ epoch: 1, framework: framework(), task: { name: 't1', task_id: { value: 't1' }, agent_id: { value: 'agent-1' }, command: { value: 'sleep 9' } } });
    await waitFor(() => states('t1').includes('TASK_RUNNING'));
    expect(onDiskAtRunning?.run).toMatchObject({ driver: 'process', pid: 4242, executorId: 't1', containerId: driver.launches[0].containerId, sandbox: expect.any(String) });
    expect(driver.launches[0].exitFile).toBe(join(workDir, 'meta', 'runs', driver.launches[0].containerId, 'exit'));
    expect(store.checkpointing('fw')).toBe(true);
  });

  it('writes nothing to disk for a framework that does not checkpoint', async () => {
    executor.run({ epoch: 1, framework: framework({ checkpoint: false }), task: { name: 't1', task_id: { value: 't1' }, agent_id: { value: 'agent-1' }, command: { value: 'true' } } });
    await waitFor(() => states('t1').includes('TASK_RUNNING'));
    expect(existsSync(join(workDir, 'meta'))).toBe(false);
    expect(driver.launches[0].exitFile).toBeUndefined();
  });

  it('a graceful stop kills only the tasks of frameworks that do not checkpoint; shutdown kills all', async () => {
    executor.run({ epoch: 1, framework: framework(), task: { name: 'kept', task_id: { value: 'kept' }, agent_id: { value: 'agent-1' }, command: { value: 'sleep 9' } } });
    executor.run({ epoch: 1, framework: framework({ id: { value: 'other' }, checkpoint: false }), task: { name: 'gone', task_id: { value: 'gone' }, agent_id: { value: 'agent-1' }, command: { value: 'sleep 9' } } });
    await waitFor(() => states('kept').includes('TASK_RUNNING') && states('gone').includes('TASK_RUNNING'));
    const containerOf = (taskId: string): string | undefined => driver.launches.find((l) => l.owner?.taskId === taskId)?.containerId;
    const [kept, gone] = [containerOf('kept'), containerOf('gone')];
    driver.stop = async (containerId) => {
      driver.stops.push({ containerId, graceMs: 0 });
      driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, containerId);
      return { kind: 'signaled', signal: 'SIGTERM' };
    };
    await executor.killAll('stopping', { keepCheckpointed: true });
    expect(driver.stops.map((s) => s.containerId)).toEqual([gone]);
    expect(existsSync(taskJson('kept'))).toBe(true);
    await executor.killAll('shut down');
    expect(driver.stops.map((s) => s.containerId)).toEqual([gone, kept]);
    // A task that is over needs no checkpoint any more.
    expect(existsSync(taskJson('kept'))).toBe(false);
  });

  const checkpointed: TaskCheckpoint = {
    info: { name: 'r', task_id: { value: 'r' }, agent_id: { value: 'agent-1' }, command: { value: 'sleep 9' } },
    run: { driver: 'process', containerId: 'c-r', executorId: 'r', pid: 777, startTime: 5, exitFile: '/x/exit' },
  };
  const journaled = (...s: TaskState[]): TaskStatus[] => s.map((state, i) => ({ task_id: { value: 'r' }, state, uuid: `u${i}` }));

  it.each<[string, TaskExit | undefined, Partial<FrameworkInfo>, TaskState | undefined, string | undefined]>([
    ['found running: nothing is reported', undefined, {}, undefined, undefined],
    ['ended while the agent was down, exit file read: as if watched', { kind: 'exited', code: 3 }, {}, 'TASK_FAILED', 'Command exited with status 3'],
    ['ended with status 0', { kind: 'exited', code: 0 }, {}, 'TASK_FINISHED', 'Command exited with status 0'],
    [
      'gone, exit unknown, partition aware: TASK_GONE',
      { kind: 'signaled', signal: 'SIGKILL', cause: { reason: 'REASON_EXECUTOR_TERMINATED', message: 'ended while the agent was down', lost: true } },
      { capabilities: [{ type: 'PARTITION_AWARE' }] },
      'TASK_GONE',
      'ended while the agent was down',
    ],
    [
      'gone, exit unknown: TASK_LOST',
      { kind: 'signaled', signal: 'SIGKILL', cause: { reason: 'REASON_EXECUTOR_TERMINATED', message: 'ended while the agent was down', lost: true } },
      {},
      'TASK_LOST',
      'ended while the agent was down',
    ],
  ])('adopts a recovered task %s', async (_case, endedWhileDown, over, reported, message) => {
    if (endedWhileDown !== undefined) driver.endedWhileDown.set('c-r', endedWhileDown);
    const run = await executor.adopt(framework(over), { ...checkpointed, statuses: journaled('TASK_STARTING', 'TASK_RUNNING') });
    expect(driver.recovered).toEqual([checkpointed.run]);
    expect(registry.get('fw', 'r')).toBe(run);
    expect(run).toMatchObject({ pid: 777, containerId: 'c-r' });
    if (reported === undefined) {
      await new Promise((resolve) => setImmediate(resolve));
      expect(updates).toEqual([]);
      expect(run.state).toBe('TASK_RUNNING');
      driver.exit({ kind: 'exited', code: 0 }, 'c-r');
      await waitFor(() => states('r').includes('TASK_FINISHED'));
      return;
    }
    await waitFor(() => states('r').length > 0);
    expect(updates.map((u) => u.status)).toEqual([
      expect.objectContaining({
        state: reported,
        message,
        ...(reported === 'TASK_GONE' || reported === 'TASK_LOST' ? { source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED' } : {}),
      }),
    ]);
  });

  it('adopts a task whose terminal update was journaled without looking for its run', async () => {
    const run = await executor.adopt(framework(), { ...checkpointed, statuses: journaled('TASK_RUNNING', 'TASK_FINISHED') });
    expect(driver.recovered).toEqual([]);
    expect(run).toMatchObject({ phase: 'terminated', state: 'TASK_FINISHED' });
  });
});
