import { Injectable, Logger } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import {
  type ExecutorInfo,
  isTerminalState,
  type KillPolicy,
  type KillTask,
  type StatusUpdate,
  type TaskEnded,
  type TaskState,
  type TaskStatus,
  type TaskStatusReason,
} from '@agora/protocol';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import { ClusterEvents } from '../cluster/cluster-events';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import { executorKey, type FrameworkRecord, type TaskRecord, taskKey } from '../cluster/records';
import type { Resources } from '@agora/resources';
import { MasterConfig } from '../config/master.config';
import { MasterMetrics } from '../metrics/master-metrics';
import { unknownTaskAnswer } from './reconcile-answer';
import { masterStatus, statusForFramework } from './statuses';

/** A validated task, before the master records it. */
export type NewTask = Omit<TaskRecord, 'state' | 'statuses' | 'released'>;

/**
 * The life of tasks on the master (reference §1.6): launched tasks go to their agent, status
 * updates from agents are recorded and forwarded, acknowledgements travel back, and a task's
 * resources return to the allocator as soon as the agent's *latest* state is terminal, even
 * while earlier updates wait for acknowledgement. A terminal task leaves the live set when the
 * scheduler acknowledges its terminal update.
 */
@Injectable()
export class TasksService {
  private readonly logger = new Logger('tasks');
  private readonly completionListeners: ((task: TaskRecord) => void)[] = [];
  /**
   * Kills of tasks whose agent was away (unreachable or disconnected), by agent id then task
   * key: re-sent when the agent re-registers (reference §5.2, SlaveRecoveryTest.ReconcileKillTask).
   */
  private readonly pendingKills = new Map<string, Map<string, KillTask>>();

  constructor(
    private readonly cluster: ClusterState,
    private readonly allocation: AllocationService,
    private readonly bus: AgoraBus,
    private readonly identity: MasterIdentity,
    private readonly clock: Clock,
    private readonly metrics: MasterMetrics,
    private readonly config: MasterConfig,
    private readonly events: ClusterEvents,
  ) {}

  /** The live state, for callers that must read it alongside (accept). */
  get state(): ClusterState {
    return this.cluster;
  }

  /** Records a validated task (TASK_STAGING) and sends it to its agent. */
  launch(fw: FrameworkRecord, task: NewTask): TaskRecord {
    const record = this.track(fw, task);
    this.bus.toAgent(task.agentId, 'run-task', { epoch: this.identity.epoch, framework: fw.info, task: task.info });
    this.events.emit({ type: 'TASK_ADDED', task: record });
    return record;
  }

  /** Records a validated task group and sends it to its agent in one message (all or none). */
  launchGroup(fw: FrameworkRecord, executor: ExecutorInfo, tasks: readonly NewTask[]): void {
    const records = tasks.map((t) => this.track(fw, t));
    this.bus.toAgent(tasks[0].agentId, 'run-task-group', {
      epoch: this.identity.epoch,
      framework: fw.info,
      executor,
      task_group: { tasks: tasks.map((t) => t.info) },
    });
    for (const record of records) this.events.emit({ type: 'TASK_ADDED', task: record });
  }

  private track(fw: FrameworkRecord, task: NewTask): TaskRecord {
    const record: TaskRecord = { ...task, state: 'TASK_STAGING', statuses: [], released: false };
    record.statuses.push({ task_id: { value: task.id }, state: 'TASK_STAGING', timestamp: this.clock.now() / 1000 });
    fw.tasks.set(task.id, record);
    this.cluster.agents.get(task.agentId)?.tasks.set(taskKey(fw.id, task.id), record);
    return record;
  }

  /**
   * A new executor's resources are held from its first task until it exits (executor-exited);
   * an executor that already runs is only recorded once.
   */
  addExecutor(fw: FrameworkRecord, agentId: string, info: ExecutorInfo, resources: Resources, role: string): void {
    const key = executorKey(agentId, fw.id, info.executor_id.value);
    if (this.cluster.executors.has(key)) return;
    this.cluster.addExecutor({ id: info.executor_id.value, frameworkId: fw.id, agentId, info, resources, role });
  }

  /** The executor ended: its resources return to the pool. */
  executorExited(agentId: string, frameworkId: string, executorId: string): void {
    const key = executorKey(agentId, frameworkId, executorId);
    const executor = this.cluster.executors.get(key);
    if (executor === undefined) return;
    this.cluster.removeExecutor(executor);
    if (!executor.resources.isEmpty()) {
      this.allocation.update((a) => a.recoverResources(frameworkId, agentId, executor.resources));
    }
  }

  /** Forgets the executors of a framework (removed) or on an agent (gone): the allocator dropped them. */
  forgetExecutors(match: { frameworkId?: string; agentId?: string }): void {
    for (const e of [...this.cluster.executors.values()]) {
      if ((match.frameworkId === undefined || e.frameworkId === match.frameworkId) && (match.agentId === undefined || e.agentId === match.agentId)) {
        this.cluster.removeExecutor(e);
      }
    }
  }

  /** Sends the framework an update the master made (no uuid, not retried). */
  sendMasterUpdate(fw: FrameworkRecord, status: TaskStatus): void {
    fw.stream?.send({ type: 'UPDATE', update: { status: statusForFramework(status, fw) } });
  }

  /** A status update from an agent's status-update manager. */
  onStatusUpdate(update: StatusUpdate): void {
    const fw = this.cluster.frameworks.get(update.framework_id.value);
    const status = update.status;
    if (fw === undefined) {
      this.metrics.increment('master/invalid_status_updates');
      // The framework was torn down (or never existed here): nobody will ever acknowledge, so
      // the master acknowledges for it and the agent stops retrying.
      if (this.cluster.removedFrameworkIds.has(update.framework_id.value) && status.uuid !== undefined) {
        this.bus.toAgent(update.agent_id.value, 'status-ack', {
          epoch: this.identity.epoch,
          framework_id: update.framework_id,
          task_id: status.task_id,
          uuid: status.uuid,
        });
      }
      return;
    }
    this.metrics.increment('master/valid_status_updates');
    const task = fw.tasks.get(status.task_id.value);
    if (task !== undefined && task.agentId === update.agent_id.value) {
      this.record(task, status, update.latest_state ?? status.state);
    }
    fw.stream?.send({ type: 'UPDATE', update: { status: statusForFramework(status, fw) } });
  }

  /**
   * A task ended while its updates still queue on the agent: its resources come back now. The
   * framework learns of it from the updates themselves, which follow in order.
   */
  onTaskEnded(message: TaskEnded): void {
    const task = this.cluster.frameworks.get(message.framework_id.value)?.tasks.get(message.task_id.value);
    if (task === undefined || task.agentId !== message.agent_id.value || isTerminalState(task.state)) return;
    this.transition(task, message.latest_state);
  }

  private record(task: TaskRecord, status: TaskStatus, latest: TaskState): void {
    if (task.statusUpdateUuid === status.uuid && task.lastStatus?.state === status.state) {
      // A retry; it may carry a newer latest_state (the task ended meanwhile), which releases the
      // task's resources now rather than once the head's acknowledgement let the terminal update out.
      if (latest !== task.state) this.transition(task, latest);
      return;
    }
    task.statusUpdateState = status.state;
    task.statusUpdateUuid = status.uuid;
    task.lastStatus = status;
    const changed = task.statuses[task.statuses.length - 1]?.state !== status.state;
    if (changed) {
      task.statuses.push({ task_id: status.task_id, state: status.state, timestamp: status.timestamp ?? this.clock.now() / 1000, healthy: status.healthy, container_status: status.container_status });
    }
    this.transition(task, latest);
    // Every new state, and every health change, is news for operators (reference §3.3).
    if (changed || status.healthy !== undefined) this.events.emit({ type: 'TASK_UPDATED', task, status });
  }

  /** Moves a task to `state`; the first terminal (or unreachable) state releases its resources. */
  transition(task: TaskRecord, state: TaskState): void {
    const wasTerminal = isTerminalState(task.state);
    task.state = state;
    if (!task.released && (isTerminalState(state) || state === 'TASK_UNREACHABLE')) {
      task.released = true;
      this.allocation.update((a) => a.recoverResources(task.frameworkId, task.agentId, task.resources));
    }
    if (isTerminalState(state) && !wasTerminal) this.metrics.increment(`master/tasks_${state.slice(5).toLowerCase()}`);
  }

  /** ACKNOWLEDGE from a scheduler: forwarded to the agent; a terminal acknowledged task completes. */
  acknowledge(fw: FrameworkRecord, agentId: string, taskId: string, uuid: string): void {
    this.metrics.increment('master/messages_status_update_acknowledgement');
    const task = fw.tasks.get(taskId);
    if (task === undefined || task.agentId !== agentId || task.statusUpdateUuid !== uuid) {
      this.metrics.increment('master/invalid_status_update_acknowledgements');
    } else {
      this.metrics.increment('master/valid_status_update_acknowledgements');
      task.statusUpdateUuid = undefined;
      if (task.statusUpdateState !== undefined && isTerminalState(task.statusUpdateState)) this.complete(fw, task);
    }
    // Forwarded regardless: the agent knows best which update is at the head of its queue.
    if (this.cluster.agents.has(agentId)) {
      this.bus.toAgent(agentId, 'status-ack', { epoch: this.identity.epoch, framework_id: { value: fw.id }, task_id: { value: taskId }, uuid });
    }
  }

  /** Moves a task out of the live set into the framework's bounded completed list. */
  complete(fw: FrameworkRecord, task: TaskRecord): void {
    if (!task.released) this.transition(task, task.state);
    fw.tasks.delete(task.id);
    this.cluster.agents.get(task.agentId)?.tasks.delete(taskKey(fw.id, task.id));
    this.pendingKills.get(task.agentId)?.delete(taskKey(fw.id, task.id));
    fw.completedTasks.push(task);
    const overflow = fw.completedTasks.length - this.config.maxCompletedTasksPerFramework;
    if (overflow > 0) fw.completedTasks.splice(0, overflow);
    for (const listener of this.completionListeners) listener(task);
  }

  /** Called after a task left the live set (a draining agent waits for its last one). */
  onCompleted(listener: (task: TaskRecord) => void): void {
    this.completionListeners.push(listener);
  }

  /**
   * The master ends a task on its own (its agent disconnected, restarted or was removed): the
   * framework is sent the status (no uuid, never retried, so nothing waits for an
   * acknowledgement) and the task completes at once.
   */
  endByMaster(fw: FrameworkRecord, task: TaskRecord, state: TaskState, reason: TaskStatusReason, message: string): void {
    const now = this.clock.now();
    const status = masterStatus({ taskId: task.id, agentId: task.agentId, executorId: task.executorId, state, reason, message, now });
    task.statusUpdateState = state;
    task.lastStatus = status;
    task.statuses.push({ task_id: status.task_id, state, timestamp: now / 1000 });
    this.transition(task, state);
    this.sendMasterUpdate(fw, status);
    this.complete(fw, task);
    this.events.emit({ type: 'TASK_UPDATED', task, status });
  }

  /** Re-sends the kills that waited for this agent to come back, for tasks it still runs. */
  resendPendingKills(agentId: string): void {
    const kills = this.pendingKills.get(agentId);
    this.pendingKills.delete(agentId);
    const agent = this.cluster.agents.get(agentId);
    if (kills === undefined || agent === undefined) return;
    for (const [key, kill] of kills) {
      const task = agent.tasks.get(key);
      if (task === undefined || isTerminalState(task.state)) continue;
      this.bus.toAgent(agentId, 'kill-task', { ...kill, epoch: this.identity.epoch });
    }
  }

  /**
   * KILL: a known task's kill goes to its agent; an unknown task is reconciled instead (the
   * framework learns it is gone). An `agent_id` that is not the task's is ignored, as in Mesos.
   */
  kill(fw: FrameworkRecord, taskId: string, agentId: string | undefined, killPolicy?: KillPolicy): void {
    this.metrics.increment('master/messages_kill_task');
    const task = fw.tasks.get(taskId);
    if (task === undefined) {
      this.reconcile(fw, [{ taskId, agentId }]);
      return;
    }
    if (agentId !== undefined && agentId !== task.agentId) return;
    if (isTerminalState(task.state)) return;
    const kill: KillTask = {
      epoch: this.identity.epoch,
      framework_id: { value: fw.id },
      task_id: { value: taskId },
      ...(killPolicy ? { kill_policy: killPolicy } : {}),
    };
    const agent = this.cluster.agents.get(task.agentId);
    if (agent === undefined || agent.disconnected === true) {
      // Unreachable or disconnected: the kill waits for the agent to re-register.
      const kills = this.pendingKills.get(task.agentId) ?? new Map<string, KillTask>();
      kills.set(taskKey(fw.id, taskId), kill);
      this.pendingKills.set(task.agentId, kills);
      return;
    }
    this.bus.toAgent(task.agentId, 'kill-task', kill);
  }

  /** An agent gone for good: kills waiting for it never will be sent. */
  forgetPendingKills(agentId: string): void {
    this.pendingKills.delete(agentId);
  }

  /**
   * RECONCILE (reference §6.2). Implicit (no tasks): the pending state of every live task.
   * Explicit: each listed task's state, or what the master can say about an unknown one.
   */
  reconcile(fw: FrameworkRecord, tasks: readonly { taskId: string; agentId?: string }[]): void {
    this.metrics.increment('master/messages_reconcile_tasks');
    const now = this.clock.now();
    const send = (status: TaskStatus): void => this.sendMasterUpdate(fw, status);
    if (tasks.length === 0) {
      for (const task of fw.tasks.values()) send(this.reconciled(task, now));
      return;
    }
    for (const { taskId, agentId } of tasks) {
      const task = fw.tasks.get(taskId);
      if (task !== undefined && (agentId === undefined || agentId === task.agentId)) {
        send(this.reconciled(task, now));
        continue;
      }
      const answer = unknownTaskAnswer({
        agentId,
        registered: (id) => this.cluster.agents.has(id),
        unreachableSince: (id) => this.cluster.unreachableAgents.get(id),
        gone: (id) => this.cluster.goneAgents.has(id),
        recovered: (id) => this.cluster.recoveredAgents.has(id),
        anyRecovered: this.cluster.recoveredAgents.size > 0,
      });
      if (answer !== undefined) send(masterStatus({ taskId, agentId, now, reason: 'REASON_RECONCILIATION', ...answer }));
    }
  }

  private reconciled(task: TaskRecord, now: number): TaskStatus {
    const state = task.statusUpdateState ?? task.state;
    const status = masterStatus({
      taskId: task.id,
      agentId: task.agentId,
      executorId: task.info.executor?.executor_id.value,
      state,
      reason: 'REASON_RECONCILIATION',
      message: 'Reconciliation: Latest task state',
      now,
    });
    if (task.lastStatus?.healthy !== undefined) status.healthy = task.lastStatus.healthy;
    if (task.lastStatus?.container_status !== undefined) status.container_status = task.lastStatus.container_status;
    return status;
  }

  /**
   * The agent is unreachable: its tasks become TASK_UNREACHABLE (TASK_LOST for frameworks that
   * are not partition-aware) and release their resources; they come back if the agent returns.
   */
  agentUnreachable(agentId: string, since: number): void {
    const agent = this.cluster.agents.get(agentId);
    if (agent === undefined) return;
    for (const task of agent.tasks.values()) {
      const fw = this.cluster.frameworks.get(task.frameworkId);
      if (isTerminalState(task.state) || fw === undefined) continue;
      const status = masterStatus({
        taskId: task.id,
        agentId,
        state: 'TASK_UNREACHABLE',
        reason: 'REASON_AGENT_REMOVED',
        message: 'Agent is unreachable',
        now: since,
        unreachableSinceMs: since,
      });
      task.statusUpdateState = 'TASK_UNREACHABLE';
      task.lastStatus = status;
      task.statuses.push({ task_id: status.task_id, state: 'TASK_UNREACHABLE', timestamp: since / 1000 });
      this.transition(task, 'TASK_UNREACHABLE');
      this.sendMasterUpdate(fw, status);
      this.events.emit({ type: 'TASK_UPDATED', task, status });
    }
  }

  /**
   * The framework is torn down: every live task is TASK_KILLED (REASON_FRAMEWORK_REMOVED) in
   * the master's books and every agent it used is told to shut it down.
   */
  frameworkRemoved(fw: FrameworkRecord): void {
    const agents = new Set<string>();
    for (const task of [...fw.tasks.values()]) {
      agents.add(task.agentId);
      if (!isTerminalState(task.state)) {
        const status = masterStatus({ taskId: task.id, agentId: task.agentId, state: 'TASK_KILLED', reason: 'REASON_FRAMEWORK_REMOVED', message: 'Framework removed', now: this.clock.now() });
        task.statuses.push({ task_id: status.task_id, state: 'TASK_KILLED', timestamp: status.timestamp });
        task.lastStatus = status;
        task.statusUpdateState = 'TASK_KILLED';
        task.released = true; // the allocator drops the framework's allocations wholesale
        task.state = 'TASK_KILLED';
        this.metrics.increment('master/tasks_killed');
        this.events.emit({ type: 'TASK_UPDATED', task, status });
      }
      this.complete(fw, task);
    }
    for (const agentId of agents) {
      if (this.cluster.agents.has(agentId)) {
        this.bus.toAgent(agentId, 'shutdown-framework', { epoch: this.identity.epoch, framework_id: { value: fw.id } });
      }
    }
    if (agents.size > 0) this.logger.log(`shut down framework ${fw.id} on ${agents.size} agent(s)`);
  }
}
