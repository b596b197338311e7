import { Injectable, type OnModuleInit } from '@nestjs/common';
import { fromV1, toV0, type V0Resources } from '@agora/resources';
import type { Resource } from '@agora/protocol';
import { Clock } from '../clock/clock';
import { AgentProfile } from '../machine/agent-profile';
import { SandboxGc } from '../sandbox/sandbox-gc.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { TaskRegistry } from '../tasks/task-registry';
import { AgentCounters } from './agent-counters';
import { renderAgentMetrics } from './agent-metrics';
import { SystemStats } from './system-stats';

/** Gathers what `/metrics/snapshot` shows, and counts status updates as they pass the status update manager. */
@Injectable()
export class AgentMetricsService implements OnModuleInit {
  private readonly startedAt: number;

  constructor(
    private readonly counters: AgentCounters,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly registry: TaskRegistry,
    private readonly session: AgentSession,
    private readonly profile: AgentProfile,
    private readonly gc: SandboxGc,
    private readonly system: SystemStats,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  onModuleInit(): void {
    // Every update reaching the manager is for a task the agent holds; refusals are counted where they happen.
    this.statusUpdates.onUpdate((_frameworkId, status, accepted) => this.counters.statusUpdate(status.state, accepted));
  }

  snapshot(): Record<string, number> {
    return renderAgentMetrics({
      now: this.clock.now(),
      startedAt: this.startedAt,
      registered: this.session.registered,
      total: toV0(this.profile.resources),
      tasks: this.registry.runs().map((run) => ({ state: run.state, phase: run.phase, silenced: run.silenced, resources: flatten(run.info.resources ?? []) })),
      frameworksActive: this.registry.frameworks().length,
      counters: this.counters.snapshot(),
      maxSandboxAgeMs: this.gc.maxAllowedAgeMs,
      system: this.system.read(),
    });
  }
}

function flatten(resources: Resource[]): V0Resources {
  try {
    return toV0(fromV1(resources));
  } catch {
    // The master validated them; an unreadable one counts as nothing rather than failing the endpoint.
    return {};
  }
}
