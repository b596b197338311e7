import { CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './cli';

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => stdout.push(text), err: (text) => stderr.push(text) };
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
    expect(await runCli(['agent', '--host', 'not a host', '--port', '0'], io, stopAtOnce)).toBe(EXIT_FAILURE);
    expect(io.stderr.join('\n')).toMatch(/^agora agent: invalid configuration:\n {2}- host="not a host": /);
  });
});
