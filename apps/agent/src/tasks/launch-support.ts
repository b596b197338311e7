/**
 * Which tasks this release can run. Command tasks (a `command`, no `executor`) run under
 * command-executor semantics: with the process driver when they have no container or a MESOS
 * one without an image, with the docker driver when they have a DOCKER one. Images in MESOS
 * containers would need Mesos's own containerizer, which Agora does not have: they fail cleanly
 * instead of being half-run. Tasks with a custom executor run through executors/.
 */
import { TaskStatusReason, type TaskInfo } from '@agora/protocol';
import { unsafeIdReason } from '../sandbox/sandbox-layout';

export interface LaunchRefusal {
  readonly reason: TaskStatusReason;
  readonly message: string;
}

export function launchRefusal(task: TaskInfo): LaunchRefusal | undefined {
  if (task.executor !== undefined) {
    // Tasks with their own executor go to the executors service; one reaching here is misrouted.
    return { reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED, message: 'A task with a custom executor cannot run under the command executor' };
  }
  if (task.container?.type === 'DOCKER' && task.container.docker === undefined) {
    return { reason: TaskStatusReason.TASK_INVALID, message: 'The task has a DOCKER container without DockerInfo (container.docker.image)' };
  }
  if (task.container?.type === 'MESOS' && task.container.mesos?.image !== undefined) {
    return {
      reason: TaskStatusReason.CONTAINER_LAUNCH_FAILED,
      message: "Images in MESOS containers are not supported: Agora runs images with Docker; use a DOCKER container (container.type 'DOCKER', docker.image)",
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
