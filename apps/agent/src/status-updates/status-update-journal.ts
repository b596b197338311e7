/**
 * The seam for checkpointing status updates (DESIGN §7, reference §5.4). Mesos writes every
 * update and acknowledgement of a checkpointing framework to `meta/.../task.updates` before
 * acting on it, so a restarted agent resends what was never acknowledged. The agent uses
 * CheckpointingJournal (checkpoint/), which appends to disk for checkpointing frameworks;
 * InMemoryJournal serves tests of the manager alone.
 */
import { Injectable } from '@nestjs/common';
import type { TaskStatus } from '@agora/protocol';

export abstract class StatusUpdateJournal {
  /** Called when an update joins its queue (duplicates never reach here). */
  abstract recordUpdate(frameworkId: string, status: TaskStatus): void;
  /** Called before an acknowledged update leaves its queue. */
  abstract recordAcknowledgement(frameworkId: string, taskId: string, uuid: string): void;
}

/** Keeps nothing: updates live as long as the agent process does. */
@Injectable()
export class InMemoryJournal extends StatusUpdateJournal {
  recordUpdate(): void {}
  recordAcknowledgement(): void {}
}
