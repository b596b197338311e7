import { IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Env, FromEnv, IsHost, IsPort, IsPostgresUrl, loadConfig } from '@agora/nest-common';

/**
 * The master's configuration: the only place the master reads the environment. Validated at
 * boot; an invalid value stops the process with the list of bad variables.
 */
export class MasterConfig {
  /** HTTP port for the scheduler, operator and health APIs (Mesos's master port). */
  @FromEnv('AGORA_MASTER_PORT')
  @IsPort()
  readonly port: number = 5050;

  /** Address to bind; `0.0.0.0` serves every interface. */
  @FromEnv('AGORA_MASTER_HOST')
  @IsHost()
  readonly host: string = '0.0.0.0';

  /** How often the allocator runs a cycle (Mesos --allocation_interval), in milliseconds. */
  @FromEnv('AGORA_ALLOCATION_INTERVAL_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10)
  @Max(3_600_000)
  readonly allocationIntervalMs: number = 1000;

  /** Seconds between HEARTBEAT events on scheduler streams (Mesos: 15). */
  @FromEnv('AGORA_HEARTBEAT_INTERVAL_SECONDS')
  @IsNumber({}, { message: 'must be a number of seconds' })
  @Min(0.1)
  @Max(3600)
  readonly heartbeatIntervalSeconds: number = 15;

  /** How often the master pings each agent (Mesos --agent_ping_timeout: 15 s). */
  @FromEnv('AGORA_AGENT_PING_INTERVAL_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(50)
  @Max(3_600_000)
  readonly agentPingIntervalMs: number = 15_000;

  /** Pings missed in a row before an agent is marked unreachable (Mesos --max_agent_ping_timeouts: 5). */
  @FromEnv('AGORA_MAX_AGENT_PING_TIMEOUTS')
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1000)
  readonly maxAgentPingTimeouts: number = 5;

  /** Rescind offers left unanswered this long (Mesos --offer_timeout); 0 never rescinds. */
  @FromEnv('AGORA_OFFER_TIMEOUT_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(31_536_000_000)
  readonly offerTimeoutMs: number = 0;

  /** Completed tasks kept per framework for /state and /tasks (Mesos --max_completed_tasks_per_framework). */
  @FromEnv('AGORA_MAX_COMPLETED_TASKS_PER_FRAMEWORK')
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(1_000_000)
  readonly maxCompletedTasksPerFramework: number = 1000;

  /** Completed frameworks kept (Mesos --max_completed_frameworks). */
  @FromEnv('AGORA_MAX_COMPLETED_FRAMEWORKS')
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(100_000)
  readonly maxCompletedFrameworks: number = 50;

  /** Operator event streams (`/api/v1` SUBSCRIBE) open at once; the oldest is dropped beyond it (Mesos --max_operator_event_stream_subscribers). */
  @FromEnv('AGORA_MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS')
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  readonly maxOperatorEventStreamSubscribers: number = 1000;

  /** How often a standby tries to take the leadership lock and re-reads who leads (DESIGN §5). */
  @FromEnv('AGORA_LEADER_POLL_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10)
  @Max(600_000)
  readonly leaderPollMs: number = 1000;

  /**
   * The leader's lease: Postgres ends the lock session after this much silence
   * (idle_session_timeout), so a frozen leader loses the lock; the leader touches it every
   * lease/4 and exits when a touch fails or comes later than this (Mesos's ZooKeeper session).
   */
  @FromEnv('AGORA_LEADER_LEASE_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(200)
  @Max(3_600_000)
  readonly leaderLeaseMs: number = 10_000;

  /** After taking office, agents that have not re-registered within this are unreachable (Mesos --agent_reregister_timeout: 10 min). */
  @FromEnv('AGORA_AGENT_REREGISTER_TIMEOUT_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(31_536_000_000)
  readonly agentReregisterTimeoutMs: number = 600_000;

  /** After taking office, roles with quota get no offers until this fraction of the recovered agents is back (Mesos: 0.8). */
  @FromEnv('AGORA_QUOTA_RECOVERY_FRACTION')
  @IsNumber({}, { message: 'must be a number between 0 and 1' })
  @Min(0, { message: 'must be a number between 0 and 1' })
  @Max(1, { message: 'must be a number between 0 and 1' })
  readonly quotaRecoveryFraction: number = 0.8;

  /** ... or until this long after taking office (Mesos: 10 min). */
  @FromEnv('AGORA_QUOTA_RECOVERY_TIMEOUT_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(31_536_000_000)
  readonly quotaRecoveryTimeoutMs: number = 600_000;

  /**
   * The NATS server(s) agents talk to the master through, e.g. `nats://127.0.0.1:4222`. Unset:
   * a bus inside this process only (`agora local`), which remote agents cannot reach.
   */
  @FromEnv('NATS_URL')
  @IsOptional()
  @Matches(/^nats:\/\/[^\s,]+(,\s*nats:\/\/[^\s,]+)*$/, { message: 'must be nats://host:port (several separated by commas)' })
  readonly natsUrl?: string = undefined;

  /** Prefix of every bus subject; masters and agents of one cluster share it (several clusters, one NATS). */
  @FromEnv('AGORA_BUS_NAMESPACE')
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: "must be dot-separated tokens of letters, digits, '-' and '_'" })
  readonly busNamespace?: string = undefined;

  /** The name this master gives in its MasterInfo and `hostname` fields; defaults to the machine's. */
  @FromEnv('AGORA_MASTER_HOSTNAME')
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  readonly hostname?: string = undefined;

  /**
   * The registry's Postgres, e.g. `postgres://agora:secret@db:5432/agora`. When unset the master
   * starts an embedded Postgres (below); both get the same migrations.
   */
  @FromEnv('DATABASE_URL')
  @IsOptional()
  @IsPostgresUrl()
  readonly databaseUrl?: string = undefined;

  /** Data directory of the embedded Postgres (used only when DATABASE_URL is unset). */
  @FromEnv('AGORA_EMBEDDED_POSTGRES_DIR')
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  readonly embeddedPostgresDir: string = '.agora/postgres';

  /** Port of the embedded Postgres on 127.0.0.1; 0 picks a free one at each start. */
  @FromEnv('AGORA_EMBEDDED_POSTGRES_PORT')
  @IsPort()
  readonly embeddedPostgresPort: number = 0;
}

export function loadMasterConfig(
  overrides: Partial<MasterConfig> = {},
  env: Env = process.env,
): MasterConfig {
  return loadConfig(MasterConfig, env, overrides);
}
