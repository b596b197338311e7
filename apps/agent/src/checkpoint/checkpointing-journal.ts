import { Injectable, Logger } from '@nestjs/common';
import type { TaskStatus } from '@agora/protocol';
import { StatusUpdateJournal } from '../status-updates/status-update-journal';
import { CheckpointStore } from './checkpoint-store';

/**
 * The status-update journal of a checkpointing agent (reference §5.4): every update and
 * acknowledgement of a checkpointing framework's task is appended to its `task.updates` and
 * fsync'd before the manager acts on it, so a restarted agent resends exactly what was never
 * acknowledged. Other frameworks' updates cost one set lookup and no I/O. A write that fails
 * (a full disk) is logged and the update goes on in memory: it is still delivered while this
 * agent process lives, only a restart would not know it.
 */
@Injectable()
export class CheckpointingJournal extends StatusUpdateJournal {
  private readonly logger = new Logger('checkpoint');

  constructor(private readonly store: CheckpointStore) {
    super();
  }

  recordUpdate(frameworkId: string, status: TaskStatus): void {
    if (!this.store.checkpointing(frameworkId) || status.uuid === undefined) return;
    this.append(frameworkId, status.task_id.value, () => this.store.append(frameworkId, status.task_id.value, { update: { ...status, uuid: status.uuid as string } }));
  }

  recordAcknowledgement(frameworkId: string, taskId: string, uuid: string): void {
    if (!this.store.checkpointing(frameworkId)) return;
    this.append(frameworkId, taskId, () => this.store.append(frameworkId, taskId, { ack: uuid }));
  }

  private append(frameworkId: string, taskId: string, write: () => void): void {
    try {
      write();
    } catch (e) {
      this.logger.error(`could not journal a status update of task ${taskId} of framework ${frameworkId}: ${(e as Error).message}`);
    }
  }
}
