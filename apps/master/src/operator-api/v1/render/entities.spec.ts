import { Resources } from '@agora/resources';
import { ClusterBuilder } from '../../testing/cluster-builder';
import {
  ExecutorIndex,
  holdingsOfAgent,
  holdingsOfFramework,
  renderV1Agent,
  renderV1Executor,
  renderV1Framework,
  renderV1Offer,
  renderV1Status,
  renderV1Task,
  timeInfo,
} from './entities';

const NONE = { allocated: Resources.EMPTY, offered: Resources.EMPTY };
const cpus = (value: number, role?: string) => ({ name: 'cpus', type: 'SCALAR', scalar: { value }, ...(role ? { allocation_info: { role } } : {}) });
const mem = (value: number, role?: string) => ({ name: 'mem', type: 'SCALAR', scalar: { value }, ...(role ? { allocation_info: { role } } : {}) });

describe('v1 entities', () => {
  it('times are TimeInfo in nanoseconds', () => {
    expect(timeInfo(1_500)).toEqual({ nanoseconds: 1_500_000_000 });
    expect(timeInfo(0.0015)).toEqual({ nanoseconds: 1_500 });
  });

  describe('renderV1Agent', () => {
    it('renders the agent with ids as {value}, v1 resources and TimeInfo', () => {
      const c = new ClusterBuilder();
      const agent = c.agent('a1', {
        resources: 'cpus:4;mem:1024',
        hostname: 'h1',
        port: 5052,
        ip: '10.0.0.7',
        attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
        registeredAt: 2_000,
      });
      const holdings = { allocated: Resources.parse('cpus:1').allocate('web'), offered: Resources.parse('mem:512').allocate('*') };
      expect(renderV1Agent(agent, holdings)).toEqual({
        agent_info: {
          id: { value: 'a1' },
          hostname: 'h1',
          port: 5052,
          resources: [cpus(4), mem(1024)],
          attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
        },
        active: true,
        deactivated: false,
        version: '1.11.0',
        pid: 'slave(1)@10.0.0.7:5052',
        registered_time: { nanoseconds: 2e9 },
        total_resources: [cpus(4), mem(1024)],
        allocated_resources: [cpus(1, 'web')],
        offered_resources: [mem(512, '*')],
        capabilities: [{ type: 'MULTI_ROLE' }],
      });
    });

    it.each([
      ['a re-registered agent has reregistered_time', { reregisteredAt: 5_000 }, { reregistered_time: { nanoseconds: 5e9 } }],
      ['a disconnected agent is inactive, not deactivated', { active: false }, { active: false, deactivated: false }],
      ['an agent an operator deactivated', { deactivated: true }, { active: false, deactivated: true }],
      ['a draining agent shows its drain', { deactivated: true, drainInfo: { state: 'DRAINING' as const, config: { mark_gone: true } } }, { deactivated: true, drain_info: { state: 'DRAINING', config: { mark_gone: true } } }],
    ])('%s', (_case, options, expected) => {
      expect(renderV1Agent(new ClusterBuilder().agent('a1', options), NONE)).toMatchObject(expected);
    });
  });

  describe('renderV1Task', () => {
    it('renders a command task: no executor_id, v1 resources, statuses, no role field', () => {
      const c = new ClusterBuilder();
      c.agent('a1');
      c.framework('f1', { roles: ['web'] });
      const task = c.task('f1', 'a1', 't1', { resources: 'cpus:1;mem:128', launchedAt: 3_000 });
      const json = renderV1Task(task);
      expect(json).toEqual({
        name: 'task-t1',
        task_id: { value: 't1' },
        framework_id: { value: 'f1' },
        agent_id: { value: 'a1' },
        state: 'TASK_RUNNING',
        resources: [cpus(1, 'web'), mem(128, 'web')],
        statuses: [
          { task_id: { value: 't1' }, state: 'TASK_STAGING', timestamp: 3 },
          { task_id: { value: 't1' }, state: 'TASK_RUNNING', timestamp: 4 },
        ],
      });
      expect(json).not.toHaveProperty('role');
    });

    it.each<[string, Parameters<ClusterBuilder['task']>[3], Record<string, unknown>]>([
      ['a custom executor gives executor_id', { info: { command: undefined, executor: { executor_id: { value: 'e1' }, command: { value: 'x', user: 'bob' } } } }, { executor_id: { value: 'e1' }, user: 'bob' }],
      ['labels, container and health check are carried', {
        info: {
          labels: { labels: [{ key: 'k', value: 'v' }] },
          container: { type: 'MESOS' },
          health_check: { type: 'COMMAND', command: { value: 'true' } },
          kill_policy: { grace_period: { nanoseconds: 1e9 } },
        },
      }, {
        labels: { labels: [{ key: 'k', value: 'v' }] },
        container: { type: 'MESOS' },
        health_check: { type: 'COMMAND', command: { value: 'true' } },
        kill_policy: { grace_period: { nanoseconds: 1e9 } },
      }],
      ['an unlimited limit is the string Infinity', { info: { limits: { cpus: { value: 2 }, mem: { value: Infinity } } } }, { limits: { cpus: { value: 2 }, mem: { value: 'Infinity' } } }],
    ])('%s', (_case, options, expected) => {
      const c = new ClusterBuilder();
      c.agent('a1');
      c.framework('f1');
      expect(renderV1Task(c.task('f1', 'a1', 't1', options))).toMatchObject(expected);
    });

    it('shows the update the scheduler has not acknowledged', () => {
      const c = new ClusterBuilder();
      c.agent('a1');
      c.framework('f1');
      const task = c.task('f1', 'a1', 't1');
      task.statusUpdateState = 'TASK_RUNNING';
      task.statusUpdateUuid = 'AAECAwQFBgcICQoLDA0ODw==';
      expect(renderV1Task(task)).toMatchObject({ status_update_state: 'TASK_RUNNING', status_update_uuid: 'AAECAwQFBgcICQoLDA0ODw==' });
    });
  });

  it('renderV1Status drops data and absent fields, keeps the rest', () => {
    expect(
      renderV1Status({ task_id: { value: 't' }, state: 'TASK_FAILED', data: 'aGk=', message: 'boom', reason: 'REASON_COMMAND_EXECUTOR_FAILED', healthy: undefined, uuid: 'AAECAwQFBgcICQoLDA0ODw==' }),
    ).toEqual({ task_id: { value: 't' }, state: 'TASK_FAILED', message: 'boom', reason: 'REASON_COMMAND_EXECUTOR_FAILED', uuid: 'AAECAwQFBgcICQoLDA0ODw==' });
  });

  describe('renderV1Framework', () => {
    it('renders framework_info with its id, times, offers and holdings', () => {
      const c = new ClusterBuilder();
      const agent = c.agent('a1', { hostname: 'h1', ip: '10.0.0.1' });
      const fw = c.framework('f1', { roles: ['web'], registeredAt: 2_000, reregisteredAt: 3_000 });
      const o1 = c.offer('o1', 'f1', 'a1', 'cpus:1');
      const o2 = c.offer('o2', 'f1', 'a1', 'mem:64');
      fw.offers.add('gone'); // an id whose offer ended is skipped
      const json = renderV1Framework(fw, holdingsOfFramework(fw, c.state.offers), c.state, new ExecutorIndex([]));
      expect(json).toMatchObject({
        framework_info: { id: { value: 'f1' }, name: 'fw-f1', user: 'alice', role: 'web' },
        active: true,
        connected: true,
        recovered: false,
        registered_time: { nanoseconds: 2e9 },
        reregistered_time: { nanoseconds: 3e9 },
        inverse_offers: [],
        allocated_resources: [],
        offered_resources: [cpus(1, 'web'), mem(64, 'web')],
      });
      expect(json).not.toHaveProperty('unregistered_time');
      expect(json.offers).toEqual([renderV1Offer(o1, agent), renderV1Offer(o2, agent)]);
    });

    it('a disconnected framework has unregistered_time', () => {
      const c = new ClusterBuilder();
      const fw = c.framework('f1', { connected: false, unregisteredAt: 7_000 });
      expect(renderV1Framework(fw, NONE, c.state)).toMatchObject({ connected: false, active: false, unregistered_time: { nanoseconds: 7e9 } });
    });
  });

  it('renderV1Offer rebuilds the Offer a framework was sent, with its executors on the agent', () => {
    const c = new ClusterBuilder();
    const agent = c.agent('a1', { hostname: 'h1', ip: '10.0.0.1', port: 5051 });
    c.framework('f1', { roles: ['web'] });
    const offer = c.offer('o1', 'f1', 'a1', 'cpus:2');
    expect(renderV1Offer(offer, agent, ['e1'])).toEqual({
      id: { value: 'o1' },
      framework_id: { value: 'f1' },
      agent_id: { value: 'a1' },
      hostname: 'h1',
      url: { scheme: 'http', address: { hostname: 'h1', ip: '10.0.0.1', port: 5051 }, path: '/slave(1)' },
      resources: [cpus(2, 'web')],
      attributes: [],
      executor_ids: [{ value: 'e1' }],
      allocation_info: { role: 'web' },
    });
  });

  it('renderV1Executor gives executor_info its framework_id', () => {
    const executor = { id: 'e1', frameworkId: 'f1', agentId: 'a1', role: '*', resources: Resources.EMPTY, info: { executor_id: { value: 'e1' }, command: { value: 'run' } } };
    expect(renderV1Executor(executor)).toEqual({
      executor_info: { executor_id: { value: 'e1' }, command: { value: 'run' }, framework_id: { value: 'f1' } },
      agent_id: { value: 'a1' },
    });
  });

  it('holdings of one agent or framework match what the whole-cluster index says', () => {
    const c = new ClusterBuilder();
    const a1 = c.agent('a1', { resources: 'cpus:8;mem:4096' });
    c.agent('a2', { resources: 'cpus:8;mem:4096' });
    const fw = c.framework('f1');
    c.task('f1', 'a1', 't1', { resources: 'cpus:1' });
    c.task('f1', 'a1', 'done', { resources: 'cpus:2', state: 'TASK_FINISHED' });
    c.task('f1', 'a2', 't2', { resources: 'mem:10' });
    c.offer('o1', 'f1', 'a1', 'mem:100');
    c.offer('o2', 'f1', 'a2', 'cpus:3');
    const agent = holdingsOfAgent(a1, c.state.offers);
    expect([agent.allocated.toString(), agent.offered.toString()]).toEqual(['cpus(allocated: *):1', 'mem(allocated: *):100']);
    const framework = holdingsOfFramework(fw, c.state.offers);
    expect(framework.allocated.quantities().toRecord()).toEqual({ cpus: 1, mem: 10 });
    expect(framework.offered.quantities().toRecord()).toEqual({ cpus: 3, mem: 100 });
  });
});
