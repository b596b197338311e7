/**
 * One task's status updates, in order (reference §5.5): only the head is ever sent, and it
 * leaves the queue when the master forwards the scheduler's acknowledgement of its uuid. Pure
 * bookkeeping: no timers, no bus (status-update-manager.ts drives it).
 */
import { isTerminalState, type TaskState, type TaskStatus } from '@agora/protocol';

export type AckOutcome =
  /** The head was acknowledged and removed. */
  | 'popped'
  /** The uuid was acknowledged before: a retried acknowledgement. */
  | 'duplicate'
  /** The uuid is not the head's and was never acknowledged (e.g. it is further back in the queue). */
  | 'unexpected';

export class StatusUpdateStream {
  private readonly pending: TaskStatus[] = [];
  /** Every uuid ever queued, so an update queued twice is dropped (Mesos keeps the same sets). */
  private readonly received = new Set<string>();
  private readonly acknowledged = new Set<string>();
  private terminalAcknowledged = false;
  private latest: TaskState | undefined;

  constructor(
    readonly frameworkId: string,
    readonly taskId: string,
  ) {}

  /** Queues `status` (which has a uuid); false when that uuid was already queued once. */
  enqueue(status: TaskStatus & { uuid: string }): boolean {
    if (this.received.has(status.uuid)) return false;
    this.received.add(status.uuid);
    this.pending.push(status);
    this.latest = status.state;
    return true;
  }

  /** The update to send now, if any. */
  head(): TaskStatus | undefined {
    return this.pending[0];
  }

  /** The newest state queued, which runs ahead of the head while updates wait. */
  latestState(): TaskState | undefined {
    return this.latest;
  }

  acknowledge(uuid: string): AckOutcome {
    const head = this.pending[0];
    if (head?.uuid === uuid) {
      this.pending.shift();
      this.acknowledged.add(uuid);
      if (isTerminalState(head.state)) this.terminalAcknowledged = true;
      return 'popped';
    }
    return this.acknowledged.has(uuid) ? 'duplicate' : 'unexpected';
  }

  /** The stream has delivered its terminal update and holds nothing more: the task is done. */
  isClosed(): boolean {
    return this.terminalAcknowledged && this.pending.length === 0;
  }
}
