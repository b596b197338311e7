import {
  BusClosedError,
  type BusEnvelope,
  type BusHandler,
  type BusSubscription,
  BusTimeoutError,
  type BusTransport,
  NoRespondersError,
  subjectMatches,
  type SubscribeOptions,
} from './transport';

interface Subscriber {
  readonly pattern: string;
  readonly handler: BusHandler;
  readonly queue?: string;
}

/**
 * The bus inside one process (`agora local`, DESIGN §10): the same subjects and bytes as NATS,
 * delivered on a later turn of the event loop so that senders and receivers interleave as they
 * would over a network. Queue groups pick members round-robin.
 */
export class InProcessTransport implements BusTransport {
  private readonly subscribers = new Set<Subscriber>();
  private readonly turns = new Map<string, number>();
  private closed = false;
  private inboxes = 0;

  publish(subject: string, data: Uint8Array): void {
    this.deliver({ subject, data });
  }

  subscribe(pattern: string, handler: BusHandler, options: SubscribeOptions = {}): BusSubscription {
    this.assertOpen();
    const sub: Subscriber = { pattern, handler, queue: options.queue };
    this.subscribers.add(sub);
    return { unsubscribe: () => this.subscribers.delete(sub) };
  }

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const inbox = `_INBOX.local.${++this.inboxes}`;
      const timer = setTimeout(() => {
        answered = true;
        reject(new BusTimeoutError(subject, timeoutMs));
      }, timeoutMs);
      timer.unref();
      const respond = (reply: Uint8Array): void => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        const copy = Uint8Array.from(reply);
        setImmediate(() => resolve(copy));
      };
      if (!this.deliver({ subject, data, respond }, inbox)) {
        answered = true;
        clearTimeout(timer);
        reject(new NoRespondersError(subject));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
  }

  /** Picks receivers now, delivers later; false when nobody listens. */
  private deliver(envelope: BusEnvelope, _inbox?: string): boolean {
    this.assertOpen();
    const receivers: Subscriber[] = [];
    const groups = new Map<string, Subscriber[]>();
    for (const sub of this.subscribers) {
      if (!subjectMatches(sub.pattern, envelope.subject)) continue;
      if (sub.queue === undefined) receivers.push(sub);
      else groups.set(sub.queue, [...(groups.get(sub.queue) ?? []), sub]);
    }
    for (const [queue, members] of groups) {
      const turn = this.turns.get(queue) ?? 0;
      this.turns.set(queue, turn + 1);
      receivers.push(members[turn % members.length]);
    }
    // Receivers get their own copy, as they would from a socket.
    const data = Uint8Array.from(envelope.data);
    for (const sub of receivers) {
      setImmediate(() => {
        if (this.subscribers.has(sub)) sub.handler({ ...envelope, data });
      });
    }
    return receivers.length > 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusClosedError();
  }
}
