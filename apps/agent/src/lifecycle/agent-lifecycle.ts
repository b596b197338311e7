import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import { ExecutorsService } from '../executors/executors.service';
import { MasterInbox } from '../inbox/master-inbox';
import { RecoveryService } from '../recovery/recovery.service';
import { RegistrationService } from '../registration/registration.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { CommandExecutorService } from '../tasks/command-executor.service';

/** Whether the agent opened its bus itself (and so closes it); a transport handed in belongs to the caller. */
export const BUS_OWNED = Symbol('BUS_OWNED');

/**
 * Starts and stops the agent's work in an order that matters, in one place rather than spread
 * over Nest hooks. Start (after the HTTP server listens, so the real port is known): listen
 * for broadcasts, recover what an earlier agent process checkpointed, then register (with the
 * recovered tasks). Stop: no more registering or sending, then kill the tasks of frameworks
 * that do not checkpoint (those that do keep running for the next agent process, as in Mesos),
 * then leave the bus. `shutdown` kills every task first, checkpointed or not.
 */
@Injectable()
export class AgentLifecycle implements BeforeApplicationShutdown {
  private readonly logger = new Logger('agent');
  private stopping?: Promise<void>;

  constructor(
    private readonly session: AgentSession,
    private readonly inbox: MasterInbox,
    private readonly registration: RegistrationService,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly tasks: CommandExecutorService,
    private readonly bus: AgoraBus,
    @Inject(BUS_OWNED) private readonly busOwned: boolean,
    private readonly executors: ExecutorsService,
    private readonly recovery: RecoveryService,
  ) {}

  async start(port: number): Promise<void> {
    this.session.port = port;
    this.inbox.start();
    await this.recovery.recover();
    await this.registration.start();
  }

  /**
   * Kills every task and executor, those of checkpointing frameworks too, and resolves once
   * they ended; the agent takes no new work afterwards. For test teardowns and tools that end
   * an agent for good; close the app afterwards. The drain path may call it too.
   */
  async shutdown(why = 'the agent is shut down'): Promise<void> {
    this.registration.stop();
    this.statusUpdates.pause();
    await Promise.all([this.tasks.killAll(why), this.executors.stopAll(why)]);
  }

  /**
   * Over NATS the master sees no connection break when this process ends, so it is told
   * (`agent-exiting`): it deactivates the agent and declares the tasks of frameworks without
   * checkpointing lost at once (reference §5.3), then waits for the agent to re-register.
   */
  private announceExit(): void {
    const agentId = this.session.agentId;
    if (agentId === undefined || this.session.shutDown) return;
    try {
      this.bus.toMaster('agent-exiting', { agent_id: { value: agentId }, session: this.session.instance });
    } catch (e) {
      this.logger.warn(`could not tell the master this agent exits: ${(e as Error).message}`);
    }
  }

  beforeApplicationShutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    this.registration.stop();
    this.statusUpdates.pause();
    this.announceExit();
    // Mesos semantics: tasks of checkpointing frameworks outlive their agent's process and are
    // recovered by the next one; the others would never be found again, so they end now.
    await Promise.all([
      this.tasks.killAll('the agent is stopping', { keepCheckpointed: true }),
      this.executors.stopAll('the agent is stopping', { keepCheckpointed: true }),
    ]);
    this.inbox.stop();
    if (this.busOwned) {
      await this.bus.close().catch((e: unknown) => this.logger.warn(`closing the bus: ${(e as Error).message}`));
    }
  }
}
