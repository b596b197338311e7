/**
 * The fault suite's framework: a Mesos v1 HTTP scheduler with a steady workload, written the
 * way reference §6 tells a robust framework to behave, so that whatever the cluster loses is
 * the cluster's fault:
 * - `checkpoint: true`, capability PARTITION_AWARE, a `failover_timeout`;
 * - it finds the leader through any master's `/redirect`, follows 307 on SUBSCRIBE, and when
 *   its stream breaks (or stays silent past three heartbeats) subscribes again with its
 *   framework id;
 * - after every SUBSCRIBED: implicit reconciliation, then explicit for every task not known
 *   to be terminal;
 * - it acknowledges every update that carries a uuid;
 * - it launches short tasks (`sleep 0.5`-`2`) at a steady rate and keeps a number of long ones
 *   (`sleep 3600`) running, each writing to the ledger (task-ledger.ts).
 * A second instance given the same TaskBook is a failed-over scheduler.
 */
import { request, type ClientRequest } from 'node:http';
import { appendFileSync } from 'node:fs';
import { RecordIODecoder, type Event, type Offer, type TaskStatus } from '@agora/protocol';
import { type TaskBook, type TaskKind, type TaskRecord } from './task-book';
import { type TaskLedger } from './task-ledger';

const CPUS = 0.1;
const MEM = 32;

export interface WorkloadOptions {
  /** Base URLs of every master (http://127.0.0.1:port). */
  readonly masters: () => readonly string[];
  readonly ledger: TaskLedger;
  readonly book: TaskBook;
  /** Prefix of task ids, e.g. the scenario's name. */
  readonly name: string;
  /** Short tasks launched per second. */
  readonly shortPerSecond: number;
  /** Long tasks kept running. */
  readonly longTasks: number;
  readonly failoverTimeoutSeconds: number;
  /** The scheduler's log file. */
  readonly logFile: string;
}

export class WorkloadScheduler {
  /** The master of the current subscription. */
  master?: string;
  streamId = '';
  subscriptions = 0;
  private launching = true;
  private stopped = false;
  private req?: ClientRequest;
  private lastEventAt = 0;
  private tokens = 0;
  private tokensAt = Date.now();
  private probes: string[] = [];
  private watchdog?: NodeJS.Timeout;
  private loop?: Promise<void>;

  constructor(private readonly options: WorkloadOptions) {}

  get book(): TaskBook {
    return this.options.book;
  }

  /** Starts subscribing (and re-subscribing forever); resolves after the first SUBSCRIBED. */
  async start(timeoutMs = 30_000): Promise<void> {
    const first = this.subscriptions;
    this.loop = this.subscribeLoop();
    this.watchdog = setInterval(() => {
      // A stopped (SIGSTOP) or partitioned master keeps the socket open but sends nothing.
      if (this.req !== undefined && Date.now() - this.lastEventAt > 4000) {
        this.log('no event for 4 s: closing the stream');
        this.req.destroy();
      }
    }, 500);
    const deadline = Date.now() + timeoutMs;
    while (this.subscriptions === first) {
      if (Date.now() > deadline) throw new Error(`the scheduler did not subscribe within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }

  /** Stops or resumes launching (offers are declined meanwhile). */
  setLaunching(on: boolean): void {
    this.launching = on;
    this.tokens = 0;
    this.tokensAt = Date.now();
  }

  /** Queues a long-running probe task for the next offer; returns its id. */
  launchProbe(): string {
    const id = `${this.options.name}-probe-${this.book.nextSeq()}`;
    this.probes.push(id);
    return id;
  }

  /** The scheduler process dies: the stream is cut, nothing more is sent (no TEARDOWN). */
  async crash(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    this.req?.destroy();
    await this.loop?.catch(() => undefined);
  }

  /** Explicit reconciliation of every task not known to be terminal. */
  async reconcile(): Promise<void> {
    const tasks = this.book.live().map((t) => ({ task_id: { value: t.id }, agent_id: { value: t.agentId } }));
    if (tasks.length > 0) await this.call('RECONCILE', { reconcile: { tasks } });
  }

  private async subscribeLoop(): Promise<void> {
    while (!this.stopped) {
      const master = await this.findLeader();
      if (master !== undefined && !this.stopped) {
        try {
          await this.subscribeOnce(master, 0);
        } catch (e) {
          this.log(`subscribe to ${master}: ${(e as Error).message}`);
        }
      }
      this.req = undefined;
      this.master = undefined;
      if (!this.stopped) await sleep(250);
    }
  }

  /** Any live master's /redirect; undefined when none names a leader. */
  private async findLeader(): Promise<string | undefined> {
    for (const url of this.options.masters()) {
      try {
        const res = await fetch(`${url}/redirect`, { redirect: 'manual', signal: AbortSignal.timeout(1000) });
        const location = res.headers.get('location');
        if (res.status === 307 && location !== null) return absolute(location);
      } catch {
        // next master
      }
    }
    return undefined;
  }

  /** One subscription; resolves when the stream ends. Follows up to three 307s. */
  private subscribeOnce(master: string, hops: number): Promise<void> {
    const body = {
      type: 'SUBSCRIBE',
      ...(this.book.frameworkId ? { framework_id: { value: this.book.frameworkId } } : {}),
      subscribe: {
        framework_info: {
          user: 'root',
          name: `faults-${this.options.name}`,
          ...(this.book.frameworkId ? { id: { value: this.book.frameworkId } } : {}),
          checkpoint: true,
          failover_timeout: this.options.failoverTimeoutSeconds,
          capabilities: [{ type: 'PARTITION_AWARE' }],
        },
      },
    };
    return new Promise((resolve, reject) => {
      const req = request(`${master}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, (res) => {
        const location = res.headers.location;
        if (res.statusCode === 307 && location !== undefined && hops < 3) {
          res.resume();
          this.subscribeOnce(absolute(location), hops + 1).then(resolve, reject);
          return;
        }
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => reject(new Error(`SUBSCRIBE answered ${res.statusCode}: ${text.slice(0, 200)}`)));
          return;
        }
        this.req = req;
        this.master = master;
        this.streamId = String(res.headers['mesos-stream-id'] ?? '');
        this.lastEventAt = Date.now();
        const decoder = new RecordIODecoder();
        res.on('data', (chunk: Buffer) => {
          this.lastEventAt = Date.now();
          for (const record of decoder.decode(chunk)) this.onEvent(JSON.parse(new TextDecoder().decode(record)) as Event);
        });
        res.on('close', () => resolve());
        res.on('error', () => resolve());
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  private onEvent(event: Event): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.book.frameworkId = event.subscribed.framework_id.value;
        this.book.frameworkIds.add(this.book.frameworkId);
        this.subscriptions++;
        this.log(`SUBSCRIBED to ${this.master} as ${this.book.frameworkId} (subscription ${this.subscriptions})`);
        void this.call('RECONCILE', { reconcile: { tasks: [] } }).then(() => this.reconcile());
        break;
      case 'OFFERS':
        void this.onOffers(event.offers.offers);
        break;
      case 'UPDATE':
        this.onUpdate(event.update.status);
        break;
      case 'ERROR':
        this.log(`ERROR ${event.error.message}`);
        break;
      case 'FAILURE':
        this.log(`FAILURE ${JSON.stringify(event.failure)}`);
        break;
      default:
        break;
    }
  }

  private onUpdate(status: TaskStatus): void {
    const now = Date.now();
    const known = this.book.record(status.task_id.value, status.state, status.reason, status.uuid, now);
    this.log(`UPDATE ${status.task_id.value} ${status.state}${status.reason ? ` ${status.reason}` : ''}${status.uuid ? '' : ' (no uuid)'}${known ? '' : ' (unknown task)'}`);
    if (status.uuid === undefined) return;
    const uuid = status.uuid;
    void this.call('ACKNOWLEDGE', { acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid } }).then((code) => {
      if (code === 202) this.book.acknowledged(uuid, Date.now());
    });
  }

  private async onOffers(offers: readonly Offer[]): Promise<void> {
    const now = Date.now();
    this.tokens = Math.min(this.tokens + ((now - this.tokensAt) / 1000) * this.options.shortPerSecond, Math.max(1, this.options.shortPerSecond));
    this.tokensAt = now;
    let longRunning = [...this.book.tasks.values()].filter((t) => t.kind === 'long' && (t.latest === undefined || !isGone(t.latest))).length;
    for (const offer of offers) {
      let cpus = scalar(offer, 'cpus');
      let mem = scalar(offer, 'mem');
      const launches: TaskRecord[] = [];
      const take = (kind: TaskKind, id: string): boolean => {
        if (cpus < CPUS - 1e-9 || mem < MEM) return false;
        cpus -= CPUS;
        mem -= MEM;
        launches.push({ id, kind, agentId: offer.agent_id.value, hostname: offer.hostname, cpus: CPUS, mem: MEM, launchedAt: Date.now(), states: [] });
        return true;
      };
      while (this.probes.length > 0 && take('probe', this.probes[0])) this.probes.shift();
      if (this.launching) {
        while (longRunning < this.options.longTasks && take('long', `${this.options.name}-long-${this.book.nextSeq()}`)) longRunning++;
        while (this.tokens >= 1 && take('short', `${this.options.name}-short-${this.book.nextSeq()}`)) this.tokens--;
      }
      if (launches.length === 0) {
        void this.call('DECLINE', { decline: { offer_ids: [offer.id], filters: { refuse_seconds: 0.2 } } });
        continue;
      }
      for (const task of launches) this.book.add(task);
      const status = await this.call('ACCEPT', {
        accept: {
          offer_ids: [offer.id],
          operations: [{ type: 'LAUNCH', launch: { task_infos: launches.map((t) => this.taskInfo(t, offer)) } }],
          filters: { refuse_seconds: 0.2 },
        },
      });
      for (const task of launches) task.acceptStatus = status;
      this.log(`ACCEPT ${status} ${launches.map((t) => t.id).join(' ')} on ${offer.hostname}`);
    }
  }

  private taskInfo(task: TaskRecord, offer: Offer): Record<string, unknown> {
    const seconds = task.kind === 'short' ? (0.5 + Math.random() * 1.5).toFixed(1) : '3600';
    return {
      name: task.id,
      task_id: { value: task.id },
      agent_id: offer.agent_id,
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: task.cpus } },
        { name: 'mem', type: 'SCALAR', scalar: { value: task.mem } },
      ],
      command: { value: this.options.ledger.command(task.id, offer.hostname, Number(seconds)) },
    };
  }

  /** A call on the current subscription's master; resolves with the HTTP status (0: no answer). */
  private async call(type: string, body: Record<string, unknown>): Promise<number> {
    const master = this.master;
    if (master === undefined || this.book.frameworkId === undefined) return 0;
    try {
      const res = await fetch(`${master}/api/v1/scheduler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId },
        body: JSON.stringify({ type, framework_id: { value: this.book.frameworkId }, ...body }),
        signal: AbortSignal.timeout(3000),
      });
      const text = await res.text();
      if (res.status >= 300) this.log(`${type} answered ${res.status}: ${text.slice(0, 200)}`);
      return res.status;
    } catch (e) {
      this.log(`${type} failed: ${(e as Error).message}`);
      return 0;
    }
  }

  private log(line: string): void {
    appendFileSync(this.options.logFile, `${new Date().toISOString()} ${line}\n`);
  }
}

function scalar(offer: Offer, name: string): number {
  return (offer.resources ?? []).filter((r) => r.name === name && r.scalar !== undefined).reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0);
}

/** A long task in one of these no longer counts toward the number kept running. */
function isGone(state: string): boolean {
  return state !== 'TASK_RUNNING' && state !== 'TASK_STARTING' && state !== 'TASK_STAGING' && state !== 'TASK_UNREACHABLE';
}

/** `//host:port/path` or `http://host:port/...` → `http://host:port`. */
function absolute(location: string): string {
  const m = /^(?:https?:)?\/\/([^/]+)/.exec(location);
  if (m === null) throw new Error(`unusable Location: ${location}`);
  return `http://${m[1]}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
