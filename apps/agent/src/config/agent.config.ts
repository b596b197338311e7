import { hostname as machineHostname } from 'node:os';
import { IsIn, IsInt, IsIP, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Env, FromEnv, IsHost, IsPort, loadConfig } from '@agora/nest-common';
import { RECOVER_MODES, type RecoverMode } from '../recovery/recovery-plan';
import { IsAttributeText, IsNatsUrl, IsNotBelow, IsResourceText } from './agent-validators';

const MS = { message: 'must be a whole number of milliseconds' };

/** AGORA_DOCKER: use an engine when one answers (auto), refuse to start without one (on), or never use one (off). */
export const DOCKER_MODES = ['auto', 'on', 'off'] as const;
export type DockerMode = (typeof DOCKER_MODES)[number];

/**
 * The agent's configuration: the only place the agent reads the environment. Validated at
 * boot; an invalid value stops the process with the list of bad variables.
 */
export class AgentConfig {
  /** HTTP port for the executor, files and health APIs (Mesos's agent port). */
  @FromEnv('AGORA_AGENT_PORT')
  @IsPort()
  readonly port: number = 5051;

  /** Address to bind; `0.0.0.0` serves every interface. */
  @FromEnv('AGORA_AGENT_HOST')
  @IsHost()
  readonly host: string = '0.0.0.0';

  /** The name offers and the web UI show for this machine (AgentInfo.hostname). */
  @FromEnv('AGORA_AGENT_HOSTNAME')
  @Matches(/^[^\s/]+$/, { message: 'must be a host name without spaces or slashes' })
  readonly hostname: string = machineHostname();

  /**
   * The address the master and frameworks use to reach this agent's HTTP API (the `ip` of
   * register/reregister, which becomes the offers' `url`). Loopback by default, since a bind
   * address of 0.0.0.0 says nothing about where the agent can be reached.
   */
  @FromEnv('AGORA_AGENT_ADVERTISE_IP')
  @IsIP(undefined, { message: 'must be an IPv4 or IPv6 address' })
  readonly advertiseIp: string = '127.0.0.1';

  /** Sandboxes and the agent's meta data; `.agora/agent-<port>` when unset (workDirOf). */
  @FromEnv('AGORA_AGENT_WORK_DIR')
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  readonly workDir?: string = undefined;

  /** `cpus:4;mem:8192;ports:[31000-32000]`; what is left out is detected (machine/agent-resources.ts). */
  @FromEnv('AGORA_AGENT_RESOURCES')
  @IsOptional()
  @IsResourceText()
  readonly resources?: string = undefined;

  /** `rack:r1;zone:a;level:10;keys:[1000-1500]`, passed to offers uninterpreted. */
  @FromEnv('AGORA_AGENT_ATTRIBUTES')
  @IsOptional()
  @IsAttributeText()
  readonly attributes?: string = undefined;

  /** The bus to the master. Unset is only valid when the caller hands in a transport (`agora local`). */
  @FromEnv('NATS_URL')
  @IsOptional()
  @IsNatsUrl()
  readonly natsUrl?: string = undefined;

  /** Prefix of every bus subject; the same as the master's (several clusters, one NATS). */
  @FromEnv('AGORA_BUS_NAMESPACE')
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: "must be dot-separated tokens of letters, digits, '-' and '_'" })
  readonly busNamespace?: string = undefined;

  /** First resend of an unacknowledged status update (Mesos STATUS_UPDATE_RETRY_INTERVAL_MIN). */
  @FromEnv('AGORA_STATUS_UPDATE_RETRY_MIN_MS')
  @IsInt(MS)
  @Min(1)
  @Max(86_400_000)
  readonly statusUpdateRetryMinMs: number = 10_000;

  /** The resend interval doubles up to this (Mesos STATUS_UPDATE_RETRY_INTERVAL_MAX). */
  @FromEnv('AGORA_STATUS_UPDATE_RETRY_MAX_MS')
  @IsInt(MS)
  @Max(86_400_000)
  @IsNotBelow('statusUpdateRetryMinMs', { message: 'must not be below AGORA_STATUS_UPDATE_RETRY_MIN_MS' })
  readonly statusUpdateRetryMaxMs: number = 600_000;

  /** SIGTERM-to-SIGKILL grace of a kill when neither the kill nor the task names one (Mesos: 3 s). */
  @FromEnv('AGORA_KILL_GRACE_MS')
  @IsInt(MS)
  @Min(0)
  @Max(86_400_000)
  readonly killGraceMs: number = 3000;

  /** How long one register/reregister request waits for the master's answer. */
  @FromEnv('AGORA_REGISTRATION_TIMEOUT_MS')
  @IsInt(MS)
  @Min(1)
  @Max(3_600_000)
  readonly registrationTimeoutMs: number = 5000;

  /**
   * Registration retries wait a random time in [0, factor × 2^n], capped at one minute
   * (Mesos --registration_backoff_factor, 1 s). Tests shorten it.
   */
  @FromEnv('AGORA_REGISTRATION_BACKOFF_FACTOR_MS')
  @IsInt(MS)
  @Min(1)
  @Max(60_000)
  readonly registrationBackoffFactorMs: number = 1000;

  /** Whether tasks with a Docker container run here (drivers/docker/docker-support.ts). */
  @FromEnv('AGORA_DOCKER')
  @IsIn(DOCKER_MODES, { message: 'must be auto, on or off' })
  readonly docker: DockerMode = 'auto';

  /**
   * How the process driver starts tasks: `auto` through agora-launcher when it is built
   * (dist/native/agora-launcher), else with Node's spawn; `off` always with Node's spawn; or
   * the absolute path of a launcher binary (drivers/process/launcher-client.ts).
   */
  @FromEnv('AGORA_PROCESS_LAUNCHER')
  @Matches(/^(auto|off|\/.+)$/, { message: 'must be auto, off or the absolute path of an agora-launcher binary' })
  readonly processLauncher: string = 'auto';

  /** The Docker engine, as the docker CLI reads it; unset: unix:///var/run/docker.sock. */
  @FromEnv('DOCKER_HOST')
  @IsOptional()
  @Matches(/^(unix:\/\/\/.+|(tcp|http):\/\/[^/\s]+:\d+\/?)$/, { message: 'must be unix:///path/to/docker.sock or tcp://host:port' })
  readonly dockerHost?: string = undefined;

  /**
   * How long the container of an ended Docker task is kept before it is removed (Mesos
   * --docker_remove_delay, 6 h; an hour here, since every kept container costs the engine).
   */
  @FromEnv('AGORA_DOCKER_REMOVE_DELAY_MS')
  @IsInt(MS)
  @Min(0)
  @Max(604_800_000)
  readonly dockerRemoveDelayMs: number = 3_600_000;

  /**
   * How long the sandbox of a finished task is kept (Mesos --gc_delay, one week); shortened
   * when the disk fills (sandbox/sandbox-gc-policy.ts).
   */
  @FromEnv('AGORA_SANDBOX_GC_DELAY_MS')
  @IsInt(MS)
  @Min(0)
  @Max(31_536_000_000)
  readonly sandboxGcDelayMs: number = 604_800_000;

  /** How often disk usage is checked and overdue sandboxes are removed (Mesos --disk_watch_interval). */
  @FromEnv('AGORA_DISK_WATCH_INTERVAL_MS')
  @IsInt(MS)
  @Min(1)
  @Max(86_400_000)
  readonly diskWatchIntervalMs: number = 60_000;

  /**
   * How long a custom executor has to SUBSCRIBE after it was started; then its queued tasks fail
   * (REASON_EXECUTOR_REGISTRATION_TIMEOUT) and it is killed (Mesos --executor_registration_timeout).
   */
  @FromEnv('AGORA_EXECUTOR_REGISTRATION_TIMEOUT_MS')
  @IsInt(MS)
  @Min(1)
  @Max(86_400_000)
  readonly executorRegistrationTimeoutMs: number = 60_000;

  /**
   * How long an executor told to SHUT DOWN may take to exit before it is killed, unless its
   * ExecutorInfo names a shutdown_grace_period (Mesos --executor_shutdown_grace_period).
   */
  @FromEnv('AGORA_EXECUTOR_SHUTDOWN_GRACE_MS')
  @IsInt(MS)
  @Min(0)
  @Max(86_400_000)
  readonly executorShutdownGraceMs: number = 5000;

  /**
   * How long a recovering agent waits for the custom executors of checkpointing frameworks to
   * SUBSCRIBE again; those that do not are killed and their tasks lost (Mesos
   * --executor_reregistration_timeout).
   */
  @FromEnv('AGORA_EXECUTOR_REREGISTRATION_TIMEOUT_MS')
  @IsInt(MS)
  @Min(1)
  @Max(3_600_000)
  readonly executorReregistrationTimeoutMs: number = 2000;

  /**
   * What a starting agent does with the tasks an earlier agent process checkpointed (Mesos
   * --recover): `reconnect` takes them back and re-registers with the same id; `cleanup` kills
   * them and everything else left over, and re-registers with no tasks (recovery/).
   */
  @FromEnv('AGORA_AGENT_RECOVER')
  @IsIn(RECOVER_MODES, { message: 'must be reconnect or cleanup' })
  readonly recover: RecoverMode = 'reconnect';
}

export function loadAgentConfig(
  overrides: Partial<AgentConfig> = {},
  env: Env = process.env,
): AgentConfig {
  return loadConfig(AgentConfig, env, overrides);
}

/** The work dir: as configured, or `.agora/agent-<port>` relative to the current directory. */
export function workDirOf(config: AgentConfig): string {
  return config.workDir ?? `.agora/agent-${config.port}`;
}
