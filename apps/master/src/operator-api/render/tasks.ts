/**
 * `/tasks` (reference §3): live, unreachable and completed tasks of registered and completed
 * frameworks, ordered by the time of their first status (newest first by default), then paged.
 */
import type { TaskRecord } from '../../cluster/records';
import { renderTask } from './entities';
import type { ClusterView, QueryParams } from './inputs';
import type { TasksJson } from './json';
import { invalid, nonNegativeInteger, ok, type Parsed, single } from './query';

export interface TasksQuery {
  readonly limit: number;
  readonly offset: number;
  readonly order: 'asc' | 'des';
  readonly frameworkId?: string;
  readonly taskId?: string;
}

/** Mesos's default page size. */
export const DEFAULT_TASK_LIMIT = 100;

export function parseTasksQuery(query: QueryParams): Parsed<TasksQuery> {
  const limit = nonNegativeInteger(query, 'limit', DEFAULT_TASK_LIMIT);
  if (!limit.ok) return limit;
  const offset = nonNegativeInteger(query, 'offset', 0);
  if (!offset.ok) return offset;
  const order = single(query, 'order') ?? 'des';
  if (order !== 'asc' && order !== 'des') return invalid('order', "'asc' or 'des'", order);
  return ok({
    limit: limit.value,
    offset: offset.value,
    order,
    frameworkId: single(query, 'framework_id'),
    taskId: single(query, 'task_id'),
  });
}

export function renderTasks(cluster: ClusterView, query: TasksQuery): TasksJson {
  const tasks: TaskRecord[] = [];
  const take = (task: TaskRecord): void => {
    if (query.taskId === undefined || task.id === query.taskId) tasks.push(task);
  };
  for (const fw of [...cluster.frameworks.values(), ...cluster.completedFrameworks]) {
    if (query.frameworkId !== undefined && fw.id !== query.frameworkId) continue;
    for (const task of fw.tasks.values()) take(task);
    for (const task of fw.completedTasks) take(task);
  }
  const sign = query.order === 'asc' ? 1 : -1;
  tasks.sort((a, b) => sign * (firstSeen(a) - firstSeen(b)) || compare(a.frameworkId, b.frameworkId) || compare(a.id, b.id));
  return { tasks: tasks.slice(query.offset, query.offset + query.limit).map(renderTask) };
}

/** The time of the task's first status (its launch), seconds; tasks without one sort as oldest. */
const firstSeen = (task: TaskRecord): number => task.statuses[0]?.timestamp ?? 0;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
