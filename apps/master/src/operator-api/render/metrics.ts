/**
 * `/metrics/snapshot` (reference §3.2): the counters MasterMetrics keeps, plus gauges computed
 * here from the live records, the allocator's readings and the host's, under Mesos's names.
 * One pass over agents, frameworks and tasks; keys come out sorted.
 */
import { CALL_TYPES, isTerminalState, TASK_STATES, type TaskState } from '@agora/protocol';
import { milliToNumber, type Resources } from '@agora/resources';
import type { FrameworkRecord } from '../../cluster/records';
import type { AllocatorReadings, ClusterView, HostReadings, MasterFacts, TimerReading } from './inputs';
import type { MetricsJson } from './json';

export interface MetricsInputs {
  readonly cluster: ClusterView;
  readonly master: Pick<MasterFacts, 'startedAt' | 'electedAt'>;
  /** MasterMetrics#snapshot(). */
  readonly counters: Readonly<Record<string, number>>;
  readonly allocator: AllocatorReadings;
  readonly host: HostReadings;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

/** The resources Mesos reports `master/<name>_total|used|percent` for (and `_revocable_`). */
const MASTER_RESOURCES = ['cpus', 'gpus', 'mem', 'disk'] as const;
/** The resources the allocator always reports, present or not. */
const ALLOCATOR_RESOURCES = ['cpus', 'mem', 'disk'] as const;
/** Live task states with a `master/tasks_<state>` gauge. */
const GAUGED_TASK_STATES: readonly TaskState[] = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE'];
/** States a framework's `tasks/active/<state>` gauges cover, as in Mesos: the non-terminal ones. */
const ACTIVE_TASK_STATES: readonly TaskState[] = TASK_STATES.filter((s) => !isTerminalState(s));

export function renderMetrics(input: MetricsInputs): MetricsJson {
  const { cluster, master, allocator, host, now } = input;
  const out: Record<string, number> = { ...input.counters };

  out['master/elected'] = master.electedAt === undefined ? 0 : 1;
  out['master/uptime_secs'] = (now - master.startedAt) / 1000;

  // Agents: totals over registered agents; "used" is what tasks hold (offers are not use).
  const total = new Map<string, number>();
  const used = new Map<string, number>();
  let agentsActive = 0;
  let agentsDisconnected = 0;
  for (const agent of cluster.agents.values()) {
    addScalars(total, agent.total);
    if (agent.active) agentsActive++;
    // There is no connection to lose on the bus: an agent whose process said it exits
    // (agents/disconnections.ts), or that missed its last ping, counts as disconnected until it
    // re-registers or answers again (or is marked unreachable).
    if (agent.disconnected === true || agent.missedPings > 0) agentsDisconnected++;
  }
  const tasksByState = new Map<TaskState, number>();
  let frameworksActive = 0;
  let frameworksConnected = 0;
  for (const fw of cluster.frameworks.values()) {
    if (fw.active) frameworksActive++;
    if (fw.connected) frameworksConnected++;
    const active = new Map<TaskState, number>();
    for (const task of fw.tasks.values()) {
      if (!task.released) addScalars(used, task.resources);
      active.set(task.state, (active.get(task.state) ?? 0) + 1);
      tasksByState.set(task.state, (tasksByState.get(task.state) ?? 0) + 1);
    }
    frameworkMetrics(out, fw, active);
  }
  for (const name of MASTER_RESOURCES) {
    for (const key of [name, `${name}_revocable`]) {
      const t = milliToNumber(total.get(key) ?? 0);
      const u = milliToNumber(used.get(key) ?? 0);
      out[`master/${key}_total`] = t;
      out[`master/${key}_used`] = u;
      out[`master/${key}_percent`] = t === 0 ? 0 : u / t;
    }
  }
  out['master/slaves_active'] = agentsActive;
  out['master/slaves_inactive'] = cluster.agents.size - agentsActive;
  out['master/slaves_connected'] = cluster.agents.size - agentsDisconnected;
  out['master/slaves_disconnected'] = agentsDisconnected;
  out['master/slaves_unreachable'] = cluster.unreachableAgents.size;
  out['master/frameworks_active'] = frameworksActive;
  out['master/frameworks_inactive'] = cluster.frameworks.size - frameworksActive;
  out['master/frameworks_connected'] = frameworksConnected;
  out['master/frameworks_disconnected'] = cluster.frameworks.size - frameworksConnected;
  out['master/outstanding_offers'] = cluster.offers.size;
  for (const state of GAUGED_TASK_STATES) out[`master/${lowerState(state)}`] = tasksByState.get(state) ?? 0;
  // The master has no actor queue: requests are served as they come.
  out['master/event_queue_messages'] = 0;
  out['master/event_queue_dispatches'] = 0;
  out['master/event_queue_http_requests'] = 0;

  allocatorMetrics(out, allocator, total);

  out['system/cpus_total'] = host.cpus;
  out['system/load_1min'] = host.load[0];
  out['system/load_5min'] = host.load[1];
  out['system/load_15min'] = host.load[2];
  out['system/mem_total_bytes'] = host.memTotalBytes;
  out['system/mem_free_bytes'] = host.memFreeBytes;

  const sorted: MetricsJson = {};
  for (const key of Object.keys(out).sort()) sorted[key] = out[key];
  return sorted;
}

function allocatorMetrics(out: Record<string, number>, allocator: AllocatorReadings, total: ReadonlyMap<string, number>): void {
  out['allocator/mesos/allocation_runs'] = allocator.cycles;
  out['allocator/mesos/allocation_run_ms'] = allocator.lastCycle?.durationMs ?? 0;
  timerMetrics(out, 'allocator/mesos/allocation_run_ms', allocator.runTimes);
  // Agora's own: the cycle as the event loop feels it, offers to frameworks included.
  if (allocator.lastCycleMs !== undefined) out['allocator/agora/allocation_cycle_ms'] = allocator.lastCycleMs;
  timerMetrics(out, 'allocator/agora/allocation_cycle_ms', allocator.cycleTimes);
  out['allocator/mesos/event_queue_dispatches'] = 0;
  const allocated = new Map<string, number>();
  for (const role of allocator.roles) {
    out[`allocator/mesos/roles/${role.role}/shares/dominant`] = role.share;
    for (const [name, value] of Object.entries(role.allocated)) allocated.set(name, (allocated.get(name) ?? 0) + value);
  }
  const names = new Set<string>(ALLOCATOR_RESOURCES);
  for (const key of total.keys()) if (!key.endsWith('_revocable')) names.add(key);
  for (const name of names) {
    out[`allocator/mesos/resources/${name}/total`] = milliToNumber(total.get(name) ?? 0);
    out[`allocator/mesos/resources/${name}/offered_or_allocated`] = allocated.get(name) ?? 0;
  }
}

/** A timer's statistics under `<name>/<statistic>`, as Mesos publishes them (none below two values). */
function timerMetrics(out: Record<string, number>, name: string, reading: TimerReading | undefined): void {
  if (reading === undefined) return;
  for (const [statistic, value] of Object.entries(reading)) out[`${name}/${statistic}`] = value;
}

/** Mesos's per-framework metrics (`--publish_per_framework_metrics`, on by default). */
function frameworkMetrics(out: Record<string, number>, fw: FrameworkRecord, tasksByState: ReadonlyMap<TaskState, number>): void {
  const prefix = `master/frameworks/${percentEncode(fw.info.name)}/${fw.id}/`;
  out[`${prefix}subscribed`] = fw.connected ? 1 : 0;
  let calls = 0;
  for (const type of CALL_TYPES) {
    const n = fw.counters.calls.get(type) ?? 0;
    out[`${prefix}calls/${type.toLowerCase()}`] = n;
    calls += n;
  }
  out[`${prefix}calls`] = calls;
  out[`${prefix}offers/sent`] = fw.counters.offersSent;
  out[`${prefix}offers/accepted`] = fw.counters.offersAccepted;
  out[`${prefix}offers/declined`] = fw.counters.offersDeclined;
  out[`${prefix}offers/rescinded`] = fw.counters.offersRescinded;
  for (const role of fw.roles) out[`${prefix}roles/${role}/suppressed`] = fw.suppressedRoles.has(role) ? 1 : 0;
  for (const state of ACTIVE_TASK_STATES) out[`${prefix}tasks/active/${state.toLowerCase()}`] = tasksByState.get(state) ?? 0;
}

/** Scalars summed in milli by name; revocable ones under `<name>_revocable`. */
function addScalars(into: Map<string, number>, resources: Resources): void {
  for (const r of resources) {
    if (r.kind !== 'SCALAR') continue;
    const key = r.revocable === true ? `${r.name}_revocable` : r.name;
    into.set(key, (into.get(key) ?? 0) + (r.milli ?? 0));
  }
}

/** `TASK_RUNNING` → `tasks_running`. */
const lowerState = (state: TaskState): string => `tasks_${state.slice('TASK_'.length).toLowerCase()}`;

/** Percent-encodes all but unreserved characters, as Mesos encodes framework names in metric keys. */
function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
