import { BadRequestException, Injectable } from '@nestjs/common';
import type { WeightInfo } from '@agora/protocol';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import { MasterConfig } from '../config/master.config';
import { FrameworksService } from '../frameworks/frameworks.service';
import { MasterMetrics } from '../metrics/master-metrics';
import { RolesService } from '../roles/roles.service';
import { BuildInfo, HostStats } from './host';
import { parseTeardownBody, parseWeightsBody } from './render/bodies';
import type { AllocatorReadings, QueryParams, RoleSettings } from './render/inputs';
import type { FrameworksJson, MetricsJson, QuotaJson, RolesJson, SlavesJson, StateSummaryJson, TasksJson, VersionJson } from './render/json';
import { jsonParts } from './render/json-parts';
import { leaderLocation, renderFlags, renderVersion } from './render/master-info';
import { type MetricsInputs, renderMetrics } from './render/metrics';
import { optionalDuration, type Parsed, single } from './render/query';
import { renderQuota, renderWeights } from './render/quota';
import { renderRoles } from './render/roles';
import { renderFrameworks, renderSlaves, renderState } from './render/state';
import { renderStateSummary } from './render/summary';
import { parseTasksQuery, renderTasks } from './render/tasks';
import { StateFragments } from './render/state-fragments';

/**
 * Answers the operator endpoints: validates their query parameters, gathers what the renderers
 * read (the live records, this master's identity and configuration, the allocator's and the
 * host's readings, the roles' settings, the time) and hands it to them. Rendering is
 * synchronous, so every answer is a consistent snapshot: nothing changes the records while it
 * runs. The two writes (`/weights` PUT, `/teardown`) go to the services that own the change.
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
    private readonly rolesService: RolesService,
    private readonly frameworksService: FrameworksService,
    private readonly fragments: StateFragments,
  ) {}

  /**
   * `/state` as JSON text in parts (render/json-parts.ts): byte-identical to JSON.stringify of
   * renderState's object, made at once (a consistent snapshot), with the text of unchanged tasks
   * and agents reused.
   */
  stateParts(): string[] {
    const entities = { task: this.fragments.tasks.v0Task, agent: this.fragments.agents.v0Agent };
    const inputs = { cluster: this.cluster, master: this.identity, config: this.config, build: this.build.facts, entities, usageMemo: this.fragments.usage.v0 };
    return jsonParts(renderState(inputs));
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
    return renderRoles(this.cluster, this.allocatorReadings(), this.roleSettings());
  }

  weights(): WeightInfo[] {
    return renderWeights(this.roleSettings());
  }

  quota(): QuotaJson {
    return renderQuota(this.cluster, this.roleSettings());
  }

  /** `?timeout=` is accepted and checked, but nothing waits: every figure is at hand. */
  metrics(query: QueryParams): MetricsJson {
    valid(optionalDuration(query, 'timeout'));
    return renderMetrics(this.metricsInputs());
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

  /** `/weights` PUT: the body is `[{"role": "r1", "weight": 2.0}]`; all or nothing. */
  async updateWeights(body: string): Promise<void> {
    await this.rolesService.updateWeights(valid(parseWeightsBody(body)));
  }

  /** `/teardown` POST: the body is the form `frameworkId=<id>`. */
  teardownForm(body: string): void {
    this.teardown(valid(parseTeardownBody(body)));
  }

  /** `/teardown` and TEARDOWN: an unknown (or already removed) framework is a 400, as in Mesos. */
  teardown(frameworkId: string): void {
    const fw = this.cluster.frameworks.get(frameworkId);
    if (fw === undefined) throw new BadRequestException(`No framework found with ID ${frameworkId}`);
    this.frameworksService.teardown(fw, 'torn down by an operator');
  }

  /** What `/metrics/snapshot` and GET_METRICS render. */
  metricsInputs(): MetricsInputs {
    return {
      cluster: this.cluster,
      master: this.identity,
      counters: this.counters.snapshot(),
      allocator: this.allocatorReadings(),
      host: this.host.read(),
      now: this.clock.now(),
    };
  }

  allocatorReadings(): AllocatorReadings {
    return {
      roles: this.allocation.read((a) => a.roles()),
      cycles: this.allocation.cycleCount,
      lastCycle: this.allocation.lastMetrics(),
      runTimes: this.allocation.runTimes.statistics(),
      cycleTimes: this.allocation.cycleTimes.statistics(),
      lastCycleMs: this.allocation.cycleTimes.latest,
    };
  }

  roleSettings(): RoleSettings {
    return { weights: this.rolesService.weightList(), quotas: this.rolesService.quotaList() };
  }
}

/** A parsed query parameter, or a 400 whose text names the parameter. */
export function valid<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new BadRequestException(parsed.problem);
  return parsed.value;
}
