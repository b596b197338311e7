import 'reflect-metadata';
import { loadMasterConfig } from './master.config';

describe('MasterConfig', () => {
  it('defaults the allocation interval to Mesos’s 1 s', () => {
    expect(loadMasterConfig({}, {}).allocationIntervalMs).toBe(1000);
  });

  it('reads the allocation interval from the environment', () => {
    expect(loadMasterConfig({}, { AGORA_ALLOCATION_INTERVAL_MS: '250' }).allocationIntervalMs).toBe(250);
  });

  it.each([['soon'], ['0'], ['1.5']])('rejects AGORA_ALLOCATION_INTERVAL_MS=%s naming the variable', (value) => {
    expect(() => loadMasterConfig({}, { AGORA_ALLOCATION_INTERVAL_MS: value })).toThrow(/AGORA_ALLOCATION_INTERVAL_MS/);
  });

  it('defaults the operator event stream subscribers to Mesos’s 1000 and refuses 0', () => {
    expect(loadMasterConfig({}, {}).maxOperatorEventStreamSubscribers).toBe(1000);
    expect(() => loadMasterConfig({}, { AGORA_MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS: '0' })).toThrow(/AGORA_MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS/);
  });
  it('defaults high availability to Mesos’s figures', () => {
    const config = loadMasterConfig({}, {});
    expect([config.leaderPollMs, config.leaderLeaseMs, config.agentReregisterTimeoutMs, config.quotaRecoveryFraction, config.quotaRecoveryTimeoutMs]).toEqual([
      1000, 10_000, 600_000, 0.8, 600_000,
    ]);
  });

  it.each([
    ['AGORA_LEADER_POLL_MS', 'often'],
    ['AGORA_LEADER_POLL_MS', '0'],
    ['AGORA_LEADER_LEASE_MS', '50'],
    ['AGORA_LEADER_LEASE_MS', '1.5'],
    ['AGORA_AGENT_REREGISTER_TIMEOUT_MS', '-1'],
    ['AGORA_QUOTA_RECOVERY_FRACTION', '1.2'],
    ['AGORA_QUOTA_RECOVERY_FRACTION', 'most'],
    ['AGORA_QUOTA_RECOVERY_TIMEOUT_MS', 'never'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadMasterConfig({}, { [name]: value })).toThrow(new RegExp(name));
  });
});
