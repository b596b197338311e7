import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskStartError } from '../task-driver';
import { isAlive } from '../../testing/processes';
import { waitFor } from '../../testing/wait-for';
import { LauncherClient, LauncherGoneError } from './launcher-client';
import { LauncherSpawner } from './launcher-spawner';
import type { SpawnRequest } from './spawner';
import { testLauncherBinary } from './test-launcher';

/** A real agora-launcher built from apps/agent/native/launcher.c. */
describe('LauncherClient', () => {
  const launcher = testLauncherBinary();
  let dir: string;
  let client: LauncherClient;
  const clients: LauncherClient[] = [];
  const pids: number[] = [];

  const shell = (script: string, over: Partial<SpawnRequest> = {}): SpawnRequest => ({
    file: '/bin/sh',
    args: ['-c', script],
    argv0: 'sh',
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
    stdoutPath: join(dir, 'stdout'),
    stderrPath: join(dir, 'stderr'),
    ...over,
  });

  async function started(request: SpawnRequest, via: LauncherClient | LauncherSpawner = client) {
    const process = await via.spawn(request);
    pids.push(process.pid);
    return process;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agora-launcher-'));
    client = await LauncherClient.start(launcher);
    clients.push(client);
  });

  afterEach(async () => {
    for (const pid of pids.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Ended already.
      }
    }
    for (const c of clients.splice(0)) c.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a process in its own session, with the given cwd, environment and output files', async () => {
    const run = await started(shell('echo "$(pwd) $GREETING $0 $(ps -o sid= -p $$)"; echo err >&2', { env: { GREETING: 'hi' }, argv0: 'my-sh' }));
    expect(await run.exited).toEqual({ kind: 'exited', code: 0 });
    expect((await readFile(join(dir, 'stdout'), 'utf8')).trim().split(/\s+/)).toEqual([dir, 'hi', 'my-sh', String(run.pid)]);
    expect(await readFile(join(dir, 'stderr'), 'utf8')).toBe('err\n');
  });

  it.each([
    ['exit 7', { kind: 'exited', code: 7 }],
    ['kill -TERM $$', { kind: 'signaled', signal: 'SIGTERM' }],
    ['kill -KILL $$', { kind: 'signaled', signal: 'SIGKILL' }],
  ])('reports how `%s` ended', async (script, exit) => {
    expect(await (await started(shell(script))).exited).toEqual(exit);
  });

  it('appends to the output files and starts with stdin on /dev/null', async () => {
    await writeFile(join(dir, 'stdout'), 'before\n');
    await (await started(shell('cat; echo after'))).exited;
    expect(await readFile(join(dir, 'stdout'), 'utf8')).toBe('before\nafter\n');
  });

  it('looks a bare name up in the PATH of the task, not of the launcher', async () => {
    await writeFile(join(dir, 'my-tool'), '#!/bin/sh\necho tool ran\n');
    await chmod(join(dir, 'my-tool'), 0o755);
    const run = await started({ ...shell(''), file: 'my-tool', args: [], argv0: 'my-tool', env: { PATH: `/nonexistent:${dir}` } });
    expect(await run.exited).toEqual({ kind: 'exited', code: 0 });
    expect(await readFile(join(dir, 'stdout'), 'utf8')).toBe('tool ran\n');
  });

  it.each([
    ['a missing executable', { file: '/no/such/binary' }, 'spawn /no/such/binary ENOENT'],
    ['a name on no PATH entry', { file: 'no-such-tool' }, 'spawn no-such-tool ENOENT'],
    ['a file that is not executable', { file: '/proc/self/status' }, 'spawn /proc/self/status EACCES'],
    ['a missing working directory', { cwd: '/no/such/dir' }, 'spawn /bin/sh ENOENT'],
  ])('fails to start %s with the words of Node spawn', async (_what, over, message) => {
    const error = await client.spawn(shell('true', over)).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TaskStartError);
    expect((error as Error).message).toBe(message);
  });

  it('fails with TaskStartError when an output file cannot be opened', async () => {
    const path = join(dir, 'missing', 'stdout');
    await expect(client.spawn(shell('true', { stdoutPath: path }))).rejects.toThrow(
      new TaskStartError(`cannot open ${path}: ENOENT: no such file or directory, open '${path}'`),
    );
  });

  it('refuses a request it cannot frame without asking the launcher', async () => {
    await expect(client.spawn(shell('true', { args: ['-c', 'a\0b'] }))).rejects.toThrow(/holds a NUL byte/);
    expect(await (await started(shell('exit 0'))).exited).toEqual({ kind: 'exited', code: 0 });
  });

  it('runs an executable without a format as a shell script, as execvp does', async () => {
    await writeFile(join(dir, 'script'), 'echo "script $1"\n');
    await chmod(join(dir, 'script'), 0o755);
    const run = await started({ ...shell(''), file: join(dir, 'script'), args: ['one'], argv0: 'script' });
    expect(await run.exited).toEqual({ kind: 'exited', code: 0 });
    expect(await readFile(join(dir, 'stdout'), 'utf8')).toBe('script one\n');
  });

  it('writes the pid into the cgroup before the command runs', async () => {
    const procs = join(dir, 'cgroup.procs');
    await writeFile(procs, '');
    const run = await started(shell(`cat "${procs}"`, { cgroupProcsFile: procs }));
    expect(await run.exited).toEqual({ kind: 'exited', code: 0 });
    expect(await readFile(join(dir, 'stdout'), 'utf8')).toBe(`${run.pid}\n`);
  });

  it('fails with TaskStartError when the cgroup cannot be joined', async () => {
    const procs = join(dir, 'no-cgroup', 'cgroup.procs');
    await expect(client.spawn(shell('true', { cgroupProcsFile: procs }))).rejects.toThrow(`cannot join the cgroup through ${procs}: ENOENT`);
  });

  it('starts many at once and reports every exit to its own start', async () => {
    const runs = await Promise.all(Array.from({ length: 200 }, (_, i) => started(shell(`exit ${i % 50}`))));
    expect(new Set(runs.map((r) => r.pid)).size).toBe(200);
    expect(await Promise.all(runs.map((r) => r.exited))).toEqual(runs.map((_, i) => ({ kind: 'exited', code: i % 50 })));
  });

  it('when its stdin closes: kills the processes without an exit file and exits once none is left', async () => {
    const run = await started(shell('sleep 60'));
    const launcherPid = client.pid as number;
    client.close();
    await waitFor(() => !isAlive(run.pid));
    await waitFor(() => !isAlive(launcherPid));
  });

  it('when its stdin closes: keeps the processes with an exit file, and writes their exits there', async () => {
    const exitFile = join(dir, 'orphan-exit');
    const release = join(dir, 'release');
    const run = await started(shell(`while [ ! -e ${release} ]; do sleep 0.05; done; exit 7`, { exitFile }));
    const launcherPid = client.pid as number;
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isAlive(run.pid)).toBe(true);
    expect(isAlive(launcherPid)).toBe(true);
    await writeFile(release, '');
    await waitFor(() => !isAlive(launcherPid));
    expect(await readFile(exitFile, 'utf8')).toBe('exited 7\n');
  });

  it('writes the exit file while the agent is there too', async () => {
    const exitFile = join(dir, 'attached-exit');
    const run = await started(shell('kill -TERM $$', { exitFile }));
    expect(await run.exited).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
    expect(await readFile(exitFile, 'utf8')).toBe('signaled 15\n');
  });

  it('when it dies: kills what it started, ends it with a cause, and refuses further starts', async () => {
    const run = await started(shell('sleep 60'));
    process.kill(client.pid as number, 'SIGKILL');
    expect(await run.exited).toEqual({
      kind: 'signaled',
      signal: 'SIGKILL',
      cause: { reason: 'REASON_EXECUTOR_TERMINATED', message: expect.stringMatching(/^the agent's process launcher ended \(.* exited on SIGKILL\); the task was killed$/) },
    });
    await waitFor(() => !isAlive(run.pid));
    expect(client.dead).toMatch(/exited on SIGKILL/);
    await expect(client.spawn(shell('true'))).rejects.toThrow(LauncherGoneError);
  });

  it('refuses to start a binary that is not a launcher', async () => {
    await expect(LauncherClient.start('/bin/true')).rejects.toThrow('/bin/true exited with status 0');
    await expect(LauncherClient.start(join(dir, 'none'))).rejects.toThrow(/could not be started: .*ENOENT/);
  });

  describe('LauncherSpawner', () => {
    it('starts another launcher when the first died', async () => {
      const warnings: string[] = [];
      const spawner = new LauncherSpawner(client, (m) => warnings.push(m));
      process.kill(client.pid as number, 'SIGKILL');
      await waitFor(() => client.dead);
      const runs = await Promise.all([started(shell('exit 3'), spawner), started(shell('exit 4'), spawner)]);
      expect(await Promise.all(runs.map((r) => r.exited))).toEqual([{ kind: 'exited', code: 3 }, { kind: 'exited', code: 4 }]);
      expect(warnings).toEqual([expect.stringMatching(/^the process launcher ended \(.*\); starting another \(1 of at most 5\)$/)]);
      spawner.close();
    });

    it("falls back to Node's spawn when no launcher can be started again", async () => {
      const copy = join(dir, 'agora-launcher');
      await copyFile(launcher, copy);
      await chmod(copy, 0o755);
      const own = await LauncherClient.start(copy);
      clients.push(own);
      const warnings: string[] = [];
      const spawner = new LauncherSpawner(own, (m) => warnings.push(m));
      await rm(copy);
      process.kill(own.pid as number, 'SIGKILL');
      await waitFor(() => own.dead);
      expect(await (await started(shell('exit 5'), spawner)).exited).toEqual({ kind: 'exited', code: 5 });
      expect(warnings[1]).toMatch(/^tasks start with Node's child_process.spawn from now on: the process launcher is unusable \(.*ENOENT/);
    });
  });
});
