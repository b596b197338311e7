import { agora, LocalAgora } from '../support/agora-cli';

/**
 * The README's promise, as a user runs it: `agora local` (embedded Postgres, in-process bus, 3
 * agents running real processes) in one terminal, `agora run -- echo hello` in another.
 */
describe('agora local and agora run', () => {
  const local = new LocalAgora('agora-local-');

  afterAll(() => local.cleanUp());

  it('prints hello and exits 0, and the cluster stops cleanly on SIGINT', async () => {
    const master = await local.start(3);

    const hello = await agora(['run', '--master', master, '--', 'echo', 'hello'], local.dir);
    expect(hello).toMatchObject({ code: 0, stdout: 'hello\n' });

    const failing = await agora(['run', '--master', master, '--', 'echo oops >&2; exit 7'], local.dir);
    expect(failing).toMatchObject({ code: 7, stdout: '' });
    expect(failing.stderr).toContain('oops');

    const agents = await agora(['agents', '--master', master, '--json'], local.dir);
    expect(agents.code).toBe(0);
    expect((JSON.parse(agents.stdout) as { slaves: unknown[] }).slaves).toHaveLength(3);

    expect(await local.interrupt()).toBe(0);
  }, 240000);
});
