/**
 * Child processes of a fault scenario: each one's stdout and stderr go straight to a log file
 * under the scenario's directory (so a failure can be diagnosed, and so the child never blocks
 * on a pipe nobody reads), each is tracked until it exits, and `stopAll` ends every one still
 * running — also after a failed test. Children start in a process group of their own, so a
 * signal reaches what they started in that group too (`ip netns exec` wrappers, shells).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves when the process has ended (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** Set once the process ended. */
  exit?: ProcessExit;
  /** The last signal this harness sent (so an exit it caused is not mistaken for a crash). */
  signalled?: NodeJS.Signals;
}

/** Every process any set started, so none outlives the test process (see the exit hook below). */
const everyProcess = new Set<ManagedProcess>();
process.once('exit', () => {
  for (const p of everyProcess) {
    if (p.exit !== undefined) continue;
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

export class ProcessSet {
  private readonly all: ManagedProcess[] = [];

  constructor(private readonly logDir: string) {}

  /** Starts `command`, appending its output to `<logDir>/<name>.log`. */
  spawn(name: string, command: string, args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): ManagedProcess {
    const logFile = join(this.logDir, `${name}.log`);
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd], detached: true });
    } finally {
      closeSync(fd);
    }
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    let resolveExit: (exit: ProcessExit) => void = () => undefined;
    const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
    const managed: ManagedProcess = { name, pid: child.pid, logFile, child, exited };
    child.on('exit', (code, signal) => {
      managed.exit = { code, signal };
      resolveExit(managed.exit);
    });
    child.on('error', () => {
      managed.exit ??= { code: -1, signal: null };
      resolveExit(managed.exit);
    });
    this.all.push(managed);
    everyProcess.add(managed);
    void exited.then(() => everyProcess.delete(managed));
    return managed;
  }

  /** Sends `signal` to the process (its group when `group`); true when it was still running. */
  signal(p: ManagedProcess, signal: NodeJS.Signals, group = false): boolean {
    if (p.exit !== undefined) return false;
    // Stopping and continuing do not end a process: an exit after them is its own doing.
    if (signal !== 'SIGSTOP' && signal !== 'SIGCONT') p.signalled = signal;
    try {
      process.kill(group ? -p.pid : p.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * kill -9 and wait until it is gone: the process alone, as an operator's `kill -9 <pid>`
   * (what it started in its group lives on, e.g. an agent's process launcher); `group` too
   * for cleaning up.
   */
  async kill(p: ManagedProcess, group = false): Promise<void> {
    this.signal(p, 'SIGKILL', group);
    await p.exited;
  }

  /**
   * SIGTERM, then SIGKILL after `graceMs`; waits for the exit, then kills what is left of its
   * process group (a launcher, a shell) so nothing outlives the scenario.
   */
  async stop(p: ManagedProcess, graceMs = 5000): Promise<void> {
    if (p.exit === undefined) {
      // A stopped process cannot act on SIGTERM.
      this.signal(p, 'SIGCONT', true);
      this.signal(p, 'SIGTERM');
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
      if ((await Promise.race([p.exited, timer])) === 'late') await this.kill(p, true);
    }
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // the group is empty
    }
  }

  /** Stops every process still running, newest first, in parallel batches of one kind. */
  async stopAll(graceMs = 5000): Promise<void> {
    await Promise.all([...this.all].reverse().map((p) => this.stop(p, graceMs)));
  }

  /** Every process started so far, oldest first. */
  list(): readonly ManagedProcess[] {
    return this.all;
  }

  /** The last `lines` lines of a process's log (for failure messages). */
  static tail(p: ManagedProcess, lines = 30): string {
    try {
      return readFileSync(p.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
