/**
 * A framework with steady demand, for bench:allocation: a Mesos v1 HTTP scheduler (node:http)
 * that keeps `inFlight` tasks of a finite duration launched (at most `perOffer` on each offer,
 * the rest of the offer going back at once, `refuse_seconds: 0`), declines offers it has no room
 * for with a filter of `declineSeconds` (as schedulers on large clusters do, so that 10,000
 * agents are not offered back every cycle), and acknowledges every update. Unlike LoadFramework
 * it never holds offers, so several of them share the agents, and it runs until closed.
 * Figures only; it asserts nothing.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import type { Event } from '@agora/protocol';
import { subscribeScheduler } from './scheduler-subscription';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];
type Status = Extract<Event, { type: 'UPDATE' }>['update']['status'];

export interface DemandFrameworkOptions {
  readonly master: string;
  readonly role: string;
  /** Tasks kept launched and not yet ended. */
  readonly inFlight: number;
  readonly perOffer: number;
  readonly cpusPerTask: number;
  readonly memPerTask: number;
  /** The filter of a DECLINE, seconds. */
  readonly declineSeconds: number;
}

export interface DemandCounts {
  launched: number;
  ended: number;
  offers: number;
  accepts: number;
  declines: number;
  /** Calls answered other than 202, or not at all. */
  failedCalls: number;
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE']);

export class DemandFramework {
  private readonly calls = new Agent({ keepAlive: true, maxSockets: 8 });
  private readonly live = new Set<string>();
  private next = 0;
  private frameworkId = '';
  private streamId = '';
  private stream?: IncomingMessage;
  private readonly counts: DemandCounts = { launched: 0, ended: 0, offers: 0, accepts: 0, declines: 0, failedCalls: 0 };

  constructor(private readonly options: DemandFrameworkOptions) {}

  /** Resolves once SUBSCRIBED has arrived; offers are used from then on. */
  subscribe(): Promise<void> {
    const info = { user: 'bench', name: `agora-demand-${this.options.role}`, roles: [this.options.role], capabilities: [{ type: 'MULTI_ROLE' }] };
    return subscribeScheduler(this.options.master, info, {
      subscribed: (frameworkId, streamId, stream) => {
        this.frameworkId = frameworkId;
        this.streamId = streamId;
        this.stream = stream;
      },
      event: (event) => {
        if (event.type === 'OFFERS') for (const offer of event.offers.offers) this.useOffer(offer);
        else if (event.type === 'UPDATE') this.onUpdate(event.update.status);
      },
    });
  }

  progress(): Readonly<DemandCounts> {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    if (this.frameworkId !== '') await this.call({ type: 'TEARDOWN' });
    this.stream?.destroy();
    this.calls.destroy();
  }

  private useOffer(offer: Offer): void {
    this.counts.offers++;
    const fit = Math.min(
      this.options.perOffer,
      this.options.inFlight - this.live.size,
      Math.floor(scalar(offer, 'cpus') / this.options.cpusPerTask + 1e-9),
      Math.floor(scalar(offer, 'mem') / this.options.memPerTask + 1e-9),
    );
    if (fit <= 0) {
      this.counts.declines++;
      void this.call({ type: 'DECLINE', decline: { offer_ids: [offer.id], filters: { refuse_seconds: this.options.declineSeconds } } });
      return;
    }
    const resources = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: this.options.cpusPerTask }, allocation_info: { role: this.options.role } },
      { name: 'mem', type: 'SCALAR', scalar: { value: this.options.memPerTask }, allocation_info: { role: this.options.role } },
    ];
    const taskInfos = [];
    for (let i = 0; i < fit; i++) {
      const id = `d${this.next++}`;
      this.live.add(id);
      taskInfos.push({ name: id, task_id: { value: id }, agent_id: offer.agent_id, resources, command: { value: 'true' } });
    }
    this.counts.launched += fit;
    this.counts.accepts++;
    void this.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }], filters: { refuse_seconds: 0 } } });
  }

  private onUpdate(status: Status): void {
    if (status.uuid !== undefined) void this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
    if (TERMINAL.has(status.state) && this.live.delete(status.task_id.value)) this.counts.ended++;
  }

  /** A call to the master; a failed one is counted, never thrown (the benchmark reads the master's metrics). */
  private call(body: Record<string, unknown>): Promise<void> {
    const text = JSON.stringify({ framework_id: { value: this.frameworkId }, ...body });
    return new Promise((resolve) => {
      const req = request(
        `${this.options.master}/api/v1/scheduler`,
        { method: 'POST', agent: this.calls, headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId } },
        (res) => {
          if (res.statusCode !== 202) this.counts.failedCalls++;
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', () => {
        this.counts.failedCalls++;
        resolve();
      });
      req.end(text);
    });
  }
}

function scalar(offer: Offer, name: string): number {
  let total = 0;
  for (const r of offer.resources ?? []) if (r.name === name && r.scalar !== undefined) total += r.scalar.value;
  return total;
}
