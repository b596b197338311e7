import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** About this much text per socket write; between two writes other requests are served. */
export const SLICE_CHARS = 1024 * 1024;

/**
 * Sends a JSON answer made of parts (render/json-parts.ts) as a chunked 200, a slice at a time,
 * giving the event loop back between slices and waiting for the socket to drain when the client
 * reads slowly. So a 50 MB `/state` never blocks `/health` or the scheduler API for longer than
 * one slice takes, and is never one string in memory. A client that goes away ends the writing.
 *
 * `prefix`/`suffix` wrap the JSON (JSONP's `callback(` and `);`).
 */
export async function sendJsonParts(res: ServerResponse, parts: readonly string[], contentType = 'application/json', prefix = '', suffix = ''): Promise<void> {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  let slice = prefix;
  for (const part of parts) {
    slice += part;
    if (slice.length < SLICE_CHARS) continue;
    if (closed) return;
    if (!res.write(slice)) await drained(res);
    slice = '';
    await nextTurn();
  }
  if (!closed) res.end(slice + suffix);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
