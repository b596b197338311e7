import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { RequestGate } from '@agora/nest-common';

/** Paths a standby answers itself, as a Mesos standby does: about this process, not the cluster. */
const LOCAL_PATHS = new Set(['/health', '/version', '/flags', '/master/health', '/master/version', '/master/flags']);
const REDIRECT_PATHS = new Set(['/redirect', '/master/redirect']);

/**
 * Where requests go while this master is not the leader (DESIGN §5, reference §6.1). In front of
 * every route (`serve`'s gate): on the leader it is one boolean check. On a standby, `/health`,
 * `/version` and `/flags` are answered locally; everything else (the scheduler API, the operator
 * endpoints, `/redirect`) gets `307` with `Location: //<leader host:port><path and query>`, or
 * `503` with a text body while no leader is known. The election (leader-election.service.ts)
 * keeps `leading` and `leader` current.
 */
@Injectable()
export class StandbyGate {
  /** True while this master holds the leadership lock and has taken office. */
  leading = false;
  /** `host:port` of the leader as the registry names it; undefined when none is known. */
  leader: string | undefined;

  readonly gate: RequestGate = (req, res) => {
    if (this.leading) return false;
    return this.answer(req, res);
  };

  private answer(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '/';
    const path = pathOf(url);
    if (LOCAL_PATHS.has(path)) return false;
    // The body (if any) is not ours to read; the client resends it to the leader.
    req.resume();
    if (this.leader === undefined) {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Retry-After', '1');
      res.end('No leading master is known; retry shortly or ask another master');
      return true;
    }
    res.statusCode = 307;
    res.setHeader('Location', `//${this.leader}${REDIRECT_PATHS.has(path) ? '' : url}`);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`This master is not the leader; the leader is at ${this.leader}`);
    return true;
  }
}

/** The path without the query, and without a trailing slash (as Express matches). */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
