import { Injectable } from '@nestjs/common';
import { agentIdFor, frameworkIdFor, offerIdFor } from '@agora/protocol';
import { agoraVersion } from '@agora/nest-common';

/**
 * Who this master is: its id (a UUID per start, as Mesos's), the epoch of its term, its address,
 * and the counters behind the ids it mints (frameworks `<id>-0001`, offers `<id>-O1`,
 * agents `<id>-S1`). The id changes at every start, so ids minted by earlier masters never clash.
 */
@Injectable()
export class MasterIdentity {
  epoch = 0;
  electedAt?: number;
  private frameworks = 0;
  private offers = 0;
  private agents = 0;

  constructor(
    readonly id: string,
    readonly hostname: string,
    readonly ip: string,
    /** Mutable: a master started on port 0 learns its port once it listens. */
    public port: number,
    readonly startedAt: number,
  ) {}

  get pid(): string {
    return `master@${this.ip}:${this.port}`;
  }

  nextFrameworkId(): string {
    return frameworkIdFor(this.id, this.frameworks++);
  }

  nextOfferId(): string {
    return offerIdFor(this.id, ++this.offers);
  }

  nextAgentId(): string {
    return agentIdFor(this.id, ++this.agents);
  }

  /** MasterInfo as SUBSCRIBED and /state carry it. */
  info(): { id: string; ip: number; port: number; hostname: string; pid: string; version: string; address: { hostname: string; ip: string; port: number } } {
    return {
      id: this.id,
      ip: ipToNumber(this.ip),
      port: this.port,
      hostname: this.hostname,
      pid: this.pid,
      version: MESOS_COMPATIBLE_VERSION,
      address: { hostname: this.hostname, ip: this.ip, port: this.port },
    };
  }
}

/** The Mesos API level Agora answers for, shown as `version` where Mesos shows its own. */
export const MESOS_COMPATIBLE_VERSION = '1.11.0';
/** Agora's own version, from package.json. */
export const AGORA_VERSION = agoraVersion();

/** MasterInfo.ip is an IPv4 address as a 32-bit integer in network byte order (Mesos quirk). */
function ipToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  // Mesos stores the in_addr as read on little-endian machines.
  return ((parts[3] << 24) >>> 0) + (parts[2] << 16) + (parts[1] << 8) + parts[0];
}
