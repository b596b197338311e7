/**
 * Timed HTTP requests for the read-side benchmarks (bench:state, bench:allocation): the time
 * from sending a request until its whole body has arrived, and the body's size. node:http on a
 * keep-alive agent the caller owns, so connection setup is not part of a figure.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './load-framework';
import { round } from './sim-cluster';

export interface Timed {
  readonly ms: number;
  readonly bytes: number;
  readonly status: number;
  readonly body: string;
}

export interface ProbeRequest {
  readonly method?: 'GET' | 'POST';
  /** A JSON body (sent with Content-Type and Accept application/json). */
  readonly json?: unknown;
  /** Keep the body text in the answer (default: only its size). */
  readonly keepBody?: boolean;
}

export function keepAliveAgent(sockets = 4): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

/** One request; rejects on a network error, resolves with any HTTP status. */
export function timed(url: string, agent: Agent, req: ProbeRequest = {}): Promise<Timed> {
  const body = req.json === undefined ? undefined : JSON.stringify(req.json);
  const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json', Accept: 'application/json' };
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const r = request(url, { method: req.method ?? (body === undefined ? 'GET' : 'POST'), agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (req.keepBody === true) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ ms: performance.now() - startedAt, bytes, status: res.statusCode ?? 0, body: req.keepBody === true ? Buffer.concat(chunks).toString('utf8') : '' }),
      );
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

export interface LatencySummary {
  readonly count: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
}

export function summarize(ms: readonly number[]): LatencySummary {
  return { count: ms.length, p50_ms: round(percentile(ms, 50), 2), p99_ms: round(percentile(ms, 99), 2), max_ms: round(percentile(ms, 100), 2) };
}

/** `p50 / p99 / max ms (n)` for a table row. */
export function latencyText(s: LatencySummary): string {
  return `${s.p50_ms} / ${s.p99_ms} / ${s.max_ms} ms (${s.count})`;
}
