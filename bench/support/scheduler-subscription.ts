/**
 * The SUBSCRIBE call of the benchmarks' frameworks: POST it on a connection of its own (a pooled
 * one could be handed to the next framework's SUBSCRIBE when this stream ends, and destroying
 * this stream would then cut that one), decode the RecordIO event stream, and hand over events.
 */
import { type IncomingMessage, request } from 'node:http';
import { type Event, RecordIODecoder } from '@agora/protocol';

export interface SubscriptionHandlers {
  /** SUBSCRIBED arrived: runs before any later event is handed over. */
  readonly subscribed: (frameworkId: string, streamId: string, stream: IncomingMessage) => void;
  /** Every event, SUBSCRIBED included, in order. */
  readonly event: (event: Event) => void;
  /** The stream ended or broke after SUBSCRIBED. */
  readonly closed?: () => void;
}

/** SUBSCRIBE answered other than 200; `location` is a standby master's redirect (307) to the leader. */
export class SubscribeRefused extends Error {
  constructor(
    readonly status: number,
    readonly location: string | undefined,
  ) {
    super(`SUBSCRIBE answered ${status}${location !== undefined ? ` (Location: ${location})` : ''}`);
  }
}

/** Resolves once SUBSCRIBED has arrived (and `handlers.subscribed` ran); rejects on any other answer than 200. */
export function subscribeScheduler(master: string, frameworkInfo: Record<string, unknown>, handlers: SubscriptionHandlers): Promise<void> {
  const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } });
  return new Promise((resolve, reject) => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const req = request(`${master}/api/v1/scheduler`, { method: 'POST', agent: false, headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        const location = res.headers.location;
        reject(new SubscribeRefused(res.statusCode ?? 0, typeof location === 'string' ? location : undefined));
        return;
      }
      const streamId = String(res.headers['mesos-stream-id'] ?? '');
      const decoder = new RecordIODecoder({ maxRecordBytes: 256 * 1024 * 1024 });
      const text = new TextDecoder();
      res.on('data', (chunk: Buffer) => {
        for (const record of decoder.decode(chunk)) {
          const event = JSON.parse(text.decode(record)) as Event;
          if (event.type === 'SUBSCRIBED') {
            handlers.subscribed(event.subscribed.framework_id.value, streamId, res);
            resolve();
          }
          handlers.event(event);
        }
      });
      res.on('error', () => undefined);
      res.on('close', () => handlers.closed?.());
    });
    req.on('error', reject);
    req.end(body);
  });
}
