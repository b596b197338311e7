import { Injectable, Logger } from '@nestjs/common';
import type { Accept, Decline, Operation, TaskInfo } from '@agora/protocol';
import { Resources, toV1 } from '@agora/resources';
import { AllocationService } from '../allocation/allocation.service';
import { Clock } from '../clock/clock';
import type { FrameworkRecord } from '../cluster/records';
import { MasterMetrics } from '../metrics/master-metrics';
import { masterStatus } from '../tasks/statuses';
import { checkGroup, checkLaunch, type LaunchContext } from '../tasks/task-validation';
import { TasksService } from '../tasks/tasks.service';
import { OffersService } from './offers.service';

/** Mesos's default refuse filter (reference §1.5): 5 s; negative means the default. */
const DEFAULT_REFUSE_SECONDS = 5;

function refuseMs(filters: { refuse_seconds?: number } | undefined): number {
  const s = filters?.refuse_seconds;
  return (s === undefined || s < 0 || !Number.isFinite(s) ? DEFAULT_REFUSE_SECONDS : s) * 1000;
}

/**
 * ACCEPT and DECLINE (reference §1.3, §1.9): the offers are taken, operations applied in order
 * against what they hold, and whatever is left goes back to the allocator with the call's
 * refuse filter. Invalid offers fail every task of the call (TASK_LOST, or TASK_DROPPED for
 * partition-aware frameworks); an invalid task fails alone with TASK_ERROR.
 */
@Injectable()
export class AcceptService {
  private readonly logger = new Logger('accept');

  constructor(
    private readonly offers: OffersService,
    private readonly tasks: TasksService,
    private readonly allocation: AllocationService,
    private readonly clock: Clock,
    private readonly metrics: MasterMetrics,
  ) {}

  accept(fw: FrameworkRecord, call: Accept): void {
    const operations = call.operations ?? [];
    const { offers, error } = this.offers.take(fw, (call.offer_ids ?? []).map((o) => o.value));
    if (operations.some((op) => op.type === 'LAUNCH' || op.type === 'LAUNCH_GROUP')) this.metrics.increment('master/messages_launch_tasks');
    if (error !== undefined) {
      for (const offer of offers) this.allocation.update((a) => a.recoverResources(fw.id, offer.agentId, offer.resources));
      const state = fw.capabilities.has('PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
      for (const task of launchedTasks(operations)) {
        this.tasks.sendMasterUpdate(fw, masterStatus({ taskId: task.task_id.value, agentId: task.agent_id?.value, state, reason: 'REASON_INVALID_OFFERS', message: error.message, now: this.clock.now() }));
      }
      this.logger.debug(`framework ${fw.id}: ACCEPT with invalid offers: ${error.message}`);
      return;
    }
    fw.counters.offersAccepted += offers.length;
    this.metrics.increment('master/offers_accepted', offers.length);
    const agentId = offers[0].agentId;
    const role = offers[0].role;
    let available = Resources.sum(offers.map((o) => o.resources));
    const launchedIds = new Set<string>();

    const state = this.tasks.state;
    for (const op of operations) {
      const ctx = (): LaunchContext => ({
        frameworkId: fw.id,
        agentId,
        role,
        // Not a copy of fw.tasks per task: with tens of thousands of live tasks that made every
        // ACCEPT quadratic (bench:throughput).
        taskIds: { has: (id: string) => fw.tasks.has(id) || launchedIds.has(id) },
        available,
        executors: state.executorsOf(fw.id, agentId),
      });
      if (op.type === 'LAUNCH') {
        for (const task of op.launch.task_infos ?? []) {
          const check = checkLaunch(task, ctx());
          if (!check.ok) {
            this.error(fw, task, 'REASON_TASK_INVALID', check.message);
            continue;
          }
          available = available.subtract(check.resources);
          launchedIds.add(task.task_id.value);
          const executor = task.executor === undefined ? undefined : { ...task.executor, framework_id: { value: fw.id } };
          if (executor !== undefined) this.tasks.addExecutor(fw, agentId, executor, check.executorResources, role);
          // The agent gets the resources with their allocation role, and reports them back so
          // when it re-registers.
          const info: TaskInfo = { ...task, resources: toV1(check.taskResources[0]), ...(executor ? { executor } : {}) };
          this.tasks.launch(fw, { id: task.task_id.value, frameworkId: fw.id, agentId, info, executorId: executor?.executor_id.value, role, resources: check.taskResources[0] });
        }
      } else if (op.type === 'LAUNCH_GROUP') {
        const group = op.launch_group.task_group.tasks ?? [];
        const check = checkGroup(op.launch_group.executor, group, ctx());
        if (!check.ok) {
          for (const task of group) this.error(fw, task, 'REASON_TASK_GROUP_INVALID', check.message);
          continue;
        }
        available = available.subtract(check.resources);
        for (const task of group) launchedIds.add(task.task_id.value);
        const executor = { ...op.launch_group.executor, framework_id: { value: fw.id } };
        this.tasks.addExecutor(fw, agentId, executor, check.executorResources, role);
        const tasks = group.map((task, i) => ({
          id: task.task_id.value,
          frameworkId: fw.id,
          agentId,
          info: { ...task, resources: toV1(check.taskResources[i]) },
          executorId: executor.executor_id.value,
          role,
          resources: check.taskResources[i],
        }));
        this.tasks.launchGroup(fw, executor, tasks);
      } else {
        // RESERVE, UNRESERVE, CREATE and DESTROY arrive with reservations and volumes (a later
        // release); until then they change nothing, and the offers' resources stay available.
        this.logger.warn(`framework ${fw.id}: ${op.type} operations are not supported yet; ignored`);
      }
    }
    if (!available.isEmpty()) {
      const now = this.clock.now();
      this.allocation.update((a) => a.recoverResources(fw.id, agentId, available, { refuseMs: refuseMs(call.filters), now }));
    }
  }

  private error(fw: FrameworkRecord, task: TaskInfo, reason: 'REASON_TASK_INVALID' | 'REASON_TASK_GROUP_INVALID', message: string): void {
    this.tasks.sendMasterUpdate(fw, masterStatus({ taskId: task.task_id.value, agentId: task.agent_id?.value, state: 'TASK_ERROR', reason, message, now: this.clock.now() }));
  }

  decline(fw: FrameworkRecord, call: Decline): void {
    this.metrics.increment('master/messages_decline_offers');
    const { offers } = this.offers.take(fw, (call.offer_ids ?? []).map((o) => o.value));
    fw.counters.offersDeclined += offers.length;
    this.metrics.increment('master/offers_declined', offers.length);
    const now = this.clock.now();
    for (const offer of offers) {
      this.allocation.update((a) => a.recoverResources(fw.id, offer.agentId, offer.resources, { refuseMs: refuseMs(call.filters), now }));
    }
  }
}

function launchedTasks(operations: readonly Operation[]): TaskInfo[] {
  return operations.flatMap((op) =>
    op.type === 'LAUNCH' ? op.launch.task_infos ?? [] : op.type === 'LAUNCH_GROUP' ? op.launch_group.task_group.tasks ?? [] : [],
  );
}
