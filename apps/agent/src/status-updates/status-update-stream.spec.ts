import type { TaskState, TaskStatus } from '@agora/protocol';
import { StatusUpdateStream } from './status-update-stream';

const status = (state: TaskState, uuid: string): TaskStatus & { uuid: string } => ({ task_id: { value: 't' }, state, uuid });

describe('StatusUpdateStream', () => {
  it('offers updates in order, one at a time', () => {
    const stream = new StatusUpdateStream('fw', 't');
    stream.enqueue(status('TASK_STARTING', 'a'));
    stream.enqueue(status('TASK_RUNNING', 'b'));
    expect(stream.head()?.uuid).toBe('a');
    expect(stream.acknowledge('a')).toBe('popped');
    expect(stream.head()?.uuid).toBe('b');
  });

  it('says which state is newest while older updates wait', () => {
    const stream = new StatusUpdateStream('fw', 't');
    stream.enqueue(status('TASK_RUNNING', 'a'));
    stream.enqueue(status('TASK_FINISHED', 'b'));
    expect(stream.head()?.state).toBe('TASK_RUNNING');
    expect(stream.latestState()).toBe('TASK_FINISHED');
  });

  it('drops an update queued twice', () => {
    const stream = new StatusUpdateStream('fw', 't');
    expect(stream.enqueue(status('TASK_RUNNING', 'a'))).toBe(true);
    expect(stream.enqueue(status('TASK_RUNNING', 'a'))).toBe(false);
    stream.acknowledge('a');
    expect(stream.head()).toBeUndefined();
  });

  it.each([
    ['a retried acknowledgement', ['a'], 'a', 'duplicate'],
    ['an acknowledgement of an update further back', [], 'b', 'unexpected'],
    ['an unknown uuid', [], 'zzz', 'unexpected'],
  ])('ignores %s', (_case, acked, uuid, outcome) => {
    const stream = new StatusUpdateStream('fw', 't');
    stream.enqueue(status('TASK_STARTING', 'a'));
    stream.enqueue(status('TASK_RUNNING', 'b'));
    stream.enqueue(status('TASK_FINISHED', 'c'));
    for (const u of acked) stream.acknowledge(u);
    const head = stream.head();
    expect(stream.acknowledge(uuid)).toBe(outcome);
    expect(stream.head()).toBe(head);
  });

  it('closes once the terminal update is acknowledged and nothing follows', () => {
    const stream = new StatusUpdateStream('fw', 't');
    stream.enqueue(status('TASK_RUNNING', 'a'));
    stream.enqueue(status('TASK_FAILED', 'b'));
    stream.acknowledge('a');
    expect(stream.isClosed()).toBe(false);
    stream.acknowledge('b');
    expect(stream.isClosed()).toBe(true);
  });
});
