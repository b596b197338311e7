/**
 * Custom and default executors in the agent's `/state`, as Mesos's agent writes them
 * (`ExecutorWriter`, src/slave/http.cpp): id, name, source, container, directory (the sandbox
 * tools follow), resources (the executor's own plus its unfinished tasks'), role, labels, type,
 * and the tasks it runs, still waits to hand over (`queued_tasks`) and finished. Merged into the
 * frameworks the command executor's tasks produce, since one framework may have both. Pure.
 */
import type { Labels } from '@agora/protocol';
import { fromV1, Resources, toV0 } from '@agora/resources';
import { type ExecutorJson, type FrameworkJson, frameworkJson, taskJson } from '../state/state-model';
import type { ExecutorFramework, CompletedExecutors } from './executor-registry';
import type { ExecutorRun } from './executor-run';

export type CustomExecutorJson = ExecutorJson & { role?: string; labels?: Labels };

export function executorRunJson(run: ExecutorRun, agentId: string): CustomExecutorJson {
  const live = [...run.tasks.values()];
  const unfinished = live.filter((t) => t.phase !== 'terminated');
  const finished = [...live.filter((t) => t.phase === 'terminated'), ...run.completedTasks];
  const role = run.info.resources?.find((r) => r.allocation_info?.role !== undefined)?.allocation_info?.role;
  return {
    id: run.executorId,
    name: run.info.name ?? '',
    source: '',
    container: run.containerId,
    directory: run.directory ?? '',
    resources: toV0(allocated(run)),
    ...(role !== undefined ? { role } : {}),
    ...(run.info.labels !== undefined ? { labels: run.info.labels } : {}),
    type: run.info.type ?? 'CUSTOM',
    tasks: unfinished.filter((t) => t.phase === 'running').map((t) => taskJson(t, agentId)),
    queued_tasks: unfinished.filter((t) => t.phase === 'launching').map((t) => taskJson(t, agentId)),
    completed_tasks: finished.map((t) => taskJson(t, agentId)),
  };
}

/** The executor's resources and those of its unfinished tasks (Mesos `allocatedResources`). */
function allocated(run: ExecutorRun): Resources {
  const parts = [run.info.resources ?? [], ...[...run.tasks.values()].filter((t) => t.phase !== 'terminated').map((t) => t.info.resources ?? [])];
  try {
    return Resources.sum(parts.map((p) => fromV1(p)));
  } catch {
    return Resources.sum([]);
  }
}

export interface ExecutorStateSource {
  frameworks(): ExecutorFramework[];
  completedExecutors(frameworkId: string): readonly ExecutorRun[];
  completedFrameworks(): CompletedExecutors[];
}

/**
 * `frameworks` and `completed_frameworks` of /state with the executors of `source` added: to a
 * framework already listed, or as a framework of its own. A framework live here but completed
 * for the command executor moves to the live list.
 */
export function withExecutors(
  state: { frameworks: FrameworkJson[]; completed: FrameworkJson[] },
  source: ExecutorStateSource,
  agentId: string,
): { frameworks: FrameworkJson[]; completed: FrameworkJson[] } {
  const frameworks = [...state.frameworks];
  let completed = [...state.completed];
  for (const f of source.frameworks()) {
    const id = f.info.id.value;
    const executors = [...f.executors.values()].map((run) => executorRunJson(run, agentId));
    const done = source.completedExecutors(id).map((run) => executorRunJson(run, agentId));
    let entry = frameworks.find((j) => j.id === id);
    if (entry === undefined) {
      const old = completed.find((j) => j.id === id);
      completed = completed.filter((j) => j !== old);
      entry = frameworkJson(f.info, [], old?.completed_executors ?? []);
      frameworks.push(entry);
    }
    entry.executors.push(...executors);
    entry.completed_executors.push(...done);
  }
  for (const f of source.completedFrameworks()) {
    const done = f.executors.map((run) => executorRunJson(run, agentId));
    const entry = frameworks.find((j) => j.id === f.info.id.value) ?? completed.find((j) => j.id === f.info.id.value);
    if (entry !== undefined) entry.completed_executors.push(...done);
    else completed.push(frameworkJson(f.info, [], done));
  }
  return { frameworks, completed };
}
