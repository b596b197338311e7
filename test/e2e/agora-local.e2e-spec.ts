import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../support/cluster';

const AGORA = resolve(__dirname, '../../bin/agora');

/** The environment of a user's shell: none of the test services, so `agora local` embeds its own. */
function userEnv(): NodeJS.ProcessEnv {
  // The sources under test, even if an older build sits in dist/.
  const env: NodeJS.ProcessEnv = { ...process.env, AGORA_FROM_SOURCE: '1' };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  return env;
}

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [AGORA, ...args], { cwd, env: userEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * The README's promise, as a user runs it: `agora local` (embedded Postgres, in-process bus, 3
 * agents running real processes) in one terminal, `agora run -- echo hello` in another.
 */
describe('agora local and agora run', () => {
  let dir: string;
  let local: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agora-local-'));
    // The embedded Postgres runs as an unprivileged user when we are root: it must reach its data.
    chmodSync(dir, 0o755);
  });

  afterAll(async () => {
    if (local && local.exitCode === null) {
      local.kill('SIGKILL');
      await new Promise((r) => local!.once('close', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints hello and exits 0, and the cluster stops cleanly on SIGINT', async () => {
    local = spawn(process.execPath, [AGORA, 'local', '--agents', '3', '--port', '0'], { cwd: dir, env: userEnv() });
    local.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    local.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const master = await eventually(async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], 120000, `the master listening (output: ${output.slice(-2000)})`);
    await eventually(async () => {
      const slaves = (await (await fetch(`${master}/slaves`)).json()) as { slaves: unknown[] };
      return slaves.slaves.length === 3;
    }, 60000, 'three agents registered');

    const hello = await run(['run', '--master', master, '--', 'echo', 'hello'], dir);
    expect(hello).toMatchObject({ code: 0, stdout: 'hello\n' });

    const failing = await run(['run', '--master', master, '--', 'echo oops >&2; exit 7'], dir);
    expect(failing).toMatchObject({ code: 7, stdout: '' });
    expect(failing.stderr).toContain('oops');

    const agents = await run(['agents', '--master', master, '--json'], dir);
    expect(agents.code).toBe(0);
    expect((JSON.parse(agents.stdout) as { slaves: unknown[] }).slaves).toHaveLength(3);

    local.kill('SIGINT');
    const code = await new Promise<number | null>((r) => local!.once('close', r));
    expect(code).toBe(0);
  }, 240000);
});
