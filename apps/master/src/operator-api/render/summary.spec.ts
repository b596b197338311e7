import { ClusterBuilder, testMaster } from '../testing/cluster-builder';
import { renderStateSummary } from './summary';

describe('renderStateSummary', () => {
  function cluster(): ClusterBuilder {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.agent('a2');
    c.agent('idle');
    c.framework('f1');
    c.framework('f2');
    c.framework('quiet');
    c.task('f1', 'a1', 'r1');
    c.task('f1', 'a1', 'r2');
    c.task('f1', 'a2', 's1', { state: 'TASK_STAGING' });
    c.task('f2', 'a1', 'u1', { state: 'TASK_UNREACHABLE' });
    c.task('f2', 'a2', 'dropped', { state: 'TASK_DROPPED' });
    c.completedTask('f2', 'a2', 'k1', { state: 'TASK_KILLED' });
    c.completedTask('f1', 'a2', 'f1', { state: 'TASK_FINISHED' });
    return c;
  }

  it('counts tasks per state and lists frameworks per agent', () => {
    const summary = renderStateSummary(cluster().state, testMaster());
    expect(summary.hostname).toBe('master.example');
    const [a1, a2, idle] = summary.slaves;
    expect(a1).toMatchObject({ id: 'a1', TASK_RUNNING: 2, TASK_UNREACHABLE: 1, TASK_STAGING: 0, framework_ids: ['f1', 'f2'] });
    expect(a2).toMatchObject({ id: 'a2', TASK_STAGING: 1, TASK_KILLED: 1, TASK_FINISHED: 1, TASK_RUNNING: 0, framework_ids: ['f1', 'f2'] });
    expect(idle).toMatchObject({ id: 'idle', TASK_RUNNING: 0, framework_ids: [] });
    expect(a1).not.toHaveProperty('TASK_DROPPED');
    expect(a1).toHaveProperty('resources');
    expect(a1).not.toHaveProperty('tasks');
  });

  it('counts tasks per state and lists agents per framework', () => {
    const [f1, f2, quiet] = renderStateSummary(cluster().state, testMaster()).frameworks;
    expect(f1).toMatchObject({ id: 'f1', TASK_RUNNING: 2, TASK_STAGING: 1, TASK_FINISHED: 1, slave_ids: ['a1', 'a2'] });
    expect(f2).toMatchObject({ id: 'f2', TASK_UNREACHABLE: 1, TASK_KILLED: 1, slave_ids: ['a1', 'a2'] });
    expect(quiet).toMatchObject({ id: 'quiet', TASK_RUNNING: 0, slave_ids: [] });
    expect(f1).toMatchObject({ used_resources: { cpus: 3 }, active: true, connected: true, recovered: false });
    expect(f1).not.toHaveProperty('tasks');
  });
});
