import type { ExecutorInfo } from '@agora/protocol';
import type { LaunchedFramework, TaskRun } from '../tasks/task-run';
import { type FrameworkJson, frameworkJson } from '../state/state-model';
import type { ExecutorRun } from './executor-run';
import { executorRunJson, type ExecutorStateSource, withExecutors } from './executor-state';
import { waitStatus } from './executor-reporter';

const fw = (id: string): LaunchedFramework => ({ id: { value: id }, user: 'u', name: id });
const cpus = (value: number) => [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value } }];

function task(id: string, phase: TaskRun['phase'], state: TaskRun['state']): TaskRun {
  return {
    frameworkId: 'f',
    taskId: id,
    info: { name: id, task_id: { value: id }, agent_id: { value: 'a' }, resources: cpus(1) },
    executorId: 'e',
    containerId: 'c',
    state,
    phase,
    statuses: [],
    silenced: false,
    finished: Promise.resolve(),
  };
}

function run(frameworkId: string, executorId: string, tasks: TaskRun[] = [], info: Partial<ExecutorInfo> = {}): ExecutorRun {
  return {
    kind: 'custom',
    frameworkId,
    executorId,
    containerId: `container-${executorId}`,
    info: { executor_id: { value: executorId }, resources: cpus(0.5), name: `executor ${executorId}`, ...info },
    phase: 'running',
    directory: `/sandbox/${executorId}`,
    tasks: new Map(tasks.map((t) => [t.taskId, t])),
    completedTasks: [],
    everSentTask: true,
    groups: [],
    timers: [],
    silenced: false,
    ended: Promise.resolve(),
  };
}

describe('executorRunJson', () => {
  it('splits tasks into running, queued and completed, and counts the unfinished ones in the resources', () => {
    const r = run('f', 'e', [task('running', 'running', 'TASK_RUNNING'), task('queued', 'launching', 'TASK_STAGING'), task('done', 'terminated', 'TASK_FINISHED')], {
      labels: { labels: [{ key: 'k', value: 'v' }] },
    });
    r.completedTasks.push(task('acked', 'terminated', 'TASK_KILLED'));
    const json = executorRunJson(r, 'a');
    expect(json).toMatchObject({
      id: 'e',
      name: 'executor e',
      source: '',
      container: 'container-e',
      directory: '/sandbox/e',
      type: 'CUSTOM',
      labels: { labels: [{ key: 'k', value: 'v' }] },
      resources: { cpus: 2.5 },
    });
    expect(json.tasks.map((t) => t.id)).toEqual(['running']);
    expect(json.queued_tasks.map((t) => t.id)).toEqual(['queued']);
    expect(json.completed_tasks.map((t) => t.id)).toEqual(['done', 'acked']);
  });
});

describe('withExecutors', () => {
  const source = (live: ExecutorRun[], completed: ExecutorRun[] = []): ExecutorStateSource => ({
    frameworks: () => [...new Set(live.map((r) => r.frameworkId))].map((id) => ({ info: fw(id), executors: new Map(live.filter((r) => r.frameworkId === id).map((r) => [r.executorId, r])) })),
    completedExecutors: (id) => completed.filter((r) => r.frameworkId === id && live.some((l) => l.frameworkId === id)),
    completedFrameworks: () => [...new Set(completed.map((r) => r.frameworkId))].filter((id) => !live.some((l) => l.frameworkId === id)).map((id) => ({ info: fw(id), executors: completed.filter((r) => r.frameworkId === id) })),
  });
  const ids = (list: FrameworkJson[]) => list.map((f) => [f.id, f.executors.map((e) => e.id), f.completed_executors.map((e) => e.id)]);

  it.each<[string, { frameworks: FrameworkJson[]; completed: FrameworkJson[] }, ExecutorStateSource, unknown, unknown]>([
    ['joins a framework the command executor lists', { frameworks: [frameworkJson(fw('f'), [], [])], completed: [] }, source([run('f', 'e')]), [['f', ['e'], []]], []],
    ['adds a framework of its own', { frameworks: [], completed: [] }, source([run('f', 'e')]), [['f', ['e'], []]], []],
    ['revives a framework completed for the command executor', { frameworks: [], completed: [frameworkJson(fw('f'), [], [])] }, source([run('f', 'e')]), [['f', ['e'], []]], []],
    ['adds completed executors to a live framework', { frameworks: [frameworkJson(fw('f'), [], [])], completed: [] }, source([], [run('f', 'old')]), [['f', [], ['old']]], []],
    ['adds a completed framework of its own', { frameworks: [], completed: [] }, source([], [run('f', 'old')]), [], [['f', [], ['old']]]],
  ])('%s', (_case, state, executors, live, completed) => {
    const merged = withExecutors(state, executors, 'a');
    expect(ids(merged.frameworks)).toEqual(live);
    expect(ids(merged.completed)).toEqual(completed);
  });
});

describe('waitStatus: the executor status of FAILURE, as Mesos reports it', () => {
  it.each<[Parameters<typeof waitStatus>[0], number]>([
    [{ kind: 'exited', code: 0 }, 0],
    [{ kind: 'exited', code: 3 }, 768],
    [{ kind: 'signaled', signal: 'SIGKILL' }, 9],
    [{ kind: 'signaled', signal: 'SIGTERM' }, 15],
  ])('%j is %d', (exit, status) => {
    expect(waitStatus(exit)).toBe(status);
  });
});
