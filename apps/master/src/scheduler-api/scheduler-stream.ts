import type { ServerResponse } from 'node:http';
import { encodeEvent, type Event } from '@agora/protocol';
import type { TimerHandle } from '../clock/clock';
import type { EventSink } from '../cluster/event-sink';

/**
 * One SUBSCRIBE response: a chunked RecordIO stream of events (reference §1.2), one record per
 * write, with HEARTBEAT events on a timer. When the client goes away `onClose` runs once, which
 * is how the master learns that a scheduler disconnected.
 */
export class SchedulerStream implements EventSink {
  private open = true;
  private corked = false;
  private heartbeat?: TimerHandle;

  constructor(
    readonly streamId: string,
    private readonly response: ServerResponse,
    private readonly onClose: (stream: SchedulerStream) => void,
  ) {
    response.on('close', () => this.closed());
  }

  /** Starts heartbeats every `every(ms, fn)` tick of the caller's clock. */
  startHeartbeats(schedule: (run: () => void) => TimerHandle): void {
    this.heartbeat = schedule(() => this.send({ type: 'HEARTBEAT' }));
  }

  get isOpen(): boolean {
    return this.open;
  }

  send(event: Event): void {
    if (!this.open) return;
    // Events of one turn of the event loop (a batch of status updates from the bus) leave in one
    // socket write instead of one write each.
    if (!this.corked) {
      this.corked = true;
      this.response.cork();
      process.nextTick(() => {
        this.corked = false;
        this.response.uncork();
      });
    }
    this.response.write(encodeEvent(event));
  }

  close(last?: Event): void {
    if (!this.open) return;
    if (last !== undefined) this.send(last);
    this.response.end();
    this.closed();
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.heartbeat?.cancel();
    this.onClose(this);
  }
}
