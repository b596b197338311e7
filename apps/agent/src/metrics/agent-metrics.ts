/**
 * The agent's `/metrics/snapshot` (reference §5.8, Mesos `src/slave/metrics.cpp`): the
 * counters AgentCounters keeps, plus gauges computed here from the live tasks, the agent's
 * resources and the host, under Mesos's `slave/*` and `system/*` names. Pure; keys come out
 * sorted. Containerizer and revocable-oversubscription metrics are not published.
 */
import type { TaskState } from '@agora/protocol';
import type { V0Resources } from '@agora/resources';
import type { TaskPhase } from '../tasks/task-run';
import type { SystemReadings } from './system-stats';

/** What a snapshot needs to know of one live task. */
export interface LiveTask {
  readonly state: TaskState;
  readonly phase: TaskPhase;
  /** Shut down by the agent (its framework went away, or the agent stops). */
  readonly silenced: boolean;
  /** The task's resources, flattened. */
  readonly resources: V0Resources;
}

export interface AgentMetricsInputs {
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly startedAt: number;
  readonly registered: boolean;
  /** The agent's total resources, flattened. */
  readonly total: V0Resources;
  readonly tasks: readonly LiveTask[];
  readonly frameworksActive: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly maxSandboxAgeMs: number;
  readonly system: SystemReadings;
}

/** Resources with `slave/<name>_total|used|percent` (and `_revocable_`) gauges. */
const RESOURCES = ['cpus', 'gpus', 'mem', 'disk'] as const;
/** Live states with a `slave/tasks_<state>` gauge. */
const GAUGED_STATES: readonly TaskState[] = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'];

export function renderAgentMetrics(input: AgentMetricsInputs): Record<string, number> {
  const out: Record<string, number> = { ...input.counters };
  out['slave/uptime_secs'] = (input.now - input.startedAt) / 1000;
  out['slave/registered'] = input.registered ? 1 : 0;
  out['slave/frameworks_active'] = input.frameworksActive;

  const live = input.tasks.filter((t) => t.phase !== 'terminated');
  for (const state of GAUGED_STATES) {
    out[`slave/tasks_${state.slice('TASK_'.length).toLowerCase()}`] = live.filter((t) => t.state === state).length;
  }
  // A command task's executor is the task: it registers while the task launches.
  out['slave/executors_registering'] = live.filter((t) => t.phase === 'launching').length;
  out['slave/executors_running'] = live.filter((t) => t.phase === 'running' && !t.silenced).length;
  out['slave/executors_terminating'] = live.filter((t) => t.phase === 'running' && t.silenced).length;
  out['slave/executor_directory_max_allowed_age_secs'] = input.maxSandboxAgeMs / 1000;

  for (const name of RESOURCES) {
    for (const key of [name, `${name}_revocable`]) {
      const total = scalar(input.total, key);
      const used = live.reduce((sum, t) => sum + scalar(t.resources, key), 0);
      out[`slave/${key}_total`] = total;
      out[`slave/${key}_used`] = used;
      out[`slave/${key}_percent`] = total === 0 ? 0 : used / total;
    }
  }

  out['system/cpus_total'] = input.system.cpusTotal;
  out['system/load_1min'] = input.system.load1min;
  out['system/load_5min'] = input.system.load5min;
  out['system/load_15min'] = input.system.load15min;
  out['system/mem_total_bytes'] = input.system.memTotalBytes;
  out['system/mem_free_bytes'] = input.system.memFreeBytes;

  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function scalar(resources: V0Resources, name: string): number {
  const value = resources[name];
  return typeof value === 'number' ? value : 0;
}
