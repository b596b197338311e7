import { Injectable } from '@nestjs/common';
import type { AgentAdmission, AgentMaintenanceRecord } from '../registry';
import { type AgentRecord, type ExecutorRecord, executorKey, type FrameworkRecord, type OfferRecord, type TaskRecord } from './records';

/**
 * An agent known only from the registry: what it said when it was last admitted, and its
 * maintenance (deactivated, drain), so that re-registering unchanged needs no registry write.
 */
export type RecoveredAgent = AgentAdmission & AgentMaintenanceRecord;

const NO_EXECUTORS: ReadonlyMap<string, ExecutorRecord> = new Map();

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
  /** Custom and default executors, by executorKey(agent, framework, executor); change them with add/removeExecutor. */
  readonly executors: ReadonlyMap<string, ExecutorRecord> = new Map<string, ExecutorRecord>();
  /** The same executors by framework and agent: offers and ACCEPTs ask per (framework, agent), on the hot path. */
  private readonly executorIndex = new Map<string, Map<string, ExecutorRecord>>();
  /** Agents marked unreachable, with the time (ms) it happened. */
  readonly unreachableAgents = new Map<string, number>();
  /** Agents marked gone by an operator. */
  readonly goneAgents = new Set<string>();
  /**
   * Agents the registry had admitted when this master took office and that have not
   * re-registered since (Mesos's recovered agents, reference §6.1): listed, never offered.
   */
  readonly recoveredAgents = new Map<string, RecoveredAgent>();

  /** Tasks of all frameworks, live ones first. */
  *allTasks(): Iterable<TaskRecord> {
    for (const fw of this.frameworks.values()) yield* fw.tasks.values();
  }

  /** The framework's executors on one agent, by executor id. */
  executorsOf(frameworkId: string, agentId: string): ReadonlyMap<string, ExecutorRecord> {
    return this.executorIndex.get(`${frameworkId}/${agentId}`) ?? NO_EXECUTORS;
  }

  addExecutor(executor: ExecutorRecord): void {
    (this.executors as Map<string, ExecutorRecord>).set(executorKey(executor.agentId, executor.frameworkId, executor.id), executor);
    const pair = `${executor.frameworkId}/${executor.agentId}`;
    const byId = this.executorIndex.get(pair) ?? new Map<string, ExecutorRecord>();
    byId.set(executor.id, executor);
    this.executorIndex.set(pair, byId);
  }

  removeExecutor(executor: ExecutorRecord): void {
    (this.executors as Map<string, ExecutorRecord>).delete(executorKey(executor.agentId, executor.frameworkId, executor.id));
    const pair = `${executor.frameworkId}/${executor.agentId}`;
    const byId = this.executorIndex.get(pair);
    byId?.delete(executor.id);
    if (byId?.size === 0) this.executorIndex.delete(pair);
  }

  /** Frameworks that are registered and not torn down. */
  get frameworkList(): FrameworkRecord[] {
    return [...this.frameworks.values()];
  }
}
