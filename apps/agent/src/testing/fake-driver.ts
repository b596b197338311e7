import { type RecoverableRun, type TaskDriver, type TaskExit, type TaskInspection, type TaskLaunch, TaskStartError, type TaskStats, UnknownContainerError } from '../drivers/task-driver';

interface FakeRun {
  readonly launch: TaskLaunch;
  readonly exited: Promise<TaskExit>;
  readonly end: (exit: TaskExit) => void;
}

/**
 * A task driver whose tasks end when the test says so. Records what it was asked: launches,
 * stops (with their grace) and destroys. `stop` does not end a task by itself; the test decides
 * how the task reacts to it.
 */
export class FakeDriver implements TaskDriver {
  readonly name = 'fake';
  readonly launches: TaskLaunch[] = [];
  readonly stops: { containerId: string; graceMs: number }[] = [];
  readonly destroyed: string[] = [];
  /** Set to make the next start fail: with this message, or with this very error. */
  failNextStart?: string | TaskStartError;
  /** Set to hold starts until the promise resolves. */
  gate?: Promise<void>;
  /** How recovered runs ended while the agent was down, by container id; others are found alive. */
  readonly endedWhileDown = new Map<string, TaskExit>();
  readonly recovered: RecoverableRun[] = [];
  private readonly runs = new Map<string, FakeRun>();

  async start(launch: TaskLaunch): Promise<TaskInspection> {
    await this.gate;
    if (this.failNextStart !== undefined) {
      const failure = this.failNextStart;
      this.failNextStart = undefined;
      throw failure instanceof TaskStartError ? failure : new TaskStartError(failure);
    }
    let end!: (exit: TaskExit) => void;
    const exited = new Promise<TaskExit>((resolve) => (end = resolve));
    this.runs.set(launch.containerId, { launch, exited, end });
    this.launches.push(launch);
    return { containerId: launch.containerId, pid: 4242, startedAt: 0, limited: false };
  }

  async recover(run: RecoverableRun): Promise<TaskInspection> {
    this.recovered.push(run);
    const ended = this.endedWhileDown.get(run.containerId);
    const inspection = { containerId: run.containerId, pid: run.pid ?? 0, startedAt: 0, limited: false };
    if (ended !== undefined) return { ...inspection, exit: ended };
    let end!: (exit: TaskExit) => void;
    const exited = new Promise<TaskExit>((resolve) => (end = resolve));
    const launch: TaskLaunch = { containerId: run.containerId, command: {}, env: {}, sandbox: '', stdoutPath: '', stderrPath: '', limits: {} };
    this.runs.set(run.containerId, { launch, exited, end });
    return inspection;
  }

  wait(containerId: string): Promise<TaskExit> {
    return this.get(containerId).exited;
  }

  stop(containerId: string, graceMs: number): Promise<TaskExit> {
    this.stops.push({ containerId, graceMs });
    return this.get(containerId).exited;
  }

  async destroy(containerId: string): Promise<void> {
    this.destroyed.push(containerId);
    this.runs.delete(containerId);
  }

  inspect(containerId: string): TaskInspection | undefined {
    return this.runs.has(containerId) ? { containerId, pid: 4242, startedAt: 0, limited: false } : undefined;
  }

  async stats(): Promise<TaskStats | undefined> {
    return undefined;
  }

  /** Ends the task of the most recent launch with `containerId` (or the latest launch). */
  exit(exit: TaskExit, containerId = this.launches[this.launches.length - 1]?.containerId): void {
    this.get(containerId).end(exit);
  }

  private get(containerId: string): FakeRun {
    const run = this.runs.get(containerId);
    if (run === undefined) throw new UnknownContainerError(containerId);
    return run;
  }
}
