import { BadRequestException, Injectable } from '@nestjs/common';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import { MasterConfig } from '../config/master.config';
import { MasterMetrics } from '../metrics/master-metrics';
import { BuildInfo, HostStats } from './host';
import type { AllocatorReadings, QueryParams } from './render/inputs';
import type { FrameworksJson, MetricsJson, RolesJson, SlavesJson, StateJson, StateSummaryJson, TasksJson, VersionJson } from './render/json';
import { leaderLocation, renderFlags, renderVersion } from './render/master-info';
import { renderMetrics } from './render/metrics';
import { optionalDuration, type Parsed, single } from './render/query';
import { renderRoles } from './render/roles';
import { renderFrameworks, renderSlaves, renderState } from './render/state';
import { renderStateSummary } from './render/summary';
import { parseTasksQuery, renderTasks } from './render/tasks';

/**
 * Answers the operator endpoints: validates their query parameters, gathers what the renderers
 * read (the live records, this master's identity and configuration, the allocator's and the
 * host's readings, the time) and hands it to them. Rendering is synchronous, so every answer is
 * a consistent snapshot: nothing changes the records while it runs.
 */
@Injectable()
export class OperatorService {
  constructor(
    private readonly cluster: ClusterState,
    private readonly identity: MasterIdentity,
    private readonly config: MasterConfig,
    private readonly allocation: AllocationService,
    private readonly counters: MasterMetrics,
    private readonly clock: Clock,
    private readonly host: HostStats,
    private readonly build: BuildInfo,
  ) {}

  state(): StateJson {
    return renderState({ cluster: this.cluster, master: this.identity, config: this.config, build: this.build.facts });
  }

  stateSummary(): StateSummaryJson {
    return renderStateSummary(this.cluster, this.identity);
  }

  frameworks(query: QueryParams): FrameworksJson {
    return renderFrameworks(this.cluster, single(query, 'framework_id'));
  }

  slaves(query: QueryParams): SlavesJson {
    return renderSlaves(this.cluster, single(query, 'slave_id'));
  }

  tasks(query: QueryParams): TasksJson {
    return renderTasks(this.cluster, valid(parseTasksQuery(query)));
  }

  roles(): RolesJson {
    return renderRoles(this.cluster, this.allocatorReadings());
  }

  /** `?timeout=` is accepted and checked, but nothing waits: every figure is at hand. */
  metrics(query: QueryParams): MetricsJson {
    valid(optionalDuration(query, 'timeout'));
    return renderMetrics({
      cluster: this.cluster,
      master: this.identity,
      counters: this.counters.snapshot(),
      allocator: this.allocatorReadings(),
      host: this.host.read(),
      now: this.clock.now(),
    });
  }

  version(): VersionJson {
    return renderVersion(this.build.facts);
  }

  flags(): { flags: Record<string, string> } {
    return { flags: renderFlags(this.config, this.identity) };
  }

  leaderLocation(): string {
    return leaderLocation(this.identity);
  }

  private allocatorReadings(): AllocatorReadings {
    return {
      roles: this.allocation.read((a) => a.roles()),
      cycles: this.allocation.cycleCount,
      lastCycle: this.allocation.lastMetrics(),
    };
  }
}

/** A parsed query parameter, or a 400 whose text names the parameter. */
export function valid<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new BadRequestException(parsed.problem);
  return parsed.value;
}
