import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Sees every request before anything else does (raw routes, Express, Nest). Returns true when it
 * answered the request itself; false lets the request through untouched. It runs on every
 * request, so it must decide with a check or two (e.g. a standby master redirecting to the
 * leader, which on the leader is one boolean).
 */
export type RequestGate = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Puts `gate` in front of whatever answers `server`'s requests now (raw routes and Express). */
export function mountRequestGate(server: Server, gate: RequestGate): void {
  const others = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (gate(req, res)) return;
    for (const listener of others) listener.call(server, req, res);
  });
}
