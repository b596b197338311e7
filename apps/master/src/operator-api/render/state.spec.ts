import { Resources } from '@agora/resources';
import { AGORA_VERSION } from '../../cluster/master-identity';
import { ClusterBuilder, TEST_BUILD, TEST_CONFIG, testMaster } from '../testing/cluster-builder';
import { renderFrameworks, renderSlaves, renderState } from './state';

function cluster(): ClusterBuilder {
  const c = new ClusterBuilder();
  c.agent('a1');
  c.agent('a2', { deactivated: true, drainInfo: { state: 'DRAINED', config: { mark_gone: false } } });
  c.agent('a3');
  c.unreachable('a3');
  c.framework('f1');
  c.framework('f2', { roles: ['batch'] });
  c.task('f1', 'a1', 't1');
  c.offer('o1', 'f2', 'a1');
  c.framework('old');
  c.completedTask('old', 'a1', 'done');
  c.completeFramework('old');
  return c;
}

describe('renderState', () => {
  it('describes the master, its leader (itself) and its flags', () => {
    const state = renderState({ cluster: cluster().state, master: testMaster(), config: TEST_CONFIG, build: TEST_BUILD });
    expect(state).toMatchObject({
      version: '1.11.0',
      agora_version: AGORA_VERSION,
      build_date: '2025-01-02 03:04:05',
      build_time: 1735787045,
      build_user: 'builder',
      start_time: 0.5,
      elected_time: 0.6,
      id: 'master-1',
      pid: 'master@10.0.0.9:5050',
      hostname: 'master.example',
      capabilities: ['AGENT_UPDATE', 'QUOTA_V2'],
      leader: 'master@10.0.0.9:5050',
      leader_info: { id: 'master-1', pid: 'master@10.0.0.9:5050', port: 5050, hostname: 'master.example' },
      recovered_slaves: [],
      orphan_tasks: [],
      unregistered_frameworks: [],
    });
    expect(state.flags).toMatchObject({ allocation_interval: '1secs', port: '5050', hostname: 'master.example' });
  });

  it('counts agents by activity and lists registered agents only', () => {
    const state = renderState({ cluster: cluster().state, master: testMaster(), config: TEST_CONFIG, build: TEST_BUILD });
    expect(state).toMatchObject({ activated_slaves: 1, deactivated_slaves: 1, unreachable_slaves: 1 });
    expect(state.slaves.map((s) => [s.id, s.active, s.deactivated])).toEqual([
      ['a1', true, false],
      ['a2', false, true],
    ]);
    expect(state.slaves[1].drain_info).toEqual({ state: 'DRAINED', config: { mark_gone: false } });
    expect(state.slaves[0].drain_info).toBeUndefined();
    expect(state.slaves[0]).toMatchObject({ used_resources: { cpus: 1, mem: 128 }, offered_resources: { cpus: 1, mem: 256 } });
  });

  it('lists registered and completed frameworks apart', () => {
    const state = renderState({ cluster: cluster().state, master: testMaster(), config: TEST_CONFIG, build: TEST_BUILD });
    expect(state.frameworks.map((f) => f.id)).toEqual(['f1', 'f2']);
    expect(state.frameworks[1].offers.map((o) => o.id)).toEqual(['o1']);
    expect(state.completed_frameworks.map((f) => [f.id, f.active, f.unregistered_time, f.completed_tasks.length])).toEqual([['old', false, 9, 1]]);
  });

  it("lists a framework's custom executors with their resources", () => {
    const c = cluster();
    c.state.addExecutor({
      id: 'ex',
      frameworkId: 'f1',
      agentId: 'a1',
      role: '*',
      info: { executor_id: { value: 'ex' }, name: 'my executor', command: { value: './run' } },
      resources: Resources.parse('cpus:0.5;mem:64').allocate('*'),
    });
    const state = renderState({ cluster: c.state, master: testMaster(), config: TEST_CONFIG, build: TEST_BUILD });
    expect(state.frameworks[0].executors).toEqual([
      { id: 'ex', name: 'my executor', source: '', framework_id: 'f1', slave_id: 'a1', type: 'CUSTOM', command: { value: './run' }, resources: expect.objectContaining({ cpus: 0.5, mem: 64 }), role: '*' },
    ]);
    expect(state.frameworks[1].executors).toEqual([]);
  });

  it('leaves elected_time out before the master was elected', () => {
    const master = testMaster();
    master.electedAt = undefined;
    expect(renderState({ cluster: cluster().state, master, config: TEST_CONFIG, build: TEST_BUILD })).not.toHaveProperty('elected_time');
  });
});

describe('renderFrameworks', () => {
  it.each([
    ['every framework without a filter', undefined, ['f1', 'f2'], ['old']],
    ['one registered framework', 'f2', ['f2'], []],
    ['one completed framework', 'old', [], ['old']],
    ['nothing for an unknown id', 'nope', [], []],
  ])('%s', (_name, id, registered, completed) => {
    const json = renderFrameworks(cluster().state, id);
    expect(json.frameworks.map((f) => f.id)).toEqual(registered);
    expect(json.completed_frameworks.map((f) => f.id)).toEqual(completed);
    expect(json.unregistered_frameworks).toEqual([]);
  });
});

describe('renderSlaves', () => {
  it.each([
    ['every registered agent', undefined, ['a1', 'a2']],
    ['one agent', 'a2', ['a2']],
    ['nothing for an unreachable agent', 'a3', []],
  ])('%s', (_name, id, expected) => {
    const json = renderSlaves(cluster().state, id);
    expect(json.slaves.map((s) => s.id)).toEqual(expected);
    expect(json.recovered_slaves).toEqual([]);
  });

  it('adds the v1 resources to each agent', () => {
    const [a1] = renderSlaves(cluster().state, 'a1').slaves;
    expect(a1.used_resources_full.map((r) => r.name)).toEqual(['cpus', 'mem']);
    expect(a1.offered_resources_full.map((r) => r.name)).toEqual(['cpus', 'mem']);
    expect(a1.reserved_resources_full).toEqual({});
  });
});
