/**
 * Where sandboxes live (reference §5.8), as in Mesos so operators find them where they expect:
 *
 *     <work_dir>/slaves/<agentId>/frameworks/<frameworkId>/executors/<executorId>/runs/<containerId>/
 *
 * with `stdout` and `stderr` inside and `runs/latest` pointing at the newest run. Ids become
 * directory names, so an id that could climb out of its parent is refused (task ids are chosen
 * by frameworks). Pure: no I/O.
 */
import { join } from 'node:path';

export interface SandboxIds {
  readonly agentId: string;
  readonly frameworkId: string;
  readonly executorId: string;
  readonly containerId: string;
}

/** Why `id` cannot be a directory name, or undefined when it can. */
export function unsafeIdReason(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (id === '.' || id === '..') return `'${id}' is not a directory name`;
  if (id.includes('/')) return 'contains a slash';
  if (id.includes('\0')) return 'contains a NUL character';
  return undefined;
}

/** The executor's directory, holding its `runs`. */
export function executorDirectory(workDir: string, ids: Omit<SandboxIds, 'containerId'>): string {
  return join(workDir, 'slaves', ids.agentId, 'frameworks', ids.frameworkId, 'executors', ids.executorId);
}

export function sandboxDirectory(workDir: string, ids: SandboxIds): string {
  return join(executorDirectory(workDir, ids), 'runs', ids.containerId);
}

export const STDOUT = 'stdout';
export const STDERR = 'stderr';
