/**
 * A load-generating framework for benchmarks: a Mesos v1 HTTP scheduler (the RecordIO event
 * stream on its own node:http connection, calls pipelined on a few keep-alive connections of
 * http-pipeline.ts) that launches T command tasks as fast as offers allow — as many tasks per
 * ACCEPT as the offer fits — or at a fixed offered rate (`rate`), and
 * acknowledges every status update, as any framework must. Per task it records when its ACCEPT
 * was sent and when TASK_RUNNING and TASK_FINISHED arrived, so latencies include the HTTP call,
 * the master, the bus and the agent. Figures only; it asserts nothing.
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Event } from '@agora/protocol';
import { HttpPipeline } from './http-pipeline';
import { subscribeScheduler } from './scheduler-subscription';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];
type Status = Extract<Event, { type: 'UPDATE' }>['update']['status'];

export interface LoadFrameworkOptions {
  /** The master's base URL, http://host:port. */
  readonly master: string;
  readonly tasks: number;
  /** Resources of each task (defaults: 0.01 cpus, 1 MB). */
  readonly cpusPerTask?: number;
  readonly memPerTask?: number;
  /** The task's command (the simulator never runs it). */
  readonly command?: string;
  /**
   * At most this many tasks launched and not yet ended (default: no limit). Without a bound a
   * master slower than the offers floods itself: acknowledgements queue behind each other past
   * the agents' resend interval, and resent updates add to the queue.
   */
  readonly maxInFlight?: number;
  /** At most this many tasks per ACCEPT (default: whatever fits the offer). */
  readonly maxTasksPerAccept?: number;
  /**
   * Offered load: launch at most this many tasks per second, spread evenly (a token bucket
   * refilled every 5 ms), instead of as fast as offers allow. Offers wait in the framework
   * meanwhile. Latencies measured this way are those of a cluster that is not saturated.
   */
  readonly rate?: number;
  /** Connections for calls, each pipelined (default 16); ACKNOWLEDGEs and offer calls use separate ones. */
  readonly sockets?: number;
  readonly role?: string;
}

export interface TaskTimes {
  acceptAt: number;
  runningAt?: number;
  finishedAt?: number;
}

export interface LoadResult {
  readonly tasks: number;
  readonly finished: number;
  /** Tasks that ended in another terminal state, by state. */
  readonly failed: Record<string, number>;
  /** performance.now() of the first ACCEPT, the last ACCEPT and the last terminal update. */
  readonly firstAcceptAt: number;
  readonly lastAcceptAt: number;
  readonly lastFinishedAt: number;
  readonly accepts: number;
  readonly declines: number;
  readonly acknowledgements: number;
  /** ACCEPT→RUNNING and ACCEPT→FINISHED per task, ms (tasks that reached the state). */
  readonly runningMs: number[];
  readonly finishedMs: number[];
  /** Tasks finished per whole second since the first ACCEPT. */
  readonly finishedPerSecond: number[];
}

/** Tasks that must have ended before held offers are used again. */
const HELD_BATCH = 50;

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE']);

export class LoadFramework {
  /** ACKNOWLEDGE calls, and apart from them ACCEPT and DECLINE: offers never wait behind a queue of acknowledgements. */
  private ackCalls?: HttpPipeline;
  private offerCalls?: HttpPipeline;
  /** Tasks that may still launch now under `rate`. */
  private tokens = 0;
  private refill?: NodeJS.Timeout;
  private readonly times = new Map<string, TaskTimes>();
  /** Offers kept while maxInFlight tasks run, used as tasks end (declining and re-offering costs the master a call each). */
  private readonly held: Offer[] = [];
  private readonly failed: Record<string, number> = {};
  private readonly finishedPerSecond: number[] = [];
  private next = 0;
  private done = 0;
  private finished = 0;
  private accepts = 0;
  private declines = 0;
  private acknowledgements = 0;
  private firstAcceptAt = 0;
  private lastAcceptAt = 0;
  private lastFinishedAt = 0;
  private streamId = '';
  private frameworkId = '';
  private stream?: IncomingMessage;
  private resolveDone?: () => void;
  private rejectDone?: (e: Error) => void;
  private readonly cpus: number;
  private readonly mem: number;
  private readonly role: string;

  constructor(private readonly options: LoadFrameworkOptions) {
    this.cpus = options.cpusPerTask ?? 0.01;
    this.mem = options.memPerTask ?? 1;
    this.role = options.role ?? 'load';
  }

  /** Subscribes, launches every task, and resolves when each has reached a terminal state. */
  run(): Promise<LoadResult> {
    const finished = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    return this.subscribe()
      .then(() => finished)
      .then(() => this.result());
  }

  /** Progress so far (for a live line while the benchmark runs). */
  progress(): { launched: number; running: number; finished: number } {
    let running = 0;
    for (const t of this.times.values()) if (t.runningAt !== undefined) running++;
    return { launched: this.next, running, finished: this.finished };
  }

  async close(): Promise<void> {
    if (this.frameworkId !== '') await this.call({ type: 'TEARDOWN' }).catch(() => undefined);
    clearInterval(this.refill);
    this.stream?.destroy();
    this.ackCalls?.close();
    this.offerCalls?.close();
  }

  private subscribe(): Promise<void> {
    const info = { user: 'bench', name: 'agora-load', roles: [this.role], capabilities: [{ type: 'MULTI_ROLE' }] };
    return subscribeScheduler(this.options.master, info, {
      subscribed: (frameworkId, streamId, stream) => {
        this.frameworkId = frameworkId;
        this.streamId = streamId;
        this.stream = stream;
        const headers = { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId };
        this.ackCalls = new HttpPipeline(this.options.master, this.options.sockets ?? 16, headers);
        this.offerCalls = new HttpPipeline(this.options.master, 4, headers);
        this.startRefill();
      },
      event: (event) => this.onEvent(event),
      closed: () => this.rejectDone?.(new Error(`the event stream closed with ${this.done} of ${this.options.tasks} tasks done`)),
    });
  }

  private onEvent(event: Event): void {
    switch (event.type) {
      case 'OFFERS':
        for (const offer of event.offers.offers) this.useOffer(offer);
        return;
      case 'UPDATE':
        this.onUpdate(event.update.status);
        return;
      case 'ERROR':
        this.rejectDone?.(new Error(`the master sent ERROR: ${event.error.message}`));
        return;
      default:
        return;
    }
  }

  private useOffer(offer: Offer): void {
    const left = this.options.tasks - this.next;
    if (left > 0 && this.room() <= 0) {
      this.held.push(offer);
      return;
    }
    const fit = Math.min(
      Math.floor(scalar(offer, 'cpus') / this.cpus + 1e-9),
      Math.floor(scalar(offer, 'mem') / this.mem + 1e-9),
      left,
      this.options.maxTasksPerAccept ?? Number.MAX_SAFE_INTEGER,
      this.room(),
    );
    if (fit <= 0) {
      this.declines++;
      // Nothing left to launch: do not offer this agent again for a long while.
      void this.call({ type: 'DECLINE', decline: { offer_ids: [offer.id], filters: { refuse_seconds: left <= 0 ? 3600 : 0 } } });
      return;
    }
    const now = performance.now();
    const resources = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: this.cpus }, allocation_info: { role: this.role } },
      { name: 'mem', type: 'SCALAR', scalar: { value: this.mem }, allocation_info: { role: this.role } },
    ];
    const taskInfos = [];
    this.tokens -= fit;
    for (let i = 0; i < fit; i++) {
      const id = `t${this.next++}`;
      this.times.set(id, { acceptAt: now });
      taskInfos.push({ name: id, task_id: { value: id }, agent_id: offer.agent_id, resources, command: { value: this.options.command ?? 'true' } });
    }
    if (this.accepts === 0) this.firstAcceptAt = now;
    this.lastAcceptAt = now;
    this.accepts++;
    void this.call({
      type: 'ACCEPT',
      accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }], filters: { refuse_seconds: 0 } },
    });
  }

  private onUpdate(status: Status): void {
    if (status.uuid !== undefined) {
      this.acknowledgements++;
      void this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
    }
    const times = this.times.get(status.task_id.value);
    if (times === undefined) return;
    const now = performance.now();
    if (status.state === 'TASK_RUNNING' && times.runningAt === undefined) times.runningAt = now;
    if (!TERMINAL.has(status.state) || times.finishedAt !== undefined) return;
    times.finishedAt = now;
    this.done++;
    this.lastFinishedAt = now;
    if (status.state === 'TASK_FINISHED') {
      this.finished++;
      const second = Math.floor((now - this.firstAcceptAt) / 1000);
      while (this.finishedPerSecond.length <= second) this.finishedPerSecond.push(0);
      this.finishedPerSecond[second]++;
    } else {
      this.failed[status.state] = (this.failed[status.state] ?? 0) + 1;
    }
    if (this.done === this.options.tasks) this.resolveDone?.();
    this.useHeld();
  }

  /** How many more tasks may launch now under maxInFlight and the offered rate. */
  private room(): number {
    const inFlight = (this.options.maxInFlight ?? Number.MAX_SAFE_INTEGER) - (this.next - this.done);
    return this.options.rate === undefined ? inFlight : Math.min(inFlight, Math.floor(this.tokens + 1e-9));
  }

  /** Under `rate`: tokens every 5 ms (at most 50 ms worth saved up), then held offers launch them. */
  private startRefill(): void {
    const rate = this.options.rate;
    if (rate === undefined) return;
    let last = performance.now();
    this.refill = setInterval(() => {
      const now = performance.now();
      this.tokens = Math.min(this.tokens + (rate * (now - last)) / 1000, Math.max(1, rate / 20));
      last = now;
      while (this.held.length > 0 && this.room() > 0 && this.next < this.options.tasks) {
        const offer = this.held.shift();
        if (offer !== undefined) this.useOffer(offer);
      }
    }, 5);
  }

  /** Uses held offers once a batch of tasks has ended (one ACCEPT per finished task would cost more than it brings). */
  private useHeld(): void {
    // Under an offered rate the refill timer uses held offers.
    if (this.held.length === 0 || this.options.rate !== undefined) return;
    const left = this.options.tasks - this.next;
    if (left > 0 && this.room() < Math.min(left, HELD_BATCH)) return;
    while (this.held.length > 0 && (left <= 0 || this.room() > 0)) {
      const offer = this.held.shift();
      if (offer !== undefined) this.useOffer(offer);
    }
  }

  private call(body: Record<string, unknown>): Promise<void> {
    const calls = body.type === 'ACKNOWLEDGE' ? this.ackCalls : this.offerCalls;
    if (calls === undefined) return Promise.resolve();
    const text = JSON.stringify({ framework_id: { value: this.frameworkId }, ...body });
    return calls.post('/api/v1/scheduler', text).then(
      (answer) => {
        if (answer.status !== 202) this.rejectDone?.(new Error(`${String(body.type)} answered ${answer.status}: ${answer.body.slice(0, 500)}`));
      },
      (e: Error) => this.rejectDone?.(new Error(`${String(body.type)} failed: ${e.message}`)),
    );
  }

  private result(): LoadResult {
    const runningMs: number[] = [];
    const finishedMs: number[] = [];
    for (const t of this.times.values()) {
      if (t.runningAt !== undefined) runningMs.push(t.runningAt - t.acceptAt);
      if (t.finishedAt !== undefined) finishedMs.push(t.finishedAt - t.acceptAt);
    }
    return {
      tasks: this.options.tasks,
      finished: this.finished,
      failed: { ...this.failed },
      firstAcceptAt: this.firstAcceptAt,
      lastAcceptAt: this.lastAcceptAt,
      lastFinishedAt: this.lastFinishedAt,
      accepts: this.accepts,
      declines: this.declines,
      acknowledgements: this.acknowledgements,
      runningMs,
      finishedMs,
      finishedPerSecond: [...this.finishedPerSecond],
    };
  }
}

function scalar(offer: Offer, name: string): number {
  let total = 0;
  for (const r of offer.resources ?? []) if (r.name === name && r.scalar !== undefined) total += r.scalar.value;
  return total;
}

/** The p-th percentile (0–100) of `values`, nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
