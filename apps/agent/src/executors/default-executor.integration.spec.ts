import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { type TaskInfo, TaskStatusReason } from '@agora/protocol';
import { CPUS, type ExecutorHarness, startExecutorHarness } from './testing/executor-harness';

/**
 * Task groups (LAUNCH_GROUP) on the built-in default executor, driven through the bus as the
 * master would (the fake master sends `run-task-group`); real processes via the process driver.
 */
describe('task groups on the default executor', () => {
  let h: ExecutorHarness;

  beforeEach(async () => {
    h = await startExecutorHarness();
  });

  afterEach(async () => {
    await h?.close();
  });

  const task = (id: string, command: string, extra: Partial<TaskInfo> = {}): TaskInfo => ({
    name: id,
    task_id: { value: id },
    agent_id: { value: h.master.agentId },
    resources: [CPUS(0.1)],
    command: { value: command },
    ...extra,
  });

  const runGroup = (tasks: TaskInfo[], executorId = 'group-executor'): void =>
    h.master.send('run-task-group', {
      framework: { id: { value: h.frameworkId }, user: 'root', name: 'test-framework' },
      executor: { executor_id: { value: executorId }, type: 'DEFAULT', framework_id: { value: h.frameworkId }, resources: [CPUS(0.1)] },
      task_group: { tasks },
    });

  const terminal = (ids: string[]) => () => ids.every((id) => h.master.distinctStates(id).some((s) => ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED'].includes(s)));

  it('runs the group together; when one task fails, the others are killed', async () => {
    runGroup([task('a', 'sleep 60'), task('b', 'sleep 60'), task('c', 'sleep 0.2; exit 3')]);
    await h.master.until(terminal(['a', 'b', 'c']));
    expect(h.master.distinctStates('c')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
    expect(h.master.distinctStates('a')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
    expect(h.master.distinctStates('b')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
    const failed = h.master.updates.find((u) => u.status.task_id.value === 'c' && u.status.state === 'TASK_FAILED');
    expect(failed?.status).toMatchObject({ source: 'SOURCE_EXECUTOR', message: 'Command exited with status 3', executor_id: { value: 'group-executor' } });
    // Every task's container is nested under the executor's.
    const parent = failed?.status.container_status?.container_id?.parent?.value;
    expect(parent).toMatch(/^[0-9a-f-]{36}$/);
    // With its last task the executor is gone: the master hears it exited (status 0).
    await h.master.until(() => h.master.executorExits.length === 1);
    expect(h.master.executorExits[0]).toMatchObject({ executor_id: { value: 'group-executor' }, status: 0 });
  });

  it('kills the whole group when one of its tasks is killed', async () => {
    runGroup([task('k1', 'sleep 60'), task('k2', 'sleep 60')]);
    await h.master.until(() => ['k1', 'k2'].every((id) => h.master.distinctStates(id).includes('TASK_RUNNING')));
    h.master.send('kill-task', { framework_id: { value: h.frameworkId }, task_id: { value: 'k1' } });
    await h.master.until(terminal(['k1', 'k2']));
    expect(h.master.distinctStates('k1')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
    expect(h.master.distinctStates('k2')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
  });

  it('lets the others run when a task finishes, and shows the executor and its tasks in /state', async () => {
    runGroup([task('done', 'echo hello from the group'), task('long', 'sleep 60')]);
    await h.master.until(() => h.master.distinctStates('done').includes('TASK_FINISHED'));
    expect(h.master.distinctStates('long')).toEqual(['TASK_STARTING', 'TASK_RUNNING']);

    const state = await h.state();
    const executor = state.frameworks.find((f) => f.id === h.frameworkId)?.executors.find((e) => e.id === 'group-executor');
    expect(executor).toMatchObject({ type: 'DEFAULT', resources: { cpus: 0.2 } });
    expect(executor?.directory).toBe(join(h.workDir, 'slaves', h.master.agentId, 'frameworks', h.frameworkId, 'executors', 'group-executor', 'runs', executor?.container ?? ''));
    expect(executor?.tasks.map((t) => [t.id, t.state])).toEqual([['long', 'TASK_RUNNING']]);
    expect(executor?.completed_tasks.map((t) => [t.id, t.state])).toEqual([['done', 'TASK_FINISHED']]);
    // Each task has its sandbox under the executor's, as Mesos's default executor lays them out.
    expect(await readFile(join(executor?.directory ?? '', 'tasks', 'done', 'stdout'), 'utf8')).toBe('hello from the group\n');

    h.master.send('shutdown-executor', { framework_id: { value: h.frameworkId }, executor_id: { value: 'group-executor' } });
    await h.master.until(() => h.master.distinctStates('long').includes('TASK_KILLED'));
    await h.master.until(() => h.master.executorExits.length === 1);
  });

  it('fails the whole group when one task cannot be launched', async () => {
    runGroup([task('ok', 'sleep 60'), { ...task('bad', ''), command: undefined }]);
    await h.master.until(terminal(['ok', 'bad']));
    expect(h.master.distinctStates('bad')).toEqual(['TASK_FAILED']);
    expect(h.master.distinctStates('ok')).toEqual(['TASK_FAILED']);
    const ok = h.master.updates.find((u) => u.status.task_id.value === 'ok');
    expect(ok?.status).toMatchObject({ reason: TaskStatusReason.TASK_GROUP_INVALID, message: 'Another task of its group cannot be launched: The task has neither a command nor an executor' });
  });
});
