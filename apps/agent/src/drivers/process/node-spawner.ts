/**
 * The fallback spawner: child_process.spawn in the agent itself. Slow under load (libuv copies
 * the whole agent and waits for the exec, blocking the event loop; about 5 ms per start with a
 * busy agent) but needs nothing built. A cgroup is joined through a wrapper shell.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type FileHandle, open } from 'node:fs/promises';
import { TaskStartError, type TaskExit } from '../task-driver';
import { enteringCgroup } from './command-line';
import type { ProcessSpawner, SpawnedProcess, SpawnRequest } from './spawner';

export class NodeSpawner implements ProcessSpawner {
  readonly name = 'node';

  async spawn(request: SpawnRequest): Promise<SpawnedProcess> {
    const stdout = await openOutput(request.stdoutPath);
    const stderr = await openOutput(request.stderrPath).catch(async (e: unknown) => {
      await stdout.close();
      throw e;
    });
    try {
      const line = request.cgroupProcsFile === undefined ? request : enteringCgroup(request.cgroupProcsFile, request);
      const child = spawn(line.file, [...line.args], {
        argv0: line.argv0,
        cwd: request.cwd,
        env: request.env,
        detached: true,
        stdio: ['ignore', stdout.fd, stderr.fd],
      });
      const exited = new Promise<TaskExit>((resolve) =>
        child.once('exit', (code, signal) => resolve(signal !== null ? { kind: 'signaled', signal } : { kind: 'exited', code: code ?? 0 })),
      );
      return { pid: await spawned(child), exited };
    } finally {
      // The child has its own copies of the descriptors.
      await stdout.close();
      await stderr.close();
    }
  }

  close(): void {}
}

/** Resolves with the pid once the process exists; rejects with the spawn error (ENOENT, EACCES...). */
function spawned(child: ChildProcess): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', reject);
  }).finally(() => {
    // Later errors (a failed kill) must not crash the agent as unhandled 'error' events.
    child.on('error', () => undefined);
  });
}

/** Output files are appended to, so a task's earlier output survives (and `agora` can tail it). */
async function openOutput(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'a');
  } catch (e) {
    throw new TaskStartError(`cannot open ${path}: ${(e as Error).message}`, { cause: e });
  }
}
