import {
  agentSubject,
  agentWildcard,
  BROADCAST_WILDCARD,
  type BroadcastKind,
  broadcastSubject,
  type BusMessages,
  decodeBusBytes,
  decodeBusReply,
  type DecodedBusMessage,
  encodeBusMessage,
  MASTER_WILDCARD,
  masterSubject,
  type ReplyKind,
  type ToAgentKind,
  type ToMasterKind,
} from '@agora/protocol';
import { BusClosedError, type BusSubscription, type BusTransport } from './transport';

/** A received message, validated, with a way to answer it when the sender waits for one. */
export type Received<F extends DecodedBusMessage['subject']['family']> = Extract<DecodedBusMessage, { subject: { family: F } }> & {
  /** Answers a request (`register`, `reregister` → `registered`; `ping` → `pong`); no-op otherwise. */
  readonly reply: <K extends ReplyKind>(kind: K, message: BusMessages[K]) => void;
};

/** Called with a message that failed validation (dropped, never thrown into the transport), or a send on a closed bus. */
export type InvalidMessageHandler = (subject: string, error: Error) => void;

/** The queue group of masters on `agora.v1.master.>`: only one receives each agent message. */
export const MASTER_QUEUE = 'agora-masters';

/**
 * The typed bus of DESIGN §3.4 over any transport: it encodes with the size check, decodes and
 * validates every message it receives, and drops (reporting) what fails validation, so a bad
 * message from a peer never crashes a handler.
 */
export class AgoraBus {
  constructor(
    readonly transport: BusTransport,
    private readonly onInvalid: InvalidMessageHandler = () => undefined,
  ) {}

  /** `listener` runs each time the bus connection was lost and restored (BusTransport.onReconnect). */
  onReconnect(listener: () => void): void {
    this.transport.onReconnect?.(listener);
  }

  /** Master → one agent. */
  toAgent<K extends ToAgentKind>(agentId: string, kind: K, message: BusMessages[K]): void {
    this.publish(agentSubject(agentId, kind), encodeBusMessage(kind, message));
  }

  /** Master → every agent. */
  broadcast<K extends BroadcastKind>(kind: K, message: BusMessages[K]): void {
    this.publish(broadcastSubject(kind), encodeBusMessage(kind, message));
  }

  /** Agent → master, fire and forget. */
  toMaster<K extends ToMasterKind>(kind: K, message: BusMessages[K]): void {
    this.publish(masterSubject(kind), encodeBusMessage(kind, message));
  }

  /**
   * Fire-and-forget sends never throw for a closed bus: they happen from timers and handlers
   * while a process shuts down, and every message that matters is retried (status updates) or
   * re-derived (re-registration) by its protocol. Encoding errors (a message too big) still throw.
   */
  private publish(subject: string, bytes: Uint8Array): void {
    try {
      this.transport.publish(subject, bytes);
    } catch (e) {
      if (!(e instanceof BusClosedError)) throw e;
      this.onInvalid(subject, e);
    }
  }

  /** Agent → master request: `register` or `reregister`, answered with `registered`. */
  async register<K extends 'register' | 'reregister'>(kind: K, message: BusMessages[K], timeoutMs: number): Promise<BusMessages['registered']> {
    const reply = await this.transport.request(masterSubject(kind), encodeBusMessage(kind, message), timeoutMs);
    return decodeBusReply('registered', reply);
  }

  /** Master → agent ping, answered with `pong`. */
  async ping(agentId: string, message: BusMessages['ping'], timeoutMs: number): Promise<BusMessages['pong']> {
    const reply = await this.transport.request(agentSubject(agentId, 'ping'), encodeBusMessage('ping', message), timeoutMs);
    return decodeBusReply('pong', reply);
  }

  /** What the leading master hears from agents (in the masters' queue group). */
  onMasterMessages(handler: (received: Received<'master'>) => void): BusSubscription {
    return this.listen(MASTER_WILDCARD, handler, MASTER_QUEUE);
  }

  /** What one agent hears: its own subjects. */
  onAgentMessages(agentId: string, handler: (received: Received<'agent'>) => void): BusSubscription {
    return this.listen(agentWildcard(agentId), handler);
  }

  /** What every agent hears (a new leader was elected). */
  onBroadcasts(handler: (received: Received<'agents'>) => void): BusSubscription {
    return this.listen(BROADCAST_WILDCARD, handler);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private listen<F extends DecodedBusMessage['subject']['family']>(
    pattern: string,
    handler: (received: Received<F>) => void,
    queue?: string,
  ): BusSubscription {
    return this.transport.subscribe(
      pattern,
      (envelope) => {
        let decoded: DecodedBusMessage;
        try {
          decoded = decodeBusBytes(envelope.subject, envelope.data);
        } catch (e) {
          this.onInvalid(envelope.subject, e as Error);
          return;
        }
        const reply = <K extends ReplyKind>(kind: K, message: BusMessages[K]): void => {
          envelope.respond?.(encodeBusMessage(kind, message));
        };
        try {
          handler({ ...decoded, reply } as Received<F>);
        } catch (e) {
          this.onInvalid(envelope.subject, e as Error);
        }
      },
      { queue },
    );
  }
}
