/**
 * An agent that speaks the bus protocol but runs nothing: tests drive it (send status updates,
 * stop answering pings) to check what the master does. The real agent is apps/agent.
 */
import { randomBytes } from 'node:crypto';
import { AgoraBus, type BusSubscription, type BusTransport, type Received } from '@agora/bus';
import type { BusMessages, TaskState } from '@agora/protocol';

type AgentMessage = Received<'agent'>;

export class FakeAgent {
  readonly bus: AgoraBus;
  id = '';
  answerPings = true;
  /** Pings received, answered or not. */
  pings = 0;
  /** Whether to answer each of the next pings, in order (then answerPings decides again). */
  pingScript: boolean[] = [];
  /** What it advertises; tests of draining add AGENT_DRAINING. */
  capabilities = ['MULTI_ROLE', 'HIERARCHICAL_ROLE'];
  /** The process session sent with (re-)registration, when a test sets one. */
  session?: string;
  readonly received: AgentMessage[] = [];
  private subscription?: BusSubscription;
  private waiters: (() => void)[] = [];

  constructor(
    transport: BusTransport,
    readonly hostname = 'fake-host',
    readonly port = 5051,
    readonly resources = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 4 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 4096 } },
    ],
  ) {
    this.bus = new AgoraBus(transport);
  }

  async register(): Promise<BusMessages['registered']> {
    const reply = await this.bus.register('register', {
      agent_info: { hostname: this.hostname, port: this.port, resources: this.resources as never },
      version: 'test',
      capabilities: this.capabilities,
      ip: '127.0.0.1',
      ...(this.session !== undefined ? { session: this.session } : {}),
    }, 10000);
    if (reply.result === 'REGISTERED') {
      this.id = reply.agent_id.value;
      this.listen();
    }
    return reply;
  }

  async reregister(tasks: BusMessages['reregister']['tasks'] = [], frameworks: BusMessages['reregister']['frameworks'] = []): Promise<BusMessages['registered']> {
    return this.bus.register('reregister', {
      agent_info: { hostname: this.hostname, port: this.port, resources: this.resources as never, id: { value: this.id } },
      version: 'test',
      capabilities: this.capabilities,
      ip: '127.0.0.1',
      tasks,
      frameworks,
      ...(this.session !== undefined ? { session: this.session } : {}),
    }, 10000);
  }

  private listen(): void {
    this.subscription = this.bus.onAgentMessages(this.id, (m) => {
      if (m.kind === 'ping') {
        this.pings++;
        if (this.pingScript.shift() ?? this.answerPings) m.reply('pong', { agent_id: { value: this.id } });
      } else {
        this.received.push(m);
      }
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    });
  }

  /** Resolves once `n` pings in all arrived. */
  async pinged(n: number, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pings < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`agent ${this.id}: ${this.pings} of ${n} pings within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The first not-yet-taken message of `kind` matching `match`. */
  async next<K extends AgentMessage['kind']>(kind: K, match: (m: Extract<AgentMessage, { kind: K }>) => boolean = () => true, timeoutMs = 15000): Promise<Extract<AgentMessage, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.received.findIndex((m) => m.kind === kind && match(m as Extract<AgentMessage, { kind: K }>));
      if (i >= 0) return this.received.splice(i, 1)[0] as Extract<AgentMessage, { kind: K }>;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`agent ${this.id}: no ${kind} within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((m) => m.kind))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends a status update as the agent's status-update manager would; returns its uuid. */
  sendStatus(frameworkId: string, taskId: string, state: TaskState, extra: { latest?: TaskState; uuid?: string; message?: string } = {}): string {
    const uuid = extra.uuid ?? randomBytes(16).toString('base64');
    this.bus.toMaster('status-update', {
      agent_id: { value: this.id },
      framework_id: { value: frameworkId },
      status: {
        task_id: { value: taskId },
        state,
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: this.id },
        executor_id: { value: taskId },
        timestamp: Date.now() / 1000,
        uuid,
        ...(extra.message ? { message: extra.message } : {}),
      },
      ...(extra.latest ? { latest_state: extra.latest } : {}),
    });
    return uuid;
  }

  /** Tells the master a task ended while its updates still queue (`task-ended`). */
  sendTaskEnded(frameworkId: string, taskId: string, latest: TaskState): void {
    this.bus.toMaster('task-ended', { agent_id: { value: this.id }, framework_id: { value: frameworkId }, task_id: { value: taskId }, latest_state: latest });
  }

  /** Takes an id a previous master gave (a restarted master: the agent re-registers with it). */
  identify(id: string): void {
    this.subscription?.unsubscribe();
    this.id = id;
    this.listen();
  }

  /** Says its process exits (`agent-exiting`), as a real agent does when it stops. */
  exiting(): void {
    this.bus.toMaster('agent-exiting', { agent_id: { value: this.id }, ...(this.session !== undefined ? { session: this.session } : {}) });
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}
