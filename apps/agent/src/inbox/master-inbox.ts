import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AgoraBus, type BusSubscription, type Received } from '@agora/bus';
import { DrainService } from '../drain/drain.service';
import { ExecutorsService } from '../executors/executors.service';
import { RegistrationService } from '../registration/registration.service';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { CommandExecutorService } from '../tasks/command-executor.service';

/**
 * Everything the master sends this agent arrives here: its own subjects
 * (`agora.v1.agent.<id>.>`, subscribed as soon as the id is known) and the broadcasts. Messages
 * are already validated by AgoraBus; this thin router applies epoch fencing, then hands each
 * kind to the service that owns it. A handler's failure is logged, never thrown into the bus.
 */
@Injectable()
export class MasterInbox implements OnModuleInit {
  private readonly logger = new Logger('inbox');
  private agentSubscription?: BusSubscription;
  private broadcastSubscription?: BusSubscription;
  private listeningAs?: string;

  constructor(
    private readonly bus: AgoraBus,
    private readonly session: AgentSession,
    private readonly registration: RegistrationService,
    private readonly tasks: CommandExecutorService,
    private readonly statusUpdates: StatusUpdateManager,
    private readonly executors: ExecutorsService,
    private readonly drains: DrainService,
  ) {}

  onModuleInit(): void {
    this.registration.onIdentified((agentId) => this.listenAs(agentId));
  }

  start(): void {
    this.broadcastSubscription ??= this.bus.onBroadcasts((received) => this.guard(received.kind, () => this.onBroadcast(received)));
  }

  stop(): void {
    this.agentSubscription?.unsubscribe();
    this.broadcastSubscription?.unsubscribe();
    this.agentSubscription = undefined;
    this.broadcastSubscription = undefined;
    this.listeningAs = undefined;
  }

  private listenAs(agentId: string): void {
    if (this.listeningAs === agentId) return;
    this.agentSubscription?.unsubscribe();
    this.agentSubscription = this.bus.onAgentMessages(agentId, (received) => this.guard(received.kind, () => this.onAgentMessage(received)));
    this.listeningAs = agentId;
  }

  /** Fencing (DESIGN §3.4): commands of a deposed leader are dropped. */
  private admits(kind: string, epoch: number): boolean {
    if (this.session.shutDown) {
      this.logger.debug(`ignoring ${kind}: the master shut this agent down`);
      return false;
    }
    if (this.session.fence.admit(epoch)) return true;
    this.logger.debug(`ignoring ${kind} of epoch ${epoch}: a master of epoch ${this.session.fence.epoch} leads`);
    return false;
  }

  private onAgentMessage(received: Received<'agent'>): void {
    if (!this.admits(received.kind, received.message.epoch)) return;
    switch (received.kind) {
      case 'ping':
        this.registration.onPing(received.message, (pong) => received.reply('pong', pong));
        return;
      // Custom executors and task groups go to executors/, command tasks to tasks/.
      case 'run-task':
        if (this.drains.refuses(received.message)) return;
        if (this.executors.takes(received.message)) this.executors.run(received.message);
        else this.tasks.run(received.message);
        return;
      case 'run-task-group':
        if (this.drains.refuses(received.message)) return;
        this.executors.runGroup(received.message);
        return;
      case 'kill-task':
        if (!this.executors.kill(received.message)) this.tasks.kill(received.message);
        return;
      case 'status-ack': {
        const { framework_id, task_id, uuid } = received.message;
        this.statusUpdates.acknowledge(framework_id.value, task_id.value, uuid);
        return;
      }
      case 'shutdown-framework':
        this.executors.shutdownFramework(received.message.framework_id.value);
        this.tasks.shutdownFramework(received.message.framework_id.value);
        return;
      case 'shutdown-executor':
        if (!this.executors.shutdownExecutor(received.message.framework_id.value, received.message.executor_id.value)) {
          this.tasks.shutdownExecutor(received.message.framework_id.value, received.message.executor_id.value);
        }
        return;
      case 'framework-message':
        if (!this.executors.frameworkMessage(received.message)) {
          this.tasks.frameworkMessage(received.message.framework_id.value, received.message.executor_id.value);
        }
        return;
      case 'drain':
        this.drains.drain(received.message);
        return;
      case 'shutdown':
        void this.registration.shutdown(received.message.message).catch((e: unknown) => this.failed('shutdown', e));
        return;
    }
  }

  private onBroadcast(received: Received<'agents'>): void {
    if (!this.admits(received.kind, received.message.epoch)) return;
    if (received.kind === 'master-elected') this.registration.onMasterElected(received.message);
  }

  private guard(kind: string, handle: () => void): void {
    try {
      handle();
    } catch (e) {
      this.failed(kind, e);
    }
  }

  private failed(kind: string, e: unknown): void {
    this.logger.error(`handling ${kind} failed: ${(e as Error).message}`, (e as Error).stack);
  }
}
