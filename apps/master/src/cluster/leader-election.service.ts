import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock, type TimerHandle } from '../clock/clock';
import { MasterConfig } from '../config/master.config';
import { RegistryService } from '../registry';
import { RegistryDatabase } from '../registry/registry-database';
import { LeaderLock } from './leader-lock';
import { LeadershipService } from './leadership.service';
import { MasterIdentity } from './master-identity';
import { StandbyGate } from './standby-gate';
import { StepDown } from './step-down';

/**
 * The election (DESIGN §5): every master campaigns for the leadership lock (leader-lock.ts)
 * every `AGORA_LEADER_POLL_MS`; the one that gets it takes office (leadership.service.ts) and
 * opens the gate (standby-gate.ts); the others learn from the registry who leads and redirect
 * there. A leader touches its lock session every lease/4; when the session errors or ends, a
 * touch fails or comes later than the lease (this process was frozen), it steps down at once
 * (step-down.ts: the process exits), because a standby may already lead.
 */
@Injectable()
export class LeaderElection implements OnModuleDestroy {
  private readonly logger = new Logger('leadership');
  private lock?: LeaderLock;
  private poller?: TimerHandle;
  private toucher?: TimerHandle;
  private polling = false;
  private leading = false;
  private stopped = false;
  private lastTouch = 0;
  private lastWarning?: string;

  constructor(
    private readonly config: MasterConfig,
    private readonly database: RegistryDatabase,
    private readonly registry: RegistryService,
    private readonly leadership: LeadershipService,
    private readonly gate: StandbyGate,
    private readonly stepDown: StepDown,
    private readonly identity: MasterIdentity,
    private readonly clock: Clock,
  ) {}

  /** Where schedulers and operators reach this master: its name when bound to every interface. */
  get address(): string {
    const wildcard = this.config.host === '0.0.0.0' || this.config.host === '::';
    return `${wildcard ? this.identity.hostname : this.identity.ip}:${this.identity.port}`;
  }

  /** Once the HTTP server listens: one campaign now (resolves after it), then every poll interval. */
  async start(): Promise<void> {
    await this.campaign();
    if (!this.leading && !this.stopped) this.poller = this.clock.every(this.config.leaderPollMs, () => void this.campaign());
  }

  async onModuleDestroy(): Promise<void> {
    // Shutting down is not losing: the lock is released on purpose, and nothing steps down.
    this.stopped = true;
    this.poller?.cancel();
    this.toucher?.cancel();
    this.gate.leading = false;
    this.gate.leader = undefined;
    await this.lock?.close();
  }

  private async campaign(): Promise<void> {
    if (this.polling || this.leading || this.stopped) return;
    this.polling = true;
    try {
      if (this.lock === undefined) {
        const lock = await LeaderLock.connect(this.database.url, this.config.leaderLeaseMs);
        // Shut down while connecting: nobody else will close it.
        if (this.stopped) return await lock.close();
        this.lock = lock;
      }
      if (await this.lock.tryAcquire()) {
        await this.lead(this.lock);
        return;
      }
      // Someone holds the lock, so the leader the registry names is the one to redirect to.
      const { leader } = await this.registry.currentLeader();
      this.gate.leader = leader ?? undefined;
      this.lastWarning = undefined;
    } catch (e) {
      this.gate.leader = undefined;
      const message = `cannot campaign for leadership: ${(e as Error).message}`;
      if (message !== this.lastWarning) this.logger.warn(message);
      this.lastWarning = message;
      const lock = this.lock;
      this.lock = undefined;
      await lock?.close();
    } finally {
      this.polling = false;
    }
  }

  private async lead(lock: LeaderLock): Promise<void> {
    this.leading = true;
    this.poller?.cancel();
    lock.onLost((why) => this.lose(why));
    this.lastTouch = this.clock.monotonic();
    this.toucher = this.clock.every(Math.max(1, Math.floor(this.config.leaderLeaseMs / 4)), () => this.touch(lock));
    try {
      await this.leadership.takeOffice(this.address);
    } catch (e) {
      this.lose(`could not take office: ${(e as Error).message}`);
      return;
    }
    if (this.stopped) return;
    this.gate.leader = this.address;
    this.gate.leading = true;
  }

  private touch(lock: LeaderLock): void {
    const silent = this.clock.monotonic() - this.lastTouch;
    if (silent > this.config.leaderLeaseMs) {
      this.lose(`the lock session was not touched for ${Math.round(silent)} ms, more than the lease of ${this.config.leaderLeaseMs} ms (was this process frozen?)`);
      return;
    }
    lock.touch().then(
      () => (this.lastTouch = this.clock.monotonic()),
      (e: Error) => this.lose(`lock session touch failed: ${e.message}`),
    );
  }

  private lose(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.poller?.cancel();
    this.toucher?.cancel();
    this.gate.leading = false;
    this.gate.leader = undefined;
    void this.lock?.close();
    this.stepDown.now(`lost the leadership lock: ${why}`);
  }
}
