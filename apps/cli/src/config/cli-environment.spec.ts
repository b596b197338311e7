import { readCliEnvironment } from './cli-environment';

describe('readCliEnvironment', () => {
  it.each([
    [{ AGORA_MASTER: 'http://m:5050' }, { master: 'http://m:5050' }],
    [{}, {}],
    [{ AGORA_MASTER: '' }, {}],
    [{ AGORA_MASTER: '   ' }, {}],
    [{ NATS_URL: 'nats://n:4222', AGORA_BUS_NAMESPACE: 'ns' }, { natsUrl: 'nats://n:4222', busNamespace: 'ns' }],
    [{ NATS_URL: '', AGORA_BUS_NAMESPACE: ' ' }, {}],
  ])('%j gives %j', (env, expected) => {
    expect(readCliEnvironment(env)).toEqual(expected);
  });
});
