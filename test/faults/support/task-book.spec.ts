import { TaskBook, type TaskRecord } from './task-book';

function task(id: string): TaskRecord {
  return { id, kind: 'short', agentId: 'S1', hostname: 'agent-1', cpus: 0.1, mem: 32, launchedAt: 0, states: [] };
}

describe('TaskBook', () => {
  it('keeps a terminal state when a reconciliation answer arrives after it (the answer overtook the ACK)', () => {
    const book = new TaskBook();
    book.add(task('t1'));
    book.record('t1', 'TASK_RUNNING', undefined, 'u1', 1);
    book.record('t1', 'TASK_FINISHED', undefined, 'u2', 2);
    book.record('t1', 'TASK_GONE', 'REASON_RECONCILIATION', undefined, 3);
    const t1 = book.tasks.get('t1');
    expect(t1?.latest).toBe('TASK_FINISHED');
    expect(t1?.states).toEqual(['TASK_RUNNING', 'TASK_FINISHED', 'TASK_GONE']);
  });

  it('takes a reconciliation answer for a task not known terminal', () => {
    const book = new TaskBook();
    book.add(task('t2'));
    book.record('t2', 'TASK_RUNNING', undefined, 'u1', 1);
    book.record('t2', 'TASK_LOST', 'REASON_RECONCILIATION', undefined, 2);
    expect(book.tasks.get('t2')?.latest).toBe('TASK_LOST');
  });

  it('counts an update that comes again after its acknowledgement as a redelivery', () => {
    const book = new TaskBook();
    book.add(task('t3'));
    book.record('t3', 'TASK_FINISHED', undefined, 'u9', 1);
    book.acknowledged('u9', 2);
    book.record('t3', 'TASK_FINISHED', undefined, 'u9', 3);
    expect(book.redeliveries).toEqual([{ taskId: 't3', state: 'TASK_FINISHED', uuid: 'u9', ackedAt: 2, at: 3 }]);
  });
});
