import { Resources } from '@agora/resources';
import { ClusterBuilder } from '../operator-api/testing/cluster-builder';
import { clusterCapacity, consumedQuota, consumedQuotas } from './consumption';

describe('consumedQuota', () => {
  /**
   * a1: 8 cpus unreserved, 2 cpus reserved to eng; a2: 4 cpus, 1 cpu reserved to eng/web, 3 to ops.
   * eng/web runs a task on an unreserved cpu of a1 and one on its reserved cpu of a2.
   */
  function cluster(): ClusterBuilder {
    const c = new ClusterBuilder();
    c.agent('a1', { resources: 'cpus:8;mem:1024;cpus(eng):2' });
    c.agent('a2', { resources: 'cpus:4;cpus(eng/web):1;cpus(ops):3;mem(ops):64' });
    c.framework('f1', { roles: ['eng/web'] });
    c.framework('f2', { roles: ['ops'] });
    c.task('f1', 'a1', 'unreserved', { resources: 'cpus:1;mem:100' });
    c.task('f1', 'a2', 'reserved', { resources: 'cpus(eng/web):1' });
    c.task('f1', 'a1', 'finished', { resources: 'cpus:2', state: 'TASK_FINISHED' });
    c.task('f2', 'a2', 'ops-task', { resources: 'cpus(ops):2' });
    c.offer('o1', 'f1', 'a1', 'cpus:3');
    return c;
  }

  it.each<[string, string, Record<string, number>]>([
    // eng: its subtree's tasks (1 + 1 cpus, 100 mem) + unused reservations (a1: 2 for eng; a2: 1 - 1 used).
    ['a top-level role: its subtree holds and reserves', 'eng', { cpus: 4, mem: 100 }],
    ['a nested role: only its own subtree', 'eng/web', { cpus: 2, mem: 100 }],
    // ops: task on 2 reserved cpus + the third reserved cpu unused + reserved mem.
    ['reservations in use are not counted twice', 'ops', { cpus: 3, mem: 64 }],
    ['a role with nothing', 'idle', {}],
  ])('%s (%s)', (_case, role, expected) => {
    expect(consumedQuota(cluster().state, role).toRecord()).toEqual(expected);
  });

  it('ignores offers, released tasks and unreachable agents', () => {
    const c = cluster();
    // a2 becomes unreachable: its reservations leave with it, its task releases what it held.
    c.unreachable('a2');
    for (const task of c.state.allTasks()) if (task.agentId === 'a2') task.released = true;
    expect(consumedQuota(c.state, 'eng').toRecord()).toEqual({ cpus: 3, mem: 100 });
  });

  it('counts executors like tasks', () => {
    const c = cluster();
    c.state.addExecutor({
      id: 'e1',
      frameworkId: 'f1',
      agentId: 'a1',
      info: { executor_id: { value: 'e1' } },
      role: 'eng/web',
      resources: Resources.parse('cpus:0.5;mem:32').allocate('eng/web'),
    });
    expect(consumedQuota(c.state, 'eng').toRecord()).toEqual({ cpus: 4.5, mem: 132 });
  });

  it('answers many roles in one pass, the same as one at a time', () => {
    const state = cluster().state;
    const all = consumedQuotas(state, ['eng', 'eng/web', 'ops', 'idle']);
    for (const [role, q] of all) expect(q.toRecord()).toEqual(consumedQuota(state, role).toRecord());
  });
});

describe('clusterCapacity', () => {
  it('sums the non-revocable scalars of registered agents', () => {
    const c = new ClusterBuilder();
    c.agent('a1', { resources: 'cpus:8;mem:1024;ports:[31000-32000]' });
    c.agent('a2', { resources: 'cpus(eng):2;disk:100' });
    expect(clusterCapacity(c.state).toRecord()).toEqual({ cpus: 10, disk: 100, mem: 1024 });
  });
});
