import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { encodeOperatorEvent, type OperatorEvent } from '@agora/protocol';
import { Clock, type TimerHandle } from '../../clock/clock';
import { type ClusterEvent, ClusterEvents } from '../../cluster/cluster-events';
import { ClusterState } from '../../cluster/cluster-state';
import { MasterConfig } from '../../config/master.config';
import { renderOperatorEvent, renderSubscribed } from './render/events';

/** The part of an HTTP response a stream writes to (Express's Response satisfies it). */
export interface EventStreamResponse {
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  destroy(): unknown;
  on(event: 'close', listener: () => void): unknown;
  /** Bytes written but not yet taken by the socket. */
  readonly writableLength: number;
}

/**
 * A subscriber that does not read its stream is dropped once this much is waiting for it, so a
 * stalled client cannot make the master's memory grow without bound.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * The operator event streams (reference §3.3 SUBSCRIBE). Each subscriber gets SUBSCRIBED with
 * the whole state, then every change ClusterEvents reports, in the order the master made them,
 * and HEARTBEAT every heartbeat interval. ClusterEvents is emitted synchronously after each
 * change and SUBSCRIBED is rendered in the same turn the subscriber joins, so nothing is missed
 * or seen twice. Each event is rendered and encoded once, then written to every subscriber.
 *
 * At most `AGORA_MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS` streams are open; a new one ends the
 * oldest (as Mesos). A subscriber with more than `maxBufferedBytes` unread is cut off.
 */
@Injectable()
export class OperatorEventStreams implements OnModuleDestroy {
  private readonly logger = new Logger('operator-events');
  /** Oldest first (a Map keeps insertion order). */
  private readonly subscribers = new Map<number, Subscriber>();
  private nextId = 1;
  private stopListening?: () => void;
  private heartbeat?: TimerHandle;
  maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;

  constructor(
    private readonly cluster: ClusterState,
    private readonly events: ClusterEvents,
    private readonly clock: Clock,
    private readonly config: MasterConfig,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Starts a stream on `response`, whose status and headers the caller has sent. */
  subscribe(response: EventStreamResponse): void {
    for (const oldest of this.subscribers.values()) {
      if (this.subscribers.size < this.config.maxOperatorEventStreamSubscribers) break;
      this.logger.warn(`more than ${this.config.maxOperatorEventStreamSubscribers} operator event streams: ending the oldest`);
      oldest.end();
    }
    const subscriber = new Subscriber(this.nextId++, response, (s) => this.remove(s));
    this.subscribers.set(subscriber.id, subscriber);
    this.start();
    this.deliver(subscriber, encodeOperatorEvent(renderSubscribed(this.cluster, this.config.heartbeatIntervalSeconds)));
  }

  onModuleDestroy(): void {
    for (const subscriber of [...this.subscribers.values()]) subscriber.end();
    this.stop();
  }

  private start(): void {
    this.stopListening ??= this.events.on((event) => this.publish(event));
    this.heartbeat ??= this.clock.every(this.config.heartbeatIntervalSeconds * 1000, () => this.broadcast({ type: 'HEARTBEAT' }));
  }

  private stop(): void {
    this.stopListening?.();
    this.heartbeat?.cancel();
    this.stopListening = this.heartbeat = undefined;
  }

  private publish(event: ClusterEvent): void {
    if (this.subscribers.size === 0) return;
    this.broadcast(renderOperatorEvent(event, this.cluster));
  }

  private broadcast(event: OperatorEvent): void {
    const bytes = encodeOperatorEvent(event);
    for (const subscriber of [...this.subscribers.values()]) this.deliver(subscriber, bytes);
  }

  private deliver(subscriber: Subscriber, bytes: Uint8Array): void {
    if (subscriber.buffered > this.maxBufferedBytes) {
      this.logger.warn(`operator event stream ${subscriber.id} has ${subscriber.buffered} bytes unread: dropping it`);
      subscriber.abort();
      return;
    }
    subscriber.write(bytes);
  }

  private remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber.id);
    if (this.subscribers.size === 0) this.stop();
  }
}

/** One SUBSCRIBE response. `onClosed` runs once, however the stream ends. */
class Subscriber {
  private open = true;

  constructor(
    readonly id: number,
    private readonly response: EventStreamResponse,
    private readonly onClosed: (s: Subscriber) => void,
  ) {
    response.on('close', () => this.closed());
  }

  get buffered(): number {
    return this.response.writableLength;
  }

  write(bytes: Uint8Array): void {
    if (this.open) this.response.write(bytes);
  }

  /** Ends the stream cleanly (what was written is still delivered). */
  end(): void {
    if (!this.open) return;
    this.response.end();
    this.closed();
  }

  /** Cuts the connection, discarding what is buffered. */
  abort(): void {
    if (!this.open) return;
    this.response.destroy();
    this.closed();
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.onClosed(this);
  }
}
