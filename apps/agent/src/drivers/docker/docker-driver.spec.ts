import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { serviceUrl } from '../../../../../test/support/services';
import { Clock } from '../../clock/clock';
import { ConfigError } from '@agora/nest-common';
import { type TaskLaunch, TaskStartError, UnknownContainerError } from '../task-driver';
import { LABELS } from './container-spec';
import { containerExit, DockerDriver } from './docker-driver';
import { DockerEngine } from './docker-engine';
import { DockerSupport } from './docker-support';
import { parseDockerHost } from './engine-address';

const BUSYBOX = 'agora/busybox:latest';
const quiet = { log: () => undefined, warn: () => undefined };

/**
 * The docker driver against the real engine scripts/services.sh starts (DOCKER_HOST), with the
 * images docker/build-images.sh builds. Every container a test makes is removed again.
 */
describe('DockerDriver against the Docker engine', () => {
  let host: string;
  let raw: Docker;
  let driver: DockerDriver;
  let sandbox: string;

  beforeAll(() => {
    host = serviceUrl('DOCKER_HOST');
    const address = parseDockerHost(host);
    raw = new Docker(address.kind === 'unix' ? { socketPath: address.socketPath } : { host: address.host, port: address.port });
  });

  beforeEach(async () => {
    driver = new DockerDriver(new DockerEngine(parseDockerHost(host)), new Clock(), { removeDelayMs: 3_600_000 }, quiet);
    sandbox = await mkdtemp(join(tmpdir(), 'agora-docker-driver-'));
    await writeFile(join(sandbox, 'stdout'), '');
    await writeFile(join(sandbox, 'stderr'), '');
  });

  afterEach(async () => {
    await driver.close();
    await rm(sandbox, { recursive: true, force: true });
  });

  function launch(extra: Partial<TaskLaunch> = {}, image = BUSYBOX): TaskLaunch {
    return {
      containerId: randomUUID(),
      command: { value: 'echo hello' },
      env: { MESOS_SANDBOX: sandbox, MESOS_TASK_ID: 'task-1' },
      sandbox,
      stdoutPath: join(sandbox, 'stdout'),
      stderrPath: join(sandbox, 'stderr'),
      limits: { cpus: 0.5, memMb: 64 },
      requested: { cpus: 0.25, memMb: 64 },
      container: { type: 'DOCKER', docker: { image } },
      owner: { agentId: 'agent-1', frameworkId: 'fw-1', executorId: 'task-1', taskId: 'task-1' },
      ...extra,
    };
  }

  const output = (name: 'stdout' | 'stderr'): Promise<string> => readFile(join(sandbox, name), 'utf8');

  /** Runs a launch to its end and destroys it, as the command executor does. */
  async function runToEnd(l: TaskLaunch) {
    await driver.start(l);
    const exit = await driver.wait(l.containerId);
    await driver.destroy(l.containerId);
    return exit;
  }

  it('runs a shell command in the image, with its output in the sandbox and its exit code', async () => {
    const l = launch({ command: { value: 'echo "out $MESOS_TASK_ID in $MESOS_SANDBOX as $MESOS_CONTAINER_NAME"; echo err >&2; exit 3' } });
    const started = await driver.start(l);
    expect(started).toMatchObject({ containerId: l.containerId, limited: true });
    const container = await raw.getContainer(`mesos-${l.containerId}`).inspect();
    expect(container.Config.Labels).toMatchObject({
      [LABELS.containerId]: l.containerId,
      [LABELS.taskId]: 'task-1',
      [LABELS.frameworkId]: 'fw-1',
      [LABELS.executorId]: 'task-1',
      [LABELS.agentId]: 'agent-1',
    });
    expect(container.HostConfig).toMatchObject({
      NetworkMode: 'host',
      Memory: 64 * 1024 * 1024,
      CpuShares: 256,
      CpuPeriod: 100_000,
      CpuQuota: 50_000,
      Binds: [`${sandbox}:/mnt/mesos/sandbox`],
    });
    await expect(driver.wait(l.containerId)).resolves.toEqual({ kind: 'exited', code: 3 });
    expect(await output('stdout')).toBe(`out task-1 in /mnt/mesos/sandbox as mesos-${l.containerId}\n`);
    expect(await output('stderr')).toBe('err\n');
    await driver.destroy(l.containerId);
    expect(() => driver.wait(l.containerId)).toThrow(UnknownContainerError);
  });

  it('shares the sandbox with the container', async () => {
    await writeFile(join(sandbox, 'input'), 'from the agent\n');
    const exit = await runToEnd(launch({ command: { value: 'cat $MESOS_SANDBOX/input; echo from the task > $MESOS_SANDBOX/result' } }));
    expect(exit).toEqual({ kind: 'exited', code: 0 });
    expect(await output('stdout')).toBe('from the agent\n');
    expect(await readFile(join(sandbox, 'result'), 'utf8')).toBe('from the task\n');
  });

  it('passes arguments to the image entrypoint without a shell', async () => {
    const exit = await runToEnd(launch({ command: { shell: false, arguments: ['echo', '$HOME is not expanded'] } }));
    expect(exit).toEqual({ kind: 'exited', code: 0 });
    expect(await output('stdout')).toBe('$HOME is not expanded\n');
  });

  it('runs node in agora/node', async () => {
    const exit = await runToEnd(launch({ command: { value: "node -e 'console.log(1)'" }, limits: { memMb: 256 } }, 'agora/node:latest'));
    expect(exit).toEqual({ kind: 'exited', code: 0 });
    expect(await output('stdout')).toBe('1\n');
  });

  it('fails to start from an image the agent does not have, naming it, and leaves no container', async () => {
    const l = launch({}, 'agora/not-built-here:1.0');
    const failure = driver.start(l);
    await expect(failure).rejects.toBeInstanceOf(TaskStartError);
    await expect(failure).rejects.toMatchObject({
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: expect.stringMatching(/^Docker image 'agora\/not-built-here:1\.0' is not present on this agent, and it cannot be pulled/),
    });
    await expect(raw.getContainer(`mesos-${l.containerId}`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('pulls only for force_pull_image, and fails clearly when the pull fails (there is no registry here)', async () => {
    const l = launch({ container: { type: 'DOCKER', docker: { image: 'agora/never-published', force_pull_image: true } } });
    const failure = driver.start(l);
    await expect(failure).rejects.toMatchObject({
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: expect.stringMatching(/^Failed to pull Docker image 'agora\/never-published' \(force_pull_image\): ./),
    });
    await expect(raw.getContainer(`mesos-${l.containerId}`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('reports a task that goes past its memory limit as a memory limitation', async () => {
    const exit = await runToEnd(launch({ command: { value: 'head -c 200m /dev/zero | tail' }, limits: { memMb: 32 }, requested: { memMb: 32 } }));
    expect(exit.cause).toEqual({
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: expect.stringMatching(/^Memory limit exceeded: .* its memory limit of 32 MB/),
    });
  });

  it('stops a task with its grace period: SIGTERM first, which a trap can answer', async () => {
    const l = launch({ command: { value: "trap 'echo got TERM; exit 7' TERM; echo ready; while true; do sleep 0.1; done" } });
    await driver.start(l);
    await eventually(async () => (await output('stdout')).includes('ready'));
    await expect(driver.stop(l.containerId, 10_000)).resolves.toEqual({ kind: 'exited', code: 7 });
    expect(await output('stdout')).toBe('ready\ngot TERM\n');
    await driver.destroy(l.containerId);
  });

  it('ends a command without a trap on SIGTERM, like a process (the init passes the signal on)', async () => {
    const l = launch({ command: { value: 'sleep 600' } });
    await driver.start(l);
    await expect(driver.stop(l.containerId, 600_000)).resolves.toEqual({ kind: 'exited', code: 143 });
    await driver.destroy(l.containerId);
  });

  it('kills a task that ignores SIGTERM once a second stop shortens the grace', async () => {
    const l = launch({ command: { value: "trap '' TERM; echo ready; while true; do sleep 0.1; done" } });
    await driver.start(l);
    await eventually(async () => (await output('stdout')).includes('ready'));
    const first = driver.stop(l.containerId, 600_000);
    const second = driver.stop(l.containerId, 0);
    await expect(second).resolves.toEqual({ kind: 'exited', code: 137 });
    await expect(first).resolves.toEqual({ kind: 'exited', code: 137 });
    await driver.destroy(l.containerId);
  });

  it('removes an ended container after the remove delay, and at once when the agent stops', async () => {
    const prompt = new DockerDriver(new DockerEngine(parseDockerHost(host)), new Clock(), { removeDelayMs: 0 }, quiet);
    const first = launch();
    await prompt.start(first);
    await prompt.wait(first.containerId);
    await prompt.destroy(first.containerId);
    await eventually(() => gone(first.containerId));

    const second = launch();
    await runToEnd(second);
    expect(await gone(second.containerId)).toBe(false);
    await driver.close();
    expect(await gone(second.containerId)).toBe(true);
  });

  it('reports the process and the usage of a running container', async () => {
    const l = launch({ command: { value: 'sleep 600' } });
    expect((await driver.start(l)).pid).toBeGreaterThan(0);
    const stats = await driver.stats(l.containerId);
    expect(stats).toMatchObject({ cpus_limit: 0.5, mem_limit_bytes: 64 * 1024 * 1024 });
    expect(stats?.mem_rss_bytes).toBeGreaterThanOrEqual(0);
    await driver.destroy(l.containerId);
  });

  async function gone(containerId: string): Promise<boolean> {
    return raw.getContainer(`mesos-${containerId}`).inspect().then(() => false, () => true);
  }
});

describe('DockerSupport', () => {
  const settings = { removeDelayMs: 0 };

  it('finds the engine at DOCKER_HOST', async () => {
    const support = await DockerSupport.start({ ...settings, mode: 'auto', host: serviceUrl('DOCKER_HOST') }, new Clock(), quiet);
    expect(support.available).toBe(true);
    await expect(support.unavailable()).resolves.toBeUndefined();
  });

  it('says there is no engine where nothing answers, and why', async () => {
    const support = await DockerSupport.start({ ...settings, mode: 'auto', host: 'unix:///nonexistent/docker.sock' }, new Clock(), quiet);
    expect(support.available).toBe(false);
    await expect(support.unavailable()).resolves.toMatch(/^no Docker engine on this agent: nothing answers at unix:\/\/\/nonexistent\/docker\.sock/);
  });

  it('does not start with AGORA_DOCKER=on and no engine', async () => {
    await expect(DockerSupport.start({ ...settings, mode: 'on', host: 'unix:///nonexistent/docker.sock' }, new Clock(), quiet)).rejects.toBeInstanceOf(ConfigError);
  });

  it('never uses an engine with AGORA_DOCKER=off', async () => {
    const support = await DockerSupport.start({ ...settings, mode: 'off', host: serviceUrl('DOCKER_HOST') }, new Clock(), quiet);
    expect(support.available).toBe(false);
    await expect(support.unavailable()).resolves.toBe('no Docker engine on this agent: Docker is turned off on this agent (AGORA_DOCKER=off)');
  });
});

describe('containerExit', () => {
  it.each([
    ['an exit code as it is', 3, false, undefined, { kind: 'exited', code: 3 }],
    ['an OOM kill as a memory limitation, whatever the code', 0, true, 32 * 1024 * 1024, {
      kind: 'exited',
      code: 0,
      cause: { reason: 'REASON_CONTAINER_LIMITATION_MEMORY', message: expect.stringContaining('its memory limit of 32 MB') },
    }],
  ])('reads %s', (_case, code, oom, limit, expected) => {
    expect(containerExit(code, oom, limit)).toEqual(expected);
  });
});

async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}
