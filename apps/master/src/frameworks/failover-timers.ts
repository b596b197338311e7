import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock, type TimerHandle } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import { type FrameworkRecord as RegistryFramework, RegistryService } from '../registry';
import { FrameworksService } from './frameworks.service';

/**
 * `failover_timeout` honoured across master failover (reference §6.1). A new leader starts, for
 * every framework the registry holds (not removed), the timer the old leader's disconnect would
 * have started, counted from taking office. A framework whose scheduler re-subscribes in time is
 * left to its own timers (frameworks.service.ts); one that does not is removed as on any
 * failover-timeout expiry: torn down when its tasks were recovered from agents, otherwise retired
 * in the registry (agents that report its tasks later are told to shut it down).
 *
 * A `failover_timeout` of 0 is not applied here: the scheduler's "disconnect" was the old
 * leader's death, and removing every such framework the moment a new leader takes office would
 * race each scheduler reconnecting to it. Mesos keeps such frameworks until they re-subscribe.
 */
@Injectable()
export class FailoverTimers implements OnModuleDestroy {
  private readonly logger = new Logger('frameworks');
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly state: ClusterState,
    private readonly frameworks: FrameworksService,
    private readonly registry: RegistryService,
    private readonly clock: Clock,
  ) {}

  /** On taking office, with every framework the registry holds. */
  start(records: readonly RegistryFramework[]): void {
    for (const record of records) {
      if (record.removedTime !== null || record.failoverTimeoutSeconds <= 0) continue;
      const ms = Math.min(record.failoverTimeoutSeconds * 1000, 2 ** 31 - 1);
      this.timers.set(record.id, this.clock.after(ms, () => this.expire(record)));
    }
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private expire(record: RegistryFramework): void {
    this.timers.delete(record.id);
    const fw = this.state.frameworks.get(record.id);
    // Subscribed to this master since it took office: its own disconnect timer rules.
    if (fw !== undefined && !fw.recovered) return;
    if (this.state.removedFrameworkIds.has(record.id)) return;
    const why = `failover timeout of ${record.failoverTimeoutSeconds} s expired after master failover`;
    if (fw !== undefined) {
      this.frameworks.teardown(fw, why);
      return;
    }
    this.logger.log(`removing framework ${record.id} (${record.name}): ${why}`);
    this.state.removedFrameworkIds.add(record.id);
    this.registry.markFrameworkRemoved(record.id).catch((e: Error) => this.logger.warn(`registry: could not mark framework ${record.id} removed: ${e.message}`));
  }
}
