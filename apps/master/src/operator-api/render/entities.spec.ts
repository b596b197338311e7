import type { TaskInfo } from '@agora/protocol';
import { ClusterBuilder } from '../testing/cluster-builder';
import { renderAgent, renderAgentFull, renderFramework, renderOffer, renderTask } from './entities';
import type { TaskJson } from './json';
import { indexUsage } from './usage';

describe('renderTask', () => {
  const rows: [string, Partial<TaskInfo>, Partial<TaskJson>][] = [
    ['a command task has an empty executor id and no optional fields', {}, { executor_id: '' }],
    [
      'a task with its own executor shows the executor id',
      { command: undefined, executor: { executor_id: { value: 'ex-1' }, command: { value: 'run', user: 'bob' } } },
      { executor_id: 'ex-1', user: 'bob' },
    ],
    ['the command user wins over the executor user', { command: { value: 'x', user: 'carol' } }, { user: 'carol' }],
    ['labels become an array of key/value', { labels: { labels: [{ key: 'team', value: 'web' }] } }, { labels: [{ key: 'team', value: 'web' }] }],
    ['empty labels are left out', { labels: { labels: [] } }, {}],
    ['an unlimited limit is written as a string', { limits: { cpus: { value: 2 }, mem: { value: Infinity } } }, { limits: { cpus: 2, mem: 'Infinity' } }],
    ['a container is shown as given', { container: { type: 'DOCKER', docker: { image: 'nginx' } } }, { container: { type: 'DOCKER', docker: { image: 'nginx' } } }],
    ['a health check is shown as given', { health_check: { type: 'TCP', tcp: { port: 80 } } }, { health_check: { type: 'TCP', tcp: { port: 80 } } }],
  ];

  it.each(rows)('%s', (_name, info, expected) => {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.framework('f1', { roles: ['web'] });
    const json = renderTask(c.task('f1', 'a1', 't1', { info, resources: 'cpus:0.5;mem:64;ports:[31000-31001]', launchedAt: 10_000 }));
    const optional = ['limits', 'user', 'labels', 'discovery', 'container', 'health_check'] as const;
    for (const key of optional) expect(json[key]).toEqual(expected[key]);
    expect(json).toMatchObject({
      id: 't1',
      name: 'task-t1',
      framework_id: 'f1',
      executor_id: expected.executor_id ?? '',
      slave_id: 'a1',
      state: 'TASK_RUNNING',
      resources: { cpus: 0.5, mem: 64, disk: 0, gpus: 0, ports: '[31000-31001]' },
      role: 'web',
      statuses: [
        { state: 'TASK_STAGING', timestamp: 10 },
        { state: 'TASK_RUNNING', timestamp: 11 },
      ],
    });
  });

  it('keeps the true state of an unreachable task, whatever the framework is told', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.framework('legacy'); // not PARTITION_AWARE: it was told TASK_LOST
    expect(renderTask(c.task('legacy', 'a1', 't', { state: 'TASK_UNREACHABLE' })).state).toBe('TASK_UNREACHABLE');
  });

  it('shows health and container status of statuses when known', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.framework('f1');
    const task = c.task('f1', 'a1', 't');
    task.statuses.push({ task_id: { value: 't' }, state: 'TASK_RUNNING', timestamp: 12, healthy: true, container_status: { executor_pid: 42 } });
    expect(renderTask(task).statuses[2]).toEqual({ state: 'TASK_RUNNING', timestamp: 12, healthy: true, container_status: { executor_pid: 42 } });
  });
});

describe('renderOffer', () => {
  it('names the agent slave_id and carries the allocation role', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.framework('f1', { roles: ['eng'] });
    expect(renderOffer(c.offer('o1', 'f1', 'a1', 'cpus:2;mem:512'))).toEqual({
      id: 'o1',
      framework_id: 'f1',
      slave_id: 'a1',
      allocation_info: { role: 'eng' },
      resources: { cpus: 2, mem: 512, disk: 0, gpus: 0 },
    });
  });
});

describe('renderAgent', () => {
  function cluster() {
    const c = new ClusterBuilder();
    const agent = c.agent('a1', {
      resources: 'cpus:4;mem:1024;cpus(eng):2;disk(ops):100;ports:[31000-32000]',
      ip: '192.168.1.5',
      port: 5052,
      attributes: [
        { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
        { name: 'level', type: 'SCALAR', scalar: { value: 10 } },
      ],
      registeredAt: 1_500,
    });
    c.framework('f1');
    c.task('f1', 'a1', 't1', { resources: 'cpus:1;mem:100' });
    c.offer('o1', 'f1', 'a1', 'cpus:2;mem:200');
    return { c, agent };
  }

  it('renders totals, reservations by role, use and offers in v0 form', () => {
    const { c, agent } = cluster();
    expect(renderAgent(agent, indexUsage(c.state))).toEqual({
      id: 'a1',
      hostname: 'host-a1',
      port: 5052,
      attributes: { rack: 'r1', level: 10 },
      pid: 'slave(1)@192.168.1.5:5052',
      registered_time: 1.5,
      resources: { cpus: 6, mem: 1024, disk: 100, gpus: 0, ports: '[31000-32000]' },
      used_resources: { cpus: 1, mem: 100, disk: 0, gpus: 0 },
      offered_resources: { cpus: 2, mem: 200, disk: 0, gpus: 0 },
      reserved_resources: { eng: { cpus: 2, mem: 0, disk: 0, gpus: 0 }, ops: { cpus: 0, mem: 0, disk: 100, gpus: 0 } },
      unreserved_resources: { cpus: 4, mem: 1024, disk: 0, gpus: 0, ports: '[31000-32000]' },
      active: true,
      deactivated: false,
      version: '1.11.0',
      capabilities: ['MULTI_ROLE'],
    });
  });

  it('shows reregistered_time only for an agent that re-registered', () => {
    const c = new ClusterBuilder();
    const usage = indexUsage(c.state);
    expect(renderAgent(c.agent('new'), usage)).not.toHaveProperty('reregistered_time');
    expect(renderAgent(c.agent('back', { reregisteredAt: 7_250 }), usage).reregistered_time).toBe(7.25);
  });

  it('adds v1 resources for /slaves', () => {
    const { c, agent } = cluster();
    const full = renderAgentFull(agent, indexUsage(c.state));
    expect(Object.keys(full.reserved_resources_full)).toEqual(['eng', 'ops']);
    expect(full.reserved_resources_full.eng).toEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, reservations: [{ type: 'STATIC', role: 'eng' }] },
    ]);
    expect(full.unreserved_resources_full.map((r) => r.name)).toEqual(['cpus', 'mem', 'ports']);
    expect(full.used_resources_full).toEqual([
      expect.objectContaining({ name: 'cpus', scalar: { value: 1 }, allocation_info: { role: '*' } }),
      expect.objectContaining({ name: 'mem', scalar: { value: 100 } }),
    ]);
    expect(full.offered_resources_full.map((r) => [r.name, r.scalar?.value])).toEqual([
      ['cpus', 2],
      ['mem', 200],
    ]);
  });
});

describe('renderFramework', () => {
  it('splits live tasks from unreachable ones and lists completed tasks and offers', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    const fw = c.framework('f1', { roles: ['web'], capabilities: ['PARTITION_AWARE'], principal: 'ops', reregisteredAt: 2_500 });
    c.task('f1', 'a1', 'run', { resources: 'cpus:1' });
    c.task('f1', 'a1', 'ack-pending', { state: 'TASK_FAILED' });
    c.task('f1', 'a1', 'gone', { state: 'TASK_UNREACHABLE' });
    c.completedTask('f1', 'a1', 'old');
    c.offer('o1', 'f1', 'a1', 'cpus:2');
    fw.offers.add('o-vanished');
    const json = renderFramework(fw, indexUsage(c.state), c.state.offers);
    expect(json).toMatchObject({
      id: 'f1',
      name: 'fw-f1',
      used_resources: { cpus: 1 },
      offered_resources: { cpus: 2 },
      resources: { cpus: 3 },
      capabilities: ['PARTITION_AWARE'],
      hostname: '',
      webui_url: '',
      active: true,
      connected: true,
      recovered: false,
      user: 'alice',
      failover_timeout: 0,
      checkpoint: false,
      registered_time: 2,
      unregistered_time: 0,
      reregistered_time: 2.5,
      principal: 'ops',
      role: 'web',
      executors: [],
    });
    expect(json).not.toHaveProperty('roles');
    expect(json.tasks.map((t) => t.id)).toEqual(['run', 'ack-pending']);
    expect(json.unreachable_tasks.map((t) => t.id)).toEqual(['gone']);
    expect(json.completed_tasks.map((t) => t.id)).toEqual(['old']);
    expect(json.offers.map((o) => o.id)).toEqual(['o1']);
  });

  it('shows roles for MULTI_ROLE frameworks and the disconnect time when disconnected', () => {
    const c = new ClusterBuilder();
    const fw = c.framework('f1', { roles: ['a', 'b'], capabilities: ['MULTI_ROLE'], connected: false, unregisteredAt: 5_000 });
    const json = renderFramework(fw, indexUsage(c.state), c.state.offers);
    expect(json.roles).toEqual(['a', 'b']);
    expect(json).not.toHaveProperty('role');
    expect(json).toMatchObject({ active: false, connected: false, unregistered_time: 5 });
    expect(json).not.toHaveProperty('principal');
  });
});
