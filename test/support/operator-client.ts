/**
 * A minimal client of the master's v1 operator API for tests: calls answered synchronously,
 * and the SUBSCRIBE event stream read record by record. Events queue up and tests wait for the
 * ones they expect (`next`), never on time.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { type OperatorEvent, RecordIODecoder } from '@agora/protocol';

export interface OperatorAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/** POSTs `body` (sent as is when it is a string) to `/api/v1`, or to `path`. */
export async function operatorCall(master: string, body: unknown, headers: Record<string, string> = {}, path = '/api/v1'): Promise<OperatorAnswer> {
  const response = await fetch(`${master}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') ?? undefined };
}

/** A call that must answer 200 with JSON; resolves with the parsed body. */
export async function operatorGet<T = Record<string, unknown>>(master: string, type: string, extra: Record<string, unknown> = {}): Promise<T> {
  const answer = await operatorCall(master, { type, ...extra });
  if (answer.status !== 200) throw new Error(`${type} answered ${answer.status}: ${answer.body}`);
  return JSON.parse(answer.body) as T;
}

export class OperatorStream {
  readonly events: OperatorEvent[] = [];
  contentType?: string;
  closed = false;
  private waiters: (() => void)[] = [];
  private req?: ClientRequest;
  private res?: IncomingMessage;

  private constructor(readonly master: string) {}

  /** Subscribes and resolves once the response headers arrive. */
  static async open(master: string, path = '/api/v1'): Promise<OperatorStream> {
    const stream = new OperatorStream(master);
    await new Promise<void>((resolve, reject) => {
      stream.req = request(`${master}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, (res) => {
        stream.res = res;
        stream.contentType = res.headers['content-type'];
        const decoder = new RecordIODecoder();
        res.on('data', (chunk: Buffer) => {
          for (const record of decoder.decodeText(chunk)) stream.push(JSON.parse(record) as OperatorEvent);
        });
        res.on('end', () => stream.end());
        res.on('close', () => stream.end());
        if (res.statusCode !== 200) reject(new Error(`SUBSCRIBE answered ${res.statusCode}`));
        else resolve();
      });
      stream.req.on('error', (e) => {
        stream.end();
        reject(e);
      });
      stream.req.end(JSON.stringify({ type: 'SUBSCRIBE' }));
    });
    return stream;
  }

  private push(event: OperatorEvent): void {
    this.events.push(event);
    this.wake();
  }

  private end(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** The first not-yet-taken event matching `match`; earlier events stay queued. */
  async next<E extends OperatorEvent = OperatorEvent>(match: (e: OperatorEvent) => boolean, timeoutMs = 15000): Promise<E> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.events.findIndex(match);
      if (i >= 0) return this.events.splice(i, 1)[0] as E;
      if (this.closed) throw new Error(`operator stream closed; unmatched events: ${JSON.stringify(this.events.map((e) => e.type))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching operator event within ${timeoutMs} ms; queued: ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  nextOfType<T extends OperatorEvent['type']>(type: T, match: (e: Extract<OperatorEvent, { type: T }>) => boolean = () => true, timeoutMs?: number): Promise<Extract<OperatorEvent, { type: T }>> {
    return this.next((e) => e.type === type && match(e as Extract<OperatorEvent, { type: T }>), timeoutMs);
  }

  close(): void {
    this.res?.destroy();
    this.req?.destroy();
    this.closed = true;
  }
}
