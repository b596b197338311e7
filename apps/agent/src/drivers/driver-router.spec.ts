import { FakeDriver } from '../testing/fake-driver';
import { type DockerBackend, TaskDriverRouter } from './driver-router';
import { type TaskLaunch, TaskStartError, UnknownContainerError } from './task-driver';

function launch(containerId: string, container?: TaskLaunch['container']): TaskLaunch {
  return { containerId, command: { value: 'true' }, env: {}, sandbox: '/s', stdoutPath: '/s/stdout', stderrPath: '/s/stderr', limits: {}, container };
}

const DOCKER = { type: 'DOCKER' as const, docker: { image: 'agora/busybox' } };

describe('TaskDriverRouter', () => {
  let processDriver: FakeDriver;
  let dockerDriver: FakeDriver;
  let missing: string | undefined;
  let router: TaskDriverRouter;

  beforeEach(() => {
    processDriver = new FakeDriver();
    dockerDriver = new FakeDriver();
    missing = undefined;
    const docker: DockerBackend = { driver: dockerDriver, unavailable: async () => missing };
    router = new TaskDriverRouter(processDriver, docker);
  });

  it.each([
    ['no container', undefined, 'process'],
    ['a MESOS container', { type: 'MESOS' as const }, 'process'],
    ['a DOCKER container', DOCKER, 'docker'],
  ])('runs a launch with %s with the %s driver, and sends what follows there', async (_case, container, expected) => {
    await router.start(launch('c1', container));
    const [chosen, other] = expected === 'docker' ? [dockerDriver, processDriver] : [processDriver, dockerDriver];
    expect(chosen.launches.map((l) => l.containerId)).toEqual(['c1']);
    expect(other.launches).toEqual([]);
    const stopped = router.stop('c1', 500);
    expect(chosen.stops).toEqual([{ containerId: 'c1', graceMs: 500 }]);
    chosen.exit({ kind: 'exited', code: 0 }, 'c1');
    await expect(stopped).resolves.toEqual({ kind: 'exited', code: 0 });
    await expect(router.wait('c1')).resolves.toEqual({ kind: 'exited', code: 0 });
    expect(router.inspect('c1')).toMatchObject({ containerId: 'c1' });
    await router.destroy('c1');
    expect(chosen.destroyed).toEqual(['c1']);
  });

  it('fails a Docker launch at once when the agent has no engine, saying so', async () => {
    missing = 'no Docker engine on this agent: nothing answers at unix:///var/run/docker.sock';
    const failure = router.start(launch('c1', DOCKER));
    await expect(failure).rejects.toBeInstanceOf(TaskStartError);
    await expect(failure).rejects.toMatchObject({ reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: missing });
    expect(dockerDriver.launches).toEqual([]);
  });

  it('still runs plain commands on an agent without an engine', async () => {
    missing = 'no Docker engine on this agent';
    await router.start(launch('c1'));
    expect(processDriver.launches).toHaveLength(1);
  });

  it('knows no container it did not start, nor one it destroyed', async () => {
    expect(() => router.wait('nope')).toThrow(UnknownContainerError);
    expect(() => router.stop('nope', 0)).toThrow(UnknownContainerError);
    expect(router.inspect('nope')).toBeUndefined();
    await expect(router.stats('nope')).resolves.toBeUndefined();
    await router.destroy('nope');
    await router.start(launch('c1'));
    await router.destroy('c1');
    expect(() => router.wait('c1')).toThrow(UnknownContainerError);
  });

  it('leaves nothing behind for a start that failed', async () => {
    dockerDriver.failNextStart = 'no such image';
    await expect(router.start(launch('c1', DOCKER))).rejects.toThrow('no such image');
    expect(router.inspect('c1')).toBeUndefined();
  });
});
