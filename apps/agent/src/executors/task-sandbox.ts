import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/sandbox.service';
import { STDERR, STDOUT, unsafeIdReason } from '../sandbox/sandbox-layout';

/**
 * The sandbox of one task of a task group: `<executor sandbox>/tasks/<taskId>/`, where Mesos's
 * default executor puts its tasks' sandboxes, with empty `stdout` and `stderr` from the start.
 */
export async function createTaskSandbox(executorSandbox: string, taskId: string): Promise<Sandbox> {
  const reason = unsafeIdReason(taskId);
  if (reason !== undefined) throw new Error(`the task id '${taskId}' ${reason}`);
  const directory = join(executorSandbox, 'tasks', taskId);
  await mkdir(directory, { recursive: true });
  const sandbox = { directory, stdout: join(directory, STDOUT), stderr: join(directory, STDERR) };
  await writeFile(sandbox.stdout, '', { flag: 'a' });
  await writeFile(sandbox.stderr, '', { flag: 'a' });
  return sandbox;
}
