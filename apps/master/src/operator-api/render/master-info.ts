/** `/version`, `/flags` and `/redirect`: what this master is and how it was configured. */
import { AGORA_VERSION, MESOS_COMPATIBLE_VERSION } from '../../cluster/master-identity';
import type { BuildFacts, FlagsConfig, MasterFacts } from './inputs';
import type { VersionJson } from './json';

export function renderVersion(build: BuildFacts): VersionJson {
  return {
    version: MESOS_COMPATIBLE_VERSION,
    agora_version: AGORA_VERSION,
    build_date: build.date,
    build_time: build.time,
    build_user: build.user,
    ...(build.gitSha !== undefined ? { git_sha: build.gitSha } : {}),
  };
}

/**
 * The configuration under Mesos's flag names, every value a string as Mesos prints it
 * (durations as `1secs`, `15secs`, `100ms`). Flags Mesos leaves out when unset are left out
 * here too (`offer_timeout` when offers never time out). Agora-only settings use names of their
 * own; the database URL is never shown (it may hold a password).
 */
export function renderFlags(config: FlagsConfig, master: Pick<MasterFacts, 'hostname' | 'port'>): Record<string, string> {
  const flags: Record<string, string> = {
    agent_ping_timeout: formatDuration(config.agentPingIntervalMs),
    agent_reregister_timeout: formatDuration(config.agentReregisterTimeoutMs),
    allocation_interval: formatDuration(config.allocationIntervalMs),
    allocator: 'hierarchical',
    heartbeat_interval: formatDuration(config.heartbeatIntervalSeconds * 1000),
    hostname: master.hostname,
    ip: config.host,
    // Agora's own: the leadership lock (DESIGN §5) and the allocator's pause after a failover.
    leader_lease: formatDuration(config.leaderLeaseMs),
    leader_poll_interval: formatDuration(config.leaderPollMs),
    max_agent_ping_timeouts: String(config.maxAgentPingTimeouts),
    max_completed_frameworks: String(config.maxCompletedFrameworks),
    max_completed_tasks_per_framework: String(config.maxCompletedTasksPerFramework),
    max_operator_event_stream_subscribers: String(config.maxOperatorEventStreamSubscribers),
    port: String(master.port),
    quota_recovery_fraction: String(config.quotaRecoveryFraction),
    quota_recovery_timeout: formatDuration(config.quotaRecoveryTimeoutMs),
    registry: 'postgres',
  };
  if (config.offerTimeoutMs > 0) flags.offer_timeout = formatDuration(config.offerTimeoutMs);
  return sortKeys(flags);
}

const UNITS: readonly (readonly [string, number])[] = [
  ['weeks', 7 * 24 * 3600 * 1000],
  ['days', 24 * 3600 * 1000],
  ['hrs', 3600 * 1000],
  ['mins', 60 * 1000],
  ['secs', 1000],
  ['ms', 1],
  ['us', 1e-3],
  ['ns', 1e-6],
];

/** A duration as Mesos's stout prints it: the largest unit it reaches, e.g. `1.5mins`, `100ms`. */
export function formatDuration(ms: number): string {
  const [unit, size] = UNITS.find(([, size]) => ms >= size) ?? ['ns', 1e-6];
  return `${Number((ms / size).toPrecision(15))}${unit}`;
}

/** Where `/redirect` sends a client: the leader (this master), scheme-relative as Mesos does. */
export function leaderLocation(master: Pick<MasterFacts, 'ip' | 'port'>): string {
  return `//${master.ip}:${master.port}`;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
