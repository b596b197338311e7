/**
 * The checks run after every scenario, as pure functions of what was observed: the scheduler's
 * task book, the ledger and the leader's /state. Each returns problems as sentences (empty:
 * fine), so a failed scenario says exactly what went wrong.
 */
import { type MasterState, type StateResources } from './fault-cluster';
import { type TaskRecord, type Redelivery } from './task-book';
import { type LedgerSummary } from './task-ledger';
import { NEVER_STARTED_STATES } from './task-states';

export interface TaskAccounting {
  /** Tasks an ACCEPT carried (answered 202, or unanswered: the master may have taken it). */
  readonly launched: number;
  readonly running: number;
  readonly finished: number;
  /** Never started (no ledger line) and answered DROPPED/GONE/UNKNOWN/LOST: the launch never reached an agent. */
  readonly droppedAtLaunch: number;
  /** In a state the scenario explains (e.g. GONE_BY_OPERATOR on an agent marked gone). */
  readonly explained: number;
  /** Ids of tasks in a state nothing explains: the tasks the cluster lost. */
  readonly lost: readonly string[];
  readonly problems: readonly string[];
}

/** Extra final states a scenario accepts for a task (e.g. on the agent it removed); undefined: none. */
export type ExplainState = (task: TaskRecord) => readonly string[] | undefined;

/** What each kind of task must end in when nothing went wrong. */
export function expectedState(task: TaskRecord): string {
  return task.kind === 'short' ? 'TASK_FINISHED' : 'TASK_RUNNING';
}

/** Every task the scheduler launched: running, or terminal with the right state. */
export function accountTasks(tasks: Iterable<TaskRecord>, ledger: LedgerSummary, explain: ExplainState = () => undefined): TaskAccounting {
  const started = new Set(ledger.runs.map((r) => r.taskId));
  let launched = 0;
  let running = 0;
  let finished = 0;
  let droppedAtLaunch = 0;
  let explained = 0;
  const lost: string[] = [];
  const problems: string[] = [];
  for (const task of tasks) {
    // Refused outright by the master (4xx): never launched.
    if (task.acceptStatus !== undefined && task.acceptStatus >= 400 && task.states.length === 0) continue;
    launched++;
    const state = task.latest;
    if (state === expectedState(task)) {
      if (state === 'TASK_RUNNING') running++;
      else finished++;
    } else if (state !== undefined && !started.has(task.id) && NEVER_STARTED_STATES.has(state)) {
      droppedAtLaunch++;
    } else if (state !== undefined && explain(task)?.includes(state)) {
      explained++;
    } else {
      lost.push(task.id);
      problems.push(`${task.id} (${task.kind} on ${task.hostname}) is ${state ?? 'without any update'}${task.reason ? ` (${task.reason})` : ''}, expected ${expectedState(task)}; history ${compactHistory(task.states)}`);
    }
  }
  return { launched, running, finished, droppedAtLaunch, explained, lost, problems };
}

/** No task id ran twice at once, and none ran twice at all (ids are never reused). */
export function ledgerProblems(ledger: LedgerSummary): string[] {
  const problems: string[] = [];
  if (ledger.duplicateRuns > 0) {
    const counts = new Map<string, number>();
    for (const run of ledger.runs) counts.set(run.taskId, (counts.get(run.taskId) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    problems.push(`${ledger.duplicateRuns} duplicate runs: ${twice.join(', ')}`);
  }
  if (ledger.overlapping.length > 0) problems.push(`ran twice at once: ${ledger.overlapping.join(', ')}`);
  return problems;
}

/**
 * Acknowledged updates must not come again. An acknowledgement answered while a fault was in
 * progress may have died with the master that took it (Mesos redelivers those too), so a
 * redelivery of an update acknowledged inside a fault window is not counted.
 */
export function redeliveryProblems(redeliveries: readonly Redelivery[], faultWindows: readonly (readonly [number, number])[]): string[] {
  const counted = redeliveries.filter((r) => !faultWindows.some(([from, to]) => r.ackedAt >= from && r.ackedAt <= to));
  return counted.map((r) => `${r.taskId} ${r.state} (uuid ${r.uuid}) redelivered ${r.at - r.ackedAt} ms after it was acknowledged`);
}

const ACTIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);
const EPSILON = 1e-6;

/** Resources in /state add up: frameworks = agents = the active tasks, and no agent over its total. */
export function resourceProblems(state: MasterState): string[] {
  const problems: string[] = [];
  const sum = (list: StateResources[], key: keyof StateResources): number => list.reduce((n, r) => n + (r[key] ?? 0), 0);
  for (const key of ['cpus', 'mem'] as const) {
    const byFrameworks = sum(state.frameworks.map((f) => f.used_resources), key);
    const byAgents = sum(state.slaves.map((s) => s.used_resources), key);
    const byTasks = sum(state.frameworks.flatMap((f) => f.tasks.filter((t) => ACTIVE.has(t.state)).map((t) => t.resources)), key);
    if (Math.abs(byFrameworks - byAgents) > EPSILON) problems.push(`${key}: frameworks use ${round(byFrameworks)}, agents ${round(byAgents)}`);
    if (Math.abs(byFrameworks - byTasks) > EPSILON) problems.push(`${key}: frameworks use ${round(byFrameworks)}, their active tasks ${round(byTasks)}`);
    for (const agent of state.slaves) {
      const used = agent.used_resources[key] ?? 0;
      const total = agent.resources[key] ?? 0;
      if (used > total + EPSILON) problems.push(`${key}: agent ${agent.hostname} uses ${round(used)} of ${round(total)}`);
    }
  }
  return problems;
}

/** `A → B ×3 → C`: repeats (reconciliation answers) folded. */
export function compactHistory(states: readonly string[]): string {
  const parts: [string, number][] = [];
  for (const state of states) {
    const last = parts.at(-1);
    if (last !== undefined && last[0] === state) last[1]++;
    else parts.push([state, 1]);
  }
  return parts.map(([state, n]) => (n > 1 ? `${state} ×${n}` : state)).join(' → ') || '-';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
