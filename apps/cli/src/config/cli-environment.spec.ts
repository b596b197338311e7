import { readCliEnvironment } from './cli-environment';

describe('readCliEnvironment', () => {
  it.each([
    [{ AGORA_MASTER: 'http://m:5050' }, { master: 'http://m:5050' }],
    [{}, {}],
    [{ AGORA_MASTER: '' }, {}],
    [{ AGORA_MASTER: '   ' }, {}],
  ])('%j gives %j', (env, expected) => {
    expect(readCliEnvironment(env)).toEqual(expected);
  });
});
