import type { Resource, TaskInfo } from '@agora/protocol';
import { Resources } from '@agora/resources';
import { checkGroup, checkLaunch, idProblem, type LaunchContext } from './task-validation';

const CTX: LaunchContext = {
  frameworkId: 'F1',
  executors: new Map(),
  agentId: 'S1',
  role: 'eng',
  taskIds: new Set(['taken']),
  available: Resources.parse('cpus:2;mem:1024').allocate('eng'),
};

const scalar = (name: string, value: number, role?: string): Resource => ({
  name,
  type: 'SCALAR',
  scalar: { value },
  ...(role ? { allocation_info: { role } } : {}),
});

function task(extra: Partial<TaskInfo> = {}): TaskInfo {
  return {
    name: 't',
    task_id: { value: 't1' },
    agent_id: { value: 'S1' },
    resources: [scalar('cpus', 1), scalar('mem', 128)],
    command: { value: 'true' },
    ...extra,
  };
}

describe('checkLaunch', () => {
  it('accepts a task that fits, tagging its resources with the offers role', () => {
    const check = checkLaunch(task(), CTX);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.resources.equals(Resources.parse('cpus:1;mem:128').allocate('eng'))).toBe(true);
  });

  it.each<[string, Partial<TaskInfo>, RegExp]>([
    ['an empty id', { task_id: { value: '' } }, /must not be empty/],
    ['a slash in the id', { task_id: { value: 'a/b' } }, /invalid characters/],
    ['the id ..', { task_id: { value: '..' } }, /disallowed/],
    ['a duplicate id', { task_id: { value: 'taken' } }, /duplicate ID: taken/],
    ['another agent', { agent_id: { value: 'S2' } }, /invalid agent: S2/],
    ['no command nor executor', { command: undefined }, /at least one \(but not both\)/],
    ['both command and executor', { executor: { executor_id: { value: 'e' } } as TaskInfo['executor'] }, /at least one \(but not both\)/],
    ['a shell command without value', { command: { shell: true } }, /command.value' is required/],
    ['a negative grace period', { kill_policy: { grace_period: { nanoseconds: -1 } } }, /non-negative/],
    ['an HTTP health check without a port', { health_check: { type: 'HTTP', http: { path: '/' } } as TaskInfo['health_check'] }, /invalid health check: Expecting 'http.port'/],
    ['a health check with a negative interval', { health_check: { type: 'TCP', tcp: { port: 80 }, interval_seconds: -1 } }, /invalid health check: Expecting 'interval_seconds' to be non-negative/],
    ['no resources', { resources: [] }, /uses no resources/],
    ['too many cpus', { resources: [scalar('cpus', 3)] }, /more than available/],
    ['resources of another role', { resources: [scalar('cpus', 1, 'ops')] }, /allocated to role 'ops'/],
    ['an executor of another framework', { command: undefined, executor: { executor_id: { value: 'e' }, framework_id: { value: 'F2' } } }, /invalid FrameworkID/],
    ['a DEFAULT executor in a LAUNCH', { command: undefined, executor: { executor_id: { value: 'e' }, type: 'DEFAULT' } }, /LAUNCH_GROUP/],
    ['a negative scalar', { resources: [scalar('cpus', -1)] }, /invalid resources/],
  ])('refuses %s', (_edge, extra, message) => {
    const check = checkLaunch(task(extra), CTX);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });
});

describe('idProblem', () => {
  it.each([['ok-1', undefined], ['x'.repeat(256), /longer than 255/], ['tab\tin', /invalid characters/]])('%s', (id, expected) => {
    const problem = idProblem('Task', id as string);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected as RegExp);
  });
});

describe('executors', () => {
  const exec = { executor_id: { value: 'e1' }, command: { value: './executor' }, resources: [scalar('cpus', 0.5), scalar('mem', 64)] };

  it('charges a new executor its resources once, and a running one nothing', () => {
    const first = checkLaunch(task({ command: undefined, executor: exec }), CTX);
    expect(first.ok && first.executorResources.equals(Resources.parse('cpus:0.5;mem:64').allocate('eng'))).toBe(true);
    const again = checkLaunch(task({ command: undefined, executor: exec }), { ...CTX, executors: new Map([['e1', { info: exec }]]) });
    expect(again.ok && again.executorResources.isEmpty()).toBe(true);
  });

  it('refuses an executor id reused with another command', () => {
    const other = { ...exec, command: { value: './other' } };
    const check = checkLaunch(task({ command: undefined, executor: other }), { ...CTX, executors: new Map([['e1', { info: exec }]]) });
    expect(!check.ok && check.message).toMatch(/not compatible/);
  });
});

describe('checkGroup', () => {
  const executor = { executor_id: { value: 'default' }, type: 'DEFAULT' as const, resources: [scalar('cpus', 0.1), scalar('mem', 32)] };
  const member = (id: string, cpus = 0.5): TaskInfo => task({ task_id: { value: id }, resources: [scalar('cpus', cpus), scalar('mem', 64)] });

  it('accepts a group that fits with its executor', () => {
    const check = checkGroup(executor, [member('a'), member('b')], CTX);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.resources.equals(Resources.parse('cpus:1.1;mem:160').allocate('eng'))).toBe(true);
  });

  it.each<[string, Parameters<typeof checkGroup>, RegExp]>([
    ['a CUSTOM executor', [{ ...executor, type: 'CUSTOM' }, [member('a')], CTX], /must be 'DEFAULT'/],
    ['no tasks', [executor, [], CTX], /empty/],
    ['a duplicate id inside the group', [executor, [member('a'), member('a')], CTX], /duplicate ID: a/],
    ['a task with an executor', [executor, [{ ...member('a'), command: undefined, executor }], CTX], /must not be set in a task group/],
    ['more than the offers hold', [executor, [member('a', 1), member('b', 1)], CTX], /more than available/],
  ])('refuses %s', (_edge, args, message) => {
    const check = checkGroup(...args);
    expect(!check.ok && check.message).toMatch(message);
  });
});
