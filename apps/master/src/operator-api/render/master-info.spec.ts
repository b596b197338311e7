import { AGORA_VERSION } from '../../cluster/master-identity';
import { TEST_BUILD, TEST_CONFIG, testMaster } from '../testing/cluster-builder';
import { formatDuration, leaderLocation, renderFlags, renderVersion } from './master-info';

describe('formatDuration', () => {
  it.each([
    [1000, '1secs'],
    [15_000, '15secs'],
    [1500, '1.5secs'],
    [100, '100ms'],
    [90_000, '1.5mins'],
    [3_600_000, '1hrs'],
    [86_400_000, '1days'],
    [1_209_600_000, '2weeks'],
    [0.5, '500us'],
    [0, '0ns'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('renderFlags', () => {
  it('shows the configuration as strings under Mesos names, sorted', () => {
    const flags = renderFlags(TEST_CONFIG, testMaster());
    expect(flags).toEqual({
      agent_ping_timeout: '15secs',
      agent_reregister_timeout: '10mins',
      allocation_interval: '1secs',
      allocator: 'hierarchical',
      heartbeat_interval: '15secs',
      hostname: 'master.example',
      ip: '0.0.0.0',
      leader_lease: '10secs',
      leader_poll_interval: '1secs',
      max_agent_ping_timeouts: '5',
      max_completed_frameworks: '50',
      max_completed_tasks_per_framework: '1000',
      max_operator_event_stream_subscribers: '1000',
      port: '5050',
      quota_recovery_fraction: '0.8',
      quota_recovery_timeout: '10mins',
      registry: 'postgres',
    });
    expect(Object.keys(flags)).toEqual(Object.keys(flags).sort());
  });

  it('shows offer_timeout only when offers time out', () => {
    expect(renderFlags({ ...TEST_CONFIG, offerTimeoutMs: 30_000 }, testMaster()).offer_timeout).toBe('30secs');
  });

  it('shows the port the master listens on, not the configured 0', () => {
    const master = testMaster();
    master.port = 41234;
    expect(renderFlags(TEST_CONFIG, master).port).toBe('41234');
  });
});

describe('renderVersion', () => {
  it('names the Mesos API level and the build', () => {
    expect(renderVersion(TEST_BUILD)).toEqual({
      version: '1.11.0',
      agora_version: AGORA_VERSION,
      build_date: '2025-01-02 03:04:05',
      build_time: 1735787045,
      build_user: 'builder',
    });
    expect(renderVersion({ ...TEST_BUILD, gitSha: 'abc123' }).git_sha).toBe('abc123');
  });
});

describe('leaderLocation', () => {
  it('is scheme-relative, to the leader address', () => {
    expect(leaderLocation(testMaster())).toBe('//10.0.0.9:5050');
  });
});
