/**
 * What a task's terminal status means for `agora run`'s exit status, the way a shell reports a
 * program: the command's own exit code when it ran to the end, 137 (128 + SIGKILL) when it was
 * killed, and 1 when Agora could not run it at all.
 */
import type { TaskStatus } from '@agora/protocol';

/** A shell's status for a process killed by SIGKILL; what `agora run` exits with for TASK_KILLED. */
export const EXIT_KILLED = 137;
export const EXIT_FAILED = 1;

export interface TaskOutcome {
  readonly exitCode: number;
  /**
   * A line for stderr when the status says more than the exit code does: why the task did not
   * run, or why it failed when the command's own status is unknown. Undefined when the command
   * ran and the exit code is the whole story.
   */
  readonly report?: string;
}

/** The command executor's message for a command that exited on its own (Mesos's wording). */
const EXITED = /Command exited with status (\d+)/;

export function outcomeOf(status: TaskStatus): TaskOutcome {
  const what = describeStatus(status);
  switch (status.state) {
    case 'TASK_FINISHED':
      return { exitCode: 0 };
    case 'TASK_FAILED': {
      const exited = EXITED.exec(status.message ?? '');
      const code = exited === null ? Number.NaN : Number(exited[1]);
      // Exit statuses are 0-255; anything else is not what the shell would have reported.
      if (Number.isInteger(code) && code >= 1 && code <= 255) return { exitCode: code };
      return { exitCode: EXIT_FAILED, report: what };
    }
    case 'TASK_KILLED':
      return { exitCode: EXIT_KILLED, report: what };
    default:
      return { exitCode: EXIT_FAILED, report: what };
  }
}

/** `TASK_LOST (REASON_AGENT_REMOVED): agent agent-1 was removed`. */
export function describeStatus(status: TaskStatus): string {
  const reason = status.reason === undefined ? '' : ` (${status.reason})`;
  const message = status.message === undefined || status.message === '' ? '' : `: ${status.message}`;
  return `${status.state}${reason}${message}`;
}
