/**
 * cgroup v2 limits for the process driver (DESIGN §7: "cgroup limits where the cgroup
 * filesystem is writable"). Each task gets `<root>/agora/<containerId>` with `cpu.max` (CFS
 * quota per 100 ms period) and `memory.max`. Where the unified hierarchy is missing (cgroup v1
 * or hybrid hosts), read-only (unprivileged containers) or lacks the controllers, tasks run
 * unlimited: limits are a protection, not a condition for running, so this is logged once at
 * debug level and never fails a launch.
 */
import { mkdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskLimits } from '../task-driver';

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

/** The CFS period Mesos and Docker use: quota = cpus × period. */
export const CPU_PERIOD_US = 100_000;
/** The kernel refuses quotas under 1 ms. */
const MIN_CPU_QUOTA_US = 1000;

/** One task's cgroup. */
export interface TaskCgroup {
  readonly path: string;
  /** Writing a pid here moves that process (and its future children) into the cgroup. */
  readonly procsFile: string;
}

type Log = (message: string) => void;

/** The `cpu.max` line for `cpus`: `<quota> <period>`, or `max <period>` when unlimited. */
export function cpuMax(cpus: number | undefined): string {
  if (cpus === undefined || !Number.isFinite(cpus)) return `max ${CPU_PERIOD_US}`;
  return `${Math.max(MIN_CPU_QUOTA_US, Math.round(cpus * CPU_PERIOD_US))} ${CPU_PERIOD_US}`;
}

/** The `memory.max` value for `memMb`: bytes, or `max` when unlimited. */
export function memoryMax(memMb: number | undefined): string {
  if (memMb === undefined || !Number.isFinite(memMb)) return 'max';
  return String(Math.floor(memMb * 1024 * 1024));
}

export class Cgroups {
  private ready: Promise<ReadonlySet<string>> | undefined;

  constructor(
    private readonly root: string = DEFAULT_CGROUP_ROOT,
    private readonly debug: Log = () => undefined,
  ) {}

  /** The controllers usable for tasks (`cpu`, `memory`); empty when cgroups are unavailable. */
  controllers(): Promise<ReadonlySet<string>> {
    this.ready ??= this.prepare();
    return this.ready;
  }

  /** A cgroup for the container with `limits` written, or undefined when cgroups are unavailable. */
  async create(containerId: string, limits: TaskLimits): Promise<TaskCgroup | undefined> {
    const controllers = await this.controllers();
    if (controllers.size === 0) return undefined;
    const cgroup = { path: join(this.root, 'agora', containerId), procsFile: join(this.root, 'agora', containerId, 'cgroup.procs') };
    try {
      await mkdir(cgroup.path);
      if (controllers.has('cpu')) await writeFile(join(cgroup.path, 'cpu.max'), cpuMax(limits.cpus));
      if (controllers.has('memory')) {
        await writeFile(join(cgroup.path, 'memory.max'), memoryMax(limits.memMb));
        // Without a swap limit a task over memory.max would swap instead of being stopped.
        await writeFile(join(cgroup.path, 'memory.swap.max'), '0').catch(() => undefined);
      }
      return cgroup;
    } catch (e) {
      this.debug(`task ${containerId} runs without cgroup limits: ${(e as Error).message}`);
      await rmdir(cgroup.path).catch(() => undefined);
      return undefined;
    }
  }

  /** The container's cgroup if it exists (a run recovered from an earlier agent process). */
  async existing(containerId: string): Promise<TaskCgroup | undefined> {
    if ((await this.controllers()).size === 0) return undefined;
    const path = join(this.root, 'agora', containerId);
    return (await stat(path).then((s) => s.isDirectory(), () => false)) ? { path, procsFile: join(path, 'cgroup.procs') } : undefined;
  }

  /**
   * Kills what is left in the cgroup and removes it. A cgroup only disappears once empty, and
   * killed processes take a moment to leave, so removal is retried briefly.
   */
  async remove(cgroup: TaskCgroup): Promise<void> {
    await writeFile(join(cgroup.path, 'cgroup.kill'), '1').catch(() => undefined);
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await rmdir(cgroup.path);
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        if (code !== 'EBUSY' || attempt === 19) {
          this.debug(`could not remove cgroup ${cgroup.path}: ${(e as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Probes the hierarchy once and delegates cpu and memory to `<root>/agora`. */
  private async prepare(): Promise<ReadonlySet<string>> {
    try {
      const available = (await readFile(join(this.root, 'cgroup.controllers'), 'utf8')).split(/\s+/);
      const wanted = ['cpu', 'memory'].filter((c) => available.includes(c));
      if (wanted.length === 0) throw new Error('neither the cpu nor the memory controller is available');
      const enable = wanted.map((c) => `+${c}`).join(' ');
      const parent = join(this.root, 'agora');
      await mkdir(parent, { recursive: true });
      // Controllers reach a child only when every ancestor delegates them.
      await writeFile(join(this.root, 'cgroup.subtree_control'), enable);
      await writeFile(join(parent, 'cgroup.subtree_control'), enable);
      return new Set(wanted);
    } catch (e) {
      this.debug(`tasks run without cgroup limits: ${this.root} is not a writable cgroup v2 hierarchy (${(e as Error).message})`);
      return new Set();
    }
  }
}
