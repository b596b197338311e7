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
});
