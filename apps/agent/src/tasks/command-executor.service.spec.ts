import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import { type FrameworkInfo, type RunTask, type TaskInfo, type TaskStatus, TaskStatusReason } from '@agora/protocol';
import { Resources } from '@agora/resources';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import { TaskStartError } from '../drivers/task-driver';
import { AgentProfile } from '../machine/agent-profile';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from '../status-updates/status-update-journal';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { FakeDriver } from '../testing/fake-driver';
import { waitFor } from '../testing/wait-for';
import { CommandExecutorService } from './command-executor.service';
import { TaskRegistry } from './task-registry';

const FW = 'fw-1';

async function harness() {
  const workDir = await mkdtemp(join(tmpdir(), 'agora-executor-'));
  const clock = new FakeClock();
  const session = new AgentSession();
  session.agentId = 'agent-1';
  const config = loadAgentConfig({ killGraceMs: 3000 }, {});
  const profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
  const statusUpdates = new StatusUpdateManager(new AgoraBus(new InProcessTransport()), clock, session, config, new InMemoryJournal());
  const updates: { frameworkId: string; status: TaskStatus }[] = [];
  jest.spyOn(statusUpdates, 'update').mockImplementation((frameworkId, status) => {
    updates.push({ frameworkId, status });
  });
  const cleanup = jest.spyOn(statusUpdates, 'cleanup');
  const registry = new TaskRegistry();
  const driver = new FakeDriver();
  const executor = new CommandExecutorService(registry, statusUpdates, driver, new SandboxService(profile), session, config, clock);
  executor.onModuleInit();
  return { workDir, updates, registry, driver, executor, statusUpdates, cleanup, session };
}

type Harness = Awaited<ReturnType<typeof harness>>;

function runTask(task: Partial<TaskInfo> & { task_id: { value: string } }, framework: Partial<FrameworkInfo> = {}): RunTask {
  return {
    epoch: 1,
    framework: { id: { value: FW }, user: 'root', name: 'f', ...framework },
    task: { name: task.task_id.value, agent_id: { value: 'agent-1' }, command: { value: 'true' }, ...task },
  };
}

describe('CommandExecutorService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(() => rm(h.workDir, { recursive: true, force: true }));

  const states = (taskId = 't1'): string[] => h.updates.filter((u) => u.status.task_id.value === taskId).map((u) => u.status.state);
  const last = (): TaskStatus => h.updates[h.updates.length - 1].status;
  const running = (taskId = 't1'): Promise<unknown> => waitFor(() => states(taskId).includes('TASK_RUNNING'));
  const ended = (taskId = 't1'): Promise<unknown> => waitFor(() => h.registry.get(FW, taskId)?.phase === 'terminated');

  it('runs a command task: STARTING, RUNNING, then FINISHED on exit 0', async () => {
    h.executor.run(runTask({
      task_id: { value: 't1' },
      command: { value: 'echo hi', environment: { variables: [{ name: 'GREETING', value: 'hi' }, { name: 'MESOS_TASK_ID', value: 'mine' }] } },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
      ],
    }));
    await running();
    const launch = h.driver.launches[0];
    const run = h.registry.get(FW, 't1');
    expect(launch.sandbox).toBe(join(h.workDir, 'slaves', 'agent-1', 'frameworks', FW, 'executors', 't1', 'runs', run?.containerId ?? ''));
    expect(existsSync(join(launch.sandbox, 'stdout'))).toBe(true);
    expect(launch.limits).toEqual({ cpus: 0.5, memMb: 64 });
    expect(launch.env).toMatchObject({
      MESOS_SANDBOX: launch.sandbox,
      MESOS_DIRECTORY: launch.sandbox,
      MESOS_FRAMEWORK_ID: FW,
      MESOS_AGENT_ID: 'agent-1',
      MESOS_EXECUTOR_ID: 't1',
      GREETING: 'hi',
      // The task's own environment wins, as in Mesos.
      MESOS_TASK_ID: 'mine',
    });
    h.driver.exit({ kind: 'exited', code: 0 });
    await ended();
    expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    expect(h.updates[1].status.container_status).toEqual({ container_id: { value: run?.containerId }, executor_pid: 4242 });
    expect(last()).toMatchObject({
      task_id: { value: 't1' },
      state: 'TASK_FINISHED',
      source: 'SOURCE_EXECUTOR',
      message: 'Command exited with status 0',
      agent_id: { value: 'agent-1' },
      executor_id: { value: 't1' },
      timestamp: 1_700_000_000,
      uuid: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
    });
    expect(new Set(h.updates.map((u) => u.status.uuid)).size).toBe(3);
    expect(h.driver.destroyed).toEqual([run?.containerId]);
  });

  it.each([
    [{ kind: 'exited', code: 2 } as const, 'Command exited with status 2'],
    [{ kind: 'signaled', signal: 'SIGSEGV' } as const, 'Command terminated with signal SIGSEGV'],
  ])('fails a task that ends with %j', async (exit, message) => {
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    await running();
    h.driver.exit(exit);
    await ended();
    expect(last()).toMatchObject({ state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message });
  });

  it('fails a task whose process cannot start as an executor that terminated', async () => {
    h.driver.failNextStart = 'Failed to launch task subprocess: spawn /nope ENOENT';
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    await ended();
    expect(states()).toEqual(['TASK_STARTING', 'TASK_FAILED']);
    expect(last()).toMatchObject({ source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED', message: 'Failed to launch task subprocess: spawn /nope ENOENT' });
  });

  it.each([
    ['a custom executor', { executor: { executor_id: { value: 'e' }, command: { value: 'x' } } }, /custom executor cannot run under the command executor/],
    ['a MESOS container with an image', { container: { type: 'MESOS' as const, mesos: { image: { type: 'DOCKER' } } } }, /Images in MESOS containers are not supported: .* use a DOCKER container/],
  ])('fails a task with %s at once, from the agent', async (_case, extra, message) => {
    h.executor.run(runTask({ task_id: { value: 't1' }, ...extra }));
    expect(states()).toEqual(['TASK_FAILED']);
    expect(last()).toMatchObject({ source: 'SOURCE_AGENT', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: expect.stringMatching(message) });
    expect(h.driver.launches).toEqual([]);
  });

  it.each([
    ['without a command', { command: undefined }],
    ['whose id would leave its sandbox', { task_id: { value: '..' } }],
  ])('fails a task %s as invalid', async (_case, extra) => {
    h.executor.run(runTask({ task_id: { value: 't1' }, ...extra }));
    expect(last()).toMatchObject({ state: 'TASK_FAILED', source: 'SOURCE_AGENT', reason: 'REASON_TASK_INVALID' });
  });

  describe('with a Docker container', () => {
    const docker = { container: { type: 'DOCKER' as const, docker: { image: 'agora/busybox' } } };

    it('hands the driver the container, the owner and what the task asked for', async () => {
      h.executor.run(runTask({
        task_id: { value: 't1' },
        ...docker,
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 64 } }],
        limits: { mem: { value: 256 } },
      }));
      await running();
      expect(h.driver.launches[0]).toMatchObject({
        container: docker.container,
        owner: { agentId: 'agent-1', frameworkId: FW, executorId: 't1', taskId: 't1' },
        requested: { cpus: 0.5, memMb: 64 },
        limits: { cpus: 0.5, memMb: 256 },
      });
    });

    it('fails the task with the reason the driver gives when the container cannot start', async () => {
      h.driver.failNextStart = new TaskStartError("Docker image 'nope' is not present on this agent", { reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED });
      h.executor.run(runTask({ task_id: { value: 't1' }, ...docker }));
      await ended();
      expect(states()).toEqual(['TASK_STARTING', 'TASK_FAILED']);
      expect(last()).toMatchObject({ source: 'SOURCE_AGENT', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: "Docker image 'nope' is not present on this agent" });
    });

    it('reports a memory limitation instead of the exit status', async () => {
      h.executor.run(runTask({ task_id: { value: 't1' }, ...docker }));
      await running();
      h.driver.exit({ kind: 'exited', code: 137, cause: { reason: TaskStatusReason.CONTAINER_LIMITATION_MEMORY, message: 'Memory limit exceeded' } });
      await ended();
      expect(last()).toMatchObject({ state: 'TASK_FAILED', source: 'SOURCE_AGENT', reason: 'REASON_CONTAINER_LIMITATION_MEMORY', message: 'Memory limit exceeded' });
    });

    it('reports a killed task as killed, whatever else the driver says about its end', async () => {
      h.executor.run(runTask({ task_id: { value: 't1' }, ...docker }));
      await running();
      h.executor.kill({ epoch: 1, framework_id: { value: FW }, task_id: { value: 't1' } });
      h.driver.exit({ kind: 'exited', code: 137, cause: { reason: TaskStatusReason.CONTAINER_LIMITATION_MEMORY, message: 'Memory limit exceeded' } });
      await ended();
      expect(last()).toMatchObject({ state: 'TASK_KILLED', message: 'Command exited with status 137' });
    });
  });

  it('runs a task with a MESOS container without an image', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' }, container: { type: 'MESOS' } }));
    await running();
    expect(h.driver.launches).toHaveLength(1);
  });

  it('ignores a second run-task for a task it holds', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    await running();
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    expect(h.driver.launches).toHaveLength(1);
    expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  });

  describe('kill', () => {
    const kill = (grace?: number, taskId = 't1'): void =>
      h.executor.kill({
        epoch: 1,
        framework_id: { value: FW },
        task_id: { value: taskId },
        ...(grace !== undefined ? { kill_policy: { grace_period: { nanoseconds: grace * 1e6 } } } : {}),
      });

    it.each([
      ['the kill’s grace period', 500, 7000, 500],
      ['the task’s kill policy', undefined, 7000, 7000],
      ['AGORA_KILL_GRACE_MS', undefined, undefined, 3000],
    ])('stops the task with %s and reports TASK_KILLED', async (_case, killGrace, taskGrace, expected) => {
      h.executor.run(runTask({
        task_id: { value: 't1' },
        ...(taskGrace !== undefined ? { kill_policy: { grace_period: { nanoseconds: taskGrace * 1e6 } } } : {}),
      }));
      await running();
      kill(killGrace);
      expect(h.driver.stops).toEqual([{ containerId: h.driver.launches[0].containerId, graceMs: expected }]);
      h.driver.exit({ kind: 'exited', code: 0 }); // even a clean exit is a kill's result
      await ended();
      expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
      expect(last()).toMatchObject({ source: 'SOURCE_EXECUTOR', message: 'Command exited with status 0' });
    });

    it('sends TASK_KILLING first to frameworks with TASK_KILLING_STATE, once', async () => {
      h.executor.run(runTask({ task_id: { value: 't1' } }, { capabilities: [{ type: 'TASK_KILLING_STATE' }] }));
      await running();
      kill();
      kill(100);
      expect(h.driver.stops.map((s) => s.graceMs)).toEqual([3000, 100]);
      h.driver.exit({ kind: 'signaled', signal: 'SIGTERM' });
      await ended();
      expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
      expect(last().message).toBe('Command terminated with signal SIGTERM');
    });

    it('kills a task still being launched without starting it', async () => {
      h.executor.run(runTask({ task_id: { value: 't1' } }));
      kill();
      await ended();
      expect(states()).toEqual(['TASK_KILLED']);
      expect(last()).toMatchObject({ source: 'SOURCE_AGENT', reason: 'REASON_TASK_KILLED_DURING_LAUNCH' });
      expect(h.driver.launches).toEqual([]);
    });

    it('stops a task whose kill arrived while its process was starting', async () => {
      let open!: () => void;
      h.driver.gate = new Promise((r) => (open = r));
      h.executor.run(runTask({ task_id: { value: 't1' } }));
      await waitFor(() => states().includes('TASK_STARTING'));
      kill(250);
      open();
      await waitFor(() => h.driver.stops.length === 1);
      expect(h.driver.stops[0].graceMs).toBe(250);
      h.driver.exit({ kind: 'signaled', signal: 'SIGTERM' });
      await ended();
      expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
    });

    it.each([
      ['TASK_LOST to a framework that is not partition-aware', [], 'TASK_LOST'],
      ['TASK_DROPPED to a partition-aware framework', [{ type: 'PARTITION_AWARE' as const }], 'TASK_DROPPED'],
    ])('answers a kill of an unknown task of a known framework with %s', async (_case, capabilities, state) => {
      h.executor.run(runTask({ task_id: { value: 't1' } }, { capabilities }));
      await running();
      kill(undefined, 'ghost');
      expect(h.updates.find((u) => u.status.task_id.value === 'ghost')?.status).toMatchObject({
        state,
        source: 'SOURCE_AGENT',
        reason: 'REASON_EXECUTOR_TERMINATED',
        message: 'Cannot find executor',
      });
    });

    it('ignores a kill for a framework it does not know, and one for a task that ended', async () => {
      kill(undefined, 'ghost');
      expect(h.updates).toEqual([]);
      h.executor.run(runTask({ task_id: { value: 't1' } }));
      await running();
      h.driver.exit({ kind: 'exited', code: 0 });
      await ended();
      kill();
      expect(h.driver.stops).toEqual([]);
    });
  });

  it('forgets a task once its terminal update is acknowledged, keeping it in the history', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    await running();
    h.driver.exit({ kind: 'exited', code: 0 });
    await ended();
    jest.mocked(h.statusUpdates.update).mockRestore();
    const finished = h.updates[2].status as TaskStatus & { uuid: string };
    h.statusUpdates.update(FW, finished);
    h.statusUpdates.acknowledge(FW, 't1', finished.uuid);
    expect(h.registry.get(FW, 't1')).toBeUndefined();
    expect(h.registry.completedRuns(FW).map((r) => r.taskId)).toEqual(['t1']);
  });

  it('shuts a framework down: kills its tasks silently and drops their updates', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    h.executor.run(runTask({ task_id: { value: 't2' } }));
    await running('t1');
    await running('t2');
    h.executor.shutdownFramework(FW);
    expect(h.cleanup).toHaveBeenCalledWith(FW);
    expect(h.driver.stops).toHaveLength(2);
    h.driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, h.driver.launches[0].containerId);
    h.driver.exit({ kind: 'signaled', signal: 'SIGTERM' }, h.driver.launches[1].containerId);
    await waitFor(() => h.registry.framework(FW) === undefined);
    expect(h.updates.map((u) => u.status.state)).not.toContain('TASK_KILLED');
    expect(h.registry.completedFrameworks()[0].runs.map((r) => [r.taskId, r.state]).sort()).toEqual([
      ['t1', 'TASK_KILLED'],
      ['t2', 'TASK_KILLED'],
    ]);
  });

  it('shuts down a command executor by killing its task', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    await running();
    h.executor.shutdownExecutor(FW, 't1');
    h.driver.exit({ kind: 'signaled', signal: 'SIGTERM' });
    await ended();
    expect(last().state).toBe('TASK_KILLED');
  });

  it('kills everything when the agent stops, then refuses new tasks', async () => {
    h.executor.run(runTask({ task_id: { value: 't1' } }));
    await running();
    const stopping = h.executor.killAll('stopping');
    h.driver.exit({ kind: 'signaled', signal: 'SIGTERM' });
    await stopping;
    expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    h.executor.run(runTask({ task_id: { value: 't2' } }));
    expect(h.registry.get(FW, 't2')).toBeUndefined();
  });
});
