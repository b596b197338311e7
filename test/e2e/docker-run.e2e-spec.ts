import { agora, LocalAgora, userEnv } from '../support/agora-cli';
import { serviceUrl } from '../support/services';

/** A user's shell with a Docker engine: the one scripts/services.sh started. */
const withDocker = (): NodeJS.ProcessEnv => ({ DOCKER_HOST: serviceUrl('DOCKER_HOST') });

/**
 * `agora run --image` as a user runs it: `agora local` in one terminal (its agents find the
 * engine at DOCKER_HOST), `agora run --image agora/busybox -- echo hello` in another.
 */
describe('agora run --image against agora local', () => {
  const local = new LocalAgora('agora-docker-run-');

  afterAll(() => local.cleanUp());

  it('prints what the command prints in the image, and says so when the image is missing', async () => {
    // Ended containers go at once: the engine is shared by every test run on the machine.
    const master = await local.start(1, userEnv({ ...withDocker(), AGORA_DOCKER: 'on', AGORA_DOCKER_REMOVE_DELAY_MS: '0' }));

    const hello = await agora(['run', '--master', master, '--image', 'agora/busybox', '--', 'echo', 'hello'], local.dir, userEnv(withDocker()));
    expect(hello).toMatchObject({ code: 0, stdout: 'hello\n' });

    const sandbox = await agora(['run', '--master', master, '--image', 'agora/busybox', '--', 'cd $MESOS_SANDBOX && ls && exit 4'], local.dir, userEnv(withDocker()));
    expect(sandbox).toMatchObject({ code: 4, stdout: 'stderr\nstdout\n' });

    const missing = await agora(['run', '--master', master, '--image', 'agora/never-built', '--', 'true'], local.dir, userEnv(withDocker()));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Docker image 'agora\/never-built' is not present on this agent/);

    expect(await local.interrupt()).toBe(0);
  }, 240000);
});
