import { Injectable, Logger } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import { isTerminalState, type TaskState, type TaskStatus } from '@agora/protocol';
import { Clock, type TimerHandle } from '../clock/clock';
import { AgentConfig } from '../config/agent.config';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateJournal } from './status-update-journal';
import { type AckOutcome, StatusUpdateStream } from './status-update-stream';

/** A stream whose terminal update was acknowledged: the task may be forgotten. */
export type StreamClosedListener = (frameworkId: string, taskId: string) => void;

/** Rewrites a new update before it is queued (a drain marks kills, drain/drain.service.ts). */
export type UpdateDecorator = (frameworkId: string, status: TaskStatus & { uuid: string }) => TaskStatus & { uuid: string };

/** Every update offered to `update`: `accepted` is false when it was dropped (a duplicate). */
export type UpdateListener = (frameworkId: string, status: TaskStatus, accepted: boolean) => void;

interface Entry {
  readonly stream: StatusUpdateStream;
  timer?: TimerHandle;
  /** The wait before the next resend of the current head. */
  interval: number;
  /** The latest_state the current head last went out with (undefined: not sent yet). */
  sentLatest?: TaskState;
}

const key = (frameworkId: string, taskId: string): string => `${frameworkId}\u0000${taskId}`;

/**
 * Reliable status updates (reference §1.6 and §5.5): one ordered stream per task; the head is
 * sent to the master and resent with exponential backoff (RETRY_MIN doubling to RETRY_MAX) until
 * its acknowledgement arrives; then the next update goes out at once. Every send carries
 * `latest_state`, so the master can release a finished task's resources while an older update
 * still waits. While the agent is not registered nothing is sent (the master would not know
 * the agent); registration resumes the streams, which resends every head immediately.
 *
 * Two things make short tasks' slots free sooner, which is what bounds a busy agent's task rate:
 * a new head goes out at the end of the current tick, so updates queued in the same tick (a
 * simulated task's STARTING, RUNNING and FINISHED) travel as one head whose latest_state is
 * already terminal; and when a terminal update queues behind a head already sent, a `task-ended`
 * message tells the master at once (it releases the resources, as on a terminal latest_state),
 * instead of only once the head's acknowledgement let the next update out. The framework sees
 * exactly the updates Mesos would send, no duplicates.
 */
@Injectable()
export class StatusUpdateManager {
  private readonly logger = new Logger('status-updates');
  private readonly streams = new Map<string, Entry>();
  private readonly closedListeners: StreamClosedListener[] = [];
  private readonly updateListeners: UpdateListener[] = [];
  /** Heads to send at the end of this tick. */
  private readonly dueHeads = new Set<Entry>();
  private paused = true;
  private decorator?: UpdateDecorator;

  constructor(
    private readonly bus: AgoraBus,
    private readonly clock: Clock,
    private readonly session: AgentSession,
    private readonly config: AgentConfig,
    private readonly journal: StatusUpdateJournal,
  ) {}

  onStreamClosed(listener: StreamClosedListener): void {
    this.closedListeners.push(listener);
  }

  /** Observes every update offered (metrics count them). */
  onUpdate(listener: UpdateListener): void {
    this.updateListeners.push(listener);
  }

  /** Every new update passes through `decorator` before it is queued and journaled (one at a time). */
  decorate(decorator: UpdateDecorator): void {
    this.decorator = decorator;
  }

  /** Queues an update (it must carry a uuid); sent now if it is the head and the agent is registered. */
  update(frameworkId: string, original: TaskStatus & { uuid: string }): void {
    const status = this.decorator?.(frameworkId, original) ?? original;
    const k = key(frameworkId, status.task_id.value);
    let entry = this.streams.get(k);
    if (entry === undefined) {
      entry = { stream: new StatusUpdateStream(frameworkId, status.task_id.value), interval: this.config.statusUpdateRetryMinMs };
      this.streams.set(k, entry);
    }
    const accepted = entry.stream.enqueue(status);
    for (const listener of this.updateListeners) listener(frameworkId, status, accepted);
    if (!accepted) {
      this.logger.warn(`dropped a duplicate status update ${status.state} (${status.uuid}) of task ${status.task_id.value}`);
      return;
    }
    this.journal.recordUpdate(frameworkId, status);
    if (entry.stream.head() === status) this.sendHeadSoon(entry);
    else if (isTerminalState(status.state) && entry.sentLatest !== undefined && !isTerminalState(entry.sentLatest)) this.announceLatest(entry);
  }

  /**
   * Puts back the unacknowledged updates a previous agent process journaled (recovery): queued
   * in their order, not journaled again, sent once the agent is registered.
   */
  restore(frameworkId: string, pending: readonly (TaskStatus & { uuid: string })[]): void {
    for (const status of pending) {
      const k = key(frameworkId, status.task_id.value);
      let entry = this.streams.get(k);
      if (entry === undefined) {
        entry = { stream: new StatusUpdateStream(frameworkId, status.task_id.value), interval: this.config.statusUpdateRetryMinMs };
        this.streams.set(k, entry);
      }
      entry.stream.enqueue(status);
    }
  }

  /** The scheduler's acknowledgement, forwarded by the master. Unknown and duplicate ones are ignored. */
  acknowledge(frameworkId: string, taskId: string, uuid: string): AckOutcome | 'unknown-task' {
    const k = key(frameworkId, taskId);
    const entry = this.streams.get(k);
    if (entry === undefined) {
      this.logger.debug(`ignored an acknowledgement for task ${taskId} of framework ${frameworkId}: no updates are pending`);
      return 'unknown-task';
    }
    const head = entry.stream.head();
    if (head?.uuid === uuid) this.journal.recordAcknowledgement(frameworkId, taskId, uuid);
    const outcome = entry.stream.acknowledge(uuid);
    if (outcome !== 'popped') {
      this.logger.debug(`ignored ${outcome} acknowledgement ${uuid} of task ${taskId}`);
      return outcome;
    }
    entry.timer?.cancel();
    entry.timer = undefined;
    if (entry.stream.isClosed()) {
      this.streams.delete(k);
      for (const listener of this.closedListeners) listener(frameworkId, taskId);
    } else if (entry.stream.head() !== undefined) {
      this.sendHead(entry, true);
    }
    return outcome;
  }

  /** The unacknowledged head of a task's stream (for re-registration), if any. */
  head(frameworkId: string, taskId: string): TaskStatus | undefined {
    return this.streams.get(key(frameworkId, taskId))?.stream.head();
  }

  /** Stops sending (the agent is not registered): updates keep queueing. */
  pause(): void {
    this.paused = true;
    for (const entry of this.streams.values()) {
      entry.timer?.cancel();
      entry.timer = undefined;
    }
  }

  /** Sends every head at once, then retries as usual (Mesos flushes on (re-)registration). */
  resume(): void {
    this.paused = false;
    for (const entry of this.streams.values()) {
      if (entry.stream.head() !== undefined) this.sendHead(entry, true);
    }
  }

  /**
   * Drops the streams of a framework the master removed: nobody will ever acknowledge them, so
   * retrying would go on forever (Mesos's TaskStatusUpdateManager::cleanup).
   */
  cleanup(frameworkId: string): void {
    for (const [k, entry] of this.streams) {
      if (entry.stream.frameworkId !== frameworkId) continue;
      entry.timer?.cancel();
      this.streams.delete(k);
    }
  }

  /** How many tasks have updates waiting (for tests and metrics). */
  get pendingStreams(): number {
    return this.streams.size;
  }

  /** Sends a new head at the end of this tick, with the latest state the tick reached. */
  private sendHeadSoon(entry: Entry): void {
    if (this.dueHeads.size === 0) {
      process.nextTick(() => {
        const due = [...this.dueHeads];
        this.dueHeads.clear();
        for (const e of due) if (this.streams.get(key(e.stream.frameworkId, e.stream.taskId)) === e) this.sendHead(e, true);
      });
    }
    this.dueHeads.add(entry);
  }

  /** Tells the master the task ended (`task-ended`) while its head still waits; the head's resends stay as they were. */
  private announceLatest(entry: Entry): void {
    const agentId = this.session.agentId;
    const latest = entry.stream.latestState();
    if (this.dueHeads.has(entry) || this.paused || agentId === undefined || latest === undefined) return;
    try {
      this.bus.toMaster('task-ended', {
        agent_id: { value: agentId },
        framework_id: { value: entry.stream.frameworkId },
        task_id: { value: entry.stream.taskId },
        latest_state: latest,
      });
      entry.sentLatest = latest;
    } catch (e) {
      // Only an early release is lost: the updates still carry latest_state.
      this.logger.warn(`could not tell the master that task ${entry.stream.taskId} ended: ${(e as Error).message}`);
    }
  }

  /** Sends the head of `entry` and arms its resend; `fresh` restarts the backoff at RETRY_MIN. */
  private sendHead(entry: Entry, fresh: boolean): void {
    entry.timer?.cancel();
    entry.timer = undefined;
    this.dueHeads.delete(entry);
    const head = entry.stream.head();
    if (head === undefined || this.paused || this.session.agentId === undefined) return;
    if (fresh) entry.interval = this.config.statusUpdateRetryMinMs;
    this.publishHead(entry);
    const wait = entry.interval;
    entry.interval = Math.min(entry.interval * 2, this.config.statusUpdateRetryMaxMs);
    entry.timer = this.clock.after(wait, () => {
      entry.timer = undefined;
      if (this.streams.get(key(entry.stream.frameworkId, entry.stream.taskId)) !== entry) return;
      this.logger.debug(`resending status update ${head.state} of task ${head.task_id.value} (not acknowledged within ${wait} ms)`);
      this.sendHead(entry, false);
    });
  }

  private publishHead(entry: Entry): void {
    const head = entry.stream.head();
    const agentId = this.session.agentId;
    if (head === undefined || this.paused || agentId === undefined) return;
    const latest = entry.stream.latestState();
    try {
      this.bus.toMaster('status-update', {
        agent_id: { value: agentId },
        framework_id: { value: entry.stream.frameworkId },
        status: head,
        latest_state: latest,
      });
      entry.sentLatest = latest;
    } catch (e) {
      // A closed or broken bus: the resend schedule tries again.
      this.logger.warn(`could not send status update ${head.state} of task ${head.task_id.value}: ${(e as Error).message}`);
    }
  }
}
