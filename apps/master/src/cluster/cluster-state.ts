import { Injectable } from '@nestjs/common';
import type { AgentRecord, ExecutorRecord, FrameworkRecord, OfferRecord, TaskRecord } from './records';

/**
 * The live cluster state of the leading master, in one place so the operator API can render
 * it consistently. Services change it; nothing here has rules.
 */
@Injectable()
export class ClusterState {
  readonly agents = new Map<string, AgentRecord>();
  readonly frameworks = new Map<string, FrameworkRecord>();
  /** Torn-down frameworks, oldest first, bounded by the caller. */
  readonly completedFrameworks: FrameworkRecord[] = [];
  /** Ids of frameworks removed since this master started: they may not subscribe again. */
  readonly removedFrameworkIds = new Set<string>();
  readonly offers = new Map<string, OfferRecord>();
  /** Custom and default executors, by executorKey(agent, framework, executor). */
  readonly executors = new Map<string, ExecutorRecord>();
  /** Agents marked unreachable, with the time (ms) it happened. */
  readonly unreachableAgents = new Map<string, number>();
  /** Agents marked gone by an operator. */
  readonly goneAgents = new Set<string>();

  /** Tasks of all frameworks, live ones first. */
  *allTasks(): Iterable<TaskRecord> {
    for (const fw of this.frameworks.values()) yield* fw.tasks.values();
  }

  /** The framework's executors on one agent, by executor id. */
  executorsOf(frameworkId: string, agentId: string): Map<string, ExecutorRecord> {
    const out = new Map<string, ExecutorRecord>();
    for (const e of this.executors.values()) if (e.frameworkId === frameworkId && e.agentId === agentId) out.set(e.id, e);
    return out;
  }

  /** Frameworks that are registered and not torn down. */
  get frameworkList(): FrameworkRecord[] {
    return [...this.frameworks.values()];
  }
}
