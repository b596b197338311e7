import { Command, LOCAL_DEFAULT_AGENTS, parseArgs, UsageError } from './args';

describe('parseArgs', () => {
  it.each<[string, string[], Command]>([
    ['--help', ['--help'], { name: 'help' }],
    ['-h', ['-h'], { name: 'help' }],
    ['help <command>', ['help', 'local'], { name: 'help', topic: 'local' }],
    ['<command> --help', ['master', '--help'], { name: 'help', topic: 'master' }],
    ['--help after other flags', ['agent', '--port', '1', '-h'], { name: 'help', topic: 'agent' }],
    ['--version', ['--version'], { name: 'version' }],
    ['-V', ['-V'], { name: 'version' }],
    ['master with defaults from config', ['master'], { name: 'master', port: undefined, host: undefined }],
    ['master --port N', ['master', '--port', '6060'], { name: 'master', port: 6060, host: undefined }],
    ['master --port=N', ['master', '--port=6060'], { name: 'master', port: 6060, host: undefined }],
    ['master --port 0 (any free port)', ['master', '--port', '0'], { name: 'master', port: 0, host: undefined }],
    ['agent --host', ['agent', '--host', '127.0.0.1'], { name: 'agent', port: undefined, host: '127.0.0.1' }],
    ['repeated flag: last wins', ['agent', '--port', '1', '--port', '2'], { name: 'agent', port: 2, host: undefined }],
    ['local defaults', ['local'], { name: 'local', agents: LOCAL_DEFAULT_AGENTS, port: 5050 }],
    ['local --agents N --port N', ['local', '--agents', '5', '--port', '7000'], { name: 'local', agents: 5, port: 7000 }],
    ['local with no agents', ['local', '--agents=0'], { name: 'local', agents: 0, port: 5050 }],
    ['local on free ports', ['local', '--port', '0'], { name: 'local', agents: LOCAL_DEFAULT_AGENTS, port: 0 }],
    ['local at the top of the port range', ['local', '--agents', '1', '--port', '65534'], { name: 'local', agents: 1, port: 65534 }],
  ])('%s', (_case, argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each<[string, string[], string, string | undefined]>([
    ['no command', [], 'missing command', undefined],
    ['an unknown command', ['mastr'], "unknown command 'mastr'", undefined],
    ['an unknown global flag', ['--verbose'], "unknown option '--verbose'", undefined],
    ['help for an unknown command', ['help', 'nope'], "no help for unknown command 'nope'", undefined],
    ['arguments after --version', ['--version', 'x'], "unexpected argument 'x' after --version", undefined],
    ['an unknown flag', ['master', '--bogus'], "unknown option '--bogus'", 'master'],
    ['an unknown flag with a value', ['agent', '--bogus=1'], "unknown option '--bogus'", 'agent'],
    ['a flag of another command', ['master', '--agents', '2'], "unknown option '--agents'", 'master'],
    ['a short flag', ['local', '-p', '1'], "unknown option '-p'", 'local'],
    ['a stray argument', ['master', 'extra'], "unexpected argument 'extra'", 'master'],
    ['a missing value at the end', ['master', '--port'], "option '--port' needs a value", 'master'],
    ['a missing value before a flag', ['local', '--port', '--agents', '1'], "option '--port' needs a value", 'local'],
    ['a word for a port', ['master', '--port', 'http'], "option '--port' must be an integer from 0 to 65535, got 'http'", 'master'],
    ['an empty port', ['master', '--port='], "option '--port' must be an integer from 0 to 65535, got ''", 'master'],
    ['a negative port', ['agent', '--port', '-1'], "option '--port' must be an integer from 0 to 65535, got '-1'", 'agent'],
    ['a port past 65535', ['agent', '--port', '65536'], "option '--port' must be an integer from 0 to 65535, got '65536'", 'agent'],
    ['a fractional agent count', ['local', '--agents', '1.5'], "option '--agents' must be an integer from 0 to 64, got '1.5'", 'local'],
    ['too many agents', ['local', '--agents', '65'], "option '--agents' must be an integer from 0 to 64, got '65'", 'local'],
    ['an empty host', ['master', '--host', ''], "option '--host' needs an address", 'master'],
    ['agent ports past 65535', ['local', '--port', '65535', '--agents', '1'], "option '--port' 65535 leaves no room for 1 agent ports", 'local'],
  ])('rejects %s', (_case, argv, message, command) => {
    let thrown: unknown;
    try {
      parseArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toContain(message);
    expect((thrown as UsageError).command).toBe(command);
  });
});
