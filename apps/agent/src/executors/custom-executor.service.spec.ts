import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import {
  type ExecutorExited,
  type RunTask,
  type StatusUpdate,
  type TaskState,
  TaskStatusReason,
  uuidToBase64,
} from '@agora/protocol';
import { Resources } from '@agora/resources';
import { randomUUID } from 'node:crypto';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import { type TaskDriver, type TaskExit, type TaskInspection, type TaskLaunch, UnknownContainerError } from '../drivers/task-driver';
import { AgentProfile } from '../machine/agent-profile';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from '../status-updates/status-update-journal';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { waitFor } from '../testing/wait-for';
import { CustomExecutorService, EXECUTOR_HEARTBEAT_INTERVAL_MS } from './custom-executor.service';
import { RecordingConnection } from './testing/recording-connection';
import { ExecutorRegistry } from './executor-registry';
import { ExecutorReporter } from './executor-reporter';

/**
 * The custom executors' rules where time is the logic (registration timeout, shutdown grace,
 * heartbeats) and where the executor's word meets the agent's (re-subscription, duplicate
 * terminal updates): a fake clock, a fake driver whose containers end when killed, and a
 * connection that records events.
 */

/** Containers that run until the test ends them or they are destroyed (then: SIGKILL). */
class Containers implements TaskDriver {
  readonly name = 'fake';
  readonly launches: TaskLaunch[] = [];
  readonly destroyed: string[] = [];
  private readonly ends = new Map<string, { exited: Promise<TaskExit>; end: (exit: TaskExit) => void }>();
  private readonly ended = new Set<string>();

  async start(launch: TaskLaunch): Promise<TaskInspection> {
    let end!: (exit: TaskExit) => void;
    const exited = new Promise<TaskExit>((resolve) => (end = resolve));
    this.ends.set(launch.containerId, { exited, end });
    this.launches.push(launch);
    return { containerId: launch.containerId, pid: 4242, startedAt: 0, limited: false };
  }
  wait(containerId: string): Promise<TaskExit> {
    const run = this.ends.get(containerId);
    if (run === undefined) return Promise.reject(new UnknownContainerError(containerId));
    return run.exited;
  }
  async stop(containerId: string): Promise<TaskExit> {
    return this.wait(containerId);
  }
  /** Kills a container that still runs (recorded in `destroyed`); afterwards its id is unknown. */
  async destroy(containerId: string): Promise<void> {
    const run = this.ends.get(containerId);
    if (run === undefined) return;
    this.ends.delete(containerId);
    if (!this.ended.has(containerId)) this.destroyed.push(containerId);
    run.end({ kind: 'signaled', signal: 'SIGKILL' });
  }
  inspect(): TaskInspection | undefined {
    return undefined;
  }
  async stats(): Promise<undefined> {
    return undefined;
  }
  exit(containerId: string, exit: TaskExit): void {
    this.ended.add(containerId);
    this.ends.get(containerId)?.end(exit);
  }
}

const FW = { id: { value: 'fw-1' }, user: 'u', name: 'fw' };

async function harness(config: { executorRegistrationTimeoutMs?: number; executorShutdownGraceMs?: number } = {}) {
  const workDir = await mkdtemp(join(tmpdir(), 'agora-custom-executor-'));
  const clock = new FakeClock();
  const session = new AgentSession();
  session.agentId = 'a-S1';
  session.port = 5051;
  const bus = new AgoraBus(new InProcessTransport());
  const updates: StatusUpdate[] = [];
  const exits: ExecutorExited[] = [];
  jest.spyOn(bus, 'toMaster').mockImplementation((kind, message) => {
    if (kind === 'status-update') updates.push(message as StatusUpdate);
    if (kind === 'executor-exited') exits.push(message as ExecutorExited);
  });
  const agentConfig = loadAgentConfig(config, {});
  const statusUpdates = new StatusUpdateManager(bus, clock, session, agentConfig, new InMemoryJournal());
  statusUpdates.resume();
  const registry = new ExecutorRegistry();
  const reporter = new ExecutorReporter(registry, statusUpdates, session, bus, clock);
  reporter.onModuleInit();
  const driver = new Containers();
  const profile = new AgentProfile('host-1', '127.0.0.1', workDir, Resources.parse('cpus:2;mem:1024'), []);
  const service = new CustomExecutorService(registry, reporter, statusUpdates, driver, new SandboxService(profile), session, profile, agentConfig, clock, bus);
  const ids = { type: 'SUBSCRIBE' as const, framework_id: FW.id, executor_id: { value: 'exec' } };
  return {
    clock,
    driver,
    service,
    registry,
    updates,
    exits,
    ids,
    run(taskId: string, framework: RunTask['framework'] = FW): void {
      service.run({ epoch: 1, framework, task: { name: taskId, task_id: { value: taskId }, agent_id: { value: 'a-S1' }, executor: { executor_id: { value: 'exec' }, command: { value: 'my-executor' } } } }, 'a-S1');
    },
    /** Resolves once the executor's container was started. */
    started: () => waitFor(() => driver.launches.length > 0),
    subscribe(connection = new RecordingConnection(), subscribe = {}): RecordingConnection {
      service.subscribe({ ...ids, subscribe }, connection);
      return connection;
    },
    status(taskId: string, state: TaskState, uuid = uuidToBase64(randomUUID())) {
      return { task_id: { value: taskId }, state, uuid, source: 'SOURCE_EXECUTOR' as const };
    },
    statesOf: (taskId: string) => updates.filter((u) => u.status.task_id.value === taskId).map((u) => u.status.state),
    cleanup: () => rm(workDir, { recursive: true, force: true }),
  };
}

/** Status updates leave the agent at the end of the tick (StatusUpdateManager). */
const endOfTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('CustomExecutorService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('kills an executor that does not subscribe within the registration timeout, failing its tasks', async () => {
    const h = await harness({ executorRegistrationTimeoutMs: 1000 });
    h.run('t1');
    await h.started();
    h.clock.advance(999);
    expect(h.driver.destroyed).toEqual([]);
    h.clock.advance(1);
    await waitFor(() => h.exits.length > 0);
    expect(h.driver.destroyed).toEqual([h.driver.launches[0].containerId]);
    expect(h.updates.map((u) => u.status)).toMatchObject([
      { task_id: { value: 't1' }, state: 'TASK_FAILED', reason: TaskStatusReason.EXECUTOR_REGISTRATION_TIMEOUT, message: 'Executor did not register within 1secs' },
    ]);
    expect(h.exits).toEqual([{ agent_id: { value: 'a-S1' }, framework_id: FW.id, executor_id: { value: 'exec' }, status: 9 }]);
    await h.cleanup();
  });

  it('keeps an executor that subscribed in time, and sends it a HEARTBEAT every 30 minutes', async () => {
    const h = await harness({ executorRegistrationTimeoutMs: 1000 });
    h.run('t1');
    await h.started();
    const connection = h.subscribe();
    h.clock.advance(EXECUTOR_HEARTBEAT_INTERVAL_MS * 2);
    expect(h.driver.destroyed).toEqual([]);
    expect(connection.types()).toEqual(['SUBSCRIBED', 'LAUNCH', 'HEARTBEAT', 'HEARTBEAT']);
    await h.cleanup();
  });

  it('destroys an executor that ignores SHUTDOWN once its grace is over; what it ran is lost (gone, if partition-aware)', async () => {
    const cases: [RunTask['framework'], TaskState][] = [
      [FW, 'TASK_LOST'],
      [{ ...FW, capabilities: [{ type: 'PARTITION_AWARE' }] }, 'TASK_GONE'],
    ];
    for (const [framework, state] of cases) {
      const h = await harness({ executorShutdownGraceMs: 500 });
      h.run('t1', framework);
      await h.started();
      const connection = h.subscribe();
      h.service.shutdown(h.registry.executor('fw-1', 'exec')!);
      expect(connection.types()).toEqual(['SUBSCRIBED', 'LAUNCH', 'SHUTDOWN']);
      h.clock.advance(499);
      expect(h.driver.destroyed).toEqual([]);
      h.clock.advance(1);
      await waitFor(() => h.exits.length > 0);
      expect(h.statesOf('t1')).toEqual([state]);
      expect(h.updates[0].status).toMatchObject({ reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'Executor was shut down', source: 'SOURCE_AGENT' });
      await h.cleanup();
    }
  });

  it('on re-subscription takes the unacknowledged updates and sends again only the tasks the executor does not know', async () => {
    const h = await harness();
    h.run('known');
    h.run('lost');
    await h.started();
    const first = h.subscribe();
    expect(first.types()).toEqual(['SUBSCRIBED', 'LAUNCH', 'LAUNCH']);
    const running = h.status('known', 'TASK_RUNNING');
    const second = h.subscribe(new RecordingConnection(), { unacknowledged_updates: [{ status: running }] });
    expect(first.isOpen).toBe(false);
    expect(second.events).toMatchObject([
      { type: 'SUBSCRIBED' },
      { type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 'known' }, uuid: running.uuid } },
      { type: 'LAUNCH', launch: { task: { task_id: { value: 'lost' } } } },
    ]);
    await endOfTick();
    expect(h.statesOf('known')).toEqual(['TASK_RUNNING']);
    await h.cleanup();
  });

  it('acknowledges a second terminal update of a task but drops it', async () => {
    const h = await harness();
    h.run('t1');
    await h.started();
    const connection = h.subscribe();
    const finished = h.status('t1', 'TASK_FINISHED');
    const failed = h.status('t1', 'TASK_FAILED');
    h.service.update({ ...h.ids, type: 'UPDATE', update: { status: finished } });
    h.service.update({ ...h.ids, type: 'UPDATE', update: { status: failed } });
    expect(connection.events.filter((e) => e.type === 'ACKNOWLEDGED')).toMatchObject([
      { acknowledged: { uuid: finished.uuid } },
      { acknowledged: { uuid: failed.uuid } },
    ]);
    await endOfTick();
    expect(h.statesOf('t1')).toEqual(['TASK_FINISHED']);
    await h.cleanup();
  });

  it('shuts down an executor whose only task was killed before delivery when it subscribes (MESOS-8411)', async () => {
    const h = await harness();
    h.run('t1');
    await h.started();
    const run = h.registry.executor('fw-1', 'exec')!;
    h.service.kill(run, run.tasks.get('t1')!, { epoch: 1, framework_id: FW.id, task_id: { value: 't1' } });
    await endOfTick();
    expect(h.updates.map((u) => u.status)).toMatchObject([{ state: 'TASK_KILLED', reason: TaskStatusReason.TASK_KILLED_DURING_LAUNCH }]);
    const connection = h.subscribe();
    expect(connection.types()).toEqual(['SHUTDOWN']);
    await h.cleanup();
  });

  it('refuses calls of executors it does not run, and calls before SUBSCRIBE', async () => {
    const h = await harness();
    expect(() => h.service.find({ framework_id: { value: 'nobody' }, executor_id: { value: 'exec' } })).toThrow('Framework cannot be found');
    h.run('t1');
    await h.started();
    expect(() => h.service.find({ framework_id: FW.id, executor_id: { value: 'other' } })).toThrow('Executor cannot be found');
    expect(() => h.service.message({ ...h.ids, type: 'MESSAGE', message: { data: 'aGk=' } })).toThrow('Executor is not subscribed');
    await h.cleanup();
  });
});
