/**
 * Whether a HealthCheck is valid, with Mesos's wording (`checks::validation::healthCheck`): the
 * master refuses a task with an invalid one (TASK_ERROR) and the agent, which runs the checks,
 * ignores one it gets anyway. Pure.
 */
import type { HealthCheck } from './task-types';

/**
 * Why Mesos would refuse `check` (`checks::validation::healthCheck`, same wording), or
 * undefined when it is valid. Agora adds port range checks, which Mesos leaves to the probe.
 */
export function healthCheckProblem(check: HealthCheck): string | undefined {
  switch (check.type) {
    case undefined:
      return "HealthCheck must specify 'type'";
    case 'COMMAND': {
      if (check.command === undefined) return "Expecting 'command' to be set for COMMAND health check";
      if (check.command.value === undefined || check.command.value === '') {
        return `Command health check must contain ${(check.command.shell ?? true) ? "'shell command'" : "'executable path'"}`;
      }
      break;
    }
    case 'HTTP': {
      if (check.http === undefined) return "Expecting 'http' to be set for HTTP health check";
      const { scheme, path, port } = check.http;
      if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return `Unsupported HTTP health check scheme: '${scheme}'`;
      if (path !== undefined && !path.startsWith('/')) return `The path '${path}' of HTTP health check must start with '/'`;
      if (!isPort(port)) return `Expecting 'http.port' to be a port number (1-65535), got ${String(port)}`;
      break;
    }
    case 'TCP': {
      if (check.tcp === undefined) return "Expecting 'tcp' to be set for TCP health check";
      if (!isPort(check.tcp.port)) return `Expecting 'tcp.port' to be a port number (1-65535), got ${String(check.tcp.port)}`;
      break;
    }
    default:
      return `'${String(check.type)}' is not a valid health check type`;
  }
  for (const field of ['delay_seconds', 'grace_period_seconds', 'interval_seconds', 'timeout_seconds'] as const) {
    const value = check[field];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) return `Expecting '${field}' to be non-negative`;
  }
  const failures = check.consecutive_failures;
  if (failures !== undefined && !(Number.isInteger(failures) && failures >= 0)) return "Expecting 'consecutive_failures' to be a non-negative integer";
  return undefined;
}


function isPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}
