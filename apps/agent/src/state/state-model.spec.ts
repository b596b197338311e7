import type { TaskRun } from '../tasks/task-run';
import { commandExecutorName, executorJson, frameworkJson, taskJson } from './state-model';

function run(overrides: Partial<TaskRun> = {}): TaskRun {
  return {
    frameworkId: 'fw',
    taskId: 'web-1',
    info: {
      name: 'web',
      task_id: { value: 'web-1' },
      agent_id: { value: 'a-S1' },
      command: { value: 'python3 -m http.server' },
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, allocation_info: { role: 'eng' } }],
    },
    executorId: 'web-1',
    containerId: 'c-1',
    directory: '/work/slaves/a-S1/frameworks/fw/executors/web-1/runs/c-1',
    state: 'TASK_RUNNING',
    phase: 'running',
    statuses: [{ task_id: { value: 'web-1' }, state: 'TASK_RUNNING', timestamp: 12.5, uuid: 'x', container_status: { container_id: { value: 'c-1' } } }],
    silenced: false,
    finished: Promise.resolve(),
    ...overrides,
  };
}

describe('agent /state model', () => {
  it('describes a task in v0 form', () => {
    expect(taskJson(run(), 'a-S1')).toEqual({
      id: 'web-1',
      name: 'web',
      framework_id: 'fw',
      executor_id: 'web-1',
      slave_id: 'a-S1',
      state: 'TASK_RUNNING',
      resources: { cpus: 0.5, mem: 0, disk: 0, gpus: 0 },
      role: 'eng',
      statuses: [{ state: 'TASK_RUNNING', timestamp: 12.5, container_status: { container_id: { value: 'c-1' } } }],
    });
  });

  it('gives each command task an executor with its sandbox directory', () => {
    expect(executorJson(run(), 'a-S1')).toMatchObject({
      id: 'web-1',
      name: "Command Executor (Task: web-1) (Command: sh -c 'python3 -m h...')",
      source: 'web-1',
      container: 'c-1',
      directory: '/work/slaves/a-S1/frameworks/fw/executors/web-1/runs/c-1',
      type: 'COMMAND',
      tasks: [expect.objectContaining({ id: 'web-1' })],
      queued_tasks: [],
      completed_tasks: [],
    });
  });

  it.each([
    [{ value: 'sleep 5' }, "Command Executor (Task: t) (Command: sh -c 'sleep 5')"],
    [{ value: 'python3 -m http.server' }, "Command Executor (Task: t) (Command: sh -c 'python3 -m h...')"],
    [{ shell: false, value: '/bin/ls', arguments: ['ls', '-l', '-a'] }, 'Command Executor (Task: t) (Command: [/bin/ls, ls,...])'],
    [{ shell: false, value: '/bin/ls' }, 'Command Executor (Task: t) (Command: [/bin/ls])'],
    [{}, 'Command Executor (Task: t) (Command: NO COMMAND)'],
  ])('names the executor of %j as Mesos does', (command, name) => {
    expect(commandExecutorName({ name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, command })).toBe(name);
  });

  it.each([
    ['launching', 'queued_tasks'],
    ['terminated', 'completed_tasks'],
  ] as const)('lists a %s task under %s', (phase, list) => {
    const json = executorJson(run({ phase }), 'a-S1');
    expect(json[list]).toHaveLength(1);
    expect([...json.tasks, ...json.queued_tasks, ...json.completed_tasks]).toHaveLength(1);
  });

  it('describes a framework with its capabilities as strings', () => {
    expect(
      frameworkJson({ id: { value: 'fw' }, user: 'u', name: 'n', capabilities: [{ type: 'TASK_KILLING_STATE' }], roles: ['eng'] }, [], []),
    ).toEqual({
      id: 'fw',
      name: 'n',
      user: 'u',
      failover_timeout: 0,
      checkpoint: false,
      hostname: '',
      roles: ['eng'],
      capabilities: ['TASK_KILLING_STATE'],
      executors: [],
      completed_executors: [],
    });
  });
});
