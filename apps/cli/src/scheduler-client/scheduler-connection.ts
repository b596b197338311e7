/**
 * A Mesos v1 scheduler HTTP API client (reference §1.1): SUBSCRIBE opens a long-lived POST whose
 * chunked response is a RecordIO stream of events and whose `Mesos-Stream-Id` header names the
 * subscription; every other call is a separate POST carrying that header, answered 202 with the
 * results arriving later as events. Knows the transport only — what to do with offers and
 * updates is the caller's business.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { type Call, type Event, ProtocolError, RecordIODecoder, type SubscribeCall, toAsciiJson } from '@agora/protocol';
import { openRequest, sendRequest, UnreachableError } from '../http/http-client';
import { masterEndpoint } from '../master-url';
import { decodeEvent } from './decode-event';

export const SCHEDULER_PATH = '/api/v1/scheduler';
export const STREAM_ID_HEADER = 'Mesos-Stream-Id';

/** Every request and answer is JSON; the master rejects a charset parameter on Content-Type. */
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' } as const;

const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** A standby master redirects to the leader; more hops than this means something is looping. */
const MAX_REDIRECTS = 3;

/** The master turned a call down (an HTTP error status), with the reason from its text body. */
export class SchedulerCallError extends Error {
  override readonly name = 'SchedulerCallError';

  constructor(
    readonly callType: Call['type'],
    readonly status: number,
    readonly statusText: string,
    readonly body: string,
  ) {
    super(`the master refused ${callType}: ${status} ${statusText}${body === '' ? '' : `: ${body}`}`);
  }
}

export interface ConnectOptions {
  /**
   * Bounds each non-SUBSCRIBE call, and the wait for SUBSCRIBE's answer to begin (default 30 s).
   * The event stream itself has no timeout: the caller watches heartbeats.
   */
  readonly callTimeoutMs?: number;
  /** Abandons subscribing (Ctrl+C before the master answered). */
  readonly signal?: AbortSignal;
}

/**
 * Subscribes and resolves once the master has accepted the subscription (200 and a stream id).
 * Throws UnreachableError when the master cannot be reached and SchedulerCallError when it
 * refuses; a refusal that arrives as an ERROR event comes out of `events()` instead.
 */
export async function subscribe(master: string, call: SubscribeCall, options: ConnectOptions = {}): Promise<Subscription> {
  let endpoint = masterEndpoint(master, SCHEDULER_PATH);
  const agent = endpoint.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  try {
    for (let hop = 0; ; hop++) {
      const { response, request } = await openRequest(endpoint, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: toAsciiJson(call),
        agent,
        timeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        signal: options.signal,
      });
      // The head is here; from now on the stream may rightly be quiet between heartbeats.
      request.setTimeout(0);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status === 307 && location !== undefined && hop < MAX_REDIRECTS) {
        response.resume();
        endpoint = new URL(location, endpoint);
        continue;
      }
      if (status !== 200) {
        const body = await readText(response);
        throw new SchedulerCallError('SUBSCRIBE', status, response.statusMessage ?? '', body.trim());
      }
      const streamId = response.headers[STREAM_ID_HEADER.toLowerCase()];
      if (typeof streamId !== 'string' || streamId === '') {
        request.destroy();
        throw new SchedulerCallError('SUBSCRIBE', status, 'OK', `the answer has no ${STREAM_ID_HEADER} header`);
      }
      return new Subscription(endpoint, streamId, response, request, agent, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
    }
  } catch (error) {
    agent.destroy();
    throw error;
  }
}

/** One live subscription: its event stream, and the way to send calls on it. */
export class Subscription {
  private closed = false;
  private consumed = false;

  constructor(
    /** Where calls go: the scheduler endpoint of the master that accepted the subscription. */
    readonly endpoint: URL,
    readonly streamId: string,
    private readonly response: http.IncomingMessage,
    private readonly request: http.ClientRequest,
    private readonly agent: http.Agent,
    private readonly callTimeoutMs: number,
  ) {}

  /**
   * The events, in order, until the master ends the stream or `close()` is called (then the
   * iteration just ends). Throws UnreachableError when the connection breaks, ProtocolError when
   * the stream cannot be read. Can be iterated once; breaking out of it leaves the subscription
   * open.
   */
  async *events(): AsyncGenerator<Event> {
    if (this.consumed) throw new Error('the event stream can be read only once');
    this.consumed = true;
    const decoder = new RecordIODecoder();
    try {
      // Leaving the loop early must not end the subscription (by default a stream's iterator
      // destroys it on return): a scheduler stops reading to tear down, which needs the
      // subscription alive. Ending it is close()'s job.
      for await (const chunk of this.response.iterator({ destroyOnReturn: false })) {
        for (const record of decoder.decodeText(chunk as Uint8Array)) {
          const event = decodeEvent(record);
          if (event !== undefined) yield event;
          if (this.closed) return;
        }
      }
    } catch (error) {
      if (this.closed) return;
      if (error instanceof ProtocolError) throw error;
      throw new UnreachableError(this.endpoint.origin, (error as NodeJS.ErrnoException).code, { cause: error });
    }
  }

  /** Sends a call on this subscription; resolves when the master has accepted it (202). */
  async send(call: Call): Promise<void> {
    const answer = await sendRequest(this.endpoint, {
      method: 'POST',
      headers: { ...JSON_HEADERS, [STREAM_ID_HEADER]: this.streamId },
      body: toAsciiJson(call),
      agent: this.agent,
      timeoutMs: this.callTimeoutMs,
    });
    // 202 is the answer to every call but UPDATE_FRAMEWORK, which is answered 200.
    if (answer.status !== 202 && answer.status !== 200) {
      throw new SchedulerCallError(call.type, answer.status, answer.statusText, answer.body.trim());
    }
  }

  /** Ends the subscription from this side: the stream closes and `events()` finishes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.request.destroy();
    this.response.destroy();
    this.agent.destroy();
  }
}

async function readText(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
