import { Logger } from '@nestjs/common';
import { AgoraBus, type BusSubscription, type BusTransport, NatsTransport } from '@agora/bus';
import { BROADCAST_WILDCARD, decodeBusBytes, type Resource } from '@agora/protocol';
import { Resources, toV1 } from '@agora/resources';
import { Clock, type TimerHandle } from '../../agent/src/clock/clock';
import { AgentConfig } from '../../agent/src/config/agent.config';
import { AgentRouter, ALL_AGENTS_WILDCARD } from './agent-router';
import { type SimContext, type SimCounters, SimAgent } from './sim-agent';
import { Ticker } from './ticker';

export interface SimulatorOptions {
  /** How many agents to simulate. */
  readonly agents: number;
  /** Mesos text form, the same for every agent. */
  readonly resources?: string;
  /** How long each task runs before TASK_FINISHED; 0 finishes at once. */
  readonly taskDurationMs?: number;
  /** NATS server(s); unused when `transport` is given. */
  readonly natsUrl?: string;
  /** The master's AGORA_BUS_NAMESPACE. */
  readonly namespace?: string;
  /** A transport to use instead of connecting to NATS (tests); closed by stop(). */
  readonly transport?: BusTransport;
  /** Hostnames are `<prefix>-<n>` (default `sim`). */
  readonly hostPrefix?: string;
  /** The agent's AGORA_REGISTRATION_BACKOFF_FACTOR_MS, AGORA_STATUS_UPDATE_RETRY_MIN_MS, ... */
  readonly registrationBackoffFactorMs?: number;
  readonly registrationTimeoutMs?: number;
  readonly statusUpdateRetryMinMs?: number;
  readonly version?: string;
}

export const DEFAULT_SIM_RESOURCES = 'cpus:4;mem:8192;disk:16384;ports:[31000-32000]';

/** The agent's Clock over the simulator's ticker, so the agent's StatusUpdateManager retries through it. */
class TickerClock extends Clock {
  constructor(private readonly ticker: Ticker) {
    super();
  }

  override after(ms: number, run: () => void): TimerHandle {
    return this.ticker.at(Date.now() + ms, run);
  }
}

export interface SimulatorStats extends SimCounters {
  readonly agents: number;
  readonly registered: number;
  readonly running: number;
  readonly unrouted: number;
  readonly invalid: number;
}

/**
 * N simulated agents in one process (README.md): one bus connection, one subscription for every
 * agent's subjects (`agora.v1.agent.*.>`, routed by id in AgentRouter), one for broadcasts, and one
 * ticker for every timer. Each agent is a SimAgent speaking the agent protocol with the agent's
 * own protocol code.
 */
export class Simulator {
  private readonly logger = new Logger('sim');
  readonly agents: SimAgent[] = [];
  private readonly counters: SimCounters = { launched: 0, finished: 0, killed: 0, registrations: 0 };
  private readonly subscriptions: BusSubscription[] = [];
  private interval?: NodeJS.Timeout;
  private sweep?: TimerHandle;

  private constructor(
    private readonly bus: AgoraBus,
    private readonly router: AgentRouter,
    private readonly ticker: Ticker,
  ) {}

  static async start(options: SimulatorOptions): Promise<Simulator> {
    if (!Number.isInteger(options.agents) || options.agents < 1) throw new Error('the simulator needs at least one agent');
    const resources: Resource[] = toV1(Resources.parse(options.resources ?? DEFAULT_SIM_RESOURCES));
    const transport =
      options.transport ??
      (await NatsTransport.connect({ url: options.natsUrl ?? 'nats://127.0.0.1:4222', name: 'agora-sim', namespace: options.namespace }));
    const logger = new Logger('sim');
    const onInvalid = (subject: string, error: Error): void => logger.warn(`dropped a message on ${subject}: ${error.message}`);
    const bus = new AgoraBus(transport, onInvalid);
    const router = new AgentRouter(onInvalid);
    const ticker = new Ticker(Date.now());
    const sim = new Simulator(bus, router, ticker);
    const config = Object.assign(new AgentConfig(), {
      ...(options.registrationBackoffFactorMs !== undefined ? { registrationBackoffFactorMs: options.registrationBackoffFactorMs } : {}),
      ...(options.registrationTimeoutMs !== undefined ? { registrationTimeoutMs: options.registrationTimeoutMs } : {}),
      ...(options.statusUpdateRetryMinMs !== undefined ? { statusUpdateRetryMinMs: options.statusUpdateRetryMinMs } : {}),
    }) as AgentConfig;
    const context: SimContext = {
      bus,
      clock: new TickerClock(ticker),
      config,
      version: options.version ?? 'sim',
      taskDurationMs: options.taskDurationMs ?? 0,
      counters: sim.counters,
      identified: (agent, agentId) => router.add(agentId, agent),
    };
    sim.subscriptions.push(transport.subscribe(ALL_AGENTS_WILDCARD, (envelope) => router.dispatch(envelope)));
    sim.subscriptions.push(
      transport.subscribe(BROADCAST_WILDCARD, (envelope) => {
        try {
          const decoded = decodeBusBytes(envelope.subject, envelope.data);
          if (decoded.kind !== 'master-elected') return;
          for (const agent of sim.agents) agent.onMasterElected(decoded.message.epoch, decoded.message.master_id);
        } catch (e) {
          onInvalid(envelope.subject, e as Error);
        }
      }),
    );
    sim.interval = setInterval(() => ticker.advance(Date.now(), (e) => logger.error(`a simulator timer failed: ${(e as Error).message}`)), ticker.resolutionMs);
    sim.armSweep();
    const prefix = options.hostPrefix ?? 'sim';
    for (let i = 1; i <= options.agents; i++) {
      const agent = new SimAgent(`${prefix}-${i}`, resources, context);
      sim.agents.push(agent);
      agent.start();
    }
    return sim;
  }

  stats(): SimulatorStats {
    let registered = 0;
    let running = 0;
    for (const agent of this.agents) {
      if (agent.registered) registered++;
      running += agent.taskCount;
    }
    return { ...this.counters, agents: this.agents.length, registered, running, unrouted: this.router.unrouted, invalid: this.router.invalid };
  }

  /** Resolves once every agent is registered (or rejects after `timeoutMs`). */
  async waitRegistered(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.stats().registered < this.agents.length) {
      if (Date.now() > deadline) throw new Error(`${this.stats().registered} of ${this.agents.length} agents registered within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    for (const agent of this.agents) agent.stop();
    this.sweep?.cancel();
    clearInterval(this.interval);
    for (const s of this.subscriptions) s.unsubscribe();
    await this.bus.close();
    this.logger.debug('stopped');
  }

  /** One liveness check a second for every agent, instead of a watchdog timer per agent. */
  private armSweep(): void {
    this.sweep = this.ticker.at(Date.now() + 1000, () => {
      const now = Date.now();
      for (const agent of this.agents) agent.checkLiveness(now);
      this.armSweep();
    });
  }
}
