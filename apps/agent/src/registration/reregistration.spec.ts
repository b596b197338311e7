import type { AgentTask, TaskState } from '@agora/protocol';
import { encodeBusMessage } from '@agora/protocol';
import type { LaunchedFramework } from '../tasks/task-run';
import { buildReregistration, type ReregistrationTask } from './reregistration';

const base = { agent_info: { hostname: 'h', id: { value: 'a-S0' } }, version: '0.1.0', capabilities: ['MULTI_ROLE'], ip: '127.0.0.1' };
const framework = (id: string): LaunchedFramework => ({ id: { value: id }, user: 'u', name: `framework ${id}` });

function task(id: string, state: TaskState, fw = 'fw1', padding = 0): ReregistrationTask {
  const t: AgentTask = {
    framework_id: { value: fw },
    task: { name: id, task_id: { value: id }, agent_id: { value: 'a-S0' }, command: { value: `echo ${'x'.repeat(padding)}` } },
    state,
  };
  return { framework: framework(fw), task: t };
}

describe('buildReregistration', () => {
  it('lists every task and each framework once when they fit', () => {
    const { message, omitted } = buildReregistration(base, [task('t1', 'TASK_RUNNING'), task('t2', 'TASK_RUNNING', 'fw2'), task('t3', 'TASK_FINISHED')]);
    expect(omitted).toBe(0);
    expect(message.tasks?.map((t) => t.task.task_id.value)).toEqual(['t1', 't2', 't3']);
    expect(message.frameworks?.map((f) => f.id?.value)).toEqual(['fw1', 'fw2']);
  });

  it('puts running tasks before finished ones', () => {
    const { message } = buildReregistration(base, [task('done', 'TASK_FINISHED'), task('live', 'TASK_RUNNING')]);
    expect(message.tasks?.map((t) => t.task.task_id.value)).toEqual(['live', 'done']);
  });

  it('leaves out what does not fit in one bus message, and what it builds always encodes', () => {
    const many = Array.from({ length: 400 }, (_, i) => task(`t${i}`, 'TASK_RUNNING', `fw${i % 7}`, 200));
    const { message, omitted } = buildReregistration(base, many);
    expect(omitted).toBeGreaterThan(0);
    expect((message.tasks?.length ?? 0) + omitted).toBe(400);
    expect(() => encodeBusMessage('reregister', message)).not.toThrow();
  });

  it('computes sizes exactly: a limit one byte larger than the message fits it', () => {
    const tasks = [task('t1', 'TASK_RUNNING'), task('t2', 'TASK_RUNNING', 'fw2')];
    const full = buildReregistration(base, tasks).message;
    const bytes = new TextEncoder().encode(JSON.stringify(full)).length;
    expect(buildReregistration(base, tasks, bytes + 1).omitted).toBe(0);
    expect(buildReregistration(base, tasks, bytes).omitted).toBe(1);
  });
});
