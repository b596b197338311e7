import type { TaskRun } from './task-run';
import { MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK, MAX_COMPLETED_FRAMEWORKS, TaskRegistry } from './task-registry';

const framework = (id: string) => ({ id: { value: id }, user: 'u', name: id });

function run(frameworkId: string, taskId: string): TaskRun {
  return {
    frameworkId,
    taskId,
    info: { name: taskId, task_id: { value: taskId }, agent_id: { value: 'a' } },
    executorId: taskId,
    containerId: `c-${taskId}`,
    state: 'TASK_FINISHED',
    phase: 'terminated',
    statuses: [],
    silenced: false,
    finished: Promise.resolve(),
  };
}

function add(registry: TaskRegistry, frameworkId: string, taskId: string): void {
  registry.rememberFramework(framework(frameworkId));
  registry.add(run(frameworkId, taskId));
}

describe('TaskRegistry', () => {
  it('keeps a framework live while it has live tasks, then lists it as completed', () => {
    const registry = new TaskRegistry();
    add(registry, 'f', 't1');
    add(registry, 'f', 't2');
    registry.complete('f', 't1');
    expect(registry.framework('f')?.runs.size).toBe(1);
    expect(registry.completedRuns('f').map((r) => r.taskId)).toEqual(['t1']);
    expect(registry.completedFrameworks()).toEqual([]);
    registry.complete('f', 't2');
    expect(registry.framework('f')).toBeUndefined();
    expect(registry.completedFrameworks().map((f) => f.runs.map((r) => r.taskId))).toEqual([['t1', 't2']]);
  });

  it('refreshes what it knows of a framework with each launch', () => {
    const registry = new TaskRegistry();
    registry.rememberFramework(framework('f'));
    registry.rememberFramework({ ...framework('f'), name: 'renamed' });
    expect(registry.framework('f')?.info.name).toBe('renamed');
  });

  it('bounds the history per framework and in frameworks, dropping the oldest', () => {
    const registry = new TaskRegistry();
    for (let i = 0; i < MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK + 5; i++) {
      add(registry, 'big', `t${i}`);
      registry.complete('big', `t${i}`);
    }
    expect(registry.completedRuns('big')).toHaveLength(MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK);
    expect(registry.completedRuns('big')[0].taskId).toBe('t5');
    for (let i = 0; i < MAX_COMPLETED_FRAMEWORKS; i++) {
      add(registry, `f${i}`, 't');
      registry.complete(`f${i}`, 't');
    }
    expect(registry.completedFrameworks()).toHaveLength(MAX_COMPLETED_FRAMEWORKS);
    expect(registry.completedRuns('big')).toEqual([]);
  });

  it('ignores completing what it does not hold', () => {
    const registry = new TaskRegistry();
    expect(() => registry.complete('nope', 'nope')).not.toThrow();
  });
});
