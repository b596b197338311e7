import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { HealthCheck } from '@agora/protocol';
import { Clock } from '../clock/clock';
import { healthCheckProblem, healthCheckSettings } from './health-check-settings';
import { HealthChecker, type HealthReport, type HealthResume } from './health-checker';
import { HealthProbes } from './health-probes';

/** The task whose health is checked, as the executor knows it once the task runs. */
export interface HealthCheckTarget {
  /** Names the checker; one per container. */
  readonly containerId: string;
  readonly taskId: string;
  readonly check: HealthCheck;
  /** COMMAND checks run here, with this environment (the task's). */
  readonly sandbox: string;
  readonly env: Readonly<Record<string, string>>;
  /** A recovered task: its checks go on from where an earlier agent process left them. */
  readonly resume?: HealthResume;
}

/**
 * Task health checks, run by the agent in its role of command executor (reference §5.7). The
 * executor calls `watch` once its task runs and `stop` when it kills the task or the task
 * ends; it turns reports into TASK_RUNNING updates with `healthy` and acts on `kill`. A check
 * the agent cannot run (invalid, see healthCheckProblem) is skipped with a warning and the task
 * runs unchecked, as Mesos's command executor does when it cannot create its health checker.
 */
@Injectable()
export class HealthCheckService implements OnApplicationShutdown {
  private readonly logger = new Logger('health-checks');
  private readonly checkers = new Map<string, HealthChecker>();

  constructor(
    private readonly clock: Clock,
    private readonly probes: HealthProbes,
  ) {}

  /** Starts checking; false when the check is invalid and nothing was started. */
  watch(target: HealthCheckTarget, report: (report: HealthReport) => void): boolean {
    const problem = healthCheckProblem(target.check);
    if (problem !== undefined) {
      this.logger.warn(`task ${target.taskId} runs without its health check, which is invalid: ${problem}`);
      return false;
    }
    this.stop(target.containerId);
    const settings = healthCheckSettings(target.check);
    const probe = this.probes.create(settings.probe, { sandbox: target.sandbox, env: target.env });
    const checker = new HealthChecker(settings, probe, this.clock, {
      report: (r) => {
        if (!r.healthy) this.logger.warn(`task ${target.taskId}: health check failed ${r.consecutiveFailures} time(s) in a row: ${r.message ?? 'unhealthy'}`);
        else this.logger.log(`task ${target.taskId} is healthy`);
        report(r);
      },
      checked: (outcome, verdict) => {
        if (verdict.kind === 'quiet' && verdict.why === 'grace-period') {
          this.logger.log(`task ${target.taskId}: ignoring a failed health check in its grace period: ${outcome.message ?? 'unhealthy'}`);
        }
      },
    });
    this.checkers.set(target.containerId, checker);
    checker.start(target.resume);
    const resumed = target.resume === undefined ? '' : ` (resumed: started ${(this.clock.now() - target.resume.startedAt) / 1000} s ago, ${target.resume.state.consecutiveFailures} failure(s) in a row)`;
    this.logger.log(`task ${target.taskId}: ${settings.probe.type} health check every ${settings.intervalMs / 1000} s after ${settings.delayMs / 1000} s${resumed}`);
    return true;
  }

  /** Stops the checks of a container; nothing is reported afterwards. Idempotent. */
  stop(containerId: string): void {
    const checker = this.checkers.get(containerId);
    if (checker === undefined) return;
    checker.stop();
    this.checkers.delete(containerId);
  }

  /** How many containers are being checked (tests, metrics). */
  get watching(): number {
    return this.checkers.size;
  }

  onApplicationShutdown(): void {
    for (const id of [...this.checkers.keys()]) this.stop(id);
  }
}
