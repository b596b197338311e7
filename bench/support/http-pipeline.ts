/**
 * A lean HTTP/1.1 client for the load framework's calls: a few keep-alive connections, requests
 * pipelined on each (RFC 9112 §9.3: sent without waiting for the previous answer, answered in
 * order), writes of one turn of the event loop corked into one system call. Node's http.Agent
 * costs the load generator about as much CPU per call as the master spends answering it, which
 * on a two-core machine caps what a benchmark can show; this is the same protocol on the wire.
 *
 * Only what the scheduler API needs: POST with a JSON body, answers with Content-Length (the
 * master answers 202 with an empty body, errors with a short text body). Not a general client.
 */
import { connect, type Socket } from 'node:net';

export interface PipelineAnswer {
  readonly status: number;
  readonly body: string;
}

interface Pending {
  readonly resolve: (answer: PipelineAnswer) => void;
  readonly reject: (e: Error) => void;
}

class PipelinedConnection {
  private readonly socket: Socket;
  private readonly waiting: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private corked = false;
  private failed: Error | undefined;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (e) => this.fail(e));
    this.socket.on('close', () => this.fail(new Error('the connection closed')));
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Closed by either side (the server closes idle keep-alive connections after a while). */
  get usable(): boolean {
    return this.failed === undefined;
  }

  send(head: string, body: string): Promise<PipelineAnswer> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(head);
    this.socket.write(body);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = this.buffer.toString('latin1', 0, headEnd);
      const status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (length === null) {
        this.fail(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
        return;
      }
      const end = headEnd + 4 + Number(length[1]);
      if (this.buffer.length < end) return;
      const body = this.buffer.toString('utf8', headEnd + 4, end);
      this.buffer = this.buffer.subarray(end);
      this.waiting.shift()?.resolve({ status, body });
    }
  }

  private fail(e: Error): void {
    if (this.failed !== undefined) return;
    this.failed = e;
    for (const p of this.waiting.splice(0)) p.reject(e);
  }
}

/** `connections` pipelined connections to one server; each call goes to the least busy one. */
export class HttpPipeline {
  private readonly connections: PipelinedConnection[];
  private readonly host: string;
  private readonly hostname: string;
  private readonly port: number;

  constructor(
    base: string,
    connections: number,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const url = new URL(base);
    this.host = url.host;
    this.hostname = url.hostname;
    this.port = Number(url.port || 80);
    this.connections = Array.from({ length: Math.max(1, connections) }, () => new PipelinedConnection(this.hostname, this.port));
  }

  post(path: string, body: string, headers: Readonly<Record<string, string>> = {}): Promise<PipelineAnswer> {
    let lines = `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    for (const [k, v] of Object.entries(this.headers)) lines += `${k}: ${v}\r\n`;
    for (const [k, v] of Object.entries(headers)) lines += `${k}: ${v}\r\n`;
    let best = 0;
    for (let i = 0; i < this.connections.length; i++) {
      // A connection the server closed while idle is replaced; its calls had all been answered.
      if (!this.connections[i].usable) this.connections[i] = new PipelinedConnection(this.hostname, this.port);
      if (this.connections[i].queued < this.connections[best].queued) best = i;
    }
    return this.connections[best].send(`${lines}\r\n`, body);
  }

  close(): void {
    for (const c of this.connections) c.close();
  }
}
