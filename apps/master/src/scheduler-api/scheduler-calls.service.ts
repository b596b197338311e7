import { Injectable } from '@nestjs/common';
import { AgoraBus } from '@agora/bus';
import type { Call } from '@agora/protocol';
import { ClusterState } from '../cluster/cluster-state';
import { MasterIdentity } from '../cluster/master-identity';
import type { FrameworkRecord } from '../cluster/records';
import { FrameworksService } from '../frameworks/frameworks.service';
import { MasterMetrics } from '../metrics/master-metrics';
import { AcceptService } from '../offers/accept.service';
import { TasksService } from '../tasks/tasks.service';

/** A non-SUBSCRIBE call, narrowed. */
export type FrameworkCall = Exclude<Call, { type: 'SUBSCRIBE' }>;

/**
 * Every scheduler call but SUBSCRIBE, for a framework whose stream is live (the controller
 * checked). Calls are asynchronous in Mesos: results reach the scheduler as events, so this
 * returns nothing, except UPDATE_FRAMEWORK whose errors the controller answers with 400.
 */
@Injectable()
export class SchedulerCallsService {
  constructor(
    private readonly frameworks: FrameworksService,
    private readonly accepts: AcceptService,
    private readonly tasks: TasksService,
    private readonly state: ClusterState,
    private readonly bus: AgoraBus,
    private readonly identity: MasterIdentity,
    private readonly metrics: MasterMetrics,
  ) {}

  handle(fw: FrameworkRecord, call: FrameworkCall): void {
    fw.counters.calls.set(call.type, (fw.counters.calls.get(call.type) ?? 0) + 1);
    switch (call.type) {
      case 'TEARDOWN':
        this.frameworks.teardown(fw, 'TEARDOWN call');
        return;
      case 'ACCEPT':
        this.accepts.accept(fw, call.accept ?? {});
        return;
      case 'DECLINE':
        this.accepts.decline(fw, call.decline ?? {});
        return;
      case 'REVIVE':
        this.frameworks.revive(fw, call.revive?.roles ?? []);
        return;
      case 'SUPPRESS':
        this.frameworks.suppress(fw, call.suppress?.roles ?? []);
        return;
      case 'KILL':
        this.tasks.kill(fw, call.kill.task_id.value, call.kill.agent_id?.value, call.kill.kill_policy);
        return;
      case 'SHUTDOWN':
        if (this.state.agents.has(call.shutdown.agent_id.value)) {
          this.bus.toAgent(call.shutdown.agent_id.value, 'shutdown-executor', {
            epoch: this.identity.epoch,
            framework_id: { value: fw.id },
            executor_id: call.shutdown.executor_id,
          });
        }
        return;
      case 'ACKNOWLEDGE':
        this.tasks.acknowledge(fw, call.acknowledge.agent_id.value, call.acknowledge.task_id.value, call.acknowledge.uuid);
        return;
      case 'RECONCILE':
        this.tasks.reconcile(
          fw,
          (call.reconcile?.tasks ?? []).map((t) => ({ taskId: t.task_id.value, agentId: t.agent_id?.value })),
        );
        return;
      case 'MESSAGE': {
        const agentId = call.message.agent_id.value;
        const known = this.state.agents.has(agentId);
        this.metrics.increment(known ? 'master/valid_framework_to_executor_messages' : 'master/invalid_framework_to_executor_messages');
        if (known) {
          this.bus.toAgent(agentId, 'framework-message', {
            epoch: this.identity.epoch,
            framework_id: { value: fw.id },
            executor_id: call.message.executor_id,
            data: call.message.data,
          });
        }
        return;
      }
      case 'UPDATE_FRAMEWORK':
        this.frameworks.update(fw, call.update_framework);
        return;
      case 'REQUEST':
      case 'ACCEPT_INVERSE_OFFERS':
      case 'DECLINE_INVERSE_OFFERS':
      case 'ACKNOWLEDGE_OPERATION_STATUS':
      case 'RECONCILE_OPERATIONS':
        // No resource requests (ignored by Mesos's allocator too), no maintenance windows and no
        // offer operations with feedback yet: accepted and without effect.
        return;
    }
  }
}
