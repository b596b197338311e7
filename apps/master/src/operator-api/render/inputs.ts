/**
 * What the renderers read. Each renderer is a pure function of some of these: the live records
 * (read, never changed), facts about this master, its configuration, readings taken from the
 * allocator and the host, and `now`. OperatorService gathers them; tests build them by hand.
 */
import type { CycleMetrics } from '@agora/allocator';
import type { ResourceQuantities } from '@agora/resources';
import type { RecoveredAgent } from '../../cluster/cluster-state';
import type { AgentRecord, ExecutorRecord, FrameworkRecord, OfferRecord } from '../../cluster/records';
import type { MasterIdentity } from '../../cluster/master-identity';
import type { MasterConfig } from '../../config/master.config';
import type { TimerStatistic } from '../../metrics/timer-window';

/** The read-only face of ClusterState (ClusterState satisfies it). */
export interface ClusterView {
  readonly agents: ReadonlyMap<string, AgentRecord>;
  readonly frameworks: ReadonlyMap<string, FrameworkRecord>;
  /** Torn-down frameworks, oldest first. */
  readonly completedFrameworks: readonly FrameworkRecord[];
  readonly offers: ReadonlyMap<string, OfferRecord>;
  /** Custom and default executors (their resources count in quota consumption). */
  readonly executors: ReadonlyMap<string, ExecutorRecord>;
  /** Agents marked unreachable, with the time (ms) it happened. */
  readonly unreachableAgents: ReadonlyMap<string, number>;
  /** Agents known from the registry that have not re-registered since this master took office. */
  readonly recoveredAgents?: ReadonlyMap<string, RecoveredAgent>;
}

/** Who this master is (MasterIdentity satisfies it). */
export type MasterFacts = Pick<MasterIdentity, 'id' | 'hostname' | 'ip' | 'port' | 'pid' | 'startedAt' | 'electedAt' | 'info'>;

/** The configuration `/flags` shows (MasterConfig satisfies it). Never the database URL. */
export type FlagsConfig = Pick<
  MasterConfig,
  | 'host'
  | 'allocationIntervalMs'
  | 'heartbeatIntervalSeconds'
  | 'agentPingIntervalMs'
  | 'maxAgentPingTimeouts'
  | 'offerTimeoutMs'
  | 'maxCompletedTasksPerFramework'
  | 'maxCompletedFrameworks'
  | 'maxOperatorEventStreamSubscribers'
  | 'agentReregisterTimeoutMs'
  | 'leaderPollMs'
  | 'leaderLeaseMs'
  | 'quotaRecoveryFraction'
  | 'quotaRecoveryTimeoutMs'
>;

/** One role as the allocator's `roles()` query reports it. */
export interface RoleReading {
  readonly role: string;
  readonly weight: number;
  /** Dominant share, 0..1. */
  readonly share: number;
  /** Offered or allocated scalars, natural units. */
  readonly allocated: Readonly<Record<string, number>>;
}

/** The weights and quotas operators set (RolesService#weightList, #quotaList), by role name. */
export interface RoleSettings {
  readonly weights: readonly { readonly role: string; readonly weight: number }[];
  readonly quotas: readonly { readonly role: string; readonly guarantees: ResourceQuantities; readonly limits: ResourceQuantities }[];
}

/** What the allocator said when asked (AllocationService#read, lastMetrics, cycleCount). */
export interface AllocatorReadings {
  readonly roles: readonly RoleReading[];
  readonly cycles: number;
  /** Absent before the first cycle. */
  readonly lastCycle?: CycleMetrics;
  /** Statistics of recent cycles' allocator time (TimerWindow#statistics); absent below two cycles. */
  readonly runTimes?: TimerReading;
  /** Statistics of recent cycles' time including handing out their offers, and the last one's. */
  readonly cycleTimes?: TimerReading;
  readonly lastCycleMs?: number;
}

/** A timer metric's statistics by Mesos suffix (count, min, max, p50 … p9999). */
export type TimerReading = Readonly<Record<TimerStatistic, number>>;

/** The machine the master runs on (HostStats). */
export interface HostReadings {
  readonly cpus: number;
  /** Load averages over 1, 5 and 15 minutes. */
  readonly load: readonly [number, number, number];
  readonly memTotalBytes: number;
  readonly memFreeBytes: number;
}

/** Build information shown by `/version` and `/state`. */
export interface BuildFacts {
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  readonly date: string;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly user: string;
  readonly gitSha?: string;
}

/** Query parameters as Express parses them: strings, or arrays when a name repeats. */
export type QueryParams = Readonly<Record<string, unknown>>;
