/**
 * A stand-in agent for the CLI's tests: `/state` with the executors the test registers, and
 * `/files/read` over files kept in memory (reference §5.8: `{"data": "...", "offset": N}`,
 * 404 for a file that does not exist yet). Files grow with `append`, like a task's stdout.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeExecutor {
  readonly frameworkId: string;
  readonly executorId: string;
  readonly directory: string;
  /** Listed under `completed_executors` rather than `executors`. */
  readonly completed?: boolean;
}

export class FakeAgent {
  private readonly files = new Map<string, Buffer>();
  private readonly executors: FakeExecutor[] = [];
  /** Paths of the `/files/read` requests, in order. */
  readonly reads: { path: string; offset: number; length: number }[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<FakeAgent> {
    const server = http.createServer();
    const agent = new FakeAgent(server);
    server.on('request', (req, res) => agent.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return agent;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  addExecutor(executor: FakeExecutor): void {
    this.executors.push(executor);
  }

  /** Appends to a file, creating it. */
  append(path: string, text: string | Buffer): void {
    const previous = this.files.get(path) ?? Buffer.alloc(0);
    this.files.set(path, Buffer.concat([previous, typeof text === 'string' ? Buffer.from(text) : text]));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://agent');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/state') return json(200, this.state());
    if (url.pathname === '/files/read') {
      const path = url.searchParams.get('path') ?? '';
      const offset = Number(url.searchParams.get('offset') ?? '0');
      const length = Number(url.searchParams.get('length') ?? '65536');
      this.reads.push({ path, offset, length });
      const file = this.files.get(path);
      if (file === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('File not found');
        return;
      }
      return json(200, { data: file.subarray(offset, offset + length).toString('utf8'), offset });
    }
    res.writeHead(404).end();
  }

  /** Mesos's agent /state, reduced to what locates a sandbox. */
  private state(): unknown {
    const frameworkIds = [...new Set(this.executors.map((e) => e.frameworkId))];
    const view = (e: FakeExecutor) => ({ id: e.executorId, directory: e.directory });
    return {
      frameworks: frameworkIds.map((id) => ({
        id,
        executors: this.executors.filter((e) => e.frameworkId === id && !e.completed).map(view),
        completed_executors: this.executors.filter((e) => e.frameworkId === id && e.completed).map(view),
      })),
      completed_frameworks: [],
    };
  }
}
