import type { ExecutorEvent } from '@agora/protocol';
import type { ExecutorConnection } from '../executor-connection';

/** An executor's subscription stream for specs: keeps every event sent while it is open. */
export class RecordingConnection implements ExecutorConnection {
  readonly events: ExecutorEvent[] = [];
  isOpen = true;
  send(event: ExecutorEvent): void {
    if (this.isOpen) this.events.push(event);
  }
  close(last?: ExecutorEvent): void {
    if (last !== undefined) this.send(last);
    this.isOpen = false;
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}
