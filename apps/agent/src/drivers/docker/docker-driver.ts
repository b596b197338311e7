import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { TaskStatusReason } from '@agora/protocol';
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
import { CONTAINER_NAME_PREFIX, type ContainerPlan, containerPlan, LABELS } from './container-spec';
import { type ContainerState, type DockerEngine, isNotFound, isNotModified, type OutputFollower } from './docker-engine';

/** Exit code of a process killed by SIGKILL (128 + 9), which the OOM killer sends. */
const SIGKILL_EXIT_CODE = 137;

/** Where the driver reports what nobody waits for (removals, lost engines); Nest's Logger fits. */
export interface DriverLog {
  log(message: string): void;
  warn(message: string): void;
}

export interface DockerDriverOptions {
  /**
   * How long an ended task's container is kept (for `docker inspect` and `docker logs`) before
   * it is removed; Mesos --docker_remove_delay. 0 removes it at once.
   */
  readonly removeDelayMs: number;
  /** After a container ended, how long its last output may take to arrive before the copy is cut. */
  readonly outputDrainMs?: number;
}

const DEFAULT_OUTPUT_DRAIN_MS = 10_000;
/** `docker wait` is retried this often, a second apart, when the engine does not answer. */
const WAIT_ATTEMPTS = 5;
const WAIT_RETRY_MS = 1000;

interface DockerRun {
  readonly containerId: string;
  /** The engine's id of the container. */
  readonly id: string;
  readonly name: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly plan: ContainerPlan;
  readonly exited: Promise<TaskExit>;
  exit?: TaskExit;
  stopping: boolean;
  killAt?: number;
  killTimer?: TimerHandle;
}

/**
 * Runs tasks in Docker containers (DESIGN §7, reference §5.6), the way Mesos's Docker
 * containerizer and docker executor do: `docker create` from the task's image with the options
 * container-spec.ts derives, `docker start`, the container's output followed into the sandbox's
 * `stdout` and `stderr`, `docker wait` for the exit, `docker stop` with the kill's grace period,
 * and `docker rm` after the remove delay. Images are never pulled unless the task sets
 * `force_pull_image`: agents here have no registry, and a missing image must say so at once.
 */
export class DockerDriver implements TaskDriver {
  readonly name = 'docker';
  private readonly runs = new Map<string, DockerRun>();
  /** Container ids whose start is under way: one run per id, as the contract says. */
  private readonly starting = new Set<string>();
  /** Ended containers waiting for their removal, by engine id. */
  private readonly removals = new Map<string, { readonly name: string; readonly timer: TimerHandle }>();
  /** Removals under way, so that close() returns only once they are done. */
  private readonly removing = new Set<Promise<void>>();
  private readonly outputDrainMs: number;

  constructor(
    private readonly engine: DockerEngine,
    private readonly clock: Clock,
    private readonly options: DockerDriverOptions,
    private readonly logger: DriverLog,
  ) {
    this.outputDrainMs = options.outputDrainMs ?? DEFAULT_OUTPUT_DRAIN_MS;
  }

  async start(launch: TaskLaunch): Promise<TaskInspection> {
    if (this.runs.has(launch.containerId) || this.starting.has(launch.containerId)) {
      throw new TaskStartError(`container ${launch.containerId} already runs`);
    }
    this.starting.add(launch.containerId);
    try {
      const plan = containerPlan(launch);
      if (plan.forcePull) await this.pull(plan.image);
      const id = await this.create(plan);
      return await this.run(launch, plan, id);
    } finally {
      this.starting.delete(launch.containerId);
    }
  }

  wait(containerId: string): Promise<TaskExit> {
    return this.get(containerId).exited;
  }

  stop(containerId: string, graceMs: number): Promise<TaskExit> {
    const run = this.get(containerId);
    if (run.exit !== undefined) return run.exited;
    const grace = Math.max(0, graceMs);
    if (!run.stopping) {
      run.stopping = true;
      // `docker stop` sends the image's stop signal (SIGTERM unless it says otherwise). It
      // counts whole seconds, so the timer below keeps the grace to the millisecond and lets
      // a second, shorter kill shorten it.
      this.engine.stop(run.id, Math.ceil(grace / 1000)).catch((e: unknown) => this.ignoreEnded(run, 'stop', e));
    }
    const killAt = this.clock.now() + grace;
    if (run.killAt === undefined || killAt < run.killAt) {
      run.killTimer?.cancel();
      run.killAt = killAt;
      run.killTimer = this.clock.after(grace, () => {
        if (run.exit === undefined) this.engine.kill(run.id, 'SIGKILL').catch((e: unknown) => this.ignoreEnded(run, 'kill', e));
      });
    }
    return run.exited;
  }

  async destroy(containerId: string): Promise<void> {
    const run = this.runs.get(containerId);
    if (run === undefined) return;
    if (run.exit === undefined) await this.engine.kill(run.id, 'SIGKILL').catch((e: unknown) => this.ignoreEnded(run, 'kill', e));
    await run.exited;
    run.killTimer?.cancel();
    if (this.runs.get(containerId) !== run) return; // destroyed meanwhile by another caller
    this.runs.delete(containerId);
    this.scheduleRemoval(run.id, run.name);
  }

  inspect(containerId: string): TaskInspection | undefined {
    const run = this.runs.get(containerId);
    return run === undefined ? undefined : inspection(run);
  }

  async stats(containerId: string): Promise<TaskStats | undefined> {
    const run = this.runs.get(containerId);
    if (run === undefined || run.exit !== undefined) return undefined;
    const timestamp = this.clock.now() / 1000;
    const host = run.plan.options.HostConfig ?? {};
    const limits = {
      ...(host.CpuQuota !== undefined && host.CpuPeriod !== undefined ? { cpus_limit: host.CpuQuota / host.CpuPeriod } : {}),
      ...(host.Memory !== undefined ? { mem_limit_bytes: host.Memory } : {}),
    };
    try {
      const usage = await this.engine.stats(run.id);
      return {
        timestamp,
        ...limits,
        ...(usage.cpuUserSeconds !== undefined ? { cpus_user_time_secs: usage.cpuUserSeconds } : {}),
        ...(usage.cpuSystemSeconds !== undefined ? { cpus_system_time_secs: usage.cpuSystemSeconds } : {}),
        ...(usage.memoryBytes !== undefined ? { mem_rss_bytes: usage.memoryBytes } : {}),
      };
    } catch {
      return { timestamp, ...limits };
    }
  }

  /**
   * Takes over a container an earlier agent process started, found by its `agora.container-id`
   * label. Running: followed again (its output from the sandbox file's last change on, so what
   * it printed while no agent copied it is not lost) and waited for. Ended: its exit from the
   * engine, as if watched. Gone, or no engine: an exit whose cause is `lost`.
   */
  async recover(recoverable: RecoverableRun): Promise<TaskInspection> {
    const known = this.runs.get(recoverable.containerId);
    if (known !== undefined) return inspection(known);
    const name = `${CONTAINER_NAME_PREFIX}${recoverable.containerId}`;
    let id: string | undefined;
    let state: ContainerState;
    try {
      id = (await this.engine.list({ [LABELS.containerId]: recoverable.containerId }))[0]?.id;
      if (id === undefined) return lostRun(recoverable.containerId, `Docker container ${name} is gone`);
      state = await this.engine.inspect(id);
    } catch (e) {
      return lostRun(recoverable.containerId, `Docker container ${name} cannot be found again: ${(e as Error).message}`);
    }
    const plan: ContainerPlan = {
      name,
      image: state.image ?? '',
      forcePull: false,
      options: {
        name,
        Image: state.image,
        HostConfig: {
          ...(state.memoryBytes !== undefined ? { Memory: state.memoryBytes } : {}),
          ...(state.cpuQuota !== undefined ? { CpuQuota: state.cpuQuota } : {}),
          ...(state.cpuPeriod !== undefined ? { CpuPeriod: state.cpuPeriod } : {}),
        },
      },
    };
    if (!state.running) {
      const exit = containerExit(state.exitCode, state.oomKilled, state.memoryBytes);
      const run: DockerRun = { containerId: recoverable.containerId, id, name, pid: 0, startedAt: state.startedAt, plan, stopping: false, exit, exited: Promise.resolve(exit) };
      this.runs.set(recoverable.containerId, run);
      return inspection(run);
    }
    const stdoutPath = recoverable.sandbox === undefined ? undefined : join(recoverable.sandbox, 'stdout');
    const since = stdoutPath === undefined ? undefined : await stat(stdoutPath).then((s) => s.mtimeMs / 1000, () => undefined);
    const outputs = recoverable.sandbox === undefined ? [discard(), discard()] : [await openOutput(join(recoverable.sandbox, 'stdout')), await openOutput(join(recoverable.sandbox, 'stderr'))];
    const output = await this.engine.followOutput(id, outputs[0], outputs[1], since ?? this.clock.now() / 1000);
    return inspection(this.track(recoverable.containerId, id, plan, state.pid, state.startedAt, output, outputs));
  }

  /**
   * Removes (killing them) the containers of this agent that no recovered task owns: tasks of
   * frameworks that do not checkpoint, or everything under `--recover=cleanup`. Answers how
   * many; an engine that does not answer removes none.
   */
  async removeLeftovers(agentId: string): Promise<number> {
    const listed = await this.engine.list({ [LABELS.agentId]: agentId }).catch(() => []);
    const owned = new Set([...this.runs.values()].map((run) => run.id));
    const leftovers = listed.filter((c) => !owned.has(c.id));
    await Promise.all(leftovers.map((c) => this.remove(c.id, `${CONTAINER_NAME_PREFIX}${c.labels[LABELS.containerId] ?? c.id}`)));
    return leftovers.length;
  }

  /**
   * The agent is stopping: containers whose removal was waiting are removed now. Without
   * recovery no later agent process would know them (Mesos removes such orphans when its agent
   * recovers), and a test engine would fill up with them.
   */
  async close(): Promise<void> {
    const pending = [...this.removals.entries()];
    this.removals.clear();
    for (const [, { timer }] of pending) timer.cancel();
    for (const [id, { name }] of pending) void this.remove(id, name);
    await Promise.all([...this.removing]);
  }

  private get(containerId: string): DockerRun {
    const run = this.runs.get(containerId);
    if (run === undefined) throw new UnknownContainerError(containerId);
    return run;
  }

  private async pull(image: string): Promise<void> {
    this.logger.log(`pulling image ${image} (force_pull_image)`);
    try {
      await this.engine.pull(image);
    } catch (e) {
      throw launchFailed(`Failed to pull Docker image '${image}' (force_pull_image): ${(e as Error).message}`, e);
    }
  }

  private async create(plan: ContainerPlan): Promise<string> {
    try {
      return await this.engine.create(plan.options);
    } catch (e) {
      if (isNotFound(e)) {
        throw launchFailed(
          `Docker image '${plan.image}' is not present on this agent, and it cannot be pulled: ` +
            'agents pull only for tasks that set force_pull_image; build or load the image on the agent first',
          e,
        );
      }
      throw launchFailed(`Failed to create Docker container ${plan.name} from image '${plan.image}': ${(e as Error).message}`, e);
    }
  }

  /** Starts the created container and follows it; on any failure it is removed again. */
  private async run(launch: TaskLaunch, plan: ContainerPlan, id: string): Promise<TaskInspection> {
    let stdout: Writable | undefined;
    let stderr: Writable | undefined;
    try {
      stdout = await openOutput(launch.stdoutPath);
      stderr = await openOutput(launch.stderrPath);
      try {
        await this.engine.start(id);
      } catch (e) {
        throw launchFailed(`Failed to start Docker container ${plan.name}: ${(e as Error).message}`, e);
      }
      // Independent engine calls, made at once: a container slot waits for both, not their sum.
      const [state, output] = await Promise.all([this.engine.inspect(id), this.engine.followOutput(id, stdout, stderr)]);
      const run = this.track(launch.containerId, id, plan, state.pid, state.startedAt, output, [stdout, stderr]);
      return inspection(run);
    } catch (e) {
      for (const stream of [stdout, stderr]) stream?.destroy();
      await this.engine.remove(id).catch(() => undefined);
      if (e instanceof TaskStartError) throw e;
      throw launchFailed(`Failed to launch Docker container ${plan.name}: ${(e as Error).message}`, e);
    }
  }

  private track(
    containerId: string,
    id: string,
    plan: ContainerPlan,
    pid: number,
    startedAt: number,
    output: OutputFollower,
    outputs: Writable[],
  ): DockerRun {
    let settle!: (exit: TaskExit) => void;
    const run: DockerRun = {
      containerId,
      id,
      name: plan.name,
      pid,
      startedAt: Number.isFinite(startedAt) ? startedAt : this.clock.now(),
      plan,
      stopping: false,
      exited: new Promise<TaskExit>((resolve) => (settle = resolve)),
    };
    this.runs.set(containerId, run);
    void (async () => {
      const exit = await this.waitForExit(id, plan, output);
      run.killTimer?.cancel();
      // The sandbox files hold all of the output by the time anyone hears of the exit.
      await Promise.all(outputs.map(endOutput));
      run.exit = exit;
      settle(exit);
    })();
    return run;
  }

  /** The container's exit as the command executor reads it; never rejects. */
  private async waitForExit(id: string, plan: ContainerPlan, output: OutputFollower): Promise<TaskExit> {
    let code: number | undefined;
    let lastError: unknown;
    for (let attempt = 1; attempt <= WAIT_ATTEMPTS && code === undefined; attempt++) {
      try {
        code = await this.engine.wait(id);
      } catch (e) {
        lastError = e;
        if (isNotFound(e)) break;
        if (attempt < WAIT_ATTEMPTS) await new Promise<void>((r) => this.clock.after(WAIT_RETRY_MS, r));
      }
    }
    // The last lines may still be on their way; they are worth a short wait, not a hang.
    let drained: TimerHandle | undefined;
    await Promise.race([output.done, new Promise<void>((r) => (drained = this.clock.after(this.outputDrainMs, r)))]);
    drained?.cancel();
    output.cancel();
    if (code === undefined) {
      const message = isNotFound(lastError)
        ? `Docker container ${plan.name} was removed while it ran`
        : `Lost Docker container ${plan.name}: the engine did not answer (${(lastError as Error).message})`;
      this.logger.warn(message);
      return { kind: 'signaled', signal: 'SIGKILL', cause: { reason: TaskStatusReason.EXECUTOR_TERMINATED, message } };
    }
    // The kernel's OOM killer ends a container with SIGKILL (137); only then is the OOM flag
    // worth another engine call.
    const oomKilled = code === SIGKILL_EXIT_CODE && (await this.engine.inspect(id).then((s) => s.oomKilled, () => false));
    return containerExit(code, oomKilled, plan.options.HostConfig?.Memory);
  }

  private scheduleRemoval(id: string, name: string): void {
    if (this.options.removeDelayMs <= 0) {
      void this.remove(id, name);
      return;
    }
    const timer = this.clock.after(this.options.removeDelayMs, () => {
      this.removals.delete(id);
      void this.remove(id, name);
    });
    this.removals.set(id, { name, timer });
  }

  private remove(id: string, name: string): Promise<void> {
    const removal = this.engine.remove(id).catch((e: unknown) => {
      if (!isNotFound(e)) this.logger.warn(`could not remove Docker container ${name}: ${(e as Error).message}`);
    });
    this.removing.add(removal);
    void removal.finally(() => this.removing.delete(removal));
    return removal;
  }

  /** A stop or kill that lost the race with the container's own end is no error. */
  private ignoreEnded(run: DockerRun, what: string, error: unknown): void {
    if (isNotModified(error) || isNotFound(error) || run.exit !== undefined) return;
    // 409: the container is not running any more.
    if ((error as { statusCode?: number }).statusCode === 409) return;
    this.logger.warn(`could not ${what} Docker container ${run.name}: ${(error as Error).message}`);
  }
}

/**
 * A container's end as a TaskExit. The kernel killing one of its processes for memory makes
 * it a memory limitation (TASK_FAILED, REASON_CONTAINER_LIMITATION_MEMORY), as Mesos reports
 * a task that hit its limit, whatever the exit status was.
 */
export function containerExit(code: number, oomKilled: boolean, memoryLimitBytes: number | undefined): TaskExit {
  if (!oomKilled) return { kind: 'exited', code };
  const limit = memoryLimitBytes === undefined ? 'its memory limit' : `its memory limit of ${Math.round(memoryLimitBytes / (1024 * 1024))} MB`;
  return {
    kind: 'exited',
    code,
    cause: {
      reason: TaskStatusReason.CONTAINER_LIMITATION_MEMORY,
      message: `Memory limit exceeded: a process of the container went past ${limit} and the kernel killed it (exit status ${code})`,
    },
  };
}

function launchFailed(message: string, cause: unknown): TaskStartError {
  return new TaskStartError(message, { cause, reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED });
}

/** Output files are appended to, as the process driver does. */
async function openOutput(path: string): Promise<Writable> {
  try {
    return (await open(path, 'a')).createWriteStream();
  } catch (e) {
    throw launchFailed(`cannot open ${path}: ${(e as Error).message}`, e);
  }
}

/** Ends a sandbox output file once everything written to it is on disk. */
function endOutput(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    if (stream.destroyed) {
      resolve();
      return;
    }
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
    stream.end();
  });
}

/** A recovered run that cannot be found: its end is unknown, so its task is lost. */
function lostRun(containerId: string, message: string): TaskInspection {
  return {
    containerId,
    pid: 0,
    startedAt: 0,
    limited: true,
    exit: { kind: 'signaled', signal: 'SIGKILL', cause: { reason: TaskStatusReason.EXECUTOR_TERMINATED, message, lost: true } },
  };
}

/** Where the output of a recovered container without a known sandbox goes. */
function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function inspection(run: DockerRun): TaskInspection {
  return {
    containerId: run.containerId,
    pid: run.pid,
    startedAt: run.startedAt,
    limited: true,
    ...(run.exit !== undefined ? { exit: run.exit } : {}),
  };
}
