/**
 * The rows of `agora agents`, `agora frameworks` and `agora tasks`, read from the master's v0
 * JSON (reference §3: `/slaves`, `/frameworks`, `/tasks`; flattened resources, string ids,
 * `slave_*` names). Read liberally: a field that is missing shows as `-` instead of failing,
 * so the commands keep working against masters that send more, or a little less. Pure.
 */
import { isTerminalState, TASK_STATES, type TaskState } from '@agora/protocol';
import { type Column, formatScalar, formatTime, formatUsage, renderTable } from './table';

type Json = Record<string, unknown>;

/** Flattened v0 resources: `{"cpus": 2, "mem": 1024, "ports": "[31000-32000]"}`. */
interface V0Resources {
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
}

export interface AgentRow {
  readonly id: string;
  readonly hostname: string;
  readonly port?: number;
  readonly total: V0Resources;
  readonly used: V0Resources;
  readonly active?: boolean;
  readonly registeredTime?: number;
  /** `draining`, `drained` (drain_info.state), `deactivated`, or undefined while in service. */
  readonly maintenance?: string;
}

export interface FrameworkRow {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly active?: boolean;
  readonly tasks: number;
  readonly used: V0Resources;
  readonly completed: boolean;
}

export interface TaskRow {
  readonly id: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly state: string;
  readonly resources: V0Resources;
}

// ---- reading ---------------------------------------------------------------------------------

export function agentRows(slaves: unknown): AgentRow[] {
  return objects(field(slaves, 'slaves')).map((a) => ({
    id: text(a.id),
    hostname: text(a.hostname),
    port: numberOr(a.port),
    total: resources(a.resources),
    used: resources(a.used_resources),
    active: booleanOr(a.active),
    registeredTime: numberOr(a.registered_time),
    maintenance: maintenanceOf(a),
  }));
}

/** A drain says more than `deactivated` (which every drain sets), so it wins. */
function maintenanceOf(agent: Json): string | undefined {
  const drainState = field(agent.drain_info, 'state');
  if (typeof drainState === 'string' && drainState !== '') return drainState.toLowerCase();
  return agent.deactivated === true ? 'deactivated' : undefined;
}

/** Registered frameworks, and with `all` the completed ones after them. */
export function frameworkRows(frameworks: unknown, all: boolean): FrameworkRow[] {
  const read = (f: Json, completed: boolean): FrameworkRow => ({
    id: text(f.id),
    name: text(f.name),
    roles: rolesOf(f),
    active: completed ? false : booleanOr(f.active),
    tasks: Array.isArray(f.tasks) ? f.tasks.length : 0,
    used: resources(f.used_resources),
    completed,
  });
  const registered = objects(field(frameworks, 'frameworks')).map((f) => read(f, false));
  if (!all) return registered;
  return [...registered, ...objects(field(frameworks, 'completed_frameworks')).map((f) => read(f, true))];
}

/** The tasks of `/tasks`; without `all`, only those not yet in a terminal state. */
export function taskRows(tasks: unknown, all: boolean): TaskRow[] {
  const rows = objects(field(tasks, 'tasks')).map((t) => ({
    id: text(t.id),
    name: text(t.name),
    frameworkId: text(t.framework_id),
    agentId: text(t.slave_id ?? t.agent_id),
    state: text(t.state),
    resources: resources(t.resources),
  }));
  return all ? rows : rows.filter((t) => !isTaskState(t.state) || !isTerminalState(t.state));
}

// ---- rendering -------------------------------------------------------------------------------

const AGENT_COLUMNS: Column<AgentRow>[] = [
  { header: 'ID', cell: (a) => a.id },
  { header: 'HOSTNAME', cell: (a) => (a.port === undefined ? a.hostname : `${a.hostname}:${a.port}`) },
  { header: 'CPUS', cell: (a) => formatUsage(a.used.cpus, a.total.cpus) },
  { header: 'MEM (MB)', cell: (a) => formatUsage(a.used.mem, a.total.mem) },
  { header: 'DISK (MB)', cell: (a) => formatUsage(a.used.disk, a.total.disk) },
  { header: 'ACTIVE', cell: (a) => yesNo(a.active) },
  { header: 'REGISTERED (UTC)', cell: (a) => formatTime(a.registeredTime) },
  // Last, so that an agent in service ends its line with nothing after the time.
  { header: 'MAINTENANCE', cell: (a) => a.maintenance ?? '' },
];

const FRAMEWORK_COLUMNS: Column<FrameworkRow>[] = [
  { header: 'ID', cell: (f) => f.id },
  { header: 'NAME', cell: (f) => f.name },
  { header: 'ROLES', cell: (f) => (f.roles.length === 0 ? '-' : f.roles.join(',')) },
  { header: 'ACTIVE', cell: (f) => (f.completed ? 'completed' : yesNo(f.active)) },
  { header: 'TASKS', cell: (f) => String(f.tasks) },
  { header: 'CPUS', cell: (f) => formatScalar(f.used.cpus ?? 0) },
  { header: 'MEM (MB)', cell: (f) => formatScalar(f.used.mem ?? 0) },
];

const TASK_COLUMNS: Column<TaskRow>[] = [
  { header: 'ID', cell: (t) => t.id },
  { header: 'NAME', cell: (t) => t.name },
  { header: 'FRAMEWORK', cell: (t) => t.frameworkId },
  { header: 'AGENT', cell: (t) => t.agentId },
  { header: 'STATE', cell: (t) => t.state },
  { header: 'CPUS', cell: (t) => formatScalar(t.resources.cpus) },
  { header: 'MEM (MB)', cell: (t) => formatScalar(t.resources.mem) },
];

export const agentsTable = (rows: readonly AgentRow[]): string => renderTable(AGENT_COLUMNS, rows);
export const frameworksTable = (rows: readonly FrameworkRow[]): string => renderTable(FRAMEWORK_COLUMNS, rows);
export const tasksTable = (rows: readonly TaskRow[]): string => renderTable(TASK_COLUMNS, rows);

/** MULTI_ROLE frameworks list `roles`; older ones have the single `role`. */
function rolesOf(framework: Json): string[] {
  if (Array.isArray(framework.roles)) return framework.roles.filter((r): r is string => typeof r === 'string');
  return typeof framework.role === 'string' ? [framework.role] : [];
}

// ---- liberal field access --------------------------------------------------------------------

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function resources(value: unknown): V0Resources {
  if (!isObject(value)) return {};
  return { cpus: numberOr(value.cpus), mem: numberOr(value.mem), disk: numberOr(value.disk) };
}

function text(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : '-';
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function booleanOr(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? '-' : value ? 'yes' : 'no';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTaskState(value: string): value is TaskState {
  return (TASK_STATES as readonly string[]).includes(value);
}
