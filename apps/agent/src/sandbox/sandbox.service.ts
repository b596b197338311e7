import { Injectable } from '@nestjs/common';
import { closeSync, mkdirSync, openSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AgentProfile } from '../machine/agent-profile';
import { executorDirectory, type SandboxIds, sandboxDirectory, STDERR, STDOUT, unsafeIdReason } from './sandbox-layout';

/** A sandbox that exists, with the paths of its output files. */
export interface Sandbox {
  readonly directory: string;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Creates task sandboxes under the work dir. Sandboxes stay after their task ends (the files
 * API serves them); sandbox-gc.service.ts removes them later.
 *
 * The file-system calls are synchronous on purpose: a sandbox is a handful of metadata calls on
 * the agent's local work dir (mkdir, two creates, a symlink and a rename), and it is on the
 * launch path of every task. Done through fs/promises they were nine sequential thread-pool
 * round trips, about 4 ms of agent CPU and 10 ms of latency per task on a loaded 2-core machine
 * (a recursive mkdir alone 0.7 ms of main-thread time); synchronously they cost about 0.5 ms
 * (BENCHMARKS.md, slurm).
 */
@Injectable()
export class SandboxService {
  constructor(private readonly profile: AgentProfile) {}

  /** Creates the run's directory with empty `stdout` and `stderr`, and points `runs/latest` at it. */
  async create(ids: SandboxIds): Promise<Sandbox> {
    for (const [what, id] of Object.entries(ids)) {
      const reason = unsafeIdReason(id);
      if (reason !== undefined) throw new Error(`the ${what} '${id}' ${reason}`);
    }
    const directory = sandboxDirectory(this.profile.workDir, ids);
    // The first directory it had to create: above the run's own, `runs/` is new too.
    const created = mkdirSync(directory, { recursive: true });
    const sandbox = { directory, stdout: join(directory, STDOUT), stderr: join(directory, STDERR) };
    // Present from the start, so a client tailing the sandbox never sees a 404 for them.
    closeSync(openSync(sandbox.stdout, 'a'));
    closeSync(openSync(sandbox.stderr, 'a'));
    this.pointLatest(join(executorDirectory(this.profile.workDir, ids), 'runs'), ids.containerId, created !== undefined && created !== directory);
    return sandbox;
  }

  /**
   * Replaces `runs/latest` atomically (a new symlink renamed over the old one); in a `runs/`
   * just created there is nothing to replace (the first run of every command task).
   */
  private pointLatest(runs: string, containerId: string, fresh: boolean): void {
    if (fresh) {
      symlinkSync(containerId, join(runs, 'latest'));
      return;
    }
    const temporary = join(runs, `.latest-${containerId}`);
    symlinkSync(containerId, temporary);
    renameSync(temporary, join(runs, 'latest'));
  }
}
