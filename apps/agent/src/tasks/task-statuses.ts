/**
 * The task statuses the agent produces, with the wording and fields of Mesos's command
 * executor (`src/launcher/executor.cpp`) and agent (`src/slave/slave.cpp`), so frameworks that
 * parse messages or reasons keep working.
 */
import { randomUUID } from 'node:crypto';
import {
  type TaskState,
  type TaskStatus,
  type TaskStatusReason,
  type TaskStatusSource,
  uuidToBase64,
} from '@agora/protocol';
import type { TaskExit } from '../drivers/task-driver';

export interface StatusFields {
  readonly taskId: string;
  readonly state: TaskState;
  readonly source: TaskStatusSource;
  readonly agentId: string;
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly executorId?: string;
  readonly containerId?: string;
  readonly pid?: number;
  readonly reason?: TaskStatusReason;
  readonly message?: string;
  /** Health check verdict; only on TASK_RUNNING and on the TASK_KILLED of a task its check killed. */
  readonly healthy?: boolean;
}

/** A status with a fresh uuid: the scheduler must acknowledge it, and the agent resends it until then. */
export function taskStatus(f: StatusFields): TaskStatus & { uuid: string } {
  const status: TaskStatus & { uuid: string } = {
    task_id: { value: f.taskId },
    state: f.state,
    source: f.source,
    agent_id: { value: f.agentId },
    timestamp: f.now / 1000,
    uuid: uuidToBase64(randomUUID()),
  };
  if (f.executorId !== undefined) status.executor_id = { value: f.executorId };
  if (f.reason !== undefined) status.reason = f.reason;
  if (f.message !== undefined) status.message = f.message;
  if (f.healthy !== undefined) status.healthy = f.healthy;
  if (f.containerId !== undefined) {
    status.container_status = { container_id: { value: f.containerId }, ...(f.pid !== undefined ? { executor_pid: f.pid } : {}) };
  }
  return status;
}

/** `Command exited with status 1` / `Command terminated with signal SIGKILL` (Mesos WSTRINGIFY, with signal names). */
export function exitMessage(exit: TaskExit): string {
  return exit.kind === 'exited' ? `Command exited with status ${exit.code}` : `Command terminated with signal ${exit.signal}`;
}

/** The command executor's verdict: killed tasks are KILLED however they ended; else the exit code decides. */
export function terminalStateOf(exit: TaskExit, killed: boolean): TaskState {
  if (killed) return 'TASK_KILLED';
  return exit.kind === 'exited' && exit.code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED';
}
