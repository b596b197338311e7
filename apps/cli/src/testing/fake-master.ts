/**
 * A stand-in master for the CLI's tests: just enough of the v1 scheduler API (reference §1.1)
 * to drive a client — it checks the headers a real master checks, records every call, and lets
 * the test write events on the subscription stream — plus canned v0 JSON for GET endpoints,
 * v1 operator calls (`POST /api/v1`, recorded and answered 200 or as told), and a standby's
 * answers (307 to the leader, 503 without one). Tests wait for calls (`nextCall`) instead of
 * sleeping.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Call, type CallType, encodeEvent, type Event, type OperatorCall, type OperatorCallType } from '@agora/protocol';

export interface RecordedCall {
  readonly type: CallType;
  /** The parsed JSON body, as sent. */
  readonly body: Call;
  readonly headers: http.IncomingHttpHeaders;
  /** The status the fake answered with. */
  readonly status: number;
}

export interface FakeMasterOptions {
  /** The framework id the SUBSCRIBED event carries. */
  readonly frameworkId?: string;
  readonly heartbeatIntervalSeconds?: number;
  /** Never answer SUBSCRIBE (a master that hangs). */
  readonly holdSubscribe?: boolean;
  /** Answer SUBSCRIBE with this status and text body instead of a stream. */
  readonly refuseSubscribe?: { readonly status: number; readonly body: string };
  /** Answer this call type with this status and text body instead of 202. */
  readonly refuseCall?: { readonly type: CallType; readonly status: number; readonly body: string };
  /** GET path (with query) → JSON body. */
  readonly getJson?: Readonly<Record<string, unknown>>;
  /** Answer this v1 operator call type with this status and text body instead of 200. */
  readonly refuseOperatorCall?: { readonly type: OperatorCallType; readonly status: number; readonly body: string };
  /**
   * Act as a standby master (apps/master's StandbyGate): answer every request with 307 and
   * `Location: //<leader><path>` (protocol-relative), or 503 when `leader` is undefined.
   */
  readonly standby?: { readonly leader?: string };
}

/** A v1 operator call as the fake received it. */
export interface RecordedOperatorCall {
  readonly body: OperatorCall;
  readonly headers: http.IncomingHttpHeaders;
}

export class FakeMaster {
  readonly calls: RecordedCall[] = [];
  /** GET requests, path with query, in order. */
  readonly gets: string[] = [];
  /** `POST /api/v1` calls, in order. */
  readonly operatorCalls: RecordedOperatorCall[] = [];
  /** Requests answered as a standby (307 or 503): method and path, e.g. `POST /api/v1`. */
  readonly standbyAnswered: string[] = [];
  readonly streamId = randomUUID();
  private stream: http.ServerResponse | undefined;
  private disconnected = false;
  private readonly consumed = new Set<RecordedCall>();
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeMasterOptions,
  ) {}

  static async start(options: FakeMasterOptions = {}): Promise<FakeMaster> {
    const server = http.createServer();
    const master = new FakeMaster(server, options);
    server.on('request', (req, res) => master.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return master;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get frameworkId(): string {
    return this.options.frameworkId ?? 'fake-master-0000';
  }

  /** Writes one event on the live subscription stream, as one RecordIO record. */
  send(event: Event): void {
    if (this.stream === undefined) throw new Error('nobody is subscribed');
    this.stream.write(encodeEvent(event));
  }

  /** Ends the subscription stream from the master's side. */
  endStream(): void {
    this.stream?.end();
    this.stream = undefined;
  }

  /** The first call of `type` not returned before, waiting for it if it has not come yet. */
  async nextCall<T extends CallType>(type: T): Promise<RecordedCall & { body: Extract<Call, { type: T }> }> {
    for (;;) {
      const call = this.calls.find((c) => c.type === type && !this.consumed.has(c));
      if (call !== undefined) {
        this.consumed.add(call);
        return call as RecordedCall & { body: Extract<Call, { type: T }> };
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  callsOf(type: CallType): RecordedCall[] {
    return this.calls.filter((c) => c.type === type);
  }

  async close(): Promise<void> {
    this.stream?.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const standby = this.options.standby;
    if (standby !== undefined) {
      this.standbyAnswered.push(`${req.method} ${req.url}`);
      req.resume();
      if (standby.leader === undefined) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('No leading master is known; retry shortly or ask another master');
        return;
      }
      res.writeHead(307, { Location: `//${standby.leader}${req.url}`, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`This master is not the leader; the leader is at ${standby.leader}`);
      return;
    }
    if (req.method === 'GET') {
      this.gets.push(req.url ?? '');
      const body = this.options.getJson?.[req.url ?? ''];
      if (body === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such endpoint');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.call(req, res, Buffer.concat(chunks).toString('utf8')));
  }

  private call(req: http.IncomingMessage, res: http.ServerResponse, text: string): void {
    if (req.url === '/api/v1') return this.operatorCall(req, res, text);
    if (req.url !== '/api/v1/scheduler') return void res.writeHead(404).end('not found');
    let body: Call;
    try {
      body = JSON.parse(text) as Call;
    } catch {
      return void res.writeHead(400).end('Failed to parse body into Call');
    }
    const answer = this.answer(req, body);
    this.calls.push({ type: body.type, body, headers: req.headers, status: answer.status });
    this.wake();

    if (answer.status !== 200 && answer.status !== 202) {
      res.writeHead(answer.status, { 'Content-Type': 'text/plain' }).end(answer.body);
      return;
    }
    if (body.type !== 'SUBSCRIBE') {
      res.writeHead(answer.status).end();
      // As a real master does: a torn-down framework's stream is closed.
      if (body.type === 'TEARDOWN') this.endStream();
      return;
    }
    if (this.options.holdSubscribe === true) return;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId });
    this.stream = res;
    this.disconnected = false;
    // A client that goes away has disconnected its framework, which with failover_timeout 0 is
    // gone: later calls on the old stream id fail, as they would against a real master.
    res.on('close', () => {
      if (this.stream === res) this.disconnected = true;
    });
    this.send({
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: this.frameworkId },
        heartbeat_interval_seconds: this.options.heartbeatIntervalSeconds ?? 15,
      },
    });
  }

  /** `POST /api/v1`: checks what a real master checks first, records the call, answers 200 empty. */
  private operatorCall(req: http.IncomingMessage, res: http.ServerResponse, text: string): void {
    const refuse = (status: number, body: string): void => void res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
    if (req.headers['content-type'] !== 'application/json') return refuse(415, `bad Content-Type '${req.headers['content-type']}'`);
    let body: OperatorCall;
    try {
      body = JSON.parse(text) as OperatorCall;
    } catch {
      return refuse(400, 'Failed to parse body into JSON');
    }
    this.operatorCalls.push({ body, headers: req.headers });
    const refusal = this.options.refuseOperatorCall;
    if (refusal !== undefined && refusal.type === body.type) return refuse(refusal.status, refusal.body);
    res.writeHead(200).end();
  }

  /** The status a real master would give the call, checking what it checks first (reference §1.1). */
  private answer(req: http.IncomingMessage, body: Call): { status: number; body: string } {
    if (req.headers['content-type'] !== 'application/json') return { status: 415, body: `bad Content-Type '${req.headers['content-type']}'` };
    if (body.type === 'SUBSCRIBE') {
      if (req.headers['mesos-stream-id'] !== undefined) return { status: 400, body: 'Subscribe calls should not include the Mesos-Stream-Id header' };
      return this.options.refuseSubscribe ?? { status: 200, body: '' };
    }
    if (this.disconnected || this.stream === undefined) return { status: 400, body: 'Framework cannot be found' };
    if (req.headers['mesos-stream-id'] !== this.streamId) return { status: 400, body: 'missing or wrong Mesos-Stream-Id' };
    const refusal = this.options.refuseCall;
    if (refusal !== undefined && refusal.type === body.type) return refusal;
    return { status: 202, body: '' };
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
