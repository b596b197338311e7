import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from './cluster';

const AGORA = resolve(__dirname, '../../bin/agora');

/**
 * The environment of a user's shell: none of the test services, so `agora local` embeds its
 * own Postgres and bus; the sources under test run even if an older build sits in dist/.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AGORA_FROM_SOURCE: '1', ...extra };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  return env;
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `agora <args>` to its end, as a user would in a second terminal. */
export function agora(args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<CommandResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [AGORA, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `agora local` in the foreground of a temporary directory, as a user starts it. */
export class LocalAgora {
  readonly dir: string;
  private child?: ChildProcess;
  private output = '';

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    // The embedded Postgres runs as an unprivileged user when we are root: it must reach its data.
    chmodSync(this.dir, 0o755);
  }

  /** Starts it and resolves with the master's URL once `agents` agents registered. */
  async start(agents: number, env: NodeJS.ProcessEnv = userEnv()): Promise<string> {
    this.child = spawn(process.execPath, [AGORA, 'local', '--agents', String(agents), '--port', '0'], { cwd: this.dir, env });
    this.child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    const master = await eventually(async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(this.output)?.[1], 120000, `the master listening (output: ${this.output.slice(-2000)})`);
    await eventually(async () => {
      // A master answers 503 between listening and taking office (it campaigns once it listens).
      const answer = await fetch(`${master}/slaves`);
      if (!answer.ok) return false;
      const slaves = (await answer.json()) as { slaves: unknown[] };
      return slaves.slaves.length === agents;
    }, 60000, `${agents} agent(s) registered`);
    return master;
  }

  /** Ctrl+C; resolves with its exit code. */
  async interrupt(): Promise<number | null> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill('SIGINT');
    return new Promise((r) => child.once('close', r));
  }

  /** Kills whatever still runs and removes the directory. */
  async cleanUp(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
