import type { TaskState } from '@agora/protocol';
import { agentRecovery, type AgentRecovery, lostState, type RecoverMode, taskRecovery, type TaskRecovery } from './recovery-plan';

describe('agentRecovery', () => {
  it.each<[RecoverMode, 'none' | 'same-resources' | 'other-resources', AgentRecovery]>([
    ['reconnect', 'same-resources', 'reconnect'],
    ['cleanup', 'same-resources', 'cleanup'],
    ['reconnect', 'none', 'fresh'],
    ['reconnect', 'other-resources', 'fresh'],
    ['cleanup', 'other-resources', 'fresh'],
  ])('--recover=%s with %s meta: %s', (mode, meta, expected) => {
    expect(agentRecovery(mode, meta)).toBe(expected);
  });
});

describe('taskRecovery', () => {
  const states = (...s: TaskState[]) => s.map((state) => ({ state }));
  it.each<[string, boolean, TaskState[], TaskRecovery]>([
    ['a running task: its run is looked for', true, ['TASK_STARTING', 'TASK_RUNNING'], 'recover'],
    ['a task whose terminal update is journaled: only delivery is left', true, ['TASK_RUNNING', 'TASK_FAILED'], 'deliver'],
    ['a task killed before the agent went, its KILLED journaled', true, ['TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED'], 'deliver'],
    ['a task the agent left while launching', false, ['TASK_STARTING'], 'lost-launching'],
    ['a task with no update yet', false, [], 'lost-launching'],
    ['a health update after RUNNING is not terminal', true, ['TASK_RUNNING', 'TASK_RUNNING'], 'recover'],
  ])('%s', (_case, launched, journaled, expected) => {
    expect(taskRecovery({ launched, statuses: states(...journaled) })).toBe(expected);
  });
});

describe('lostState', () => {
  it.each<[boolean, TaskState]>([
    [true, 'TASK_GONE'],
    [false, 'TASK_LOST'],
  ])('partition aware %s: %s', (aware, state) => {
    expect(lostState(aware)).toBe(state);
  });
});
