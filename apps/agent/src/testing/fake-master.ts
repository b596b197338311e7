/**
 * A tiny master for agent tests, built on the real AgoraBus: it answers registrations, records
 * status updates (optionally acknowledging them), and sends commands to the agent. Only what
 * the tests need; the real master lives in apps/master.
 */
import { AgoraBus, type BusSubscription, type BusTransport, type Received } from '@agora/bus';
import type {
  BusMessages,
  ExecutorExited,
  ExecutorToFramework,
  RegisterAgent,
  ReregisterAgent,
  RunTask,
  StatusUpdate,
  TaskInfo,
  TaskState,
  ToAgentKind,
} from '@agora/protocol';

export interface FakeMasterOptions {
  readonly masterId?: string;
  readonly epoch?: number;
  /** Acknowledge every status update as it arrives (default true). */
  readonly autoAck?: boolean;
  readonly pingIntervalSeconds?: number;
  readonly maxMissedPings?: number;
}

/** How the fake master answers registrations: REGISTERED unless told to refuse. */
export type RegistrationAnswer = { readonly refuse: false } | { readonly refuse: true; readonly message: string; readonly shutdown: boolean };

type Waiter = { readonly test: () => boolean; readonly resolve: () => void };

export class FakeMaster {
  readonly bus: AgoraBus;
  readonly masterId: string;
  epoch: number;
  autoAck: boolean;
  answer: RegistrationAnswer = { refuse: false };
  readonly registrations: (RegisterAgent | ReregisterAgent)[] = [];
  readonly kinds: ('register' | 'reregister')[] = [];
  readonly updates: StatusUpdate[] = [];
  /** What executors sent their schedulers (`executor-message`) and executors that ended (`executor-exited`). */
  readonly executorMessages: ExecutorToFramework[] = [];
  readonly executorExits: ExecutorExited[] = [];
  /** Messages the bus dropped as invalid: a test expecting none checks this is empty. */
  readonly invalid: string[] = [];
  /** The agent id handed out to agents that register without one. */
  agentId: string;
  private readonly subscription: BusSubscription;
  private waiters: Waiter[] = [];

  constructor(
    transport: BusTransport,
    private readonly options: FakeMasterOptions = {},
  ) {
    this.bus = new AgoraBus(transport, (subject, error) => this.invalid.push(`${subject}: ${error.message}`));
    this.masterId = options.masterId ?? `fake-${Math.random().toString(36).slice(2, 10)}`;
    this.epoch = options.epoch ?? 1;
    this.autoAck = options.autoAck ?? true;
    this.agentId = `${this.masterId}-S0`;
    this.subscription = this.bus.onMasterMessages((received) => this.receive(received));
  }

  /** Resolves once `test` holds (checked after every message). */
  /**
   * Resolves once `test` holds (checked on every message). Rejects after `timeoutMs` with what the
   * master heard so far, so a test that waits for something that never comes fails saying why
   * instead of running into jest's timeout.
   */
  until(test: () => boolean, timeoutMs = 60_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const heard = this.updates.map((u) => `${u.status.task_id.value}:${u.status.state}`).join(', ');
        reject(new Error(`not within ${timeoutMs / 1000} s; registrations: ${this.kinds.join(', ') || 'none'}; updates: ${heard || 'none'}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The states of `taskId`'s updates, in arrival order, retries included. */
  states(taskId: string): TaskState[] {
    return this.updates.filter((u) => u.status.task_id.value === taskId).map((u) => u.status.state);
  }

  /** Distinct states in arrival order (retries collapse). */
  distinctStates(taskId: string): TaskState[] {
    const seen = new Set<string>();
    return this.updates
      .filter((u) => u.status.task_id.value === taskId && !seen.has(u.status.uuid as string) && seen.add(u.status.uuid as string))
      .map((u) => u.status.state);
  }

  /**
   * Resolves once the agent answers pings on its own subject, i.e. has subscribed to it (over
   * NATS that happens a moment after its registration was answered).
   */
  async agentListening(): Promise<void> {
    for (;;) {
      try {
        await this.bus.ping(this.agentId, { epoch: this.epoch, registered: true }, 200);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  send<K extends ToAgentKind>(kind: K, message: Omit<BusMessages[K], 'epoch'> & { epoch?: number }): void {
    this.bus.toAgent(this.agentId, kind, { epoch: this.epoch, ...message } as BusMessages[K]);
  }

  runTask(task: Partial<TaskInfo> & { task_id: { value: string } }, framework: Partial<RunTask['framework']> = {}): void {
    this.send('run-task', {
      framework: { id: { value: `${this.masterId}-0000` }, user: 'root', name: 'test-framework', ...framework },
      task: { name: task.task_id.value, agent_id: { value: this.agentId }, ...task },
    });
  }

  acknowledge(update: StatusUpdate): void {
    this.send('status-ack', { framework_id: update.framework_id, task_id: update.status.task_id, uuid: update.status.uuid as string });
  }

  close(): void {
    this.subscription.unsubscribe();
  }

  private receive(received: Received<'master'>): void {
    switch (received.kind) {
      case 'register':
      case 'reregister': {
        this.registrations.push(received.message);
        this.kinds.push(received.kind);
        if (this.answer.refuse) {
          received.reply('registered', { epoch: this.epoch, result: 'REFUSED', message: this.answer.message, shutdown: this.answer.shutdown });
          break;
        }
        const id = received.kind === 'reregister' ? received.message.agent_info.id.value : this.agentId;
        this.agentId = id;
        received.reply('registered', {
          epoch: this.epoch,
          result: 'REGISTERED',
          master_id: this.masterId,
          agent_id: { value: id },
          ping_interval_seconds: this.options.pingIntervalSeconds ?? 15,
          max_missed_pings: this.options.maxMissedPings ?? 5,
        });
        break;
      }
      case 'status-update':
        this.updates.push(received.message);
        if (this.autoAck) this.acknowledge(received.message);
        break;
      case 'executor-message':
        this.executorMessages.push(received.message);
        break;
      case 'executor-exited':
        this.executorExits.push(received.message);
        break;
      default:
        break;
    }
    const ready = this.waiters.filter((w) => w.test());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}
