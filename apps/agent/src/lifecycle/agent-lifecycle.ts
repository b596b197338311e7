import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import { ExecutorsService } from '../executors/executors.service';
import { MasterInbox } from '../inbox/master-inbox';
import { RegistrationService } from '../registration/registration.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { CommandExecutorService } from '../tasks/command-executor.service';

/** Whether the agent opened its bus itself (and so closes it); a transport handed in belongs to the caller. */
export const BUS_OWNED = Symbol('BUS_OWNED');

/**
 * Starts and stops the agent's work in an order that matters, in one place rather than spread
 * over Nest hooks. Start (after the HTTP server listens, so the real port is known): listen
 * for broadcasts, then register. Stop: no more registering or sending, then kill the tasks,
 * then leave the bus.
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
  ) {}

  async start(port: number): Promise<void> {
    this.session.port = port;
    this.inbox.start();
    await this.registration.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    this.registration.stop();
    this.statusUpdates.pause();
    // Without recovery (the next issue) a task cannot outlive its agent: a restarted agent
    // would not find it again. Recovery replaces this with leaving the tasks of checkpointing
    // frameworks running, as Mesos does.
    await Promise.all([this.tasks.killAll('the agent is stopping'), this.executors.stopAll('the agent is stopping')]);
    this.inbox.stop();
    if (this.busOwned) {
      await this.bus.close().catch((e: unknown) => this.logger.warn(`closing the bus: ${(e as Error).message}`));
    }
  }
}
