/**
 * Whether a task in an ACCEPT may launch (reference §1.9): the checks Mesos's master makes
 * before a task reaches an agent. Pure; an invalid task gets TASK_ERROR, REASON_TASK_INVALID
 * with the message returned here.
 */
import type { TaskInfo } from '@agora/protocol';
import { fromV1, type Resources } from '@agora/resources';

export interface LaunchContext {
  /** The agent of the offers. */
  readonly agentId: string;
  /** The allocation role of the offers. */
  readonly role: string;
  /** Ids the framework already uses (live tasks). */
  readonly taskIds: ReadonlySet<string>;
  /** What is left of the offers after earlier operations of the same ACCEPT. */
  readonly available: Resources;
}

export type LaunchCheck =
  | { readonly ok: true; readonly resources: Resources; readonly taskResources: Resources }
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

export function checkLaunch(task: TaskInfo, ctx: LaunchContext): LaunchCheck {
  const fail = (message: string): LaunchCheck => ({ ok: false, message });
  const id = task.task_id.value;
  const idError = idProblem('Task', id);
  if (idError !== undefined) return fail(idError);
  if (ctx.taskIds.has(id)) return fail(`Task has duplicate ID: ${id}`);
  if (task.agent_id.value !== ctx.agentId) return fail(`Task uses invalid agent: ${task.agent_id.value}`);
  if ((task.command === undefined) === (task.executor === undefined)) {
    return fail('Task should have at least one (but not both) of CommandInfo or ExecutorInfo present');
  }
  if (task.command !== undefined && (task.command.shell ?? true) && !task.command.value && task.container === undefined) {
    return fail("Task's 'command.value' is required when 'command.shell' is true");
  }
  const grace = task.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined && grace < 0) return fail("Task's 'kill_policy.grace_period' must be non-negative");
  if (task.executor !== undefined) {
    const execError = idProblem('Executor', task.executor.executor_id.value);
    if (execError !== undefined) return fail(execError);
  }

  let resources: Resources;
  let taskResources: Resources;
  try {
    taskResources = inRole(fromV1(task.resources ?? [], 'resources'), ctx.role);
    resources = taskResources;
    if (task.executor?.resources !== undefined) {
      resources = resources.add(inRole(fromV1(task.executor.resources, 'executor.resources'), ctx.role));
    }
  } catch (e) {
    return fail(`Task uses invalid resources: ${(e as Error).message}`);
  }
  if (resources.isEmpty()) return fail('Task uses no resources');
  if (!ctx.available.contains(resources)) {
    return fail(`Total resources ${resources.unallocate().toString()} required by task and its executor is more than available ${ctx.available.unallocate().toString()}`);
  }
  return { ok: true, resources, taskResources };
}

/** Resources without an allocation role get the offers' one; another role is an error. */
function inRole(resources: Resources, role: string): Resources {
  for (const r of resources) {
    if (r.allocationRole !== undefined && r.allocationRole !== role) {
      throw new Error(`resources are allocated to role '${r.allocationRole}' but the offers to '${role}'`);
    }
  }
  return resources.allocate(role);
}
