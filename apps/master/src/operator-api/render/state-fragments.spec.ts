import { Resources } from '@agora/resources';
import { ClusterBuilder, TEST_BUILD, TEST_CONFIG, testMaster } from '../testing/cluster-builder';
import { renderGetState } from '../v1/render/responses';
import { jsonParts } from './json-parts';
import { renderState } from './state';
import { StateFragments } from './state-fragments';

function cluster(): ClusterBuilder {
  const c = new ClusterBuilder();
  c.agent('a1');
  c.agent('a2', { active: false });
  c.framework('f1');
  c.framework('f2', { roles: ['batch'], capabilities: ['MULTI_ROLE'] });
  c.task('f1', 'a1', 't1');
  c.task('f1', 'a1', 't2', { state: 'TASK_UNREACHABLE' });
  c.task('f2', 'a2', 't3', { info: { labels: { labels: [{ key: 'k', value: 'v' }] } } });
  c.offer('o1', 'f2', 'a1');
  c.framework('old');
  c.completedTask('old', 'a1', 'done');
  c.completeFramework('old');
  return c;
}

/** `/state` and GET_STATE as one object each, and in parts from the fragments: the texts must agree. */
function expectSameAnswers(c: ClusterBuilder, fragments: StateFragments): void {
  const inputs = { cluster: c.state, master: testMaster(), config: TEST_CONFIG, build: TEST_BUILD };
  const v0 = jsonParts(renderState({ ...inputs, entities: { task: fragments.tasks.v0Task, agent: fragments.agents.v0Agent }, usageMemo: fragments.usage.v0 }));
  expect(v0.join('')).toBe(JSON.stringify(renderState(inputs)));
  const v1 = jsonParts(renderGetState(c.state, { task: fragments.tasks.v1Task, agent: fragments.agents.v1Agent }, fragments.usage.v1));
  expect(v1.join('')).toBe(JSON.stringify(renderGetState(c.state)));
}

describe('StateFragments: /state and GET_STATE from remembered text', () => {
  it('give byte-identical answers to rendering the state as one object, first and from the memo', () => {
    const c = cluster();
    const fragments = new StateFragments();
    expectSameAnswers(c, fragments);
    expectSameAnswers(c, fragments);
  });

  it('stay identical as tasks, agents and offers change between requests', () => {
    const c = cluster();
    const fragments = new StateFragments();
    expectSameAnswers(c, fragments);
    const t1 = c.state.frameworks.get('f1')?.tasks.get('t1');
    const a2 = c.state.agents.get('a2');
    if (t1 === undefined || a2 === undefined) throw new Error('the builder lost t1 or a2');

    // An update not yet acknowledged (GET_STATE shows it), then a new state with its status.
    t1.statusUpdateState = 'TASK_FINISHED';
    t1.statusUpdateUuid = 'dXVpZA==';
    expectSameAnswers(c, fragments);
    t1.state = 'TASK_FINISHED';
    t1.statuses.push({ task_id: { value: 't1' }, state: 'TASK_FINISHED', timestamp: 9 });
    t1.released = true;
    expectSameAnswers(c, fragments);

    // An agent reactivated and re-registered with other resources; a new task and offer on it.
    a2.active = true;
    a2.reregisteredAt = 7_000;
    a2.total = Resources.parse('cpus:8;mem:2048');
    c.task('f1', 'a2', 't4');
    c.offer('o2', 'f1', 'a2');
    expectSameAnswers(c, fragments);

    // An offer gone, an agent gone.
    c.state.offers.delete('o1');
    c.state.frameworks.get('f2')?.offers.delete('o1');
    c.unreachable('a1');
    expectSameAnswers(c, fragments);
  });
});
