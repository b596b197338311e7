/**
 * The limits a task's container gets: its `limits` where the task gives them (TASK_RESOURCE_LIMITS,
 * `Infinity` meaning none), else what it asked for in `resources`, as Mesos's cgroups isolators
 * do. A task that asks for no cpus or mem gets no limit on them.
 */
import { fromV1 } from '@agora/resources';
import type { TaskInfo } from '@agora/protocol';
import type { TaskLimits } from '../drivers/task-driver';

export function taskLimits(task: TaskInfo): TaskLimits {
  const requested = requestedOf(task);
  const cpus = pick(task.limits?.cpus?.value, requested.cpus);
  const memMb = pick(task.limits?.mem?.value, requested.mem);
  return { ...(cpus !== undefined ? { cpus } : {}), ...(memMb !== undefined ? { memMb } : {}) };
}

/** What the task asked for in its `resources` (no cpus or mem asked for: absent). */
export function taskRequests(task: TaskInfo): TaskLimits {
  const requested = requestedOf(task);
  return { ...(requested.cpus > 0 ? { cpus: requested.cpus } : {}), ...(requested.mem > 0 ? { memMb: requested.mem } : {}) };
}

function requestedOf(task: TaskInfo): { cpus: number; mem: number } {
  try {
    const resources = fromV1(task.resources ?? []);
    return { cpus: resources.scalar('cpus') / 1000, mem: resources.scalar('mem') / 1000 };
  } catch {
    // Validated by the bus decoder already; unreadable resources just mean no limits.
    return { cpus: 0, mem: 0 };
  }
}

function pick(limit: number | undefined, requested: number): number | undefined {
  if (limit !== undefined) return Number.isFinite(limit) && limit > 0 ? limit : undefined;
  return requested > 0 ? requested : undefined;
}
