/**
 * The transport under the master ↔ agent bus: subjects and bytes, nothing Agora-specific. Two
 * implementations sit behind it: NATS (cluster mode) and an in-process one (`agora local`, unit
 * tests), so master and agent code never know which carries their messages.
 *
 * Contract, kept by both implementations:
 * - subjects are dot-separated tokens; a subscription may use `*` (one token) and `>` (the rest);
 * - delivery is asynchronous (never inside `publish`) and in publish order per subscription;
 * - subscriptions sharing a `queue` name get each message once among them (the leader's group);
 * - `request` resolves with the first reply or rejects with BusTimeoutError / NoRespondersError.
 */
export interface BusEnvelope {
  readonly subject: string;
  readonly data: Uint8Array;
  /** Present when the sender waits for an answer (a request). */
  readonly respond?: (data: Uint8Array) => void;
}

export type BusHandler = (envelope: BusEnvelope) => void;

export interface BusSubscription {
  unsubscribe(): void;
}

export interface SubscribeOptions {
  /** Queue group: one member of the group receives each message. */
  readonly queue?: string;
}

export interface BusTransport {
  publish(subject: string, data: Uint8Array): void;
  subscribe(subject: string, handler: BusHandler, options?: SubscribeOptions): BusSubscription;
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  /** Delivers what is pending, then closes; later calls fail. */
  close(): Promise<void>;
  /**
   * Calls `listener` each time the connection to the bus was lost and is back (a transport
   * that cannot lose it need not implement this). Messages sent meanwhile may be lost, NATS
   * being at-most-once: an agent re-registers then, so that the master reconciles what went
   * missing (a launch that never arrived becomes TASK_DROPPED).
   */
  onReconnect?(listener: () => void): void;
}

/** No reply to a request within its timeout. */
export class BusTimeoutError extends Error {
  override readonly name = 'BusTimeoutError';
  constructor(readonly subject: string, readonly timeoutMs: number) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
  }
}

/** Nobody subscribes to the subject of a request (e.g. no master leads yet). */
export class NoRespondersError extends Error {
  override readonly name = 'NoRespondersError';
  constructor(readonly subject: string) {
    super(`no responders on ${subject}`);
  }
}

/** The transport was closed, or could not be reached. */
export class BusClosedError extends Error {
  override readonly name = 'BusClosedError';
  constructor(message = 'the bus is closed', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Whether `subject` matches the subscription `pattern` (NATS wildcard rules). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
