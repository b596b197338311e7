import type { Event } from '@agora/protocol';

/**
 * Where a framework's events go: its SUBSCRIBE response stream. `send` never throws; a sink whose
 * connection is gone drops events (the framework is disconnected and will reconcile).
 */
export interface EventSink {
  readonly streamId: string;
  send(event: Event): void;
  /** Ends the stream (after an optional last event). */
  close(last?: Event): void;
}
