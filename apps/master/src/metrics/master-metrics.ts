import { Injectable } from '@nestjs/common';

/**
 * Counters of what happened since this master started, under their Mesos `/metrics/snapshot`
 * names (reference §3.2). Gauges (tasks by state, resources) are computed from ClusterState
 * when the snapshot is taken; only events are counted here.
 */
@Injectable()
export class MasterMetrics {
  private readonly counters = new Map<string, number>();

  increment(key: MetricKey | `master/tasks_${string}` | `master/messages_${string}`, by = 1): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  get(key: string): number {
    return this.counters.get(key) ?? 0;
  }

  /** Every counter with its value (zero-valued well-known ones included). */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of WELL_KNOWN) out[key] = 0;
    for (const [key, value] of this.counters) out[key] = value;
    return out;
  }
}

const WELL_KNOWN = [
  'master/slave_registrations',
  'master/slave_reregistrations',
  'master/slave_removals',
  'master/slave_removals/reason_unhealthy',
  'master/slave_unreachable_scheduled',
  'master/slave_unreachable_completed',
  'master/slave_unreachable_canceled',
  'master/valid_status_updates',
  'master/invalid_status_updates',
  'master/valid_status_update_acknowledgements',
  'master/invalid_status_update_acknowledgements',
  'master/valid_framework_to_executor_messages',
  'master/invalid_framework_to_executor_messages',
  'master/valid_executor_to_framework_messages',
  'master/invalid_executor_to_framework_messages',
  'master/messages_launch_tasks',
  'master/messages_decline_offers',
  'master/messages_revive_offers',
  'master/messages_suppress_offers',
  'master/messages_reconcile_tasks',
  'master/messages_register_framework',
  'master/messages_reregister_framework',
  'master/messages_unregister_framework',
  'master/messages_kill_task',
  'master/messages_status_update_acknowledgement',
  'master/tasks_finished',
  'master/tasks_failed',
  'master/tasks_killed',
  'master/tasks_lost',
  'master/tasks_error',
  'master/tasks_dropped',
  'master/tasks_gone',
  'master/tasks_gone_by_operator',
  'master/offers_sent',
  'master/offers_accepted',
  'master/offers_declined',
  'master/offers_rescinded',
  'master/invalid_offers',
] as const;

export type MetricKey = (typeof WELL_KNOWN)[number];
