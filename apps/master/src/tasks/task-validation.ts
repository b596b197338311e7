/**
 * Whether tasks in an ACCEPT may launch (reference §1.9): the checks Mesos's master makes before
 * a task reaches an agent. Pure; an invalid task gets TASK_ERROR, REASON_TASK_INVALID (for a
 * task group: REASON_TASK_GROUP_INVALID, for every task of the group) with the message here.
 */
import { type ExecutorInfo, healthCheckProblem, type TaskInfo } from '@agora/protocol';
import { fromV1, Resources } from '@agora/resources';

export interface LaunchContext {
  readonly frameworkId: string;
  /** The agent of the offers. */
  readonly agentId: string;
  /** The allocation role of the offers. */
  readonly role: string;
  /**
   * Ids the framework already uses (live tasks, and earlier tasks of the same ACCEPT). Only
   * `has` is needed, so the caller can answer from its own maps without copying them per task.
   */
  readonly taskIds: { has(id: string): boolean };
  /** What is left of the offers after earlier operations of the same ACCEPT. */
  readonly available: Resources;
  /** The framework's executors on the agent already (by executor id): they hold their resources already. */
  readonly executors: { get(id: string): { readonly info: ExecutorInfo } | undefined };
}

export type LaunchCheck =
  | {
      readonly ok: true;
      /** Everything the launch takes from the offers. */
      readonly resources: Resources;
      /** Each task's own resources, in order. */
      readonly taskResources: readonly Resources[];
      /** A new executor's resources; empty when there is none or it runs already. */
      readonly executorResources: Resources;
    }
  | { readonly ok: false; readonly message: string };

const MAX_ID_LENGTH = 255;

/** Mesos's ID rules: not empty, not `.` or `..`, no `/`, `\` or control characters, at most 255 long. */
export function idProblem(kind: string, id: string): string | undefined {
  if (id === '') return `${kind} ID must not be empty`;
  if (id.length > MAX_ID_LENGTH) return `${kind} ID '${id.slice(0, 32)}…' is longer than ${MAX_ID_LENGTH} characters`;
  if (id === '.' || id === '..') return `${kind} ID '${id}' is disallowed`;
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(id)) return `${kind} ID '${id}' contains invalid characters`;
  return undefined;
}

const fail = (message: string): LaunchCheck => ({ ok: false, message });

/** One task of a LAUNCH: with the built-in command executor, or with its own executor. */
export function checkLaunch(task: TaskInfo, ctx: LaunchContext): LaunchCheck {
  const common = taskProblem(task, ctx);
  if (common !== undefined) return fail(common);
  if ((task.command === undefined) === (task.executor === undefined)) {
    return fail('Task should have at least one (but not both) of CommandInfo or ExecutorInfo present');
  }
  let executorResources = Resources.EMPTY;
  if (task.executor !== undefined) {
    const problem = executorProblem(task.executor, ctx);
    if (problem !== undefined) return fail(problem);
    if (task.executor.type === 'DEFAULT') return fail("'ExecutorInfo.type' must not be 'DEFAULT' for a LAUNCH; use LAUNCH_GROUP");
    const existing = ctx.executors.get(task.executor.executor_id.value)?.info;
    if (existing !== undefined && !compatible(existing, task.executor)) {
      return fail(`ExecutorInfo is not compatible with the ExecutorInfo of the existing executor ${task.executor.executor_id.value}`);
    }
    if (existing === undefined) {
      const parsed = parse(task.executor.resources, 'executor.resources', ctx.role);
      if (typeof parsed === 'string') return fail(parsed);
      executorResources = parsed;
    }
  }
  const own = parse(task.resources, 'resources', ctx.role);
  if (typeof own === 'string') return fail(own);
  if (own.isEmpty()) return fail('Task uses no resources');
  return fits([own], executorResources, ctx);
}

/**
 * A LAUNCH_GROUP: the tasks start together under one executor of type DEFAULT, so the group is
 * valid or invalid as a whole.
 */
export function checkGroup(executor: ExecutorInfo, tasks: readonly TaskInfo[], ctx: LaunchContext): LaunchCheck {
  if (executor.type !== 'DEFAULT') return fail("'ExecutorInfo.type' must be 'DEFAULT' for a LAUNCH_GROUP");
  const problem = executorProblem(executor, ctx);
  if (problem !== undefined) return fail(problem);
  if (tasks.length === 0) return fail('Task group is empty');
  const ids = new Set<string>();
  const taken = { has: (id: string): boolean => ids.has(id) || ctx.taskIds.has(id) };
  const own: Resources[] = [];
  for (const task of tasks) {
    const taskError = taskProblem(task, { ...ctx, taskIds: taken });
    if (taskError !== undefined) return fail(`Task ${task.task_id.value}: ${taskError}`);
    if (task.executor !== undefined) return fail(`Task ${task.task_id.value}: 'TaskInfo.executor' must not be set in a task group`);
    if (task.command === undefined) return fail(`Task ${task.task_id.value}: 'TaskInfo.command' must be set in a task group`);
    ids.add(task.task_id.value);
    const parsed = parse(task.resources, 'resources', ctx.role);
    if (typeof parsed === 'string') return fail(`Task ${task.task_id.value}: ${parsed}`);
    if (parsed.isEmpty()) return fail(`Task ${task.task_id.value}: Task uses no resources`);
    own.push(parsed);
  }
  const existing = ctx.executors.get(executor.executor_id.value)?.info;
  let executorResources = Resources.EMPTY;
  if (existing !== undefined && !compatible(existing, executor)) {
    return fail(`ExecutorInfo is not compatible with the ExecutorInfo of the existing executor ${executor.executor_id.value}`);
  }
  if (existing === undefined) {
    const parsed = parse(executor.resources, 'executor.resources', ctx.role);
    if (typeof parsed === 'string') return fail(parsed);
    executorResources = parsed;
  }
  return fits(own, executorResources, ctx);
}

function taskProblem(task: TaskInfo, ctx: LaunchContext): string | undefined {
  const id = task.task_id.value;
  const idError = idProblem('Task', id);
  if (idError !== undefined) return idError;
  if (ctx.taskIds.has(id)) return `Task has duplicate ID: ${id}`;
  if (task.agent_id.value !== ctx.agentId) return `Task uses invalid agent: ${task.agent_id.value}`;
  if (task.command !== undefined && (task.command.shell ?? true) && !task.command.value && task.container === undefined) {
    return "Task's 'command.value' is required when 'command.shell' is true";
  }
  const grace = task.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined && grace < 0) return "Task's 'kill_policy.grace_period' must be non-negative";
  const health = task.health_check === undefined ? undefined : healthCheckProblem(task.health_check);
  if (health !== undefined) return `Task uses invalid health check: ${health}`;
  return undefined;
}

function executorProblem(executor: ExecutorInfo, ctx: LaunchContext): string | undefined {
  const idError = idProblem('Executor', executor.executor_id.value);
  if (idError !== undefined) return idError;
  if (executor.framework_id !== undefined && executor.framework_id.value !== ctx.frameworkId) {
    return `ExecutorInfo has an invalid FrameworkID (actual: ${executor.framework_id.value} vs expected: ${ctx.frameworkId})`;
  }
  return undefined;
}

/** Mesos compares ExecutorInfos of one executor id; what it runs must not differ. */
function compatible(a: ExecutorInfo, b: ExecutorInfo): boolean {
  return JSON.stringify([a.type ?? 'CUSTOM', a.command ?? null, a.container ?? null]) === JSON.stringify([b.type ?? 'CUSTOM', b.command ?? null, b.container ?? null]);
}

function fits(own: readonly Resources[], executorResources: Resources, ctx: LaunchContext): LaunchCheck {
  const resources = Resources.sum([...own, executorResources]);
  if (!ctx.available.contains(resources)) {
    return fail(`Total resources ${resources.unallocate().toString()} required by task and its executor is more than available ${ctx.available.unallocate().toString()}`);
  }
  return { ok: true, resources, taskResources: own, executorResources };
}

/** Resources without an allocation role get the offers' one; another role is an error. */
function parse(json: unknown, path: string, role: string): Resources | string {
  try {
    const resources = fromV1(json ?? [], path);
    for (const r of resources) {
      if (r.allocationRole !== undefined && r.allocationRole !== role) {
        return `Task uses invalid resources: ${path} are allocated to role '${r.allocationRole}' but the offers to '${role}'`;
      }
    }
    return resources.allocate(role);
  } catch (e) {
    return `Task uses invalid resources: ${(e as Error).message}`;
  }
}
