/**
 * "Hosts" for agents: one network namespace per agent, joined to the host by a veth pair with
 * private addresses that carry only local traffic (10.<b>.<n>.1 on the host side, .2 inside).
 * A partition is the host end of the pair going down; healing is bringing it up again. The
 * names carry the pid of the run that made them (`agf<pid>n<i>`), so leftovers of a run that
 * died are recognised and removed at the start of the next one, and concurrent runs never touch
 * each other's. Needs root (`ip netns`).
 */
import { execFileSync } from 'node:child_process';

const PREFIX = 'agf';

export interface AgentHost {
  /** The namespace's name, for `ip netns exec`. */
  readonly namespace: string;
  /** The host end of the veth pair (down = partitioned). */
  readonly hostLink: string;
  /** The host side's address: where the namespace reaches NATS. */
  readonly hostIp: string;
  /** The namespace side's address: the agent's advertise IP. */
  readonly ip: string;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespaces and links of earlier runs whose process is gone. */
export function removeLeftovers(): void {
  const owner = (name: string): number | undefined => {
    const m = new RegExp(`^${PREFIX}(\\d+)n\\d+`).exec(name);
    return m ? Number(m[1]) : undefined;
  };
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0];
    const pid = owner(name);
    if (pid !== undefined && !alive(pid)) ip('netns', 'del', name);
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    const pid = name === undefined ? undefined : owner(name);
    if (name !== undefined && pid !== undefined && !alive(pid)) {
      try {
        ip('link', 'del', name);
      } catch {
        // deleting one end of a pair removes the other
      }
    }
  }
}

/** The namespaces of one scenario. */
export class AgentHosts {
  private readonly hosts: AgentHost[] = [];
  private readonly subnet: number;

  constructor() {
    // Second octet from the pid: concurrent runs (rare) use different subnets.
    this.subnet = 64 + (process.pid % 128);
  }

  /** Creates namespace number `n` (1-based, ≤ 250) with its veth pair, both ends up. */
  create(n: number): AgentHost {
    const namespace = `${PREFIX}${process.pid}n${n}`;
    const hostLink = `${namespace}h`;
    const nsLink = `${namespace}a`;
    const host: AgentHost = { namespace, hostLink, hostIp: `10.${this.subnet}.${n}.1`, ip: `10.${this.subnet}.${n}.2` };
    ip('netns', 'add', namespace);
    this.hosts.push(host);
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
    ip('link', 'set', nsLink, 'netns', namespace);
    ip('addr', 'add', `${host.hostIp}/30`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    ip('-n', namespace, 'addr', 'add', `${host.ip}/30`, 'dev', nsLink);
    ip('-n', namespace, 'link', 'set', nsLink, 'up');
    ip('-n', namespace, 'link', 'set', 'lo', 'up');
    return host;
  }

  partition(host: AgentHost): void {
    ip('link', 'set', host.hostLink, 'down');
  }

  heal(host: AgentHost): void {
    ip('link', 'set', host.hostLink, 'up');
  }

  /** Deletes every namespace and link made here (the veth pair goes with its namespace). */
  removeAll(): void {
    for (const host of this.hosts.splice(0)) {
      try {
        ip('link', 'del', host.hostLink);
      } catch {
        // already gone
      }
      try {
        ip('netns', 'del', host.namespace);
      } catch {
        // already gone
      }
    }
  }
}
