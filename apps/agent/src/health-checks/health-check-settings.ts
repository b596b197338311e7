/**
 * A task's HealthCheck (mesos.proto) checked and made concrete: Mesos's defaults filled in
 * (reference §1.5) and seconds turned into milliseconds. Fractional seconds are kept, so tests
 * and impatient frameworks can check every 0.2 s. Pure.
 */
import { type CommandInfo, type HealthCheck, healthCheckProblem } from '@agora/protocol';

export { healthCheckProblem };

/** Mesos's HealthCheck defaults, in seconds (mesos.proto). */
export const HEALTH_CHECK_DEFAULTS = {
  delay_seconds: 15,
  interval_seconds: 10,
  timeout_seconds: 20,
  consecutive_failures: 3,
  grace_period_seconds: 10,
} as const;

/**
 * Checks run back to back at interval 0 in Mesos; the agent keeps this much breathing room
 * between them so a COMMAND check at interval 0 cannot fork without pause.
 */
export const MIN_INTERVAL_MS = 10;

/** What one check does. */
export type HealthProbeSpec =
  | { readonly type: 'COMMAND'; readonly command: CommandInfo }
  | { readonly type: 'HTTP'; readonly scheme: 'http' | 'https'; readonly port: number; readonly path: string; readonly statuses: readonly number[] }
  | { readonly type: 'TCP'; readonly port: number };

export interface HealthCheckSettings {
  readonly probe: HealthProbeSpec;
  /** Wait before the first check, counted from the task's start. */
  readonly delayMs: number;
  /** Wait after one check's result before the next check. */
  readonly intervalMs: number;
  /** How long one check may take; undefined means no limit (Mesos: timeout_seconds 0). */
  readonly timeoutMs: number | undefined;
  /** Failures in a row that get the task killed. */
  readonly consecutiveFailures: number;
  /** From the task's start, failures before the first success are ignored for this long. */
  readonly gracePeriodMs: number;
}

/** The settings of a valid check (see healthCheckProblem); throws for an invalid one. */
export function healthCheckSettings(check: HealthCheck): HealthCheckSettings {
  const problem = healthCheckProblem(check);
  if (problem !== undefined) throw new Error(problem);
  const seconds = (field: keyof typeof HEALTH_CHECK_DEFAULTS): number => check[field] ?? HEALTH_CHECK_DEFAULTS[field];
  const timeout = seconds('timeout_seconds');
  return {
    probe: probeSpec(check),
    delayMs: seconds('delay_seconds') * 1000,
    intervalMs: Math.max(MIN_INTERVAL_MS, seconds('interval_seconds') * 1000),
    timeoutMs: timeout > 0 ? timeout * 1000 : undefined,
    consecutiveFailures: seconds('consecutive_failures'),
    gracePeriodMs: seconds('grace_period_seconds') * 1000,
  };
}

function probeSpec(check: HealthCheck): HealthProbeSpec {
  if (check.type === 'COMMAND' && check.command !== undefined) return { type: 'COMMAND', command: check.command };
  if (check.type === 'HTTP' && check.http !== undefined) {
    return {
      type: 'HTTP',
      scheme: check.http.scheme === 'https' ? 'https' : 'http',
      port: check.http.port,
      path: check.http.path ?? '',
      statuses: check.http.statuses ?? [],
    };
  }
  if (check.type === 'TCP' && check.tcp !== undefined) return { type: 'TCP', port: check.tcp.port };
  throw new Error(`unexpected health check type ${String(check.type)}`);
}
