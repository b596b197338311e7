/**
 * A minimal Mesos v1 HTTP scheduler for tests: it subscribes, reads the RecordIO event stream
 * and sends calls with the stream id, exactly as a framework does on the wire. Events queue up
 * and tests wait for the ones they expect (`next`), never on time.
 */
import { request, type IncomingMessage, type ClientRequest } from 'node:http';
import { type Event, RecordIODecoder } from '@agora/protocol';

export interface CallAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/** POSTs `body` to the scheduler endpoint; `body` is sent as is when it is a string. */
export function postCall(master: string, body: unknown, headers: Record<string, string> = {}): Promise<CallAnswer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${master}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, contentType: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

export class TestScheduler {
  readonly events: Event[] = [];
  streamId = '';
  frameworkId = '';
  /** SUBSCRIBED, or ERROR when the subscription was refused. */
  first?: Event;
  private waiters: (() => void)[] = [];
  private req?: ClientRequest;
  private res?: IncomingMessage;
  closed = false;

  private constructor(readonly master: string) {}

  /** Subscribes and waits for the first event (SUBSCRIBED or ERROR). */
  static async subscribe(master: string, frameworkInfo: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<TestScheduler> {
    const s = new TestScheduler(master);
    await s.open({ type: 'SUBSCRIBE', ...(frameworkInfo.id ? { framework_id: frameworkInfo.id } : {}), subscribe: { framework_info: frameworkInfo, ...extra } });
    const first = await s.next(() => true);
    s.first = first;
    if (first.type === 'SUBSCRIBED') s.frameworkId = first.subscribed.framework_id.value;
    return s;
  }

  private open(body: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(`${this.master}/api/v1/scheduler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      }, (res) => {
        this.res = res;
        this.streamId = String(res.headers['mesos-stream-id'] ?? '');
        const decoder = new RecordIODecoder();
        res.on('data', (chunk: Buffer) => {
          for (const record of decoder.decode(chunk)) this.push(JSON.parse(new TextDecoder().decode(record)) as Event);
        });
        res.on('end', () => this.end());
        res.on('close', () => this.end());
        resolve();
      });
      this.req.on('error', (e) => {
        this.end();
        reject(e);
      });
      this.req.end(JSON.stringify(body));
    });
  }

  private push(event: Event): void {
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

  /**
   * The first not-yet-taken event matching `match` (events before it stay queued for later
   * `next` calls). Rejects after `timeoutMs` with the events seen, so a failing test says why.
   */
  async next<E extends Event = Event>(match: (e: Event) => boolean, timeoutMs = 15000): Promise<E> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.events.findIndex(match);
      if (i >= 0) return this.events.splice(i, 1)[0] as E;
      if (this.closed) throw new Error(`stream closed; unmatched events: ${JSON.stringify(this.events.map((e) => e.type))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; queued: ${JSON.stringify(this.events).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  nextOfType<T extends Event['type']>(type: T, match: (e: Extract<Event, { type: T }>) => boolean = () => true, timeoutMs?: number): Promise<Extract<Event, { type: T }>> {
    return this.next((e) => e.type === type && match(e as Extract<Event, { type: T }>), timeoutMs);
  }

  /** An UPDATE for `taskId` in `state`. */
  update(taskId: string, state: string, timeoutMs?: number): Promise<Extract<Event, { type: 'UPDATE' }>> {
    return this.nextOfType('UPDATE', (e) => e.update.status.task_id.value === taskId && e.update.status.state === state, timeoutMs);
  }

  /** Sends a call on a separate connection with this stream's id and framework id. */
  call(type: string, body: Record<string, unknown> = {}, headers?: Record<string, string>): Promise<CallAnswer> {
    return postCall(this.master, { type, framework_id: { value: this.frameworkId }, ...body }, headers ?? { 'Mesos-Stream-Id': this.streamId });
  }

  async acknowledge(status: { agent_id?: { value: string }; task_id: { value: string }; uuid?: string }): Promise<void> {
    if (status.uuid === undefined) return;
    const answer = await this.call('ACKNOWLEDGE', { acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
    if (answer.status !== 202) throw new Error(`ACKNOWLEDGE answered ${answer.status}: ${answer.body}`);
  }

  /** Closes the stream (the master sees a disconnect). */
  disconnect(): void {
    this.res?.destroy();
    this.req?.destroy();
    this.closed = true;
  }
}
