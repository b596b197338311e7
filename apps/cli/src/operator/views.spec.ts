import { agentRows, agentsTable, frameworkRows, frameworksTable, taskRows, tasksTable } from './views';

// Shapes as Mesos's v0 endpoints give them (reference §3), trimmed to the fields that matter.
const SLAVES = {
  slaves: [
    {
      id: 'm-S0',
      hostname: '127.0.0.1',
      port: 5051,
      resources: { cpus: 4, mem: 15360, disk: 100000, gpus: 0, ports: '[31000-32000]' },
      used_resources: { cpus: 0.6, mem: 288, disk: 0, gpus: 0 },
      active: true,
      registered_time: 1718020800.5,
    },
    { id: 'm-S1', hostname: 'node-2', port: 5052, resources: { cpus: 2, mem: 2048 }, used_resources: {}, active: false, deactivated: false },
  ],
  recovered_slaves: [],
};

const FRAMEWORKS = {
  frameworks: [
    { id: 'm-0000', name: 'marathon', roles: ['eng', 'ops'], active: true, tasks: [{}, {}], used_resources: { cpus: 1.5, mem: 512 } },
    { id: 'm-0001', name: 'legacy', role: '*', active: false, tasks: [], used_resources: { cpus: 0, mem: 0 } },
  ],
  completed_frameworks: [{ id: 'm-0002', name: 'agora-run', roles: ['*'], tasks: [], used_resources: {} }],
  unregistered_frameworks: [],
};

const TASKS = {
  tasks: [
    { id: 't1', name: 'web', framework_id: 'm-0000', slave_id: 'm-S0', state: 'TASK_RUNNING', resources: { cpus: 0.5, mem: 256 } },
    { id: 't2', name: 'batch', framework_id: 'm-0000', slave_id: 'm-S0', state: 'TASK_FINISHED', resources: { cpus: 1, mem: 32 } },
    { id: 't3', name: 'flaky', framework_id: 'm-0001', slave_id: 'm-S1', state: 'TASK_UNREACHABLE', resources: { cpus: 0.1, mem: 32 } },
    { id: 't4', name: 'gone', framework_id: 'm-0001', slave_id: 'm-S1', state: 'TASK_LOST', resources: { cpus: 0.1, mem: 32 } },
  ],
};

/** An agent in maintenance, as /slaves shows it after DEACTIVATE_AGENT or DRAIN_AGENT. */
function inMaintenance(id: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { id, hostname: 'h', port: 5051, resources: { cpus: 1, mem: 64, disk: 10 }, used_resources: {}, active: true, ...fields };
}

describe('agora agents', () => {
  it('shows each agent with used/total resources', () => {
    expect(agentsTable(agentRows(SLAVES)).split('\n')).toEqual([
      'ID    HOSTNAME        CPUS   MEM (MB)   DISK (MB)  ACTIVE  REGISTERED (UTC)     MAINTENANCE',
      'm-S0  127.0.0.1:5051  0.6/4  288/15360  0/100000   yes     2024-06-10 12:00:00',
      'm-S1  node-2:5052     0/2    0/2048     0/-        no      -',
    ]);
  });

  it('shows deactivated, draining and drained agents; a drain wins over the deactivation it implies', () => {
    const slaves = {
      slaves: [
        inMaintenance('m-S2', { deactivated: true }),
        inMaintenance('m-S3', { deactivated: true, drain_info: { state: 'DRAINING', config: { max_grace_period: { nanoseconds: 3e10 } } } }),
        inMaintenance('m-S4', { deactivated: true, drain_info: { state: 'DRAINED', config: { mark_gone: false } } }),
        inMaintenance('m-S5', { deactivated: false }),
      ],
    };
    expect(agentRows(slaves).map((a) => [a.id, a.maintenance])).toEqual([
      ['m-S2', 'deactivated'],
      ['m-S3', 'draining'],
      ['m-S4', 'drained'],
      ['m-S5', undefined],
    ]);
    expect(agentsTable(agentRows(slaves)).split('\n')).toEqual([
      'ID    HOSTNAME  CPUS  MEM (MB)  DISK (MB)  ACTIVE  REGISTERED (UTC)  MAINTENANCE',
      'm-S2  h:5051    0/1   0/64      0/10       yes     -                 deactivated',
      'm-S3  h:5051    0/1   0/64      0/10       yes     -                 draining',
      'm-S4  h:5051    0/1   0/64      0/10       yes     -                 drained',
      'm-S5  h:5051    0/1   0/64      0/10       yes     -',
    ]);
  });

  it('shows only the header for a cluster without agents, and survives junk', () => {
    expect(agentsTable(agentRows({ slaves: [] }))).toBe('ID  HOSTNAME  CPUS  MEM (MB)  DISK (MB)  ACTIVE  REGISTERED (UTC)  MAINTENANCE');
    expect(agentRows({ slaves: [{ id: 'y', deactivated: 'yes', drain_info: { state: 7 } }, { id: 'z', drain_info: 'DRAINING' }] }).map((a) => a.maintenance)).toEqual([
      undefined,
      undefined,
    ]);
    expect(agentRows('not json we know')).toEqual([]);
    expect(agentRows({ slaves: [null, 3, { id: 'x' }] })).toEqual([
      { id: 'x', hostname: '-', port: undefined, total: {}, used: {}, active: undefined, registeredTime: undefined },
    ]);
  });
});

describe('agora frameworks', () => {
  it('shows registered frameworks, with roles whichever way they are given', () => {
    expect(frameworksTable(frameworkRows(FRAMEWORKS, false)).split('\n')).toEqual([
      'ID      NAME      ROLES    ACTIVE  TASKS  CPUS  MEM (MB)',
      'm-0000  marathon  eng,ops  yes     2      1.5   512',
      'm-0001  legacy    *        no      0      0     0',
    ]);
  });

  it('adds completed frameworks with --all', () => {
    const rows = frameworkRows(FRAMEWORKS, true);
    expect(rows.map((f) => [f.id, f.completed])).toEqual([
      ['m-0000', false],
      ['m-0001', false],
      ['m-0002', true],
    ]);
    expect(frameworksTable(rows).split('\n')[3]).toBe('m-0002  agora-run  *        completed  0      0     0');
  });
});

describe('agora tasks', () => {
  it('shows tasks that have not ended (an unreachable task may still run)', () => {
    expect(tasksTable(taskRows(TASKS, false)).split('\n')).toEqual([
      'ID  NAME   FRAMEWORK  AGENT  STATE             CPUS  MEM (MB)',
      't1  web    m-0000     m-S0   TASK_RUNNING      0.5   256',
      't3  flaky  m-0001     m-S1   TASK_UNREACHABLE  0.1   32',
    ]);
  });

  it('shows every task with --all', () => {
    expect(taskRows(TASKS, true).map((t) => t.id)).toEqual(['t1', 't2', 't3', 't4']);
  });

  it('keeps tasks in states it does not know', () => {
    expect(taskRows({ tasks: [{ id: 'x', state: 'TASK_FUTURE' }] }, false).map((t) => t.state)).toEqual(['TASK_FUTURE']);
  });
});
