import { FakeMaster } from './testing/fake-master';
import { CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './cli';

function captureIo(): CliIo & { stdout: string[]; stderr: string[]; bytesOut: Buffer[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const bytesOut: Buffer[] = [];
  return {
    stdout,
    stderr,
    bytesOut,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    writeOut: (data) => bytesOut.push(Buffer.from(data)),
    writeErr: (data) => stderr.push(Buffer.from(data).toString('utf8')),
  };
}

/** Stops as soon as the server is up, standing in for a signal. */
const stopAtOnce = (stop: () => Promise<void>): Promise<void> => stop();

describe('runCli', () => {
  it('prints general help on stdout and exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(EXIT_OK);
    expect(io.stdout.join('\n')).toMatch(/Usage:\n {2}agora <command>/);
    expect(io.stderr).toEqual([]);
  });

  it('prints a command’s help', async () => {
    const io = captureIo();
    expect(await runCli(['local', '--help'], io)).toBe(EXIT_OK);
    expect(io.stdout.join('\n')).toContain('Usage: agora local [--agents N] [--port N]');
  });

  it('prints the package version', async () => {
    const io = captureIo();
    expect(await runCli(['--version'], io)).toBe(EXIT_OK);
    expect(io.stdout).toEqual([expect.stringMatching(/^agora \d+\.\d+\.\d+/)]);
  });

  it.each([
    [['master', '--bogus'], "agora master: unknown option '--bogus'", "Run 'agora master --help' for usage."],
    [['local', '--agents', 'many'], "agora local: option '--agents' must be an integer from 0 to 64, got 'many'", "Run 'agora local --help' for usage."],
    [['frobnicate'], "agora: unknown command 'frobnicate'", "Run 'agora --help' for usage."],
    [[], 'agora: missing command', "Run 'agora --help' for usage."],
  ])('exits 2 on %j naming the problem on stderr', async (argv, problem, hint) => {
    const io = captureIo();
    expect(await runCli(argv, io)).toBe(EXIT_USAGE);
    expect(io.stderr).toEqual([problem, hint]);
    expect(io.stdout).toEqual([]);
  });

  it('exits 1 when the configuration is invalid', async () => {
    const io = captureIo();
    expect(await runCli(['agent', '--host', 'not a host', '--port', '0'], io, { waitForStop: stopAtOnce })).toBe(EXIT_FAILURE);
    expect(io.stderr.join('\n')).toMatch(/^agora agent: invalid configuration:\n {2}- host="not a host": /);
  });

  it('exits 2 when AGORA_MASTER is not a master URL, naming the variable', async () => {
    const io = captureIo();
    expect(await runCli(['agents'], io, { env: { master: 'ftp://m' } })).toBe(EXIT_USAGE);
    expect(io.stderr).toEqual([
      "agora agents: environment variable AGORA_MASTER must be an http:// or https:// URL, got 'ftp://m'",
      "Run 'agora agents --help' for usage.",
    ]);
  });
});

describe('operator commands', () => {
  let master: FakeMaster;

  beforeEach(async () => {
    master = await FakeMaster.start({
      getJson: {
        '/slaves': { slaves: [{ id: 'm-S0', hostname: 'h', port: 5051, resources: { cpus: 2, mem: 1024, disk: 10 }, used_resources: {}, active: true }] },
        '/tasks?limit=5&framework_id=m-0001': { tasks: [] },
      },
    });
  });

  afterEach(() => master.close());

  it('prints a table of the agents from /slaves of the master in AGORA_MASTER', async () => {
    const io = captureIo();
    expect(await runCli(['agents'], io, { env: { master: master.url } })).toBe(EXIT_OK);
    expect(io.stdout.join('\n').split('\n')).toEqual([
      'ID    HOSTNAME  CPUS  MEM (MB)  DISK (MB)  ACTIVE  REGISTERED (UTC)  MAINTENANCE',
      'm-S0  h:5051    0/2   0/1024    0/10       yes     -',
    ]);
    expect(master.gets).toEqual(['/slaves']);
  });

  it('prints the master’s JSON with --json; --master wins over AGORA_MASTER', async () => {
    const io = captureIo();
    expect(await runCli(['agents', '--json', '--master', master.url], io, { env: { master: 'http://127.0.0.1:1' } })).toBe(EXIT_OK);
    expect(JSON.parse(io.stdout.join('\n'))).toEqual({
      slaves: [{ id: 'm-S0', hostname: 'h', port: 5051, resources: { cpus: 2, mem: 1024, disk: 10 }, used_resources: {}, active: true }],
    });
  });

  it('asks /tasks for one framework’s tasks, as many as --limit', async () => {
    const io = captureIo();
    expect(await runCli(['tasks', '--framework', 'm-0001', '--limit', '5', '--master', master.url], io)).toBe(EXIT_OK);
    expect(master.gets).toEqual(['/tasks?limit=5&framework_id=m-0001']);
    expect(io.stdout).toEqual(['ID  NAME  FRAMEWORK  AGENT  STATE  CPUS  MEM (MB)']);
  });

  it('exits 1 with the master’s answer when it refuses', async () => {
    const io = captureIo();
    expect(await runCli(['frameworks', '--master', master.url], io)).toBe(EXIT_FAILURE);
    expect(io.stderr).toEqual([`agora frameworks: the master at ${master.url}: GET /frameworks answered 404 Not Found: no such endpoint`]);
  });

  it('exits 1 naming the master when nothing listens there', async () => {
    const url = master.url;
    await master.close();
    master = await FakeMaster.start(); // for afterEach
    const io = captureIo();
    expect(await runCli(['tasks'], io, { env: { master: url } })).toBe(EXIT_FAILURE);
    expect(io.stderr).toEqual([
      `agora tasks: cannot reach the master at ${url} (connection refused); is it running?`,
      'Point --master or AGORA_MASTER at another master if it runs elsewhere.',
    ]);
  });
});

describe('agent maintenance commands', () => {
  let leader: FakeMaster;

  beforeEach(async () => {
    leader = await FakeMaster.start({ refuseOperatorCall: { type: 'REACTIVATE_AGENT', status: 400, body: 'Agent is still in the DRAINING state' } });
  });

  afterEach(() => leader.close());

  it('drains an agent of the master in AGORA_MASTER, printing one line', async () => {
    const io = captureIo();
    expect(await runCli(['drain', 'm-S1', '--max-grace-period', '30'], io, { env: { master: leader.url } })).toBe(EXIT_OK);
    expect(io.stdout).toEqual(['agent m-S1 is draining (tasks killed within 30 s)']);
    expect(io.stderr).toEqual([]);
    expect(leader.operatorCalls.map((c) => c.body)).toEqual([
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'm-S1' }, max_grace_period: { nanoseconds: 30e9 }, mark_gone: false } },
    ]);
  });

  it('deactivates through a standby, which sends it to the leader', async () => {
    const standby = await FakeMaster.start({ standby: { leader: new URL(leader.url).host } });
    try {
      const io = captureIo();
      expect(await runCli(['deactivate', 'm-S1', '--master', standby.url], io)).toBe(EXIT_OK);
      expect(io.stdout).toEqual(['agent m-S1 is deactivated (no new offers; its tasks keep running)']);
      expect(leader.operatorCalls.map((c) => c.body.type)).toEqual(['DEACTIVATE_AGENT']);
    } finally {
      await standby.close();
    }
  });

  it('exits 1 with the master’s reason when it refuses', async () => {
    const io = captureIo();
    expect(await runCli(['reactivate', 'm-S1', '--master', leader.url], io)).toBe(EXIT_FAILURE);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual([`agora reactivate: the master at ${leader.url}: POST /api/v1 answered 400 Bad Request: Agent is still in the DRAINING state`]);
  });

  it('exits 1 when no master leads', async () => {
    const standby = await FakeMaster.start({ standby: {} });
    try {
      const io = captureIo();
      expect(await runCli(['drain', 'm-S1', '--master', standby.url], io)).toBe(EXIT_FAILURE);
      expect(io.stderr).toEqual([
        `agora drain: the master at ${standby.url}: POST /api/v1 answered 503 Service Unavailable: No leading master is known; retry shortly or ask another master`,
      ]);
    } finally {
      await standby.close();
    }
  });

  it('exits 2 without an AGENT_ID, sending nothing', async () => {
    const io = captureIo();
    expect(await runCli(['drain', '--master', leader.url], io)).toBe(EXIT_USAGE);
    expect(io.stderr).toEqual(["agora drain: missing AGENT_ID, the agent's id as 'agora agents' lists it", "Run 'agora drain --help' for usage."]);
    expect(leader.operatorCalls).toEqual([]);
  });

  it('prints its help', async () => {
    const io = captureIo();
    expect(await runCli(['help', 'drain'], io)).toBe(EXIT_OK);
    expect(io.stdout.join('\n')).toContain('Usage: agora drain AGENT_ID [--max-grace-period SECONDS] [--mark-gone] [--master URL]');
  });
});

describe('agora run', () => {
  it('launches the words after -- as one shell command, each word quoted', async () => {
    const master = await FakeMaster.start();
    try {
      const io = captureIo();
      const exit = runCli(['run', '--master', master.url, '--cpus', '0.5', '--env', 'GREETING=hi', '--', 'echo', 'a b'], io, {
        onInterrupt: () => () => undefined,
      });
      await master.nextCall('SUBSCRIBE');
      master.send({
        type: 'OFFERS',
        offers: {
          offers: [
            {
              id: { value: 'O1' },
              framework_id: { value: master.frameworkId },
              agent_id: { value: 'S1' },
              hostname: 'h',
              resources: [
                { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
                { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
              ],
            },
          ],
        },
      });
      const accept = await master.nextCall('ACCEPT');
      const [operation] = accept.body.accept.operations ?? [];
      const task = operation.type === 'LAUNCH' ? operation.launch.task_infos?.[0] : undefined;
      expect(task?.command).toEqual({ value: "echo 'a b'", shell: true, environment: { variables: [{ name: 'GREETING', value: 'hi' }] } });
      expect(task?.name).toBe('agora-run');
      expect(task?.task_id.value).toMatch(/^agora-run-[0-9a-f]{12}$/);
      expect(task?.resources?.map((r) => [r.name, r.scalar?.value])).toEqual([['cpus', 0.5], ['mem', 32]]);

      master.send({
        type: 'UPDATE',
        update: { status: { task_id: { value: task?.task_id.value ?? '' }, state: 'TASK_FAILED', message: 'Command exited with status 7', source: 'SOURCE_EXECUTOR' } },
      });
      expect(await exit).toBe(7);
      // No url in the offer: the user is told the output cannot be shown.
      expect(io.stderr).toEqual(["agora run: the offer does not say where agent S1 listens; the task's output cannot be shown"]);
    } finally {
      await master.close();
    }
  });
});
