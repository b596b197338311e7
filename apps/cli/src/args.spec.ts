import { Command, LOCAL_DEFAULT_AGENTS, parseArgs, RunCommand, SIM_DEFAULT_AGENTS, UsageError } from './args';

/** `agora run` with every default, for `-- cmd`. */
function run(argv: string[], overrides: Partial<RunCommand> = {}): RunCommand {
  return {
    name: 'run',
    master: undefined,
    cpus: 0.1,
    mem: 32,
    role: '*',
    taskName: undefined,
    env: [],
    timeoutSeconds: 60,
    verbose: false,
    argv,
    ...overrides,
  };
}

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
    ['agent --recover cleanup', ['agent', '--recover', 'cleanup'], { name: 'agent', port: undefined, host: undefined, recover: 'cleanup' }],
    ['local defaults', ['local'], { name: 'local', agents: LOCAL_DEFAULT_AGENTS, port: 5050 }],
    ['local --agents N --port N', ['local', '--agents', '5', '--port', '7000'], { name: 'local', agents: 5, port: 7000 }],
    ['local with no agents', ['local', '--agents=0'], { name: 'local', agents: 0, port: 5050 }],
    ['local on free ports', ['local', '--port', '0'], { name: 'local', agents: LOCAL_DEFAULT_AGENTS, port: 0 }],
    ['local at the top of the port range', ['local', '--agents', '1', '--port', '65534'], { name: 'local', agents: 1, port: 65534 }],
    ['help for run', ['help', 'run'], { name: 'help', topic: 'run' }],
    ['sim defaults', ['sim'], { name: 'sim', agents: SIM_DEFAULT_AGENTS, resources: undefined, taskDurationMs: 0, namespace: undefined }],
    [
      'sim with every flag',
      ['sim', '--agents', '10000', '--resources', 'cpus:4;mem:8192', '--task-duration=250', '--master-namespace', 'bench.a-1'],
      { name: 'sim', agents: 10000, resources: 'cpus:4;mem:8192', taskDurationMs: 250, namespace: 'bench.a-1' },
    ],
    ['run --help', ['run', '--help'], { name: 'help', topic: 'run' }],
    ['run with defaults', ['run', '--', 'echo', 'hello'], run(['echo', 'hello'])],
    ['run with one script word', ['run', '--', 'make && make test'], run(['make && make test'])],
    [
      'run with every flag',
      [
        'run', '--master', 'http://10.0.0.1:5050/', '--cpus', '0.5', '--mem=256', '--role', 'eng/batch', '--name', 'build',
        '--env', 'A=1', '--env', 'B=x=y', '--timeout', '2.5', '--verbose', '--', 'make',
      ],
      run(['make'], {
        master: 'http://10.0.0.1:5050',
        cpus: 0.5,
        mem: 256,
        role: 'eng/batch',
        taskName: 'build',
        env: [{ name: 'A', value: '1' }, { name: 'B', value: 'x=y' }],
        timeoutSeconds: 2.5,
        verbose: true,
      }),
    ],
    ['run --master host:port without a scheme', ['run', '--master', 'm1:5050', '--', 'ls'], run(['ls'], { master: 'http://m1:5050' })],
    ['run --master https with a path prefix', ['run', '--master', 'https://proxy/mesos/', '--', 'ls'], run(['ls'], { master: 'https://proxy/mesos' })],
    ['run --env with an empty value', ['run', '--env', 'EMPTY=', '--', 'env'], run(['env'], { env: [{ name: 'EMPTY', value: '' }] })],
    ['run --env twice for one name: last value wins', ['run', '--env', 'A=1', '--env', 'A=2', '--', 'env'], run(['env'], { env: [{ name: 'A', value: '2' }] })],
    ['run: flags after -- belong to the task', ['run', '--', 'ls', '--help', '--cpus', '9'], run(['ls', '--help', '--cpus', '9'])],
    ['run: a second -- belongs to the task', ['run', '--', 'git', '--', 'x'], run(['git', '--', 'x'])],
    ['run --cpus as a fraction with a leading dot', ['run', '--cpus', '.25', '--', 'true'], run(['true'], { cpus: 0.25 })],
    ['run --image', ['run', '--image', 'agora/busybox', '--', 'echo', 'hello'], run(['echo', 'hello'], { image: 'agora/busybox' })],
    ['run --image=IMAGE:TAG', ['run', '--image=agora/busybox:latest', '--', 'ls'], run(['ls'], { image: 'agora/busybox:latest' })],
    ["run --image without a command runs the image's own", ['run', '--image', 'agora/node'], run([], { image: 'agora/node' })],
    ['agents', ['agents'], { name: 'agents', master: undefined, json: false }],
    ['agents --json --master', ['agents', '--json', '--master', 'localhost:6050'], { name: 'agents', master: 'http://localhost:6050', json: true }],
    ['frameworks --all', ['frameworks', '--all'], { name: 'frameworks', master: undefined, json: false, all: true }],
    ['tasks', ['tasks'], { name: 'tasks', master: undefined, json: false, all: false, framework: undefined, limit: 1000 }],
    [
      'tasks with every flag',
      ['tasks', '--all', '--framework', 'm-0001', '--limit', '50', '--json'],
      { name: 'tasks', master: undefined, json: true, all: true, framework: 'm-0001', limit: 50 },
    ],
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
    ['sim without agents', ['sim', '--agents', '0'], "option '--agents' must be an integer from 1 to 100000, got '0'", 'sim'],
    ['sim with a wildcard namespace', ['sim', '--master-namespace', 'a.*'], "option '--master-namespace' must be dot-separated tokens of letters, digits, '-' and '_', got 'a.*'", 'sim'],
    ['a missing value at the end', ['master', '--port'], "option '--port' needs a value", 'master'],
    ['a missing value before a flag', ['local', '--port', '--agents', '1'], "option '--port' needs a value", 'local'],
    ['a word for a port', ['master', '--port', 'http'], "option '--port' must be an integer from 0 to 65535, got 'http'", 'master'],
    ['an empty port', ['master', '--port='], "option '--port' must be an integer from 0 to 65535, got ''", 'master'],
    ['an unknown recovery mode', ['agent', '--recover', 'strict'], "option '--recover' must be reconnect or cleanup, got 'strict'", 'agent'],
    ['a negative port', ['agent', '--port', '-1'], "option '--port' must be an integer from 0 to 65535, got '-1'", 'agent'],
    ['a port past 65535', ['agent', '--port', '65536'], "option '--port' must be an integer from 0 to 65535, got '65536'", 'agent'],
    ['a fractional agent count', ['local', '--agents', '1.5'], "option '--agents' must be an integer from 0 to 64, got '1.5'", 'local'],
    ['too many agents', ['local', '--agents', '65'], "option '--agents' must be an integer from 0 to 64, got '65'", 'local'],
    ['an empty host', ['master', '--host', ''], "option '--host' needs an address", 'master'],
    ['agent ports past 65535', ['local', '--port', '65535', '--agents', '1'], "option '--port' 65535 leaves no room for 1 agent ports", 'local'],
    ['run without a command', ['run'], "missing the command to run after '--'", 'run'],
    ['run with -- and nothing after it', ['run', '--cpus', '1', '--'], "missing the command to run after '--'", 'run'],
    ['run with the command but no --', ['run', 'echo', 'hi'], "unexpected argument 'echo'; put the command after '--', e.g. agora run -- echo", 'run'],
    ['run with an unknown flag', ['run', '--cpu', '1', '--', 'ls'], "unknown option '--cpu'", 'run'],
    ['run with a flag of another command', ['run', '--port', '1', '--', 'ls'], "unknown option '--port'", 'run'],
    ['an image name with a space', ['run', '--image', 'agora busybox', '--', 'ls'], "option '--image' must be an image name such as agora/busybox", 'run'],
    ['zero cpus', ['run', '--cpus', '0', '--', 'ls'], "option '--cpus' must be a positive number (at least 0.001), got '0'", 'run'],
    ['cpus too small to represent', ['run', '--cpus', '0.0001', '--', 'ls'], "option '--cpus' must be a positive number (at least 0.001), got '0.0001'", 'run'],
    ['negative mem', ['run', '--mem', '-5', '--', 'ls'], "option '--mem' must be a positive number (at least 0.001), got '-5'", 'run'],
    ['a word for mem', ['run', '--mem', 'lots', '--', 'ls'], "option '--mem' must be a positive number (at least 0.001), got 'lots'", 'run'],
    ['mem with a unit', ['run', '--mem', '1GB', '--', 'ls'], "option '--mem' must be a positive number (at least 0.001), got '1GB'", 'run'],
    ['a zero timeout', ['run', '--timeout', '0', '--', 'ls'], "option '--timeout' must be a positive number (at least 0.001), got '0'", 'run'],
    ['an env without =', ['run', '--env', 'FOO', '--', 'ls'], "option '--env' must be NAME=VALUE with NAME a shell variable name, got 'FOO'", 'run'],
    ['an env with a bad name', ['run', '--env', '1X=2', '--', 'ls'], "option '--env' must be NAME=VALUE with NAME a shell variable name, got '1X=2'", 'run'],
    ['an env without a name', ['run', '--env', '=v', '--', 'ls'], "option '--env' must be NAME=VALUE", 'run'],
    ['a bad role', ['run', '--role', 'a//b', '--', 'ls'], "option '--role': role 'a//b' must not contain '//'", 'run'],
    ['an empty name', ['run', '--name', '', '--', 'ls'], "option '--name' must not be empty", 'run'],
    ['a master of another scheme', ['run', '--master', 'ftp://m', '--', 'ls'], "option '--master' must be an http:// or https:// URL, got 'ftp://m'", 'run'],
    ['a master that is no URL', ['agents', '--master', 'http://a b'], "option '--master' must be a URL such as http://127.0.0.1:5050, got 'http://a b'", 'agents'],
    ['an empty master', ['tasks', '--master='], "option '--master' needs a URL such as http://127.0.0.1:5050", 'tasks'],
    ['a switch with a value', ['agents', '--json=yes'], "option '--json' takes no value", 'agents'],
    ['-- where no command is taken', ['agents', '--', 'x'], "unexpected argument '--'", 'agents'],
    ['a stray argument to tasks', ['tasks', 'running'], "unexpected argument 'running'", 'tasks'],
    ['a zero task limit', ['tasks', '--limit', '0'], "option '--limit' must be an integer from 1 to 1000000, got '0'", 'tasks'],
    ['--all for agents', ['agents', '--all'], "unknown option '--all'", 'agents'],
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
