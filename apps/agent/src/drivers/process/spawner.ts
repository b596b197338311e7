/**
 * How the process driver starts a task's main process (ProcessDriver holds one). Two ways:
 * `launcher` asks agora-launcher, a small native helper, over a pipe (launcher-spawner.ts);
 * `node` calls child_process.spawn in the agent (node-spawner.ts), which copies the whole agent
 * for every start and is the fallback where the launcher is not built.
 *
 * Contract, for both:
 * - `spawn` resolves once the process exists (its pid known), a session and process group of
 *   its own (pgid = pid), stdin on /dev/null, stdout and stderr appended to the given files
 *   (created when missing), in `cwd`, with exactly `env`; with `cgroupProcsFile` it is in that
 *   cgroup before its command runs.
 * - It rejects with TaskStartError when an output file cannot be opened or the cgroup not
 *   joined (the message is final), and with an Error naming the syscall and errno code
 *   (`spawn /no/such ENOENT`, as Node words it) when the executable cannot be started.
 * - `exited` resolves once the main process ended, never rejects. A process whose exit cannot
 *   be known any more (the launcher died) is killed and ends SIGKILL with a `cause`.
 */
import type { TaskExit } from '../task-driver';

export interface SpawnRequest {
  /** The executable; without a slash it is looked up in `env.PATH`. */
  readonly file: string;
  readonly args: readonly string[];
  readonly argv0: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** A cgroup's `cgroup.procs`: the process joins it before exec. */
  readonly cgroupProcsFile?: string;
  /**
   * A task whose exit must be known even if the agent dies first (its framework checkpoints):
   * agora-launcher writes `exited <code>` or `signaled <signo>` there when it ends, and keeps
   * such a task alive when the agent goes, while it kills those without one. Node's spawn
   * cannot (its children's exits die with the agent): it ignores this.
   */
  readonly exitFile?: string;
}

export interface SpawnedProcess {
  readonly pid: number;
  readonly exited: Promise<TaskExit>;
}

export interface ProcessSpawner {
  /** `launcher` or `node`, for the log line that says which one the agent uses. */
  readonly name: string;
  spawn(request: SpawnRequest): Promise<SpawnedProcess>;
  /** Lets go of the launcher, if any; processes keep running. Idempotent. */
  close(): void;
}
