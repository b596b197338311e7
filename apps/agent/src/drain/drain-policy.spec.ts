import type { DrainConfig, KillPolicy, TaskStatus } from '@agora/protocol';
import { drainingStatus, drainKillPolicy } from './drain-policy';

const seconds = (s: number): KillPolicy => ({ grace_period: { nanoseconds: s * 1e9 } });

describe('drainKillPolicy', () => {
  it.each<[string, DrainConfig, KillPolicy | undefined, KillPolicy | undefined]>([
    ['no maximum: the task keeps its own policy', {}, seconds(30), undefined],
    ['no maximum and no policy: the default grace', {}, undefined, undefined],
    ['a task allowed longer gets the maximum', { max_grace_period: { nanoseconds: 5e9 } }, seconds(30), seconds(5)],
    ['a task allowed less keeps its own', { max_grace_period: { nanoseconds: 5e9 } }, seconds(1), undefined],
    ['a task allowed exactly the maximum keeps its own', { max_grace_period: { nanoseconds: 5e9 } }, seconds(5), undefined],
    ['a task without a policy gets the maximum', { max_grace_period: { nanoseconds: 5e9 } }, undefined, seconds(5)],
    ['a policy without a grace period gets the maximum', { max_grace_period: { nanoseconds: 0 } }, {}, seconds(0)],
  ])('%s', (_case, config, own, expected) => {
    expect(drainKillPolicy(config, own)).toEqual(expected);
  });
});

describe('drainingStatus', () => {
  const status = (state: TaskStatus['state'], reason?: TaskStatus['reason']): TaskStatus => ({ task_id: { value: 't' }, state, ...(reason ? { reason } : {}) });

  it.each<[string, DrainConfig, TaskStatus, boolean, Partial<TaskStatus>]>([
    ['KILLED gets the draining reason', {}, status('TASK_KILLED'), false, { state: 'TASK_KILLED', reason: 'REASON_AGENT_DRAINING' }],
    ['KILLING gets it too', {}, status('TASK_KILLING'), true, { state: 'TASK_KILLING', reason: 'REASON_AGENT_DRAINING' }],
    ['an earlier reason is overwritten', {}, status('TASK_KILLED', 'REASON_COMMAND_EXECUTOR_FAILED'), false, { reason: 'REASON_AGENT_DRAINING' }],
    ['mark_gone, partition-aware: GONE_BY_OPERATOR', { mark_gone: true }, status('TASK_KILLED'), true, { state: 'TASK_GONE_BY_OPERATOR', reason: 'REASON_AGENT_DRAINING' }],
    ['mark_gone, legacy framework: still KILLED', { mark_gone: true }, status('TASK_KILLED'), false, { state: 'TASK_KILLED' }],
    ['mark_gone does not change KILLING', { mark_gone: true }, status('TASK_KILLING'), true, { state: 'TASK_KILLING' }],
  ])('%s', (_case, config, input, aware, expected) => {
    expect(drainingStatus(config, input, aware)).toMatchObject(expected);
  });

  it.each(['TASK_FINISHED', 'TASK_RUNNING', 'TASK_FAILED'] as const)('leaves %s alone', (state) => {
    const input = status(state);
    expect(drainingStatus({ mark_gone: true }, input, true)).toBe(input);
  });
});
