import { ExecutorRegistry } from '../executors/executor-registry';
import type { ExecutorRun } from '../executors/executor-run';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resources } from '@agora/resources';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import { AgentProfile } from '../machine/agent-profile';
import { TaskRegistry } from '../tasks/task-registry';
import type { TaskRun } from '../tasks/task-run';
import { waitFor } from '../testing/wait-for';
import { DiskUsage } from './disk-usage';
import { maxSandboxAgeMs, overdueSandboxes } from './sandbox-gc-policy';
import { SandboxGc } from './sandbox-gc.service';
import { SandboxService } from './sandbox.service';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

describe('sandbox GC policy', () => {
  it.each([
    [0, 0.9 * WEEK],
    [0.5, 0.4 * WEEK],
    [0.85, 0.05 * WEEK],
    [0.9, 0],
    [0.99, 0],
  ])('at disk usage %d keeps sandboxes at most %d ms (gc_delay × max(0, 1 − 0.1 − usage))', (usage, age) => {
    expect(maxSandboxAgeMs(WEEK, usage)).toBeCloseTo(age, 3);
  });


  it('lists the overdue sandboxes, oldest first', () => {
    const scheduled = new Map([['/b', 100], ['/a', 50], ['/c', 900], ['/d', 100]]);
    expect(overdueSandboxes(scheduled, 1000, 900)).toEqual(['/a', '/b', '/d']);
    expect(overdueSandboxes(scheduled, 1000, 0)).toEqual(['/a', '/b', '/d', '/c']);
  });
});

describe('SandboxGc', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let workDir: string;
  let clock: FakeClock;
  let registry: TaskRegistry;
  let executors: ExecutorRegistry;
  let sandboxes: SandboxService;
  let usage: number;
  let gc: SandboxGc;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-gc-'));
    clock = new FakeClock();
    registry = new TaskRegistry();
    executors = new ExecutorRegistry();
    const profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
    sandboxes = new SandboxService(profile);
    usage = 0;
    const disk = new (class extends DiskUsage {
      override async usage(): Promise<number> {
        return usage;
      }
    })();
    const config = loadAgentConfig({ sandboxGcDelayMs: WEEK, diskWatchIntervalMs: 60_000 }, {});
    gc = new SandboxGc(profile, config, clock, disk, registry, executors);
    gc.onModuleInit();
  });

  it("schedules a retired executor's sandbox", () => {
    const run = { directory: join(workDir, 'slaves', 'S1', 'frameworks', 'F', 'executors', 'e', 'runs', 'c') } as ExecutorRun;
    (executors as unknown as { retiredListeners: ((r: ExecutorRun) => void)[] }).retiredListeners.forEach((l) => l(run));
    expect([...gc.pending().keys()]).toContain(run.directory);
  });

  afterEach(async () => {
    await gc.beforeApplicationShutdown();
    await rm(workDir, { recursive: true, force: true });
  });

  /** A task with a real sandbox, live in the registry. */
  async function liveTask(taskId: string, frameworkId = 'fw'): Promise<TaskRun> {
    const sandbox = await sandboxes.create({ agentId: 'a-S1', frameworkId, executorId: taskId, containerId: `c-${taskId}` });
    const run: TaskRun = {
      frameworkId,
      taskId,
      info: { name: taskId, task_id: { value: taskId }, agent_id: { value: 'a-S1' }, command: { value: 'true' } },
      executorId: taskId,
      containerId: `c-${taskId}`,
      directory: sandbox.directory,
      state: 'TASK_RUNNING',
      phase: 'running',
      statuses: [],
      silenced: false,
      finished: Promise.resolve(),
    };
    registry.rememberFramework({ id: { value: frameworkId }, user: 'u', name: 'f' });
    registry.add(run);
    return run;
  }

  /** A task that finished now: its terminal update was acknowledged. */
  async function finishedTask(taskId: string, frameworkId = 'fw'): Promise<TaskRun> {
    const run = await liveTask(taskId, frameworkId);
    run.phase = 'terminated';
    run.state = 'TASK_FINISHED';
    registry.complete(frameworkId, taskId);
    return run;
  }

  it('removes a finished sandbox once it is older than gc_delay × (1 − headroom − usage), then forgets the task in /state', async () => {
    const run = await finishedTask('t1');
    expect(gc.pending().get(run.directory as string)).toBe(clock.now());

    clock.advance(0.9 * WEEK - 1);
    expect(await gc.collect()).toEqual([]);
    expect(existsSync(run.directory as string)).toBe(true);
    expect(registry.completedFrameworks()).toHaveLength(1);

    clock.advance(1);
    expect(await gc.collect()).toEqual([run.directory]);
    expect(existsSync(run.directory as string)).toBe(false);
    expect(registry.completedFrameworks()).toEqual([]);
    expect(gc.maxAllowedAgeMs).toBeCloseTo(0.9 * WEEK, 3);
    // The executor's and framework's directories were empty, and went too.
    expect(await readdir(join(workDir, 'slaves', 'a-S1', 'frameworks'))).toEqual([]);
  });

  it('removes sandboxes sooner as the disk fills', async () => {
    const run = await finishedTask('t1');
    clock.advance(DAY);
    expect(await gc.collect()).toEqual([]);
    usage = 0.8; // keeps 0.1 × gc_delay = 0.7 days
    expect(await gc.collect()).toEqual([run.directory]);
    expect(gc.maxAllowedAgeMs).toBeCloseTo(0.1 * WEEK, 3);
  });

  it('keeps the sandbox of a task that is still live', async () => {
    const run = await liveTask('t1');
    gc.schedule(run.directory as string, clock.now() - WEEK);
    expect(await gc.collect()).toEqual([]);
    expect(existsSync(run.directory as string)).toBe(true);
    // It is scheduled again when that task finishes.
    expect(gc.pending().has(run.directory as string)).toBe(false);
  });

  it('keeps the executor directory while another run of it remains', async () => {
    const first = await finishedTask('t1');
    await sandboxes.create({ agentId: 'a-S1', frameworkId: 'fw', executorId: 't1', containerId: 'c-second' });
    clock.advance(WEEK);
    expect(await gc.collect()).toEqual([first.directory]);
    const runs = join(workDir, 'slaves', 'a-S1', 'frameworks', 'fw', 'executors', 't1', 'runs');
    // runs/latest names the second run, so it stays.
    expect((await readdir(runs)).sort()).toEqual(['c-second', 'latest']);
  });

  it('forgets only the tasks whose sandbox went', async () => {
    await finishedTask('old');
    clock.advance(WEEK);
    await finishedTask('new');
    await gc.collect();
    expect(registry.completedRuns('fw').map((r) => r.taskId)).toEqual(['new']);
  });

  it('never deletes anything outside <work_dir>/slaves', async () => {
    const outside = join(workDir, 'meta');
    await mkdir(outside);
    gc.schedule(outside, 0);
    gc.schedule(join(workDir, 'slaves'), 0);
    expect(await gc.collect()).toEqual([]);
    expect(existsSync(outside)).toBe(true);
  });

  it('schedules the sandboxes an earlier agent process left, aged from their modification time', async () => {
    const old = await sandboxes.create({ agentId: 'a-S0', frameworkId: 'fw', executorId: 'e', containerId: 'old' });
    const recent = await sandboxes.create({ agentId: 'a-S0', frameworkId: 'fw', executorId: 'e', containerId: 'recent' });
    const seconds = (ms: number): number => ms / 1000;
    await utimes(old.directory, seconds(clock.now() - WEEK), seconds(clock.now() - WEEK));
    await utimes(recent.directory, seconds(clock.now() - DAY), seconds(clock.now() - DAY));
    await gc.onApplicationBootstrap();
    expect([...gc.pending().keys()].sort()).toEqual([old.directory, recent.directory].sort());
    expect(await gc.collect()).toEqual([old.directory]);
  });

  it('checks the disk every AGORA_DISK_WATCH_INTERVAL_MS', async () => {
    const run = await finishedTask('t1');
    await gc.onApplicationBootstrap();
    expect(clock.pendingDelays()).toEqual([60_000]);
    usage = 0.95; // nothing may stay
    clock.advance(60_000);
    await waitFor(() => !existsSync(run.directory as string));
    await waitFor(() => clock.pendingDelays().length === 1);
    expect(clock.pendingDelays()).toEqual([60_000]);
  });

  it('keeps the full delay when the disk usage cannot be read', async () => {
    const failing = new (class extends DiskUsage {
      override async usage(): Promise<number> {
        throw new Error('statfs failed');
      }
    })();
    const profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.EMPTY, []);
    const config = loadAgentConfig({ sandboxGcDelayMs: WEEK }, {});
    const blind = new SandboxGc(profile, config, clock, failing, registry, new ExecutorRegistry());
    blind.schedule(join(workDir, 'slaves', 'x'), clock.now() - 0.95 * WEEK);
    expect(await blind.collect()).toEqual([]);
    expect(blind.maxAllowedAgeMs).toBe(WEEK);
  });
});

describe('sandbox GC configuration', () => {
  it('defaults to one week, checked every minute, like Mesos', () => {
    const config = loadAgentConfig({}, {});
    expect(config.sandboxGcDelayMs).toBe(WEEK);
    expect(config.diskWatchIntervalMs).toBe(60_000);
  });

  it('reads AGORA_SANDBOX_GC_DELAY_MS and AGORA_DISK_WATCH_INTERVAL_MS', () => {
    const config = loadAgentConfig({}, { AGORA_SANDBOX_GC_DELAY_MS: '3600000', AGORA_DISK_WATCH_INTERVAL_MS: '5000' });
    expect(config.sandboxGcDelayMs).toBe(3_600_000);
    expect(config.diskWatchIntervalMs).toBe(5000);
  });

  it('refuses bad values', () => {
    expect(() => loadAgentConfig({}, { AGORA_SANDBOX_GC_DELAY_MS: '-1', AGORA_DISK_WATCH_INTERVAL_MS: '0' })).toThrow(/AGORA_SANDBOX_GC_DELAY_MS[\s\S]*AGORA_DISK_WATCH_INTERVAL_MS|AGORA_DISK_WATCH_INTERVAL_MS[\s\S]*AGORA_SANDBOX_GC_DELAY_MS/);
  });
});
