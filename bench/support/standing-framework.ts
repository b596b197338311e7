/**
 * A framework whose tasks keep running, for bench:failover: a Mesos v1 HTTP scheduler (node:http)
 * that launches T long-running tasks spread over the agents (at most `perAgent` on each offer),
 * acknowledges every update, and once all are launched declines what it is offered and suppresses
 * offers. When its master dies it
 * subscribes again with its framework id (as any scheduler with a failover_timeout does), to the
 * masters it knows in turn, following a standby's 307 to the leader, and
 * records when the new master's first OFFERS event and the answers to an implicit reconciliation
 * arrive. LoadFramework (load-framework.ts) waits for its tasks to end; this one does not.
 * Figures only; it asserts nothing.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Event } from '@agora/protocol';
import { SubscribeRefused, subscribeScheduler } from './scheduler-subscription';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];
type Status = Extract<Event, { type: 'UPDATE' }>['update']['status'];

export interface StandingFrameworkOptions {
  readonly master: string;
  readonly tasks: number;
  /** At most this many tasks per offer, so the tasks spread over the agents. */
  readonly perAgent: number;
  readonly cpusPerTask: number;
  readonly memPerTask: number;
  /**
   * At most this many tasks launched and not yet RUNNING (default 1,000); offers beyond it are
   * held and used as tasks start. Unbounded, the updates of 50,000 launches queue in the master
   * past the agents' resend interval, and the resent updates and their acknowledgements feed the
   * queue (BENCHMARKS.md, throughput).
   */
  readonly maxStarting?: number;
  readonly role?: string;
}

/** A long failover timeout: the framework must outlive its master's restart. */
const FAILOVER_TIMEOUT_S = 3600;

export class StandingFramework {
  private readonly calls = new Agent({ keepAlive: true, maxSockets: 16 });
  private readonly running = new Set<string>();
  private readonly held: Offer[] = [];
  private readonly reconciled = new Set<string>();
  private next = 0;
  private pendingCalls = 0;
  private frameworkId = '';
  private streamId = '';
  private stream?: IncomingMessage;
  private subscribedAt = 0;
  /** The master subscribed to, and the one calls go to: options.master until resubscribe finds another. */
  private master: string;
  /** performance.now() of the first OFFERS event on the current stream (0: none yet). */
  private offersAt = 0;
  private reconciledAt = 0;
  private reconciling = false;
  /** SUPPRESS sent on the current stream. */
  private suppressed = false;
  private readonly role: string;
  /** Callbacks of the promises that wait for a condition; checked after every event. */
  private waiters: { check: () => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];
  private failure?: Error;

  constructor(private readonly options: StandingFrameworkOptions) {
    if (!Number.isInteger(options.tasks) || options.tasks < 1) throw new Error('tasks must be a positive integer');
    if (!Number.isInteger(options.perAgent) || options.perAgent < 1) throw new Error('perAgent must be a positive integer');
    this.role = options.role ?? 'standing';
    this.master = options.master;
  }

  get id(): string {
    return this.frameworkId;
  }

  /** Subscribes (again, with the framework id once known); resolves on SUBSCRIBED. */
  subscribe(): Promise<void> {
    this.offersAt = 0;
    this.suppressed = false;
    const info = {
      user: 'bench',
      name: 'agora-standing',
      roles: [this.role],
      capabilities: [{ type: 'MULTI_ROLE' }],
      failover_timeout: FAILOVER_TIMEOUT_S,
      ...(this.frameworkId !== '' ? { id: { value: this.frameworkId } } : {}),
    };
    return subscribeScheduler(this.master, info, {
      subscribed: (frameworkId, streamId, stream) => {
        this.frameworkId = frameworkId;
        this.streamId = streamId;
        this.stream = stream;
        this.subscribedAt = performance.now();
      },
      event: (event) => this.onEvent(event),
    });
  }

  /**
   * Subscribes again until a master accepts; resolves with the time of SUBSCRIBED. Each round
   * tries `masters` in turn (default: the one it was subscribed to), following a 307 (a standby
   * naming the leader) once, then waits `everyMs`. Calls then go to the master that accepted.
   */
  async resubscribe(everyMs: number, timeoutMs: number, masters: readonly string[] = [this.master]): Promise<number> {
    this.stream?.destroy();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let last: unknown;
      for (const master of masters) {
        this.master = master;
        try {
          await this.subscribe();
          return this.subscribedAt;
        } catch (e) {
          last = e;
        }
        if (!(last instanceof SubscribeRefused) || last.location === undefined) continue;
        this.master = new URL(last.location, `${master}/`).origin;
        try {
          await this.subscribe();
          return this.subscribedAt;
        } catch (e) {
          last = e;
        }
      }
      if (Date.now() > deadline) throw new Error(`no master accepted SUBSCRIBE within ${timeoutMs / 1000} s: ${(last as Error).message}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Resolves once every task has been reported TASK_RUNNING and every acknowledgement was answered. */
  untilRunning(): Promise<void> {
    return this.until(() => this.running.size >= this.options.tasks && this.pendingCalls === 0);
  }

  /** Resolves with the time of the first OFFERS event on the current stream. */
  async untilOffers(): Promise<number> {
    await this.until(() => this.offersAt > 0);
    return this.offersAt;
  }

  /** Implicit reconciliation; resolves with the time the master had answered TASK_RUNNING for every task. */
  async reconcile(): Promise<number> {
    this.reconciled.clear();
    this.reconciledAt = 0;
    this.reconciling = true;
    void this.call({ type: 'RECONCILE', reconcile: { tasks: [] } });
    await this.until(() => this.reconciledAt > 0);
    return this.reconciledAt;
  }

  progress(): { launched: number; running: number; reconciled: number } {
    return { launched: this.next, running: this.running.size, reconciled: this.reconciled.size };
  }

  close(): void {
    this.stream?.destroy();
    this.calls.destroy();
  }

  private until(check: () => boolean): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ check, resolve, reject }));
  }

  private settle(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  private onEvent(event: Event): void {
    if (event.type === 'OFFERS') {
      if (this.offersAt === 0) this.offersAt = performance.now();
      for (const offer of event.offers.offers) this.useOffer(offer);
    } else if (event.type === 'UPDATE') {
      this.onUpdate(event.update.status);
    } else if (event.type === 'ERROR') {
      const failure = new Error(`the master sent ERROR: ${event.error.message}`);
      this.failure = failure;
      for (const w of this.waiters.splice(0)) w.reject(failure);
    }
    this.settle();
  }

  private useOffer(offer: Offer): void {
    if (this.next < this.options.tasks && this.next - this.running.size >= (this.options.maxStarting ?? 1000)) {
      this.held.push(offer);
      return;
    }
    const fit = Math.min(
      this.options.perAgent,
      this.options.tasks - this.next,
      Math.floor(scalar(offer, 'cpus') / this.options.cpusPerTask + 1e-9),
      Math.floor(scalar(offer, 'mem') / this.options.memPerTask + 1e-9),
    );
    if (fit <= 0) {
      // Everything is launched: decline, and suppress offers as a framework without work should
      // (reference §1.3), rather than decline an offer of every agent, one call each.
      void this.call({ type: 'DECLINE', decline: { offer_ids: [offer.id], filters: { refuse_seconds: 3600 } } });
      if (!this.suppressed) {
        this.suppressed = true;
        void this.call({ type: 'SUPPRESS', suppress: { roles: [this.role] } });
      }
      return;
    }
    const resources = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: this.options.cpusPerTask }, allocation_info: { role: this.role } },
      { name: 'mem', type: 'SCALAR', scalar: { value: this.options.memPerTask }, allocation_info: { role: this.role } },
    ];
    const taskInfos = [];
    for (let i = 0; i < fit; i++) {
      const id = `s${this.next++}`;
      taskInfos.push({ name: id, task_id: { value: id }, agent_id: offer.agent_id, resources, command: { value: 'sleep infinity' } });
    }
    // refuse_seconds 3600: the rest of this agent goes to the other agents' tasks, not back to us.
    void this.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }], filters: { refuse_seconds: 3600 } } });
  }

  private onUpdate(status: Status): void {
    if (status.uuid !== undefined) {
      void this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
    }
    if (status.state !== 'TASK_RUNNING') return;
    this.running.add(status.task_id.value);
    while (this.held.length > 0 && this.next - this.running.size < (this.options.maxStarting ?? 1000)) {
      const offer = this.held.shift();
      if (offer !== undefined) this.useOffer(offer);
    }
    // Reconciliation answers carry no uuid (reference §4.6).
    if (this.reconciling && status.uuid === undefined) {
      this.reconciled.add(status.task_id.value);
      if (this.reconciled.size >= this.options.tasks && this.reconciledAt === 0) {
        this.reconciledAt = performance.now();
        this.reconciling = false;
      }
    }
  }

  private call(body: Record<string, unknown>): Promise<void> {
    const text = JSON.stringify({ framework_id: { value: this.frameworkId }, ...body });
    this.pendingCalls++;
    return new Promise((resolve) => {
      const done = (): void => {
        this.pendingCalls--;
        this.settle();
        resolve();
      };
      const req = request(
        `${this.master}/api/v1/scheduler`,
        { method: 'POST', agent: this.calls, headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId } },
        (res) => {
          res.resume();
          res.on('end', done);
        },
      );
      // A call cut off by the master's death is not news: the benchmark kills it on purpose.
      req.on('error', done);
      req.end(text);
    });
  }
}

function scalar(offer: Offer, name: string): number {
  let total = 0;
  for (const r of offer.resources ?? []) if (r.name === name && r.scalar !== undefined) total += r.scalar.value;
  return total;
}
