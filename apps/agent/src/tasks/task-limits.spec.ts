import type { TaskInfo } from '@agora/protocol';
import { taskLimits, taskRequests } from './task-limits';

const task = (extra: Partial<TaskInfo>): TaskInfo => ({ name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, ...extra });
const cpus = (value: number) => ({ name: 'cpus', type: 'SCALAR' as const, scalar: { value } });
const mem = (value: number) => ({ name: 'mem', type: 'SCALAR' as const, scalar: { value } });

describe('taskLimits', () => {
  it.each([
    ['what the task asked for', task({ resources: [cpus(0.5), mem(128)] }), { cpus: 0.5, memMb: 128 }],
    ['nothing for what it did not ask for', task({ resources: [cpus(1)] }), { cpus: 1 }],
    ['its limits over its requests', task({ resources: [cpus(0.5), mem(128)], limits: { cpus: { value: 2 }, mem: { value: 256 } } }), { cpus: 2, memMb: 256 }],
    ['no limit for an infinite one', task({ resources: [cpus(0.5), mem(128)], limits: { cpus: { value: Infinity } } }), { memMb: 128 }],
    ['nothing for a task without resources', task({}), {}],
  ])('gives %s', (_case, info, expected) => {
    expect(taskLimits(info)).toEqual(expected);
  });
});

describe('taskRequests', () => {
  it.each([
    ['what the task asked for, whatever its limits', task({ resources: [cpus(0.5), mem(128)], limits: { mem: { value: Infinity } } }), { cpus: 0.5, memMb: 128 }],
    ['nothing for what it did not ask for', task({ resources: [mem(64)] }), { memMb: 64 }],
    ['nothing for a task without resources', task({}), {}],
  ])('gives %s', (_case, info, expected) => {
    expect(taskRequests(info)).toEqual(expected);
  });
});
