import type { CommandInfo, ContainerInfo, DockerInfo } from '@agora/protocol';
import { type TaskLaunch, TaskStartError } from '../task-driver';
import { commandOptions, containerPlan, cpuOptions, LABELS, memoryOptions, SANDBOX_MOUNT } from './container-spec';

const SANDBOX = '/work/slaves/a1/frameworks/f1/executors/t1/runs/c1';
const MB = 1024 * 1024;

function launch(extra: Partial<TaskLaunch> = {}, docker: Partial<DockerInfo> = {}, container: Partial<ContainerInfo> = {}): TaskLaunch {
  return {
    containerId: 'c1',
    command: { value: 'echo hi' },
    env: { MESOS_SANDBOX: SANDBOX, MESOS_TASK_ID: 't1' },
    sandbox: SANDBOX,
    stdoutPath: `${SANDBOX}/stdout`,
    stderrPath: `${SANDBOX}/stderr`,
    limits: {},
    container: { type: 'DOCKER', docker: { image: 'agora/busybox', ...docker }, ...container },
    owner: { agentId: 'a1', frameworkId: 'f1', executorId: 't1', taskId: 't1' },
    ...extra,
  };
}

/** The message of the TaskStartError `build` throws; fails the test when it throws none. */
function refusal(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(TaskStartError);
    expect((e as TaskStartError).reason).toBe('REASON_CONTAINER_LAUNCH_FAILED');
    return (e as Error).message;
  }
  throw new Error('expected a TaskStartError');
}

describe('containerPlan', () => {
  it('names the container mesos-<containerId> and labels it with its owner', () => {
    const plan = containerPlan(launch());
    expect(plan).toMatchObject({ name: 'mesos-c1', image: 'agora/busybox', forcePull: false });
    expect(plan.options).toMatchObject({ name: 'mesos-c1', Image: 'agora/busybox' });
    expect(plan.options.Labels).toEqual({
      [LABELS.containerId]: 'c1',
      [LABELS.taskId]: 't1',
      [LABELS.frameworkId]: 'f1',
      [LABELS.executorId]: 't1',
      [LABELS.agentId]: 'a1',
    });
  });

  it('labels an executor container without a task id, and an ownerless one with its container id only', () => {
    expect(containerPlan(launch({ owner: { agentId: 'a1', frameworkId: 'f1', executorId: 'e1' } })).options.Labels).not.toHaveProperty(LABELS.taskId);
    expect(containerPlan(launch({ owner: undefined })).options.Labels).toEqual({ [LABELS.containerId]: 'c1' });
  });

  it('mounts the sandbox at /mnt/mesos/sandbox and points MESOS_SANDBOX there', () => {
    const { options } = containerPlan(launch());
    expect(options.HostConfig?.Binds).toEqual([`${SANDBOX}:${SANDBOX_MOUNT}`]);
    expect(options.Env).toEqual(['MESOS_SANDBOX=/mnt/mesos/sandbox', 'MESOS_TASK_ID=t1', 'MESOS_CONTAINER_NAME=mesos-c1']);
  });

  it("keeps a MESOS_SANDBOX the task set itself", () => {
    const { options } = containerPlan(launch({ env: { MESOS_SANDBOX: '/elsewhere' } }));
    expect(options.Env).toContain('MESOS_SANDBOX=/elsewhere');
  });

  it.each([
    ['HOST by default', {}, 'host'],
    ['HOST', { network: 'HOST' as const }, 'host'],
    ['NONE', { network: 'NONE' as const }, 'none'],
  ])('uses %s networking', (_case, docker, mode) => {
    expect(containerPlan(launch({}, docker)).options.HostConfig?.NetworkMode).toBe(mode);
  });

  it.each([
    ['BRIDGE networking', {}, { network: 'BRIDGE' as const }, /network BRIDGE is not supported on this agent: .*HOST or NONE/],
    ['USER networking', {}, { network: 'USER' as const }, /network USER is not supported/],
    ['port mappings', {}, { port_mappings: [{ host_port: 31000, container_port: 80 }] }, /port mappings need BRIDGE/],
    ['a volume driver', {}, { volume_driver: 'rexray' }, /volume drivers are not supported .*rexray/],
    ['an empty image name', {}, { image: ' ' }, /names no image/],
    ['unsupported docker parameters', {}, { parameters: [{ key: 'cap-add', value: 'NET_ADMIN' }, { key: 'env', value: 'A=1' }, { key: 'ulimit', value: 'x' }] }, /parameters not supported on this agent: cap-add, ulimit/],
  ])('refuses %s', (_case, extra: Partial<TaskLaunch>, docker: Partial<DockerInfo>, message) => {
    expect(refusal(() => containerPlan(launch(extra, docker)))).toMatch(message);
  });

  it('refuses a launch without a DOCKER container', () => {
    expect(refusal(() => containerPlan(launch({ container: { type: 'MESOS' } })))).toMatch(/no DOCKER container/);
  });

  it('applies the docker parameters it knows, without letting a label hide whose container it is', () => {
    const { options } = containerPlan(launch({}, {
      parameters: [
        { key: 'env', value: 'A=1' },
        { key: 'label', value: 'team=web' },
        { key: 'label', value: `${LABELS.taskId}=forged` },
        { key: 'user', value: 'nobody' },
        { key: 'workdir', value: '/tmp' },
      ],
    }));
    expect(options.Env).toContain('A=1');
    expect(options.Labels).toMatchObject({ team: 'web', [LABELS.taskId]: 't1' });
    expect(options).toMatchObject({ User: 'nobody', WorkingDir: '/tmp' });
  });

  it('passes privileged and force_pull_image through', () => {
    const plan = containerPlan(launch({}, { privileged: true, force_pull_image: true }));
    expect(plan.forcePull).toBe(true);
    expect(plan.options.HostConfig?.Privileged).toBe(true);
  });

  it('sets the hostname only where the engine allows one (NONE networking)', () => {
    expect(containerPlan(launch({}, { network: 'NONE' }, { hostname: 'box' })).options.Hostname).toBe('box');
    expect(containerPlan(launch({}, {}, { hostname: 'box' })).options.Hostname).toBeUndefined();
  });

  it.each([
    ['an absolute host path as it is', { container_path: '/data', host_path: '/srv/data', mode: 'RO' as const }, '/srv/data:/data:ro'],
    ['a relative host path inside the sandbox', { container_path: '/cache', host_path: 'cache' }, `${SANDBOX}/cache:/cache:rw`],
    ['a relative container path under the sandbox mount', { container_path: 'out', host_path: '/srv/out' }, `/srv/out:${SANDBOX_MOUNT}/out:rw`],
  ])('binds a volume: %s', (_case, volume, bind) => {
    expect(containerPlan(launch({}, {}, { volumes: [volume] })).options.HostConfig?.Binds).toEqual([`${SANDBOX}:${SANDBOX_MOUNT}`, bind]);
  });

  it.each([
    ['a relative host path that leaves the sandbox', { container_path: '/x', host_path: '../../../etc' }, /leaves the sandbox/],
    ['an image volume', { container_path: '/x', image: { type: 'DOCKER' } }, /needs a host_path/],
  ])('refuses %s', (_case, volume, message) => {
    expect(refusal(() => containerPlan(launch({}, {}, { volumes: [volume] })))).toMatch(message);
  });

  it('runs the command under an init, so a SIGTERM reaches it', () => {
    expect(containerPlan(launch()).options.HostConfig?.Init).toBe(true);
  });
});

describe('commandOptions', () => {
  const options = (command: CommandInfo) => commandOptions(launch({ command }));

  it.each<[string, CommandInfo, object]>([
    ['a shell command runs with /bin/sh -c in place of the entrypoint', { value: 'exit $((1 + 2))' }, { Entrypoint: ['/bin/sh'], Cmd: ['-c', 'exit $((1 + 2))'] }],
    ['shell: true explicitly', { value: 'ls', shell: true }, { Entrypoint: ['/bin/sh'], Cmd: ['-c', 'ls'] }],
    ['no value keeps the image command', {}, {}],
    ['no value with shell: false keeps the image command', { shell: false }, {}],
    ['arguments alone go to the image entrypoint', { shell: false, arguments: ['--port', '80'] }, { Cmd: ['--port', '80'] }],
    ['a value and arguments go to the image entrypoint, value first', { shell: false, value: 'serve', arguments: ['-v'] }, { Cmd: ['serve', '-v'] }],
  ])('%s', (_case, command, expected) => {
    expect(options(command)).toEqual(expected);
  });
});

describe('cpuOptions', () => {
  it.each([
    ['shares by request, quota by limit', { requested: { cpus: 0.5 }, limits: { cpus: 2 } }, { CpuShares: 512, CpuPeriod: 100_000, CpuQuota: 200_000 }],
    ['shares by the limit when nothing was requested', { limits: { cpus: 1 } }, { CpuShares: 1024, CpuPeriod: 100_000, CpuQuota: 100_000 }],
    ['at least 2 shares and a 1 ms quota', { requested: { cpus: 0.001 }, limits: { cpus: 0.001 } }, { CpuShares: 2, CpuPeriod: 100_000, CpuQuota: 1000 }],
    ['shares but no quota for an unlimited task', { requested: { cpus: 0.25 }, limits: {} }, { CpuShares: 256 }],
    ['nothing for a task without cpus', { limits: {} }, {}],
  ])('%s', (_case, input, expected) => {
    expect(cpuOptions(input)).toEqual(expected);
  });
});

describe('memoryOptions', () => {
  it.each([
    ['the limit, swap capped at it', { requested: { memMb: 64 }, limits: { memMb: 64 } }, { Memory: 64 * MB, MemorySwap: 64 * MB }],
    ['at least 32 MB', { requested: { memMb: 8 }, limits: { memMb: 8 } }, { Memory: 32 * MB, MemorySwap: 32 * MB }],
    ['the request as reservation under a higher limit', { requested: { memMb: 64 }, limits: { memMb: 256 } }, { Memory: 256 * MB, MemorySwap: 256 * MB, MemoryReservation: 64 * MB }],
    ['no limit for an unlimited task', { requested: { memMb: 64 }, limits: {} }, {}],
  ])('%s', (_case, input, expected) => {
    expect(memoryOptions(input)).toEqual(expected);
  });
});
