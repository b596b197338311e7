import { isTerminalState, stateForFramework, TASK_STATES, type TaskState } from './task-state';

describe('task states', () => {
  it.each<[TaskState, boolean]>([
    ['TASK_STAGING', false],
    ['TASK_STARTING', false],
    ['TASK_RUNNING', false],
    ['TASK_KILLING', false],
    ['TASK_UNREACHABLE', false],
    ['TASK_UNKNOWN', false],
    ['TASK_FINISHED', true],
    ['TASK_FAILED', true],
    ['TASK_KILLED', true],
    ['TASK_ERROR', true],
    ['TASK_LOST', true],
    ['TASK_DROPPED', true],
    ['TASK_GONE', true],
    ['TASK_GONE_BY_OPERATOR', true],
  ])('%s terminal: %p', (state, terminal) => {
    expect(isTerminalState(state)).toBe(terminal);
  });

  it('covers every state', () => {
    expect(TASK_STATES).toHaveLength(14);
  });

  it.each<[TaskState, TaskState, TaskState]>([
    ['TASK_UNREACHABLE', 'TASK_UNREACHABLE', 'TASK_LOST'],
    ['TASK_DROPPED', 'TASK_DROPPED', 'TASK_LOST'],
    ['TASK_GONE', 'TASK_GONE', 'TASK_LOST'],
    ['TASK_GONE_BY_OPERATOR', 'TASK_GONE_BY_OPERATOR', 'TASK_LOST'],
    ['TASK_UNKNOWN', 'TASK_UNKNOWN', 'TASK_LOST'],
    ['TASK_RUNNING', 'TASK_RUNNING', 'TASK_RUNNING'],
    ['TASK_FINISHED', 'TASK_FINISHED', 'TASK_FINISHED'],
    ['TASK_LOST', 'TASK_LOST', 'TASK_LOST'],
  ])('%s: partition-aware sees %s, legacy sees %s', (state, aware, legacy) => {
    expect(stateForFramework(state, true)).toBe(aware);
    expect(stateForFramework(state, false)).toBe(legacy);
  });
});
