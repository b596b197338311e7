import type { Logger } from '@nestjs/common';
import type { Clock, TimerHandle } from '../clock/clock';

/**
 * The log of agents re-registering. After a failover every agent re-registers within a second
 * or two; a line each (5,000 lines) cost the new master about 5 % of its recovery and buried
 * everything else in the log. Each agent still gets a debug line; at log level one line per
 * window sums them up.
 */
export class ReregistrationLog {
  private agents = 0;
  private tasks = 0;
  private flush?: TimerHandle;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly windowMs = 1000,
  ) {}

  reregistered(agentId: string, hostname: string, port: number, tasks: number): void {
    this.logger.debug(`agent ${agentId} at ${hostname}:${port} re-registered with ${tasks} task(s)`);
    this.agents++;
    this.tasks += tasks;
    this.flush ??= this.clock.after(this.windowMs, () => this.write());
  }

  /** Writes what is pending now (the master stops). */
  close(): void {
    this.flush?.cancel();
    if (this.agents > 0) this.write();
  }

  private write(): void {
    const { agents, tasks } = this;
    this.agents = this.tasks = 0;
    this.flush = undefined;
    this.logger.log(agents === 1 ? `1 agent re-registered with ${tasks} task(s)` : `${agents} agents re-registered with ${tasks} task(s) in the last ${this.windowMs / 1000} s`);
  }
}
