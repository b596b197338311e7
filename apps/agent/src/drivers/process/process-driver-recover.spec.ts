import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../clock/clock';
import type { RecoverableRun, TaskInspection, TaskLaunch } from '../task-driver';
import { isAlive } from '../../testing/processes';
import { waitFor } from '../../testing/wait-for';
import { Cgroups } from './cgroups';
import { LauncherClient } from './launcher-client';
import { LauncherSpawner } from './launcher-spawner';
import { readBootId } from './proc-identity';
import { ProcessDriver } from './process-driver';
import { testLauncherBinary } from './test-launcher';

/**
 * A driver of a "previous agent process" starts a task through agora-launcher with an exit
 * file, then lets the launcher go (as a dying agent does); a new driver recovers the run.
 */
describe('ProcessDriver.recover', () => {
  const launcher = testLauncherBinary();
  let dir: string;
  const pids: number[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agora-recover-'));
  });

  afterEach(async () => {
    for (const pid of pids.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Ended already.
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  const driver = (spawner?: LauncherSpawner): ProcessDriver => new ProcessDriver(new Cgroups(join(dir, 'no-cgroups')), new Clock(), spawner);

  /** Starts `script` in an earlier agent's driver, then closes that driver's launcher. */
  async function startedByEarlierAgent(containerId: string, script: string): Promise<{ run: RecoverableRun; launcherPid: number }> {
    const client = await LauncherClient.start(launcher);
    const earlier = driver(new LauncherSpawner(client));
    const exitFile = join(dir, `${containerId}.exit`);
    const launch: TaskLaunch = {
      containerId,
      command: { value: script },
      env: {},
      sandbox: dir,
      stdoutPath: join(dir, 'stdout'),
      stderrPath: join(dir, 'stderr'),
      limits: {},
      exitFile,
    };
    const started: TaskInspection = await earlier.start(launch);
    pids.push(started.pid);
    earlier.close();
    return {
      run: { driver: 'process', containerId, pid: started.pid, startTime: started.startTime, bootId: await readBootId(), exitFile },
      launcherPid: client.pid as number,
    };
  }

  it('finds a running task again and reports its end from the exit file', async () => {
    const { run } = await startedByEarlierAgent('alive', 'sleep 60');
    expect(run.startTime).toEqual(expect.any(Number));
    const later = driver();
    const found = await later.recover(run);
    expect(found).toMatchObject({ containerId: 'alive', pid: run.pid });
    expect(found.exit).toBeUndefined();
    expect(isAlive(run.pid as number)).toBe(true);
    expect(await later.stop('alive', 5000)).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
    await later.destroy('alive');
  });

  it('reports the real exit status of a task that ended while no agent watched', async () => {
    const release = join(dir, 'release');
    const { run, launcherPid } = await startedByEarlierAgent('ended', `while [ ! -e ${release} ]; do sleep 0.05; done; exit 3`);
    await writeFile(release, '');
    // The orphaned launcher writes the exit file, then leaves: nothing else is left to reap.
    await waitFor(() => !isAlive(launcherPid));
    const found = await driver().recover(run);
    expect(found.exit).toEqual({ kind: 'exited', code: 3 });
  });

  it('does not take a recycled pid for the task: an exit it cannot know is lost', async () => {
    // Process 1 runs, but it is not the process that was checkpointed (another start time).
    const found = await driver().recover({ driver: 'process', containerId: 'recycled', pid: 1, startTime: -1, exitFile: join(dir, 'none') });
    expect(found.exit).toEqual({
      kind: 'signaled',
      signal: 'SIGKILL',
      cause: expect.objectContaining({ reason: 'REASON_EXECUTOR_TERMINATED', lost: true, message: expect.stringContaining('while the agent was down') }),
    });
    expect(isAlive(1)).toBe(true);
  });

  it('a run checkpointed without a pid is gone, and stopping it signals nothing', async () => {
    const later = driver();
    const found = await later.recover({ driver: 'process', containerId: 'no-pid' });
    expect(found.exit?.cause?.lost).toBe(true);
    expect(await later.stop('no-pid', 0)).toEqual(found.exit);
    await later.destroy('no-pid');
  });
});
