import { accountTasks, compactHistory, ledgerProblems, redeliveryProblems, resourceProblems } from './checks';
import { type MasterState } from './fault-cluster';
import { type TaskKind, type TaskRecord } from './task-book';
import { summarizeLedger } from './task-ledger';

function task(id: string, kind: TaskKind, states: string[], extra: Partial<TaskRecord> = {}): TaskRecord {
  return { id, kind, agentId: 'A1', hostname: 'agent-1', cpus: 0.1, mem: 32, launchedAt: 0, acceptStatus: 202, states, latest: states.at(-1), ...extra };
}

const started = (...ids: string[]): string => ids.map((id, i) => `start ${id} agent-1 ${1000 + i} ${100 + i}`).join('\n');

describe('accountTasks', () => {
  const cases: { name: string; tasks: TaskRecord[]; ledger: string; lost: string[]; dropped?: number; explained?: number }[] = [
    { name: 'short task finished', tasks: [task('s', 'short', ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'])], ledger: started('s'), lost: [] },
    { name: 'long task running', tasks: [task('l', 'long', ['TASK_STARTING', 'TASK_RUNNING'])], ledger: started('l'), lost: [] },
    { name: 'long task back to running after a partition', tasks: [task('l', 'long', ['TASK_RUNNING', 'TASK_UNREACHABLE', 'TASK_RUNNING'])], ledger: started('l'), lost: [] },
    { name: 'short task still running is not accounted for', tasks: [task('s', 'short', ['TASK_RUNNING'])], ledger: started('s'), lost: ['s'] },
    { name: 'short task LOST', tasks: [task('s', 'short', ['TASK_RUNNING', 'TASK_LOST'])], ledger: started('s'), lost: ['s'] },
    { name: 'long task killed', tasks: [task('l', 'long', ['TASK_RUNNING', 'TASK_KILLED'])], ledger: started('l'), lost: ['l'] },
    { name: 'task without any update', tasks: [task('s', 'short', [])], ledger: '', lost: ['s'] },
    { name: 'launch that never reached an agent, DROPPED', tasks: [task('s', 'short', ['TASK_DROPPED'])], ledger: '', lost: [], dropped: 1 },
    { name: 'a task that ran cannot be dropped', tasks: [task('s', 'short', ['TASK_DROPPED'])], ledger: started('s'), lost: ['s'] },
    { name: 'ACCEPT refused and no update: never launched', tasks: [task('s', 'short', [], { acceptStatus: 400 })], ledger: '', lost: [] },
    { name: 'STAGING forever', tasks: [task('s', 'short', ['TASK_STAGING'])], ledger: '', lost: ['s'] },
  ];
  it.each(cases)('$name', ({ tasks, ledger, lost, dropped }) => {
    const result = accountTasks(tasks, summarizeLedger(ledger));
    expect(result.lost).toEqual(lost);
    expect(result.problems).toHaveLength(lost.length);
    if (dropped !== undefined) expect(result.droppedAtLaunch).toBe(dropped);
  });

  it('accepts the states a scenario explains', () => {
    const tasks = [task('l', 'long', ['TASK_RUNNING', 'TASK_UNREACHABLE', 'TASK_GONE_BY_OPERATOR'])];
    expect(accountTasks(tasks, summarizeLedger(started('l'))).lost).toEqual(['l']);
    const result = accountTasks(tasks, summarizeLedger(started('l')), (t) => (t.hostname === 'agent-1' ? ['TASK_GONE_BY_OPERATOR'] : undefined));
    expect(result.lost).toEqual([]);
    expect(result.explained).toBe(1);
  });

  it('counts launched, running and finished', () => {
    const result = accountTasks(
      [task('a', 'short', ['TASK_FINISHED']), task('b', 'long', ['TASK_RUNNING']), task('c', 'probe', ['TASK_RUNNING']), task('d', 'short', [], { acceptStatus: 409 })],
      summarizeLedger(started('a', 'b', 'c')),
    );
    expect([result.launched, result.running, result.finished]).toEqual([3, 2, 1]);
  });
});

describe('ledgerProblems', () => {
  it('names every task run twice', () => {
    expect(ledgerProblems(summarizeLedger(`${started('a', 'b')}\nstart a agent-2 5000 9`))).toEqual(['1 duplicate runs: a ×2', 'ran twice at once: a']);
    expect(ledgerProblems(summarizeLedger(started('a', 'b')))).toEqual([]);
  });
});

describe('redeliveryProblems', () => {
  const r = (ackedAt: number) => ({ taskId: 't', state: 'TASK_RUNNING', uuid: 'u', ackedAt, at: ackedAt + 500 });
  it.each([
    { name: 'no redelivery', list: [], windows: [], count: 0 },
    { name: 'acknowledged in calm weather', list: [r(100)], windows: [[1000, 2000]], count: 1 },
    { name: 'acknowledged during the fault', list: [r(1500)], windows: [[1000, 2000]], count: 0 },
  ] as const)('$name', ({ list, windows, count }) => {
    expect(redeliveryProblems(list, windows)).toHaveLength(count);
  });
});

describe('resourceProblems', () => {
  const state = (frameworkCpus: number, agentCpus: number[], taskCpus: number[], totals = [4, 4]): MasterState => ({
    slaves: agentCpus.map((cpus, i) => ({ id: `A${i}`, hostname: `agent-${i}`, active: true, resources: { cpus: totals[i], mem: 1000 }, used_resources: { cpus, mem: 0 } })),
    frameworks: [{ id: 'F', used_resources: { cpus: frameworkCpus, mem: 0 }, tasks: taskCpus.map((cpus, i) => ({ id: `t${i}`, state: 'TASK_RUNNING', slave_id: 'A0', resources: { cpus, mem: 0 } })) }],
  });
  it.each([
    { name: 'all agree', s: state(0.3, [0.2, 0.1], [0.1, 0.1, 0.1]), problems: 0 },
    { name: 'floating point sums agree', s: state(0.30000000000000004, [0.2, 0.1], [0.1, 0.1, 0.1]), problems: 0 },
    { name: 'agents use more than frameworks', s: state(0.3, [0.3, 0.1], [0.1, 0.1, 0.1]), problems: 1 },
    { name: 'a finished task still counted', s: state(0.4, [0.3, 0.1], [0.1, 0.1, 0.1]), problems: 1 },
    { name: 'an agent over its total', s: state(5, [5, 0], [5], [4, 4]), problems: 1 },
  ])('$name', ({ s, problems }) => {
    expect(resourceProblems(s)).toHaveLength(problems);
  });
});

describe('compactHistory', () => {
  it.each([
    { states: [], text: '-' },
    { states: ['TASK_RUNNING'], text: 'TASK_RUNNING' },
    { states: ['TASK_STAGING', 'TASK_STAGING', 'TASK_STAGING'], text: 'TASK_STAGING ×3' },
    { states: ['TASK_RUNNING', 'TASK_UNREACHABLE', 'TASK_UNREACHABLE', 'TASK_RUNNING'], text: 'TASK_RUNNING → TASK_UNREACHABLE ×2 → TASK_RUNNING' },
  ])('$text', ({ states, text }) => {
    expect(compactHistory(states)).toBe(text);
  });
});
