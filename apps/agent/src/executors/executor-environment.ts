/**
 * The environment of a custom executor (reference §2; Mesos `executorEnvironment`,
 * src/slave/slave.cpp): who it is, where its sandbox is and where the agent's executor API
 * answers, then the ExecutorInfo command's own variables, which win. Executor libraries read
 * these to subscribe — the npm `mesos-framework` Executor needs MESOS_FRAMEWORK_ID,
 * MESOS_EXECUTOR_ID, MESOS_DIRECTORY and MESOS_AGENT_ENDPOINT (`ip:port`), and reads
 * MESOS_CHECKPOINT, MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD, MESOS_RECOVERY_TIMEOUT and
 * MESOS_SUBSCRIPTION_BACKOFF_MAX when present. Durations are written as Mesos writes them
 * (`5secs`, `15mins`). Pure.
 */
import type { CommandInfo } from '@agora/protocol';
import type { TaskEnvironment } from '../tasks/command-environment';

/** Mesos --recovery_timeout and --executor_reregistration_timeout: how long a checkpointing executor retries. */
const RECOVERY_TIMEOUT_MS = 15 * 60_000;
const SUBSCRIPTION_BACKOFF_MAX_MS = 2000;

export interface ExecutorEnvironmentInput {
  readonly sandbox: string;
  readonly frameworkId: string;
  readonly executorId: string;
  readonly agentId: string;
  /** `ip:port` of the agent's HTTP API. */
  readonly agentEndpoint: string;
  readonly checkpoint: boolean;
  readonly shutdownGraceMs: number;
  readonly command: CommandInfo;
}

export function executorEnvironment(input: ExecutorEnvironmentInput): TaskEnvironment {
  const env: Record<string, string> = {
    MESOS_FRAMEWORK_ID: input.frameworkId,
    MESOS_EXECUTOR_ID: input.executorId,
    MESOS_DIRECTORY: input.sandbox,
    MESOS_SANDBOX: input.sandbox,
    MESOS_SLAVE_ID: input.agentId,
    MESOS_AGENT_ID: input.agentId,
    MESOS_SLAVE_PID: `slave(1)@${input.agentEndpoint}`,
    MESOS_AGENT_ENDPOINT: input.agentEndpoint,
    MESOS_CHECKPOINT: input.checkpoint ? '1' : '0',
    MESOS_HTTP_COMMAND_EXECUTOR: '0',
    MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: mesosDuration(input.shutdownGraceMs),
  };
  if (input.checkpoint) {
    env.MESOS_RECOVERY_TIMEOUT = mesosDuration(RECOVERY_TIMEOUT_MS);
    env.MESOS_SUBSCRIPTION_BACKOFF_MAX = mesosDuration(SUBSCRIPTION_BACKOFF_MAX_MS);
  }
  const skipped: string[] = [];
  for (const variable of input.command.environment?.variables ?? []) {
    if (variable.type === 'SECRET' || variable.value === undefined) {
      skipped.push(variable.name);
      continue;
    }
    env[variable.name] = variable.value;
  }
  return { env, skipped };
}

const UNITS: readonly [string, number][] = [
  ['weeks', 7 * 24 * 3_600_000],
  ['days', 24 * 3_600_000],
  ['hrs', 3_600_000],
  ['mins', 60_000],
  ['secs', 1000],
  ['ms', 1],
];

/** A duration as Mesos's `stringify(Duration)` writes it: the largest unit it fills, `5secs`, `1.5mins`, `0ns`. */
export function mesosDuration(ms: number): string {
  if (ms <= 0) return '0ns';
  for (const [unit, size] of UNITS) {
    if (ms >= size) return `${Number((ms / size).toPrecision(6))}${unit}`;
  }
  return `${Number((ms * 1000).toPrecision(6))}us`;
}
