import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { readdir, readlink, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Clock, type TimerHandle } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { AgentProfile } from '../machine/agent-profile';
import { ExecutorRegistry } from '../executors/executor-registry';
import { TaskRegistry } from '../tasks/task-registry';
import { DiskUsage } from './disk-usage';
import { maxSandboxAgeMs, overdueSandboxes } from './sandbox-gc-policy';

/**
 * Removes the sandboxes of finished tasks (reference §5.8, Mesos's GarbageCollector). A run's
 * sandbox is scheduled when its task leaves the live set (its terminal update acknowledged, or
 * its framework shut down); sandboxes a previous agent process left behind are scheduled at
 * boot, aged from their modification time, as Mesos does for executors it did not recover.
 * Every AGORA_DISK_WATCH_INTERVAL_MS the disk usage of the work dir is read and every sandbox
 * older than the allowed age (sandbox-gc-policy.ts) is deleted; its executor and framework
 * directories follow once empty, and `/state` forgets the finished tasks that lived there.
 *
 * Safety: only directories under `<work_dir>/slaves/` are ever deleted, a sandbox a live task
 * still uses is kept (it is scheduled again when that task ends), and parents are removed with
 * rmdir, which refuses a directory a new run has just been created in.
 */
@Injectable()
export class SandboxGc implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('sandbox-gc');
  /** Sandbox path → when it was scheduled (ms since the epoch). */
  private readonly scheduled = new Map<string, number>();
  private timer?: TimerHandle;
  private collecting: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private maxAgeMs: number;

  constructor(
    private readonly profile: AgentProfile,
    private readonly config: AgentConfig,
    private readonly clock: Clock,
    private readonly disk: DiskUsage,
    private readonly registry: TaskRegistry,
    private readonly executors: ExecutorRegistry,
  ) {
    this.maxAgeMs = maxSandboxAgeMs(config.sandboxGcDelayMs, 0);
  }

  onModuleInit(): void {
    this.registry.onCompleted((run) => {
      if (run.directory !== undefined) this.schedule(run.directory);
    });
    this.executors.onRetired((run) => {
      if (run.directory !== undefined) this.schedule(run.directory);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleLeftovers().catch((e: unknown) => this.logger.warn(`could not look for old sandboxes: ${(e as Error).message}`));
    this.arm();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.collecting;
  }

  /** Schedules a sandbox for removal, counting its age from `at` (default now); rescheduling restarts the count. */
  schedule(path: string, at = this.clock.now()): void {
    this.scheduled.set(path, at);
  }

  unschedule(path: string): boolean {
    return this.scheduled.delete(path);
  }

  /** Paths waiting for removal (tests, debugging). */
  pending(): ReadonlyMap<string, number> {
    return this.scheduled;
  }

  /** The age beyond which sandboxes go, as of the last disk check (`slave/executor_directory_max_allowed_age_secs`). */
  get maxAllowedAgeMs(): number {
    return this.maxAgeMs;
  }

  /** One disk check: reads the usage, then removes every overdue sandbox. Resolves with the paths removed. */
  async collect(): Promise<string[]> {
    let usage: number | undefined;
    try {
      usage = await this.disk.usage(this.profile.workDir);
    } catch (e) {
      // Without a reading, sandboxes keep their full delay (Mesos skips the pruning).
      this.logger.warn(`could not read the disk usage of ${this.profile.workDir}: ${(e as Error).message}`);
    }
    this.maxAgeMs = usage === undefined ? this.config.sandboxGcDelayMs : maxSandboxAgeMs(this.config.sandboxGcDelayMs, usage);
    const removed: string[] = [];
    for (const path of overdueSandboxes(this.scheduled, this.clock.now(), this.maxAgeMs)) {
      if (this.stopped) break;
      if (await this.remove(path)) removed.push(path);
    }
    return removed;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.clock.after(this.config.diskWatchIntervalMs, () => {
      this.collecting = this.collect()
        .catch((e: unknown) => this.logger.warn(`sandbox collection failed: ${(e as Error).message}`))
        .finally(() => this.arm());
    });
  }

  private async remove(path: string): Promise<boolean> {
    this.scheduled.delete(path);
    if (!this.isCollectable(path)) {
      this.logger.warn(`not removing ${path}: it is not a sandbox under ${join(this.profile.workDir, 'slaves')}`);
      return false;
    }
    if (this.registry.runs().some((run) => run.directory === path)) {
      this.logger.debug(`keeping ${path}: a live task uses it`);
      return false;
    }
    try {
      await rm(path, { recursive: true, force: true });
    } catch (e) {
      this.logger.warn(`could not remove ${path}: ${(e as Error).message}`);
      return false;
    }
    const forgotten = this.registry.forgetCompleted((run) => run.directory !== undefined && isWithin(run.directory, path));
    this.logger.log(`removed sandbox ${path}${forgotten > 0 ? ` (${forgotten} finished task(s) leave /state)` : ''}`);
    await this.removeEmptyParents(path);
    return true;
  }

  /** `runs/latest` if it named this run, then runs/, the executor's and the framework's directories while empty. */
  private async removeEmptyParents(runDir: string): Promise<void> {
    const runs = dirname(runDir);
    if (basename(runs) !== 'runs') return;
    const latest = join(runs, 'latest');
    if ((await readlink(latest).catch(() => undefined)) === basename(runDir)) await unlink(latest).catch(() => undefined);
    const executor = dirname(runs);
    const executors = dirname(executor);
    if (basename(executors) !== 'executors') return;
    for (const dir of [runs, executor, executors, dirname(executors)]) {
      // rmdir refuses a directory that is not empty: a new run there keeps it.
      if (!(await rmdir(dir).then(() => true, () => false))) return;
    }
  }

  /** Whether `path` lies strictly inside `<work_dir>/slaves/`. */
  private isCollectable(path: string): boolean {
    const rel = relative(join(this.profile.workDir, 'slaves'), path);
    return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
  }

  /** Schedules every run directory found on disk, aged from its modification time. */
  private async scheduleLeftovers(): Promise<void> {
    let found = 0;
    const slaves = join(this.profile.workDir, 'slaves');
    for (const agent of await subdirectories(slaves)) {
      for (const framework of await subdirectories(join(slaves, agent, 'frameworks'))) {
        const executors = join(slaves, agent, 'frameworks', framework, 'executors');
        for (const executor of await subdirectories(executors)) {
          const runs = join(executors, executor, 'runs');
          for (const run of await subdirectories(runs)) {
            const path = join(runs, run);
            const modified = await stat(path).then((s) => s.mtimeMs, () => undefined);
            if (modified === undefined || this.scheduled.has(path)) continue;
            this.schedule(path, Math.min(modified, this.clock.now()));
            found++;
          }
        }
      }
    }
    if (found > 0) this.logger.log(`scheduled ${found} sandbox(es) of earlier agent runs for removal`);
  }
}

/** Names of the real directories (not symlinks such as `latest`) in `dir`; none when it does not exist. */
async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}
