import type { TaskState, TaskStatus } from '@agora/protocol';
import { EXIT_KILLED, outcomeOf, TaskOutcome } from './task-outcome';

function status(state: TaskState, message?: string, reason?: TaskStatus['reason']): TaskStatus {
  return { task_id: { value: 't' }, state, message, reason };
}

describe('outcomeOf', () => {
  it.each<[string, TaskStatus, TaskOutcome]>([
    ['finished is 0', status('TASK_FINISHED', 'Command exited with status 0'), { exitCode: 0 }],
    ['finished without a message is 0', status('TASK_FINISHED'), { exitCode: 0 }],
    ['failed passes the command’s status through', status('TASK_FAILED', 'Command exited with status 3'), { exitCode: 3 }],
    ['failed with status 255', status('TASK_FAILED', 'Command exited with status 255'), { exitCode: 255 }],
    [
      'failed with a message that names no status is 1 and says why',
      status('TASK_FAILED', 'Failed to launch container', 'REASON_CONTAINER_LAUNCH_FAILED'),
      { exitCode: 1, report: 'TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED): Failed to launch container' },
    ],
    ['failed without a message is 1', status('TASK_FAILED'), { exitCode: 1, report: 'TASK_FAILED' }],
    [
      'failed with an impossible status is 1',
      status('TASK_FAILED', 'Command exited with status 300'),
      { exitCode: 1, report: 'TASK_FAILED: Command exited with status 300' },
    ],
    [
      'failed claiming status 0 is still a failure',
      status('TASK_FAILED', 'Command exited with status 0'),
      { exitCode: 1, report: 'TASK_FAILED: Command exited with status 0' },
    ],
    ['killed is 137', status('TASK_KILLED', 'Command terminated with signal Killed'), { exitCode: EXIT_KILLED, report: 'TASK_KILLED: Command terminated with signal Killed' }],
    ['lost is 1', status('TASK_LOST', 'agent removed', 'REASON_AGENT_REMOVED'), { exitCode: 1, report: 'TASK_LOST (REASON_AGENT_REMOVED): agent removed' }],
    [
      'error (invalid task) is 1',
      status('TASK_ERROR', 'Total resources cpus:5 required by task is more than available', 'REASON_TASK_INVALID'),
      { exitCode: 1, report: 'TASK_ERROR (REASON_TASK_INVALID): Total resources cpus:5 required by task is more than available' },
    ],
    ['dropped is 1', status('TASK_DROPPED'), { exitCode: 1, report: 'TASK_DROPPED' }],
    ['gone is 1', status('TASK_GONE'), { exitCode: 1, report: 'TASK_GONE' }],
    ['gone by operator is 1', status('TASK_GONE_BY_OPERATOR'), { exitCode: 1, report: 'TASK_GONE_BY_OPERATOR' }],
  ])('%s', (_case, given, expected) => {
    expect(outcomeOf(given)).toEqual(expected);
  });
});
