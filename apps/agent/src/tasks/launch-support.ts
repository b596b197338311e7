/**
 * Which tasks this release can run. Command tasks (a `command`, no `executor`, no container or a
 * MESOS container without an image) run with the process driver under command-executor
 * semantics; custom executors and Docker tasks arrive with the executor API and the docker
 * driver in a later release, and fail cleanly until then instead of being half-run.
 */
import { TaskStatusReason, type TaskInfo } from '@agora/protocol';
import { unsafeIdReason } from '../sandbox/sandbox-layout';

export interface LaunchRefusal {
  readonly reason: TaskStatusReason;
  readonly message: string;
}

export function launchRefusal(task: TaskInfo): LaunchRefusal | undefined {
  if (task.executor !== undefined) {
    return {
      reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED,
      message: 'Tasks with a custom executor are not supported yet: they come with a later Agora release',
    };
  }
  if (task.container?.type === 'DOCKER') {
    return {
      reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED,
      message: 'Docker tasks are not supported yet: they come with a later Agora release',
    };
  }
  if (task.container?.type === 'MESOS' && task.container.mesos?.image !== undefined) {
    return {
      reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED,
      message: 'Container images are not supported yet: they come with a later Agora release',
    };
  }
  if (task.command === undefined) {
    return { reason: TaskStatusReason.TASK_INVALID, message: 'The task has neither a command nor an executor' };
  }
  const idProblem = unsafeIdReason(task.task_id.value);
  if (idProblem !== undefined) {
    return { reason: TaskStatusReason.TASK_INVALID, message: `The task id ${idProblem}: it names the task's sandbox directory` };
  }
  return undefined;
}
