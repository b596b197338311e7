/**
 * For specs: a real agent as a child process (`node -r @swc-node/register apps/agent/src/main.ts`),
 * so it can be killed with SIGKILL and restarted on the same work dir, as an operator or a
 * crash would. Its output goes to `<logFile>` for when a test fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

export class AgentProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(env: Record<string, string>, logFile: string): AgentProcess {
    const log = openSync(logFile, 'a');
    try {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps', 'agent', 'src', 'main.ts')], {
        cwd: ROOT,
        // Only what the test gives: the agent reads its configuration from this environment alone.
        env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...env },
        stdio: ['ignore', log, log],
      });
      return new AgentProcess(child);
    } finally {
      closeSync(log);
    }
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** SIGKILL: no stop hook runs, as when the machine's OOM killer or `kill -9` ends an agent. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: a graceful stop (tasks of checkpointing frameworks keep running). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}
