import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AgoraBus, type BusSubscription, type Received } from '@agora/bus';
import { ClusterState } from '../cluster/cluster-state';
import { MasterMetrics } from '../metrics/master-metrics';
import { TasksService } from '../tasks/tasks.service';
import { AgentsService } from './agents.service';

/**
 * The master's bus edge: what agents send (already validated by AgoraBus) goes to the service
 * that owns it. Thin on purpose; a failure in a handler is logged, never thrown at the bus.
 */
@Injectable()
export class MasterBusHandler implements OnModuleDestroy {
  private readonly logger = new Logger('bus');
  private subscription?: BusSubscription;

  constructor(
    private readonly bus: AgoraBus,
    private readonly agents: AgentsService,
    private readonly tasks: TasksService,
    private readonly state: ClusterState,
    private readonly metrics: MasterMetrics,
  ) {}

  /** Called once the master leads: only the leader hears agents. */
  start(): void {
    this.subscription ??= this.bus.onMasterMessages((m) => this.handle(m));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private handle(m: Received<'master'>): void {
    switch (m.kind) {
      case 'register':
        this.answer(m, this.agents.register(m.message));
        return;
      case 'reregister':
        this.answer(m, this.agents.reregister(m.message));
        return;
      case 'status-update':
        this.tasks.onStatusUpdate(m.message);
        return;
      case 'task-ended':
        this.tasks.onTaskEnded(m.message);
        return;
      case 'executor-message': {
        const fw = this.state.frameworks.get(m.message.framework_id.value);
        this.metrics.increment(fw?.stream ? 'master/valid_executor_to_framework_messages' : 'master/invalid_executor_to_framework_messages');
        fw?.stream?.send({ type: 'MESSAGE', message: { agent_id: m.message.agent_id, executor_id: m.message.executor_id, data: m.message.data } });
        return;
      }
      case 'agent-exiting':
        this.agents.exiting(m.message);
        return;
      case 'executor-exited': {
        this.tasks.executorExited(m.message.agent_id.value, m.message.framework_id.value, m.message.executor_id.value);
        const fw = this.state.frameworks.get(m.message.framework_id.value);
        const failure = { agent_id: m.message.agent_id, executor_id: m.message.executor_id, ...(m.message.status !== undefined ? { status: m.message.status } : {}) };
        fw?.stream?.send({ type: 'FAILURE', failure });
        return;
      }
    }
  }

  private answer(m: Received<'master'>, registration: Promise<Parameters<typeof m.reply<'registered'>>[1]>): void {
    registration
      .then((r) => m.reply('registered', r))
      .catch((e: Error) => {
        // The agent retries; a registry outage must not be answered with a refusal for good.
        this.logger.error(`${m.kind} failed: ${e.message}`);
      });
  }
}
