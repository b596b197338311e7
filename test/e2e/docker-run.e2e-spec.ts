import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../support/cluster';
import { serviceUrl } from '../support/services';

const ROOT = resolve(__dirname, '../..');
/**
 * The CLI from its sources, as bin/agora runs it in a checkout without a build: a dist/ left
 * by an earlier `npm run build` would otherwise be what runs, whatever the sources say now.
 */
const AGORA = ['-r', require.resolve('@swc-node/register', { paths: [ROOT] }), join(ROOT, 'apps/cli/src/main.ts')];

/**
 * A user's shell with a Docker engine: DOCKER_HOST (the engine scripts/services.sh started)
 * and none of the other test services, so `agora local` embeds its own Postgres.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: serviceUrl('DOCKER_HOST'), SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  return env;
}

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...AGORA, ...args], { cwd, env: userEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * `agora run --image` as a user runs it: `agora local` in one terminal (its agents find the
 * engine at DOCKER_HOST), `agora run --image agora/busybox -- echo hello` in another.
 */
describe('agora run --image against agora local', () => {
  let dir: string;
  let local: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agora-docker-run-'));
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

  it('prints what the command prints in the image, and says so when the image is missing', async () => {
    local = spawn(process.execPath, [...AGORA, 'local', '--agents', '1', '--port', '0'], {
      cwd: dir,
      // Ended containers go at once: the engine is shared by every test run on the machine.
      env: { ...userEnv(), AGORA_DOCKER: 'on', AGORA_DOCKER_REMOVE_DELAY_MS: '0' },
    });
    local.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    local.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const master = await eventually(async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], 120000, `the master listening (output: ${output.slice(-2000)})`);
    await eventually(async () => {
      const slaves = (await (await fetch(`${master}/slaves`)).json()) as { slaves: unknown[] };
      return slaves.slaves.length === 1;
    }, 60000, 'the agent registered');

    const hello = await run(['run', '--master', master, '--image', 'agora/busybox', '--', 'echo', 'hello'], dir);
    expect(hello).toMatchObject({ code: 0, stdout: 'hello\n' });

    const sandbox = await run(['run', '--master', master, '--image', 'agora/busybox', '--', 'cd $MESOS_SANDBOX && ls && exit 4'], dir);
    expect(sandbox).toMatchObject({ code: 4, stdout: 'stderr\nstdout\n' });

    const missing = await run(['run', '--master', master, '--image', 'agora/never-built', '--', 'true'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Docker image 'agora\/never-built' is not present on this agent/);

    local.kill('SIGINT');
    const code = await new Promise<number | null>((r) => local!.once('close', r));
    expect(code).toBe(0);
  }, 240000);
});
