import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HttpStatus, type LoggerService } from '@nestjs/common';
import { answerFor } from './text-exception.filter';

/** A request on a raw route, its body read whole. */
export interface RawRequest extends IncomingMessage {
  readonly body: Buffer;
}

/**
 * A path served by plain node:http in front of Express and Nest's router, for the endpoints on the
 * hot path of a busy cluster (`POST /api/v1/scheduler` carries every ACKNOWLEDGE of every task):
 * there Express's router, body parser and Nest's execution context cost more CPU than the call
 * itself. Errors thrown (or rejected) by the handler are answered by the same mapping as the
 * rest of the app (`answerFor`): a text body, never a stack trace.
 */
export interface RawRoute {
  /** The exact path, without a query; a trailing slash is tolerated as Express does. */
  readonly path: string;
  /** Larger bodies are answered 413 without reaching the handler. */
  readonly maxBodyBytes: number;
  readonly handle: (req: RawRequest, res: ServerResponse) => void | Promise<void>;
}

/**
 * Puts `routes` in front of whatever already answers `server`'s requests (the Express app Nest
 * created). Everything else goes on to Express unchanged.
 */
export function mountRawRoutes(server: Server, routes: readonly RawRoute[], logger?: LoggerService): void {
  if (routes.length === 0) return;
  const byPath = new Map(routes.map((r) => [r.path, r]));
  const others = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const route = byPath.get(pathOf(req.url ?? '/'));
    if (route === undefined) {
      for (const listener of others) listener.call(server, req, res);
      return;
    }
    readBody(req, route.maxBodyBytes, (body) => {
      if (body === undefined) {
        reply(res, HttpStatus.PAYLOAD_TOO_LARGE, `Request body is larger than ${route.maxBodyBytes} bytes`);
        return;
      }
      const raw = Object.assign(req, { body });
      try {
        const answered = route.handle(raw, res);
        if (answered instanceof Promise) answered.catch((e: unknown) => fail(res, e, logger));
      } catch (e) {
        fail(res, e, logger);
      }
    });
  });
}

/** `/api/v1/scheduler?x=1` and `/api/v1/scheduler/` are both `/api/v1/scheduler`. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Calls `done` with the whole body, or with undefined once it passes `limit` (the rest is drained). */
function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => done(tooLarge ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
  // A client that goes away mid-body gets no answer; the socket is already gone.
  req.on('error', () => undefined);
}

function fail(res: ServerResponse, e: unknown, logger: LoggerService | undefined): void {
  const { status, body } = answerFor(e);
  if (status >= HttpStatus.INTERNAL_SERVER_ERROR) logger?.error(e instanceof Error ? (e.stack ?? e.message) : String(e), 'RawRoutes');
  if (res.headersSent) {
    res.end();
    return;
  }
  reply(res, status, body);
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body || STATUS_CODES[status]);
}
