import { IsBoolean, IsString } from 'class-validator';
import { ConfigError, FromEnv, loadConfig } from './load-config';
import { IsHost, IsPort } from './validators';

class ExampleConfig {
  @FromEnv('EXAMPLE_PORT')
  @IsPort()
  readonly port: number = 8080;

  @FromEnv('EXAMPLE_HOST')
  @IsHost()
  readonly host: string = '0.0.0.0';

  @FromEnv('EXAMPLE_VERBOSE')
  @IsBoolean()
  readonly verbose: boolean = false;

  @FromEnv('EXAMPLE_NAME')
  @IsString()
  readonly name: string = 'example';
}

describe('loadConfig', () => {
  it.each([
    ['defaults when nothing is set', {}, {}, { port: 8080, host: '0.0.0.0', verbose: false, name: 'example' }],
    ['empty variables count as unset', { EXAMPLE_PORT: '' }, {}, { port: 8080 }],
    ['environment converted by declared type', { EXAMPLE_PORT: '9090', EXAMPLE_VERBOSE: 'true' }, {}, { port: 9090, verbose: true }],
    ['boolean 0/1', { EXAMPLE_VERBOSE: '1' }, {}, { verbose: true }],
    ['host names as well as addresses', { EXAMPLE_HOST: 'localhost' }, {}, { host: 'localhost' }],
    ['IPv6 addresses', { EXAMPLE_HOST: '::1' }, {}, { host: '::1' }],
    ['overrides beat the environment', { EXAMPLE_PORT: '9090' }, { port: 0 }, { port: 0 }],
    ['undefined overrides are ignored', { EXAMPLE_PORT: '9090' }, { port: undefined }, { port: 9090 }],
    ['unrelated variables are ignored', { PATH: '/bin', EXAMPLE_OTHER: 'x' }, {}, { port: 8080 }],
  ])('%s', (_case, env, overrides, expected) => {
    expect(loadConfig(ExampleConfig, env, overrides)).toMatchObject(expected);
  });

  it.each([
    ['a word for a port', { EXAMPLE_PORT: 'eighty' }, 'EXAMPLE_PORT="eighty": must be a port number'],
    ['a port out of range', { EXAMPLE_PORT: '65536' }, 'EXAMPLE_PORT="65536": must be a port number'],
    ['a fractional port', { EXAMPLE_PORT: '80.5' }, 'EXAMPLE_PORT="80.5"'],
    ['a port with trailing junk', { EXAMPLE_PORT: '80abc' }, 'EXAMPLE_PORT="80abc"'],
    ['a host with spaces', { EXAMPLE_HOST: 'my host' }, 'EXAMPLE_HOST="my host": must be an IP address or a host name'],
    ['a boolean that is neither', { EXAMPLE_VERBOSE: 'maybe' }, 'EXAMPLE_VERBOSE="maybe"'],
  ])('rejects %s', (_case, env, problem) => {
    expect(() => loadConfig(ExampleConfig, env)).toThrow(problem);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig(ExampleConfig, { EXAMPLE_PORT: 'x', EXAMPLE_HOST: '!' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        expect.stringMatching(/^EXAMPLE_PORT="x": /),
        expect.stringMatching(/^EXAMPLE_HOST="!": /),
      ]);
    }
  });

  it('states each reason once', () => {
    expect(() => loadConfig(ExampleConfig, { EXAMPLE_PORT: 'x' })).toThrow(
      /EXAMPLE_PORT="x": must be a port number from 0 to 65535$/,
    );
  });

  it('names an invalid override by its property', () => {
    expect(() => loadConfig(ExampleConfig, {}, { port: 70000 })).toThrow('port=70000: must be a port number');
  });
});
