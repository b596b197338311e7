import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandInfo } from '@agora/protocol';
import { Clock } from '../../clock/clock';
import { type TaskLaunch, TaskStartError, UnknownContainerError } from '../task-driver';
import { isAlive } from '../../testing/processes';
import { waitFor } from '../../testing/wait-for';
import { Cgroups } from './cgroups';
import { LauncherClient } from './launcher-client';
import { LauncherSpawner } from './launcher-spawner';
import { NodeSpawner } from './node-spawner';
import { ProcessDriver } from './process-driver';
import type { ProcessSpawner } from './spawner';
import { testLauncherBinary } from './test-launcher';

const launcher = testLauncherBinary();

/** Real processes, no cgroups (a root without cgroup.controllers), started either way. */
const spawners: [string, () => Promise<ProcessSpawner>][] = [
  ['node spawn', async () => new NodeSpawner()],
  ['agora-launcher', async () => new LauncherSpawner(await LauncherClient.start(launcher))],
];

describe.each(spawners)('ProcessDriver with %s', (_how, makeSpawner) => {
  let sandbox: string;
  let driver: ProcessDriver;
  let launched: string[];
  let spawner: ProcessSpawner;

  beforeAll(async () => {
    spawner = await makeSpawner();
  });

  afterAll(() => spawner.close());

  beforeEach(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'agora-driver-'));
    driver = new ProcessDriver(new Cgroups(join(sandbox, 'no-cgroups')), new Clock(), spawner);
    launched = [];
  });

  afterEach(async () => {
    await Promise.all(launched.map((id) => driver.destroy(id)));
    await rm(sandbox, { recursive: true, force: true });
  });

  let next = 0;
  function launch(command: CommandInfo, env: Record<string, string> = {}): TaskLaunch {
    const containerId = `c${++next}`;
    launched.push(containerId);
    return { containerId, command, env, sandbox, stdoutPath: join(sandbox, 'stdout'), stderrPath: join(sandbox, 'stderr'), limits: {} };
  }

  const output = (name: 'stdout' | 'stderr'): Promise<string> => readFile(join(sandbox, name), 'utf8');

  it.each([
    ['exit 0', { kind: 'exited', code: 0 }],
    ['exit 3', { kind: 'exited', code: 3 }],
    ['kill -USR1 $$', { kind: 'signaled', signal: 'SIGUSR1' }],
  ])('reports how `%s` ended', async (script, expected) => {
    const started = await driver.start(launch({ value: script }));
    expect(await driver.wait(started.containerId)).toEqual(expected);
    expect(driver.inspect(started.containerId)?.exit).toEqual(expected);
  });

  it('captures stdout and stderr in the sandbox files, appending', async () => {
    const first = await driver.start(launch({ value: 'echo out; echo err >&2' }));
    await driver.wait(first.containerId);
    const second = await driver.start(launch({ value: 'echo again' }));
    await driver.wait(second.containerId);
    expect(await output('stdout')).toBe('out\nagain\n');
    expect(await output('stderr')).toBe('err\n');
  });

  it('runs in the sandbox with a minimal PATH, HOME and the given environment', async () => {
    const started = await driver.start(launch({ value: 'pwd; echo "$HOME|$PATH|$GREETING"' }, { GREETING: 'hi' }));
    await driver.wait(started.containerId);
    expect((await output('stdout')).split('\n')).toEqual([
      sandbox,
      `${sandbox}|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin|hi`,
      '',
    ]);
  });

  it('execs the value with its arguments, argv[0] included, when shell is false', async () => {
    const script = 'head -c 5 /proc/$$/cmdline; echo " $0 $1"';
    const started = await driver.start(launch({ shell: false, value: '/bin/sh', arguments: ['my-sh', '-c', script, 'zero', 'one'] }));
    await driver.wait(started.containerId);
    expect(await output('stdout')).toBe('my-sh zero one\n');
  });

  it('fails to start a missing executable with TaskStartError, leaving nothing behind', async () => {
    const attempt = launch({ shell: false, value: '/no/such/binary' });
    await expect(driver.start(attempt)).rejects.toThrow(TaskStartError);
    await expect(driver.start(launch({ shell: false, value: '/no/such/binary' }))).rejects.toThrow(/Failed to launch task subprocess: .*ENOENT/);
    expect(driver.inspect(attempt.containerId)).toBeUndefined();
  });

  it('refuses an empty command', async () => {
    await expect(driver.start(launch({ value: '' }))).rejects.toThrow('the shell command is empty');
  });

  it('stops a task with SIGTERM to its group', async () => {
    const started = await driver.start(launch({ value: 'sleep 60' }));
    expect(driver.inspect(started.containerId)).toMatchObject({ pid: started.pid, limited: false });
    expect(await driver.stop(started.containerId, 10_000)).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
  });

  it('escalates to SIGKILL after the grace period when the task traps SIGTERM', async () => {
    const started = await driver.start(launch({ value: "trap 'echo caught' TERM; echo ready; while :; do sleep 0.05; done" }));
    await waitFor(async () => (await output('stdout')).includes('ready'));
    expect(await driver.stop(started.containerId, 200)).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    expect(await output('stdout')).toContain('caught');
  });

  it('lets a task that exits on SIGTERM end by itself within the grace period', async () => {
    const started = await driver.start(launch({ value: "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.05; done" }));
    await waitFor(async () => (await output('stdout')).includes('ready'));
    expect(await driver.stop(started.containerId, 30_000)).toEqual({ kind: 'exited', code: 0 });
  });

  it('a second stop shortens the grace period but never extends it', async () => {
    const started = await driver.start(launch({ value: "trap '' TERM; echo ready; while :; do sleep 0.05; done" }));
    await waitFor(async () => (await output('stdout')).includes('ready'));
    void driver.stop(started.containerId, 600_000);
    expect(await driver.stop(started.containerId, 100)).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
  });

  it('kills the whole process group, children included', async () => {
    const started = await driver.start(launch({ value: 'sleep 60 & echo $! > child; wait' }));
    const child = Number(await waitFor(async () => (await readFile(join(sandbox, 'child'), 'utf8').catch(() => '')).trim()));
    expect(isAlive(child)).toBe(true);
    await driver.stop(started.containerId, 10_000);
    await waitFor(async () => !isAlive(child));
  });

  it('kills what a task left behind when its main process exits', async () => {
    const started = await driver.start(launch({ value: 'sleep 60 & echo $! > child' }));
    expect(await driver.wait(started.containerId)).toEqual({ kind: 'exited', code: 0 });
    const child = Number((await readFile(join(sandbox, 'child'), 'utf8')).trim());
    await waitFor(async () => !isAlive(child));
  });

  it('forgets a container once destroyed', async () => {
    const started = await driver.start(launch({ value: 'sleep 60' }));
    await driver.destroy(started.containerId);
    expect(driver.inspect(started.containerId)).toBeUndefined();
    expect(() => driver.wait(started.containerId)).toThrow(UnknownContainerError);
    await driver.destroy(started.containerId); // idempotent
  });

  it('reports stats of a running task from /proc', async () => {
    const started = await driver.start(launch({ value: 'sleep 60' }));
    const stats = await driver.stats(started.containerId);
    expect(stats).toMatchObject({ timestamp: expect.any(Number), mem_rss_bytes: expect.any(Number), cpus_user_time_secs: expect.any(Number) });
    expect(await driver.stats('unknown')).toBeUndefined();
  });
});
