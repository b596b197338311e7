import { AgentCounters } from './agent-counters';
import { type AgentMetricsInputs, type LiveTask, renderAgentMetrics } from './agent-metrics';

const SYSTEM = { cpusTotal: 8, load1min: 1.5, load5min: 1, load15min: 0.5, memTotalBytes: 16e9, memFreeBytes: 4e9 };

function task(state: LiveTask['state'], phase: LiveTask['phase'], resources: LiveTask['resources'] = {}, silenced = false): LiveTask {
  return { state, phase, silenced, resources };
}

function inputs(overrides: Partial<AgentMetricsInputs> = {}): AgentMetricsInputs {
  return {
    now: 1_700_000_090_000,
    startedAt: 1_700_000_000_000,
    registered: true,
    total: { cpus: 4, mem: 8192, disk: 10_000, gpus: 0, ports: '[31000-32000]' },
    tasks: [],
    frameworksActive: 0,
    counters: new AgentCounters().snapshot(),
    maxSandboxAgeMs: 0.9 * 604_800_000,
    system: SYSTEM,
    ...overrides,
  };
}

describe('agent /metrics/snapshot', () => {
  it('publishes the Mesos slave/* and system/* keys of an idle agent', () => {
    expect(renderAgentMetrics(inputs())).toEqual({
      'slave/cpus_percent': 0,
      'slave/cpus_revocable_percent': 0,
      'slave/cpus_revocable_total': 0,
      'slave/cpus_revocable_used': 0,
      'slave/cpus_total': 4,
      'slave/cpus_used': 0,
      'slave/disk_percent': 0,
      'slave/disk_revocable_percent': 0,
      'slave/disk_revocable_total': 0,
      'slave/disk_revocable_used': 0,
      'slave/disk_total': 10_000,
      'slave/disk_used': 0,
      'slave/executor_directory_max_allowed_age_secs': 544_320,
      'slave/executors_registering': 0,
      'slave/executors_running': 0,
      'slave/executors_terminated': 0,
      'slave/executors_terminating': 0,
      'slave/frameworks_active': 0,
      'slave/gpus_percent': 0,
      'slave/gpus_revocable_percent': 0,
      'slave/gpus_revocable_total': 0,
      'slave/gpus_revocable_used': 0,
      'slave/gpus_total': 0,
      'slave/gpus_used': 0,
      'slave/invalid_framework_messages': 0,
      'slave/invalid_status_updates': 0,
      'slave/mem_percent': 0,
      'slave/mem_revocable_percent': 0,
      'slave/mem_revocable_total': 0,
      'slave/mem_revocable_used': 0,
      'slave/mem_total': 8192,
      'slave/mem_used': 0,
      'slave/registered': 1,
      'slave/tasks_failed': 0,
      'slave/tasks_finished': 0,
      'slave/tasks_gone': 0,
      'slave/tasks_killed': 0,
      'slave/tasks_killing': 0,
      'slave/tasks_lost': 0,
      'slave/tasks_running': 0,
      'slave/tasks_staging': 0,
      'slave/tasks_starting': 0,
      'slave/uptime_secs': 90,
      'slave/valid_framework_messages': 0,
      'slave/valid_status_updates': 0,
      'system/cpus_total': 8,
      'system/load_15min': 0.5,
      'system/load_1min': 1.5,
      'system/load_5min': 1,
      'system/mem_free_bytes': 4e9,
      'system/mem_total_bytes': 16e9,
    });
  });

  it('counts live tasks by state and what they use; finished ones use nothing', () => {
    const m = renderAgentMetrics(
      inputs({
        registered: false,
        frameworksActive: 2,
        tasks: [
          task('TASK_STAGING', 'launching', { cpus: 0.5, mem: 128 }),
          task('TASK_RUNNING', 'running', { cpus: 1, mem: 512, disk: 100 }),
          task('TASK_RUNNING', 'running', { cpus: 1, mem: 512 }, true),
          task('TASK_KILLING', 'running', { cpus: 0.5, mem: 64 }),
          task('TASK_FINISHED', 'terminated', { cpus: 2, mem: 2048 }),
        ],
      }),
    );
    expect(m).toMatchObject({
      'slave/registered': 0,
      'slave/frameworks_active': 2,
      'slave/tasks_staging': 1,
      'slave/tasks_starting': 0,
      'slave/tasks_running': 2,
      'slave/tasks_killing': 1,
      'slave/executors_registering': 1,
      'slave/executors_running': 2,
      'slave/executors_terminating': 1,
      'slave/cpus_used': 3,
      'slave/cpus_percent': 0.75,
      'slave/mem_used': 1216,
      'slave/mem_percent': 1216 / 8192,
      'slave/disk_used': 100,
    });
  });

  it('publishes its keys sorted', () => {
    const keys = Object.keys(renderAgentMetrics(inputs()));
    expect(keys).toEqual([...keys].sort());
  });
});

describe('AgentCounters', () => {
  it.each([
    ['TASK_RUNNING', true, { 'slave/valid_status_updates': 1 }],
    ['TASK_FINISHED', true, { 'slave/valid_status_updates': 1, 'slave/tasks_finished': 1 }],
    ['TASK_FAILED', true, { 'slave/valid_status_updates': 1, 'slave/tasks_failed': 1 }],
    ['TASK_KILLED', true, { 'slave/valid_status_updates': 1, 'slave/tasks_killed': 1 }],
    ['TASK_LOST', true, { 'slave/valid_status_updates': 1, 'slave/tasks_lost': 1 }],
    ['TASK_GONE', true, { 'slave/valid_status_updates': 1, 'slave/tasks_gone': 1 }],
    ['TASK_FINISHED', false, { 'slave/valid_status_updates': 1 }],
  ] as const)('counts a status update %s (first of its uuid: %s)', (state, first, expected) => {
    const counters = new AgentCounters();
    counters.statusUpdate(state, first);
    const nonZero = Object.fromEntries(Object.entries(counters.snapshot()).filter(([, v]) => v !== 0));
    expect(nonZero).toEqual(expected);
  });

  it('counts framework messages, terminated executors and refused updates', () => {
    const counters = new AgentCounters();
    counters.frameworkMessage(true);
    counters.frameworkMessage(false);
    counters.frameworkMessage(false);
    counters.executorTerminated();
    counters.invalidStatusUpdate();
    expect(counters.snapshot()).toMatchObject({
      'slave/invalid_status_updates': 1,
      'slave/valid_framework_messages': 1,
      'slave/invalid_framework_messages': 2,
      'slave/executors_terminated': 1,
    });
  });
});
