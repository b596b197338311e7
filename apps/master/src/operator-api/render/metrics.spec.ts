import type { CycleMetrics } from '@agora/allocator';
import { ClusterBuilder, TEST_HOST, testMaster } from '../testing/cluster-builder';
import type { AllocatorReadings } from './inputs';
import { renderMetrics, type MetricsInputs } from './metrics';

const NO_ALLOCATOR: AllocatorReadings = { roles: [], cycles: 0 };

function inputs(c: ClusterBuilder, extra: Partial<MetricsInputs> = {}): MetricsInputs {
  return { cluster: c.state, master: testMaster(), counters: {}, allocator: NO_ALLOCATOR, host: TEST_HOST, now: 10_500, ...extra };
}

describe('renderMetrics', () => {
  it('answers every gauge with zeros for an empty cluster', () => {
    const metrics = renderMetrics(inputs(new ClusterBuilder()));
    expect(metrics).toMatchObject({
      'master/elected': 1,
      'master/uptime_secs': 10,
      'master/cpus_total': 0,
      'master/cpus_used': 0,
      'master/cpus_percent': 0,
      'master/gpus_revocable_percent': 0,
      'master/slaves_active': 0,
      'master/frameworks_active': 0,
      'master/outstanding_offers': 0,
      'master/tasks_running': 0,
      'master/event_queue_messages': 0,
      'master/event_queue_dispatches': 0,
      'master/event_queue_http_requests': 0,
      'allocator/mesos/allocation_runs': 0,
      'allocator/mesos/allocation_run_ms': 0,
      'allocator/mesos/resources/cpus/total': 0,
      'allocator/mesos/resources/mem/offered_or_allocated': 0,
      'system/cpus_total': 8,
      'system/load_1min': 0.5,
      'system/load_5min': 0.25,
      'system/load_15min': 0.125,
      'system/mem_total_bytes': 16e9,
      'system/mem_free_bytes': 4e9,
    });
  });

  it('keeps the counters and sorts the keys', () => {
    const metrics = renderMetrics(inputs(new ClusterBuilder(), { counters: { 'master/tasks_finished': 3, 'master/offers_sent': 7 } }));
    expect(metrics['master/tasks_finished']).toBe(3);
    expect(metrics['master/offers_sent']).toBe(7);
    const keys = Object.keys(metrics);
    expect(keys).toEqual([...keys].sort());
  });

  it('reports 0 for elected before the master took office', () => {
    const master = testMaster();
    master.electedAt = undefined;
    expect(renderMetrics(inputs(new ClusterBuilder(), { master }))['master/elected']).toBe(0);
  });

  it('sums resources over registered agents; used is what unreleased tasks hold, not offers', () => {
    const c = new ClusterBuilder();
    c.agent('a1', { resources: 'cpus:4;mem:1000;disk:100' });
    c.agent('a2', { resources: 'cpus:4;mem:1000;gpus:1' });
    c.framework('f1');
    c.task('f1', 'a1', 't1', { resources: 'cpus:2;mem:250' });
    c.task('f1', 'a2', 't2', { resources: 'cpus:1;gpus:1' });
    c.task('f1', 'a2', 'finished', { resources: 'cpus:1', state: 'TASK_FINISHED' });
    c.offer('o1', 'f1', 'a1', 'cpus:1');
    const metrics = renderMetrics(inputs(c));
    expect(metrics).toMatchObject({
      'master/cpus_total': 8,
      'master/cpus_used': 3,
      'master/cpus_percent': 0.375,
      'master/mem_total': 2000,
      'master/mem_used': 250,
      'master/mem_percent': 0.125,
      'master/disk_total': 100,
      'master/disk_used': 0,
      'master/gpus_total': 1,
      'master/gpus_used': 1,
      'master/gpus_percent': 1,
      'allocator/mesos/resources/cpus/total': 8,
      'allocator/mesos/resources/gpus/total': 1,
    });
  });

  it('counts agents, frameworks, offers and live tasks by state', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.agent('a2', { active: false });
    c.agent('a3', { missedPings: 2 });
    c.agent('a4');
    c.unreachable('a4');
    c.framework('f1');
    c.framework('f2', { connected: false });
    c.framework('f3', { connected: true, active: false });
    for (const [id, state] of [
      ['s1', 'TASK_STAGING'],
      ['s2', 'TASK_STAGING'],
      ['st', 'TASK_STARTING'],
      ['r', 'TASK_RUNNING'],
      ['k', 'TASK_KILLING'],
      ['u', 'TASK_UNREACHABLE'],
      ['f', 'TASK_FAILED'],
    ] as const) {
      c.task('f1', 'a1', id, { state });
    }
    c.offer('o1', 'f1', 'a1');
    c.offer('o2', 'f1', 'a1');
    expect(renderMetrics(inputs(c))).toMatchObject({
      'master/slaves_active': 2,
      'master/slaves_inactive': 1,
      'master/slaves_connected': 2,
      'master/slaves_disconnected': 1,
      'master/slaves_unreachable': 1,
      'master/frameworks_active': 1,
      'master/frameworks_inactive': 2,
      'master/frameworks_connected': 2,
      'master/frameworks_disconnected': 1,
      'master/outstanding_offers': 2,
      'master/tasks_staging': 2,
      'master/tasks_starting': 1,
      'master/tasks_running': 1,
      'master/tasks_killing': 1,
      'master/tasks_unreachable': 1,
    });
  });

  it('reports the allocator: runs, last cycle duration, dominant shares, what is offered or allocated', () => {
    const lastCycle = { cycle: 4, durationMs: 2.5 } as CycleMetrics;
    const allocator: AllocatorReadings = {
      cycles: 4,
      lastCycle,
      roles: [
        { role: 'web', weight: 1, share: 0.25, allocated: { cpus: 2, mem: 512 } },
        { role: 'eng/batch', weight: 2, share: 0.5, allocated: { cpus: 1 } },
      ],
    };
    expect(renderMetrics(inputs(new ClusterBuilder(), { allocator }))).toMatchObject({
      'allocator/mesos/allocation_runs': 4,
      'allocator/mesos/allocation_run_ms': 2.5,
      'allocator/mesos/roles/web/shares/dominant': 0.25,
      'allocator/mesos/roles/eng/batch/shares/dominant': 0.5,
      'allocator/mesos/resources/cpus/offered_or_allocated': 3,
      'allocator/mesos/resources/mem/offered_or_allocated': 512,
      'allocator/mesos/resources/disk/offered_or_allocated': 0,
    });
  });

  it('publishes allocation cycle timings as Mesos timers: the last value and the statistics of recent ones', () => {
    const stats = { count: 3, min: 1, max: 9, p50: 2, p90: 8, p95: 8.5, p99: 8.9, p999: 8.99, p9999: 8.999 };
    const allocator: AllocatorReadings = { cycles: 3, lastCycle: { cycle: 3, durationMs: 9 } as CycleMetrics, roles: [], runTimes: stats, cycleTimes: { ...stats, max: 12 }, lastCycleMs: 12 };
    const metrics = renderMetrics(inputs(new ClusterBuilder(), { allocator }));
    expect(metrics).toMatchObject({
      'allocator/mesos/allocation_runs': 3,
      'allocator/mesos/allocation_run_ms': 9,
      'allocator/mesos/allocation_run_ms/count': 3,
      'allocator/mesos/allocation_run_ms/min': 1,
      'allocator/mesos/allocation_run_ms/max': 9,
      'allocator/mesos/allocation_run_ms/p50': 2,
      'allocator/mesos/allocation_run_ms/p90': 8,
      'allocator/mesos/allocation_run_ms/p95': 8.5,
      'allocator/mesos/allocation_run_ms/p99': 8.9,
      'allocator/mesos/allocation_run_ms/p999': 8.99,
      'allocator/mesos/allocation_run_ms/p9999': 8.999,
      'allocator/agora/allocation_cycle_ms': 12,
      'allocator/agora/allocation_cycle_ms/max': 12,
    });
  });

  it('publishes no timer statistics before two cycles, as Mesos', () => {
    const metrics = renderMetrics(inputs(new ClusterBuilder()));
    expect(Object.keys(metrics).filter((k) => k.startsWith('allocator/mesos/allocation_run_ms/'))).toEqual([]);
  });

  it('publishes per-framework metrics under the percent-encoded name', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    const fw = c.framework('f1', { name: 'my app/1', roles: ['web', 'batch'], capabilities: ['MULTI_ROLE'], suppressedRoles: ['batch'] });
    fw.counters.offersSent = 5;
    fw.counters.offersDeclined = 2;
    fw.counters.calls.set('DECLINE', 2);
    fw.counters.calls.set('ACCEPT', 1);
    c.task('f1', 'a1', 't1');
    c.task('f1', 'a1', 't2', { state: 'TASK_STAGING' });
    const prefix = 'master/frameworks/my%20app%2F1/f1/';
    expect(renderMetrics(inputs(c))).toMatchObject({
      [`${prefix}subscribed`]: 1,
      [`${prefix}calls`]: 3,
      [`${prefix}calls/decline`]: 2,
      [`${prefix}calls/accept`]: 1,
      [`${prefix}calls/kill`]: 0,
      [`${prefix}offers/sent`]: 5,
      [`${prefix}offers/declined`]: 2,
      [`${prefix}offers/accepted`]: 0,
      [`${prefix}roles/web/suppressed`]: 0,
      [`${prefix}roles/batch/suppressed`]: 1,
      [`${prefix}tasks/active/task_running`]: 1,
      [`${prefix}tasks/active/task_staging`]: 1,
      [`${prefix}tasks/active/task_killing`]: 0,
    });
  });
});
