/**
 * The agent's `/state` JSON in the v0 shapes Mesos's agent writes (`src/slave/http.cpp`,
 * `src/common/http.cpp`): plain-string ids, `slave_id`, flattened resources. Tools and the web
 * UI find a task's sandbox through its executor's `directory`. Pure.
 */
import { fromV1, toV0, type V0Resources } from '@agora/resources';
import type { TaskInfo, TaskStatus } from '@agora/protocol';
import type { LaunchedFramework, TaskRun } from '../tasks/task-run';

export interface TaskJson {
  id: string;
  name: string;
  framework_id: string;
  executor_id: string;
  slave_id: string;
  state: string;
  resources: V0Resources;
  role?: string;
  statuses: { state: string; timestamp?: number; healthy?: boolean; container_status?: TaskStatus['container_status'] }[];
}

export interface ExecutorJson {
  id: string;
  name: string;
  source: string;
  container: string;
  directory: string;
  resources: V0Resources;
  /** COMMAND for a command task's executor; custom and default executors (executors/) say theirs. */
  type: 'COMMAND' | 'CUSTOM' | 'DEFAULT' | 'UNKNOWN';
  tasks: TaskJson[];
  queued_tasks: TaskJson[];
  completed_tasks: TaskJson[];
}

export interface FrameworkJson {
  id: string;
  name: string;
  user: string;
  failover_timeout: number;
  checkpoint: boolean;
  hostname: string;
  role?: string;
  roles?: string[];
  principal?: string;
  capabilities: string[];
  executors: ExecutorJson[];
  completed_executors: ExecutorJson[];
}

function resourcesOf(run: TaskRun): V0Resources {
  try {
    return toV0(fromV1(run.info.resources ?? []));
  } catch {
    return toV0([]);
  }
}

export function taskJson(run: TaskRun, agentId: string): TaskJson {
  const role = run.info.resources?.find((r) => r.allocation_info?.role !== undefined)?.allocation_info?.role;
  return {
    id: run.taskId,
    name: run.info.name,
    framework_id: run.frameworkId,
    executor_id: run.executorId,
    slave_id: agentId,
    state: run.state,
    resources: resourcesOf(run),
    ...(role !== undefined ? { role } : {}),
    statuses: run.statuses.map((s) => ({
      state: s.state,
      timestamp: s.timestamp,
      ...(s.healthy !== undefined ? { healthy: s.healthy } : {}),
      ...(s.container_status !== undefined ? { container_status: s.container_status } : {}),
    })),
  };
}

/**
 * A command task's executor. Mesos names it after the task and the start of its command;
 * `directory` is where its sandbox is (empty until the sandbox exists).
 */
export function executorJson(run: TaskRun, agentId: string): ExecutorJson {
  const task = taskJson(run, agentId);
  const live = run.phase !== 'terminated';
  return {
    id: run.executorId,
    name: commandExecutorName(run.info),
    source: run.taskId,
    container: run.containerId,
    directory: run.directory ?? '',
    resources: task.resources,
    type: 'COMMAND',
    tasks: live && run.phase === 'running' ? [task] : [],
    queued_tasks: live && run.phase === 'launching' ? [task] : [],
    completed_tasks: live ? [] : [task],
  };
}

/** Mesos's name for the executor it synthesizes for a command task (`Slave::getExecutorInfo`). */
export function commandExecutorName(task: TaskInfo): string {
  const command = task.command ?? {};
  const shorten = (text: string): string => (text.length > 15 ? `${text.slice(0, 12)}...` : text);
  let what: string;
  if (command.shell ?? true) {
    what = command.value === undefined ? 'NO COMMAND' : `sh -c '${shorten(command.value)}'`;
  } else {
    what = command.value === undefined ? 'NO EXECUTABLE' : `[${shorten([command.value, ...(command.arguments ?? [])].join(', '))}]`;
  }
  return `Command Executor (Task: ${task.task_id.value}) (Command: ${what})`;
}

export function frameworkJson(info: LaunchedFramework, executors: ExecutorJson[], completed: ExecutorJson[]): FrameworkJson {
  return {
    id: info.id.value,
    name: info.name,
    user: info.user,
    failover_timeout: info.failover_timeout ?? 0,
    checkpoint: info.checkpoint ?? false,
    hostname: info.hostname ?? '',
    ...(info.roles !== undefined ? { roles: info.roles } : { role: info.role ?? '*' }),
    ...(info.principal !== undefined ? { principal: info.principal } : {}),
    capabilities: (info.capabilities ?? []).map((c) => c.type),
    executors,
    completed_executors: completed,
  };
}
