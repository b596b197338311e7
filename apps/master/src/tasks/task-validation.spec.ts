import type { Resource, TaskInfo } from '@agora/protocol';
import { Resources } from '@agora/resources';
import { checkLaunch, idProblem, type LaunchContext } from './task-validation';

const CTX: LaunchContext = {
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
    ['no resources', { resources: [] }, /uses no resources/],
    ['too many cpus', { resources: [scalar('cpus', 3)] }, /more than available/],
    ['resources of another role', { resources: [scalar('cpus', 1, 'ops')] }, /allocated to role 'ops'/],
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
