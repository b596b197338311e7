import fc from 'fast-check';
import { fromV1, ResourceQuantities, Resources } from '@agora/resources';
import { renderState } from '../../render/state';
import { ClusterBuilder, TEST_BUILD, TEST_CONFIG, TEST_HOST, testMaster } from '../../testing/cluster-builder';
import { stateViews } from '../../testing/state-agreement';
import {
  renderGetExecutors,
  renderGetFlags,
  renderGetMaster,
  renderGetMetrics,
  renderGetRoles,
  renderGetState,
  renderGetTasks,
  renderGetVersion,
} from './responses';

/** Two agents (one gone unreachable), two frameworks, tasks in every list, offers, a completed framework. */
function busyCluster(): ClusterBuilder {
  const c = new ClusterBuilder();
  c.agent('a1', { resources: 'cpus:8;mem:4096;cpus(web):2' });
  c.agent('a2', { resources: 'cpus:4;mem:2048;ports:[31000-32000]', active: false });
  c.agent('a3');
  c.framework('f1', { roles: ['web'], capabilities: ['PARTITION_AWARE'] });
  c.framework('f2', { roles: ['batch', 'web'], capabilities: ['MULTI_ROLE'] });
  c.framework('old');
  c.task('f1', 'a1', 'running', { resources: 'cpus(web):1;mem:128' });
  c.task('f1', 'a2', 'staging', { state: 'TASK_STAGING' });
  c.task('f2', 'a2', 'killing', { state: 'TASK_KILLING', role: 'batch', resources: 'cpus:2;ports:[31000-31001]' });
  c.task('f2', 'a1', 'failed-unacked', { state: 'TASK_FAILED', role: 'batch' });
  c.task('f2', 'a3', 'partitioned', { state: 'TASK_UNREACHABLE', role: 'web' });
  c.completedTask('f1', 'a1', 'finished');
  c.completedTask('old', 'a1', 'old-task', { state: 'TASK_KILLED' });
  c.completeFramework('old');
  c.unreachable('a3');
  c.offer('o1', 'f1', 'a1', 'cpus:2;mem:512');
  c.offer('o2', 'f2', 'a2', 'cpus:1', 'batch');
  return c;
}

describe('v1 responses', () => {
  it('GET_STATE agrees with /state: agents, frameworks, tasks, states and resources', () => {
    const c = busyCluster();
    const views = stateViews(renderState({ cluster: c.state, master: testMaster(), config: TEST_CONFIG, build: TEST_BUILD }), renderGetState(c.state));
    expect(views.v1).toEqual(views.v0);
    expect((views.v1 as { tasks: unknown[] }).tasks).toHaveLength(4);
  });

  it('GET_STATE agrees with /state on random clusters', () => {
    const states = ['TASK_STAGING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_UNREACHABLE'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ fw: fc.integer({ min: 0, max: 2 }), agent: fc.nat(), state: fc.constantFrom(...states), cpus: fc.integer({ min: 1, max: 3 }), completed: fc.boolean() }), { maxLength: 12 }),
        fc.array(fc.record({ fw: fc.integer({ min: 0, max: 2 }), agent: fc.nat(), cpus: fc.integer({ min: 1, max: 3 }) }), { maxLength: 4 }),
        (agents, tasks, offers) => {
          const c = new ClusterBuilder();
          for (let i = 0; i < agents; i++) c.agent(`a${i}`, { resources: 'cpus:16;mem:1024' });
          for (const f of ['f0', 'f1', 'f2']) c.framework(f, { roles: [f === 'f2' ? 'batch' : 'web'] });
          tasks.forEach((t, i) => {
            const args = [`f${t.fw}`, `a${t.agent % agents}`, `t${i}`, { state: t.state, resources: `cpus:${t.cpus}` }] as const;
            if (t.completed) c.completedTask(args[0], args[1], args[2], { resources: args[3].resources });
            else c.task(...args);
          });
          offers.forEach((o, i) => c.offer(`o${i}`, `f${o.fw}`, `a${o.agent % agents}`, `cpus:${o.cpus}`));
          const views = stateViews(renderState({ cluster: c.state, master: testMaster(), config: TEST_CONFIG, build: TEST_BUILD }), renderGetState(c.state));
          expect(views.v1).toEqual(views.v0);
        },
      ),
    );
  });

  it('GET_TASKS: live tasks (terminal ones not yet acknowledged included), unreachable, completed of every framework', () => {
    const tasks = renderGetTasks(busyCluster().state);
    const ids = (list: { task_id: { value: string } }[]) => list.map((t) => t.task_id.value).sort();
    expect(ids(tasks.tasks)).toEqual(['failed-unacked', 'killing', 'running', 'staging']);
    expect(ids(tasks.unreachable_tasks)).toEqual(['partitioned']);
    expect(ids(tasks.completed_tasks)).toEqual(['finished', 'old-task']);
  });

  it('GET_EXECUTORS lists custom and default executors with their agents', () => {
    const c = busyCluster();
    c.state.addExecutor({ id: 'e1', frameworkId: 'f1', agentId: 'a1', role: 'web', resources: Resources.EMPTY, info: { executor_id: { value: 'e1' } } });
    expect(renderGetExecutors(c.state)).toEqual({ executors: [{ executor_info: { executor_id: { value: 'e1' }, framework_id: { value: 'f1' } }, agent_id: { value: 'a1' } }] });
    expect(renderGetExecutors(new ClusterBuilder().state)).toEqual({ executors: [] });
  });

  it('GET_ROLES: the roles /roles lists, weights from the settings, frameworks as ids, allocated + offered as v1 resources', () => {
    const c = busyCluster();
    const settings = { weights: [{ role: 'web', weight: 2.5 }], quotas: [{ role: 'ops', guarantees: ResourceQuantities.parse('cpus:1'), limits: ResourceQuantities.EMPTY }] };
    const { roles } = renderGetRoles(c.state, { roles: [] }, settings);
    expect(roles.map((r) => r.name)).toEqual(['batch', 'ops', 'web']);
    const web = roles.find((r) => r.name === 'web');
    expect(web).toMatchObject({ weight: 2.5, frameworks: [{ value: 'f1' }, { value: 'f2' }] });
    // Tasks running and staging (1 reserved + 1 cpus, 2 × 128 mem) and the offer o1 (2 cpus, 512 mem).
    expect(fromV1(web?.resources ?? []).quantities().toRecord()).toEqual({ cpus: 4, mem: 768 });
    expect(roles.find((r) => r.name === 'ops')).toEqual({ name: 'ops', weight: 1, frameworks: [], resources: [] });
  });

  it('GET_MASTER, GET_FLAGS, GET_VERSION, GET_METRICS', () => {
    const master = testMaster();
    expect(renderGetMaster(master)).toEqual({ master_info: master.info(), start_time: 0.5, elected_time: 0.6 });
    expect(renderGetFlags(TEST_CONFIG, master).flags).toContainEqual({ name: 'allocation_interval', value: '1secs' });
    expect(renderGetVersion(TEST_BUILD)).toEqual({
      version_info: { version: '1.11.0', build_date: TEST_BUILD.date, build_time: TEST_BUILD.time, build_user: 'builder' },
    });
    const { metrics } = renderGetMetrics({
      cluster: busyCluster().state,
      master,
      counters: { 'master/slave_registrations': 3 },
      allocator: { roles: [], cycles: 7 },
      host: TEST_HOST,
      now: 10_500,
    });
    expect(metrics).toContainEqual({ name: 'master/slave_registrations', value: 3 });
    expect(metrics).toContainEqual({ name: 'master/uptime_secs', value: 10 });
    expect(metrics.every((m) => typeof m.value === 'number')).toBe(true);
  });
});
