import { readFile } from 'node:fs/promises';
import { TaskStatusReason } from '@agora/protocol';
import { join } from 'node:path';
import { Clock, type TimerHandle } from '../../clock/clock';
import {
  type RecoverableRun,
  type TaskDriver,
  type TaskExit,
  type TaskInspection,
  type TaskLaunch,
  TaskStartError,
  type TaskStats,
  UnknownContainerError,
} from '../task-driver';
import { Cgroups, type TaskCgroup } from './cgroups';
import { commandLine } from './command-line';
import { readExitFile } from './exit-file';
import { probeProcess, readStartTime, type ProcessIdentity } from './proc-identity';
import { NodeSpawner } from './node-spawner';
import type { ProcessSpawner, SpawnedProcess } from './spawner';

/** The PATH a task gets unless its CommandInfo sets one: the agent's own may be anything. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** How often a recovered process (not our child: no exit event) is looked for in /proc. */
export const RECOVERED_POLL_MS = 250;
/** The launcher reaps, then writes the exit file: a file missing right after the process went is looked for again. */
const EXIT_FILE_ATTEMPTS = 5;

interface ProcessRun {
  readonly containerId: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly cgroup: TaskCgroup | undefined;
  readonly exited: Promise<TaskExit>;
  readonly startTime?: number;
  exit?: TaskExit;
  terminating: boolean;
  killAt?: number;
  killTimer?: TimerHandle;
}

/**
 * Runs a task as a process group of its own (a session leader, `setsid`): signals go to the whole
 * group, and when the main process ends whatever it left behind is killed with it, the way a
 * container ends with its init. Output is appended to the sandbox's `stdout` and `stderr`
 * files, which the files API serves. Limits are cgroup v2 where available (cgroups.ts).
 * Processes are started by a ProcessSpawner (spawner.ts): agora-launcher when it is built,
 * else Node's child_process.spawn.
 */
export class ProcessDriver implements TaskDriver {
  readonly name = 'process';
  private readonly runs = new Map<string, ProcessRun>();

  constructor(
    private readonly cgroups: Cgroups,
    private readonly clock: Clock,
    private readonly spawner: ProcessSpawner = new NodeSpawner(),
  ) {}

  /** `launcher` or `node`: how processes are started. */
  get spawnerName(): string {
    return this.spawner.name;
  }

  async start(launch: TaskLaunch): Promise<TaskInspection> {
    if (this.runs.has(launch.containerId)) throw new TaskStartError(`container ${launch.containerId} already runs`);
    const line = commandLine(launch.command);
    let cgroup: TaskCgroup | undefined;
    try {
      cgroup = await this.cgroups.create(launch.containerId, launch.limits);
      const spawned = await this.spawner.spawn({
        ...line,
        cwd: launch.sandbox,
        env: { PATH: DEFAULT_PATH, HOME: launch.sandbox, ...launch.env },
        stdoutPath: launch.stdoutPath,
        stderrPath: launch.stderrPath,
        ...(cgroup !== undefined ? { cgroupProcsFile: cgroup.procsFile } : {}),
        ...(launch.exitFile !== undefined ? { exitFile: launch.exitFile } : {}),
      });
      // Only checkpointed tasks need it (recovery tells the process from a recycled pid); others skip the read.
      const startTime = launch.exitFile !== undefined ? await readStartTime(spawned.pid) : undefined;
      return inspection(this.track(launch.containerId, spawned, cgroup, startTime));
    } catch (e) {
      if (cgroup !== undefined) await this.cgroups.remove(cgroup);
      if (e instanceof TaskStartError) throw e;
      throw new TaskStartError(`Failed to launch task subprocess: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Takes over a process an earlier agent process started: alive (same pid, start time and
   * boot) it is watched by polling /proc every RECOVERED_POLL_MS (it is not this agent's child,
   * and Node has no pidfd); once gone, its exit comes from the exit file, or is unknown (`lost`).
   * Its cgroup, if it had one, serves its stats again and is removed once it ended.
   */
  async recover(recoverable: RecoverableRun): Promise<TaskInspection> {
    const known = this.runs.get(recoverable.containerId);
    if (known !== undefined) return inspection(known);
    const identity: ProcessIdentity | undefined =
      recoverable.pid === undefined ? undefined : { pid: recoverable.pid, startTime: recoverable.startTime, bootId: recoverable.bootId };
    const alive = identity !== undefined && (await probeProcess(identity)) === 'alive';
    const cgroup = await this.cgroups.existing(recoverable.containerId);
    const run: ProcessRun = {
      containerId: recoverable.containerId,
      pid: recoverable.pid ?? 0,
      startedAt: this.clock.now(),
      cgroup,
      ...(alive ? { startTime: recoverable.startTime } : {}),
      exited: (alive && identity !== undefined ? this.untilGone(identity) : Promise.resolve())
        .then(() => this.recoveredExit(recoverable.exitFile, alive ? EXIT_FILE_ATTEMPTS : 1))
        .then(async (exit) => {
          run.killTimer?.cancel();
          if (alive) signalGroup(run.pid, 'SIGKILL');
          if (cgroup !== undefined) await this.cgroups.remove(cgroup);
          run.exit = exit;
          return exit;
        }),
      terminating: false,
    };
    this.runs.set(recoverable.containerId, run);
    // A run found gone settles at once: let its exit be seen by inspect().
    if (!alive) await run.exited;
    return inspection(run);
  }

  /** Lets go of the launcher (an agent that stops); running processes are not touched. */
  close(): void {
    this.spawner.close();
  }

  /** Nest calls this last when the agent stops, after every task was killed. */
  onApplicationShutdown(): void {
    this.close();
  }

  wait(containerId: string): Promise<TaskExit> {
    return this.get(containerId).exited;
  }

  stop(containerId: string, graceMs: number): Promise<TaskExit> {
    const run = this.get(containerId);
    if (run.exit !== undefined) return run.exited;
    if (!run.terminating) {
      run.terminating = true;
      signalGroup(run.pid, 'SIGTERM');
    }
    const killAt = this.clock.now() + Math.max(0, graceMs);
    if (run.killAt === undefined || killAt < run.killAt) {
      run.killTimer?.cancel();
      run.killAt = killAt;
      run.killTimer = this.clock.after(Math.max(0, graceMs), () => {
        if (run.exit === undefined) signalGroup(run.pid, 'SIGKILL');
      });
    }
    return run.exited;
  }

  async destroy(containerId: string): Promise<void> {
    const run = this.runs.get(containerId);
    if (run === undefined) return;
    if (run.exit === undefined) signalGroup(run.pid, 'SIGKILL');
    await run.exited;
    this.runs.delete(containerId);
  }

  inspect(containerId: string): TaskInspection | undefined {
    const run = this.runs.get(containerId);
    return run === undefined ? undefined : inspection(run);
  }

  async stats(containerId: string): Promise<TaskStats | undefined> {
    const run = this.runs.get(containerId);
    if (run === undefined || run.exit !== undefined) return undefined;
    const timestamp = this.clock.now() / 1000;
    try {
      return run.cgroup !== undefined ? { timestamp, ...(await cgroupStats(run.cgroup)) } : { timestamp, ...(await procStats(run.pid)) };
    } catch {
      return { timestamp };
    }
  }

  private get(containerId: string): ProcessRun {
    const run = this.runs.get(containerId);
    if (run === undefined) throw new UnknownContainerError(containerId);
    return run;
  }

  /** Resolves once the process is no longer the checkpointed one. */
  private untilGone(identity: ProcessIdentity): Promise<void> {
    return new Promise<void>((resolve) => {
      const look = (): void => {
        void probeProcess(identity).then((probe) => (probe === 'gone' ? resolve() : void this.clock.after(RECOVERED_POLL_MS, look)));
      };
      look();
    });
  }

  /** The exit from the exit file; unknown (a `lost` cause) without one. */
  private async recoveredExit(exitFile: string | undefined, attempts: number): Promise<TaskExit> {
    for (let attempt = 0; exitFile !== undefined && attempt < attempts; attempt++) {
      const exit = await readExitFile(exitFile);
      if (exit !== undefined) return exit;
      if (attempt + 1 < attempts) await new Promise<void>((resolve) => this.clock.after(RECOVERED_POLL_MS / 5, resolve));
    }
    return {
      kind: 'signaled',
      signal: 'SIGKILL',
      cause: { reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'The task ended while the agent was down; its exit status is unknown', lost: true },
    };
  }

  private track(containerId: string, spawned: SpawnedProcess, cgroup: TaskCgroup | undefined, startTime?: number): ProcessRun {
    const { pid } = spawned;
    const run: ProcessRun = {
      containerId,
      pid,
      startedAt: this.clock.now(),
      cgroup,
      ...(startTime !== undefined ? { startTime } : {}),
      exited: spawned.exited.then(async (exit) => {
        run.killTimer?.cancel();
        // The task ends with its main process: children it left in the group go too.
        signalGroup(pid, 'SIGKILL');
        if (cgroup !== undefined) await this.cgroups.remove(cgroup);
        run.exit = exit;
        return exit;
      }),
      terminating: false,
    };
    this.runs.set(containerId, run);
    return run;
  }
}

/** Signals a whole process group; a group that is already gone is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  // kill(-0) would signal the agent's own group: a run without a pid (recovered gone) has nothing to signal.
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function inspection(run: ProcessRun): TaskInspection {
  return {
    containerId: run.containerId,
    pid: run.pid,
    startedAt: run.startedAt,
    limited: run.cgroup !== undefined,
    ...(run.startTime !== undefined ? { startTime: run.startTime } : {}),
    ...(run.exit !== undefined ? { exit: run.exit } : {}),
  };
}

async function cgroupStats(cgroup: TaskCgroup): Promise<Omit<TaskStats, 'timestamp'>> {
  const cpu = Object.fromEntries(
    (await readFile(join(cgroup.path, 'cpu.stat'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [k, v] = l.split(/\s+/);
        return [k, Number(v)];
      }),
  ) as Record<string, number>;
  const memory = Number(await readFile(join(cgroup.path, 'memory.current'), 'utf8').catch(() => 'NaN'));
  const memMax = (await readFile(join(cgroup.path, 'memory.max'), 'utf8').catch(() => 'max')).trim();
  const cpuMaxLine = (await readFile(join(cgroup.path, 'cpu.max'), 'utf8').catch(() => 'max')).trim().split(/\s+/);
  return {
    cpus_user_time_secs: (cpu.user_usec ?? 0) / 1e6,
    cpus_system_time_secs: (cpu.system_usec ?? 0) / 1e6,
    ...(Number.isFinite(memory) ? { mem_rss_bytes: memory } : {}),
    ...(memMax !== 'max' ? { mem_limit_bytes: Number(memMax) } : {}),
    ...(cpuMaxLine[0] !== 'max' && cpuMaxLine.length === 2 ? { cpus_limit: Number(cpuMaxLine[0]) / Number(cpuMaxLine[1]) } : {}),
  };
}

/** Usage of the main process alone, from /proc (children are not counted without a cgroup). */
async function procStats(pid: number): Promise<Omit<TaskStats, 'timestamp'>> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const statm = (await readFile(`/proc/${pid}/statm`, 'utf8')).split(' ');
  return {
    cpus_user_time_secs: Number(fields[11]) / TICKS_PER_SECOND,
    cpus_system_time_secs: Number(fields[12]) / TICKS_PER_SECOND,
    mem_rss_bytes: Number(statm[1]) * PAGE_BYTES,
  };
}
