import { Injectable } from '@nestjs/common';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
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
 * API serves them); garbage collection is a later issue.
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
    await mkdir(directory, { recursive: true });
    const sandbox = { directory, stdout: join(directory, STDOUT), stderr: join(directory, STDERR) };
    // Present from the start, so a client tailing the sandbox never sees a 404 for them.
    await writeFile(sandbox.stdout, '', { flag: 'a' });
    await writeFile(sandbox.stderr, '', { flag: 'a' });
    await this.pointLatest(join(executorDirectory(this.profile.workDir, ids), 'runs'), ids.containerId);
    return sandbox;
  }

  /** Replaces `runs/latest` atomically (a new symlink renamed over the old one). */
  private async pointLatest(runs: string, containerId: string): Promise<void> {
    const temporary = join(runs, `.latest-${containerId}`);
    await symlink(containerId, temporary);
    await rename(temporary, join(runs, 'latest'));
  }
}
