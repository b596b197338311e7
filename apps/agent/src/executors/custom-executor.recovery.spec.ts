import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { FrameworkInfo, StatusUpdate, TaskStatus } from '@agora/protocol';
import { Resources } from '@agora/resources';
import { CheckpointStore, type ExecutorCheckpoint } from '../checkpoint/checkpoint-store';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import type { RecoverableRun, TaskDriver, TaskExit, TaskInspection, TaskLaunch } from '../drivers/task-driver';
import { AgentProfile } from '../machine/agent-profile';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from '../status-updates/status-update-journal';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import type { LaunchedFramework } from '../tasks/task-run';
import { waitFor } from '../testing/wait-for';
import { CustomExecutorService } from './custom-executor.service';
import { RecordingConnection } from './testing/recording-connection';
import { ExecutorRegistry } from './executor-registry';
import { ExecutorReporter } from './executor-reporter';

/** Containers that run until destroyed; `gone` lists recovered ones that ended while the agent was down. */
class Containers implements TaskDriver {
  readonly name = 'fake';
  readonly destroyed: string[] = [];
  readonly gone = new Map<string, TaskExit>();
  private readonly ends = new Map<string, (exit: TaskExit) => void>();
  private readonly exits = new Map<string, Promise<TaskExit>>();

  async start(launch: TaskLaunch): Promise<TaskInspection> {
    this.track(launch.containerId);
    return { containerId: launch.containerId, pid: 4242, startedAt: 0, limited: false, startTime: 77 };
  }
  async recover(run: RecoverableRun): Promise<TaskInspection> {
    const exit = this.gone.get(run.containerId);
    if (exit !== undefined) return { containerId: run.containerId, pid: 0, startedAt: 0, limited: false, exit };
    this.track(run.containerId);
    return { containerId: run.containerId, pid: run.pid ?? 0, startedAt: 0, limited: false };
  }
  wait(containerId: string): Promise<TaskExit> {
    return this.exits.get(containerId) as Promise<TaskExit>;
  }
  async stop(containerId: string): Promise<TaskExit> {
    return this.wait(containerId);
  }
  async destroy(containerId: string): Promise<void> {
    const end = this.ends.get(containerId);
    if (end === undefined) return;
    this.ends.delete(containerId);
    this.destroyed.push(containerId);
    end({ kind: 'signaled', signal: 'SIGKILL' });
  }
  inspect(): TaskInspection | undefined {
    return undefined;
  }
  async stats(): Promise<undefined> {
    return undefined;
  }
  private track(containerId: string): void {
    this.exits.set(containerId, new Promise<TaskExit>((resolve) => this.ends.set(containerId, resolve)));
  }
}

/** Recovering custom executors (reference §5.4): re-subscription, the re-registration timeout, executors gone. */
describe('CustomExecutorService recovery', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let workDir: string;
  let clock: FakeClock;
  let driver: Containers;
  let service: CustomExecutorService;
  let updates: StatusUpdate[];
  let store: CheckpointStore;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-executor-recovery-'));
    clock = new FakeClock();
    const session = new AgentSession();
    session.agentId = 'a-S1';
    const bus = new AgoraBus(new InProcessTransport());
    updates = [];
    jest.spyOn(bus, 'toMaster').mockImplementation((kind, message) => {
      if (kind === 'status-update') updates.push(message as StatusUpdate);
    });
    const config = loadAgentConfig({ executorReregistrationTimeoutMs: 2000 }, {});
    const statusUpdates = new StatusUpdateManager(bus, clock, session, config, new InMemoryJournal());
    statusUpdates.resume();
    const registry = new ExecutorRegistry();
    const reporter = new ExecutorReporter(registry, statusUpdates, session, bus, clock);
    reporter.onModuleInit();
    driver = new Containers();
    const profile = new AgentProfile('host-1', '127.0.0.1', workDir, Resources.parse('cpus:2;mem:1024'), []);
    store = new CheckpointStore(profile);
    service = new CustomExecutorService(registry, reporter, statusUpdates, driver, new SandboxService(profile), session, profile, config, clock, bus, undefined, store);
    service.onModuleInit();
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  const framework = (over: Partial<FrameworkInfo> = {}): LaunchedFramework => ({ id: { value: 'fw' }, user: 'u', name: 'f', checkpoint: true, ...over });
  const checkpoint: ExecutorCheckpoint = {
    info: { executor_id: { value: 'exec' }, command: { value: 'my-executor' }, framework_id: { value: 'fw' } },
    run: { driver: 'process', containerId: 'c-exec', executorId: 'exec', pid: 4242, startTime: 77 },
    tasks: [{ name: 't1', task_id: { value: 't1' }, agent_id: { value: 'a-S1' } }],
  };
  const running: ReadonlyMap<string, readonly TaskStatus[]> = new Map([['t1', [{ task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid: 'u1' }]]]);
  const states = (taskId: string) => updates.filter((u) => u.status.task_id.value === taskId).map((u) => u.status);
  const ids = { type: 'SUBSCRIBE' as const, framework_id: { value: 'fw' }, executor_id: { value: 'exec' } };

  it('waits for the executor to subscribe again, and takes it back with its running task', async () => {
    let settled = false;
    const adopted = service.adopt(framework(), checkpoint, running).then(() => (settled = true));
    await waitFor(() => driver.wait('c-exec') !== undefined);
    expect(settled).toBe(false);
    const connection = new RecordingConnection();
    service.subscribe({ ...ids, subscribe: { unacknowledged_tasks: [], unacknowledged_updates: [] } }, connection);
    await adopted;
    // A task it already reported RUNNING is not launched again.
    expect(connection.events.map((e) => e.type)).toEqual(['SUBSCRIBED']);
    clock.advance(2000);
    expect(driver.destroyed).toEqual([]);
    expect(updates).toEqual([]);
  });

  it.each<[string, string, Partial<FrameworkInfo>]>([
    ['TASK_LOST', 'not partition aware', {}],
    ['TASK_GONE', 'partition aware', { capabilities: [{ type: 'PARTITION_AWARE' }] }],
  ])('kills an executor that does not come back in time; its task is %s (%s)', async (state, _aware, over) => {
    const adopted = service.adopt(framework(over), checkpoint, running);
    await waitFor(() => driver.wait('c-exec') !== undefined);
    clock.advance(1999);
    expect(driver.destroyed).toEqual([]);
    clock.advance(1);
    await adopted;
    expect(driver.destroyed).toEqual(['c-exec']);
    await waitFor(() => states('t1').length > 0);
    expect(states('t1')).toEqual([
      expect.objectContaining({ state, reason: 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT', message: 'Executor did not re-register within 2secs', source: 'SOURCE_AGENT' }),
    ]);
  });

  it('reports the tasks of an executor that ended while the agent was down as lost', async () => {
    driver.gone.set('c-exec', { kind: 'exited', code: 0 });
    await service.adopt(framework(), checkpoint, running);
    await waitFor(() => states('t1').length > 0);
    expect(states('t1')).toEqual([
      expect.objectContaining({ state: 'TASK_LOST', reason: 'REASON_EXECUTOR_TERMINATED', message: 'The executor ended while the agent was down' }),
    ]);
  });

  it('checkpoints an executor of a checkpointing framework, and a graceful stop leaves it running', async () => {
    service.run({ epoch: 1, framework: framework(), task: { name: 't1', task_id: { value: 't1' }, agent_id: { value: 'a-S1' }, executor: checkpoint.info } }, 'a-S1');
    const path = join(workDir, 'meta', 'frameworks', 'fw', 'executors', 'exec', 'executor.json');
    await waitFor(() => {
      try {
        return (JSON.parse(readFileSync(path, 'utf8')) as ExecutorCheckpoint).run.pid === 4242;
      } catch {
        return false;
      }
    });
    const written = JSON.parse(readFileSync(path, 'utf8')) as ExecutorCheckpoint;
    expect(written.run).toMatchObject({ driver: 'process', startTime: 77, exitFile: expect.stringContaining(join(workDir, 'meta', 'runs')) });
    expect(written.tasks.map((t) => t.task_id.value)).toEqual(['t1']);
    const connection = new RecordingConnection();
    service.subscribe({ ...ids, subscribe: {} }, connection);
    await service.stopAll({ keepCheckpointed: true });
    expect(connection.isOpen).toBe(false);
    expect(connection.events.map((e) => e.type)).not.toContain('SHUTDOWN');
    expect(driver.destroyed).toEqual([]);
  });
});
